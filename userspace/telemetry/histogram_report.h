// SPDX-License-Identifier: GPL-2.0-only
// The RTT histograms of a pinned datapath as `lanewarden hist` shows them:
// read per (interface, class), per-interval deltas next to the totals since
// load, rendered as bcc-style terminal bars or one JSON object per snapshot.
// Other consumers (Prometheus export, watch's alarms) use read_histograms().
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>

#include "datapath/hist_maps.h"
#include "lanewarden.h"
#include "telemetry/histogram.h"

namespace lw::telemetry {

struct HistKey {
  uint32_t slot = 0;  // interface slot (LW_IFACE_SLOT_UNKNOWN: not in the policy)
  int cls = 0;
  auto operator<=>(const HistKey&) const = default;
};
using HistMap = std::map<HistKey, Histogram>;

// Totals since load of every (slot, class) with at least one sample,
// optionally of one class only.
HistMap read_histograms(const datapath::HistMaps& maps, std::optional<int> cls = std::nullopt);
// Interface name by slot, from the pinned lw_links map.
std::map<uint32_t, std::string> slot_names(int links_fd);

// One snapshot: totals now, and the interval since the previous snapshot
// (absent for a one-off snapshot, whose figures are the totals).
struct HistSnapshot {
  int64_t realtime_ns = 0;
  std::optional<double> interval_s;
  HistMap totals;
  HistMap previous;  // totals of the previous snapshot (empty: none)
  std::map<uint32_t, std::string> names;
  lw_rtt_stats rtt{};
};

// Quantile figures of one histogram in microseconds (JSON), null when empty.
nlohmann::json quantiles_json(const Histogram& h);
nlohmann::json snapshot_json(const HistSnapshot& s);
void render_snapshot_text(std::ostream& out, const HistSnapshot& s);

}  // namespace lw::telemetry
