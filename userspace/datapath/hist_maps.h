// SPDX-License-Identifier: GPL-2.0-only
// Reading the RTT histogram maps (lw_hist, lw_rtt_stats; bpf/maps.bpf.h).
// lw_hist is one value per key shared by all CPUs (atomic updates in
// bpf/hist.bpf.h), so reading it does not grow with the number of CPUs.
#pragma once

#include <cstdint>
#include <string>

#include "common/fd.h"
#include "lanewarden.h"

namespace lw::datapath {

inline constexpr const char* kHistPin = "lw_hist";
inline constexpr const char* kRttStatsPin = "lw_rtt_stats";

// lw_hist key of (interface slot, class).
inline uint32_t hist_key(uint32_t slot, int cls) {
  return slot * LW_NR_CLASSES + static_cast<uint32_t>(cls);
}

// The pinned histogram map of one pin directory.
class HistMaps {
 public:
  explicit HistMaps(UniqueFd hist) : hist_(std::move(hist)) {}
  // Throws, with a hint to re-apply, when the pin is missing (state pinned
  // by a build without RTT histograms).
  static HistMaps open(const std::string& pin_dir);

  lw_hist read(uint32_t slot, int cls) const;
  // Zeroes the histograms of every class of `slot`.
  void zero_slot(uint32_t slot) const;

 private:
  UniqueFd hist_;
};

// The RTT tracking counters summed over CPUs.
lw_rtt_stats read_rtt_stats(int rtt_stats_fd);

// Opens a map pinned as `name` under `pin_dir`, with a hint to re-apply when
// the pin is missing (state pinned by a build without RTT histograms).
UniqueFd open_pinned_map(const std::string& pin_dir, const char* name);

}  // namespace lw::datapath
