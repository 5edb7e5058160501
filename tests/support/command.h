// SPDX-License-Identifier: GPL-2.0-only
// Runs shell commands for tests (ip, tc, nft, the lanewarden binary). The
// product never shells out; tests may, to set up and inspect the world the
// way an administrator would.
#pragma once

#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>

namespace lw::test {

using namespace std::chrono_literals;

struct CommandResult {
  int exit_code = -1;      // exit status, 128 + signal if killed
  std::string out;         // stdout
  std::string err;         // stderr
  bool timed_out = false;  // killed (with its process group) at the deadline
  bool ok() const { return exit_code == 0 && !timed_out; }
};

// Thrown by run_ok(): the message carries the command, status and output.
class CommandError : public std::runtime_error {
 public:
  CommandError(const std::string& cmd, CommandResult result);
  const CommandResult& result() const { return result_; }

 private:
  CommandResult result_;
};

// `/bin/sh -c cmd` with stdin from /dev/null. On timeout the whole process
// group is killed, so a stuck `ip netns exec ... ping` cannot hang a test.
CommandResult run(const std::string& cmd, std::chrono::milliseconds timeout = 30s);
// Like run(), but throws CommandError unless the command exits 0; returns stdout.
std::string run_ok(const std::string& cmd, std::chrono::milliseconds timeout = 30s);

// Single-quotes `s` for /bin/sh.
std::string shell_quote(std::string_view s);

}  // namespace lw::test
