// SPDX-License-Identifier: GPL-2.0-only
// The BPF programs and maps as they live under --pin-dir. The first apply
// loads and verifies the programs once and pins everything; every later
// command opens the pins, so enforcement outlives the userspace tool.
#pragma once

#include <cstdint>
#include <string>

#include "common/fd.h"

namespace lw::datapath {

class PinnedState {
 public:
  // True when a previous apply left its pins in `pin_dir`.
  static bool exists(const std::string& pin_dir);
  // Loads the embedded skeleton, pins programs and maps. The pin directory
  // must be on a BPF filesystem; it is created if missing.
  // `event_interval_ns` is flood control's interval (0: the 1 s default).
  static PinnedState load_and_pin(const std::string& pin_dir, uint64_t event_interval_ns = 0);
  // Opens existing pins; throws when nothing is pinned there.
  static PinnedState open(const std::string& pin_dir);
  // Removes every pin lanewarden created and the directory itself.
  static void unpin_all(const std::string& pin_dir);

  int ingress() const { return ingress_.get(); }
  int egress() const { return egress_.get(); }
  int policy_outer() const { return policy_outer_.get(); }
  int counters() const { return counters_.get(); }
  int links() const { return links_.get(); }
  int violations() const { return violations_.get(); }
  int events() const { return events_.get(); }

 private:
  UniqueFd ingress_, egress_, policy_outer_, counters_, links_, violations_, events_;
};

}  // namespace lw::datapath
