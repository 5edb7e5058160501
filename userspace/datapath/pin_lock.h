// SPDX-License-Identifier: GPL-2.0-only
// One writer at a time per pin directory: apply, the daemon's reloads, the
// confirm watchdog, confirm and detach all change the same pinned state, and
// a reconcile reads it before it writes. flock(2) on the pin directory's
// parent, which exists before the pin directory does and outlives it
// (detach removes the pin directory while holding the lock).
#pragma once

#include <string>

#include "common/fd.h"

namespace lw::datapath {

class PinDirLock {
 public:
  // Blocks until the lock is ours. A parent that does not exist yet holds no
  // state to protect: then nothing is locked.
  explicit PinDirLock(const std::string& pin_dir);
  const std::string& pin_dir() const { return pin_dir_; }

 private:
  std::string pin_dir_;
  UniqueFd fd_;
};

}  // namespace lw::datapath
