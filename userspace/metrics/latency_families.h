// SPDX-License-Identifier: GPL-2.0-only
// lanewarden_rtt_seconds{iface,class}: the datapath's RTT histograms
// (telemetry/histogram.h) as Prometheus histograms. The log-linear buckets
// are exported at every power of two (each one is a bucket boundary, so the
// counts are exact), which keeps ~27 `le` series per interface and class
// instead of 210.
#pragma once

#include <map>
#include <string>

#include "metrics/families.h"
#include "telemetry/histogram_report.h"

namespace lw::metrics {

// Pure: histograms by (slot, class) and interface names by slot.
prometheus::MetricFamily latency_family(const telemetry::HistMap& hists,
                                        const std::map<uint32_t, std::string>& names);

// Reads the pinned lw_hist map; no family when the pins predate histograms.
void add_latency_families(const std::string& pin_dir, Families& out);

}  // namespace lw::metrics
