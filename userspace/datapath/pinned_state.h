// SPDX-License-Identifier: GPL-2.0-only
// The BPF programs and maps pinned under --pin-dir (names: pin_names.h), so
// enforcement outlives the userspace tool, with the version record lw_meta
// (pin_version.h). Three ways in: a first load, opening what this build can
// read, and an upgrade that loads this build's programs beside the pinned
// ones, reusing every pinned map whose layout allows it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/fd.h"

struct lanewarden;  // the generated skeleton (lanewarden.skel.h)

namespace lw::datapath {

class PinnedState {
 public:
  // True when a previous apply left its programs pinned in `pin_dir`.
  static bool exists(const std::string& pin_dir);
  // Loads the embedded skeleton, pins programs, maps and lw_meta
  // (lw_ingress last: its presence means "fully pinned"). Leftovers of an
  // interrupted earlier load are removed first. The pin directory must be on
  // a BPF filesystem; it is created if missing.
  // `event_interval_ns` is flood control's interval (0: the 1 s default).
  static PinnedState load_and_pin(const std::string& pin_dir, uint64_t event_interval_ns = 0);
  // Opens existing pins; throws when nothing is pinned there and when a
  // newer lanewarden pinned them. The readers in maps.h check each map's
  // value size before they read it as this build's struct.
  static PinnedState open(const std::string& pin_dir);
  // Loads this build's programs into new objects that reuse each pinned map
  // whose contents carry over (pin_names.h: layout version, type, sizes),
  // and pins them in the staging directory; the live pins stay as they are
  // until commit_upgrade(). Logs one line naming the maps that start empty.
  static PinnedState load_upgrade(const std::string& pin_dir);
  // Renames the staged pins over the live ones, lw_meta last, and removes
  // the staging directory.
  void commit_upgrade(const std::string& pin_dir);
  // Removes the staging directory of an upgrade that did not commit.
  static void drop_staging(const std::string& pin_dir);
  // Removes every pin lanewarden created (records, older builds' names and
  // the staging directory included) and the directory itself.
  static void unpin_all(const std::string& pin_dir);

  int ingress() const { return ingress_.get(); }
  int egress() const { return egress_.get(); }
  int policy_outer() const { return policy_outer_.get(); }
  int counters() const { return counters_.get(); }
  int links() const { return links_.get(); }
  int violations() const { return violations_.get(); }
  int events() const { return events_.get(); }
  // Maps whose contents an upgrade carried over (empty otherwise).
  const std::vector<std::string>& carried() const { return carried_; }

 private:
  // Its own references to the programs and maps of a loaded skeleton.
  static PinnedState from_skeleton(const lanewarden& skel);

  UniqueFd ingress_, egress_, policy_outer_, counters_, links_, violations_, events_;
  std::vector<std::string> carried_;
};

// The pinned object `name` under `pin_dir` (invalid fd when it is missing).
UniqueFd open_pin(const std::string& pin_dir, const char* name);

}  // namespace lw::datapath
