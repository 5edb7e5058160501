// SPDX-License-Identifier: GPL-2.0-only
// Reading the RTT histogram maps (lw_hist, lw_rtt_stats; bpf/maps.bpf.h).
// Values come back per CPU: telemetry/histogram.h merges and interprets them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/fd.h"
#include "lanewarden.h"

namespace lw::datapath {

inline constexpr const char* kHistPin = "lw_hist";
inline constexpr const char* kRttStatsPin = "lw_rtt_stats";

// lw_hist key of (interface slot, class).
inline uint32_t hist_key(uint32_t slot, int cls) {
  return slot * LW_NR_CLASSES + static_cast<uint32_t>(cls);
}

// One value per possible CPU of the histogram of (slot, class).
std::vector<lw_hist> read_hist_per_cpu(int hist_fd, uint32_t slot, int cls);
// Zeroes the histograms of every class of `slot` on every CPU.
void zero_hist_slot(int hist_fd, uint32_t slot);
// The RTT tracking counters summed over CPUs.
lw_rtt_stats read_rtt_stats(int rtt_stats_fd);

// Opens a map pinned as `name` under `pin_dir`, with a hint to re-apply when
// the pin is missing (state pinned by a build without RTT histograms).
UniqueFd open_pinned_map(const std::string& pin_dir, const char* name);

}  // namespace lw::datapath
