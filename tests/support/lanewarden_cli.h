// SPDX-License-Identifier: GPL-2.0-only
// Runs the lanewarden binary for one simulated node: inside a test network
// namespace (--netns keeps /sys/fs/bpf visible) with a pin directory of its
// own. The destructor detaches and removes the pin directory, whatever the
// test's outcome.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "support/command.h"

namespace lw::test {

class LanewardenNode {
 public:
  // `pin_name` must start with "lwt"; the pins live in /sys/fs/bpf/<pin_name>.
  LanewardenNode(std::string binary, std::string netns, const std::string& pin_name);
  ~LanewardenNode();
  LanewardenNode(const LanewardenNode&) = delete;
  LanewardenNode& operator=(const LanewardenNode&) = delete;

  const std::string& pin_dir() const { return pin_dir_; }
  // `lanewarden --netns NS --pin-dir DIR ARGS` (ARGS already shell-quoted).
  CommandResult run(const std::string& args, std::chrono::milliseconds timeout = 60s) const;
  // Writes `toml` to a temporary file and applies it; throws on failure.
  void apply(const std::string& toml, const std::string& extra_args = "") const;
  // `status --format json`, one parsed object per line.
  std::vector<nlohmann::json> status() const;
  // Packets counted for (iface, dir, class, verdict); verdict "" sums all.
  uint64_t packets(const std::string& iface, const std::string& dir, const std::string& cls,
                   const std::string& verdict = "") const;

 private:
  std::string binary_, netns_, pin_dir_, policy_file_;
};

// JSON Lines as lanewarden and the scripts print them: one object per line
// starting with '{'; other lines (log messages, blank lines) are skipped.
std::vector<nlohmann::json> json_lines(const std::string& text);

// Sums the packets of one interface's status object (a "type":"iface" line).
uint64_t counted_packets(const nlohmann::json& iface, const std::string& dir,
                         const std::string& cls, const std::string& verdict = "");

}  // namespace lw::test
