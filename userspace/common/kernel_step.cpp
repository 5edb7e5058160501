// SPDX-License-Identifier: GPL-2.0-only
#include "common/kernel_step.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace lw {
namespace {

long crash_at() {
  static const long n = [] {
    const char* v = std::getenv("LW_TEST_CRASH_AT");
    return v ? std::strtol(v, nullptr, 10) : 0L;
  }();
  return n;
}

}  // namespace

void kernel_step(const char* what) {
  static long step = 0;
  step++;
  spdlog::debug("kernel step {}: {}", step, what);
  if (step != crash_at()) return;
  // write(2), not spdlog: nothing buffered may be needed to tell the test
  // where the process stopped.
  const std::string line =
      "LW_TEST_CRASH_AT: killed before step " + std::to_string(step) + ": " + what + "\n";
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, line.data(), line.size());
  ::raise(SIGKILL);
}

}  // namespace lw
