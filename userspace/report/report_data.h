// SPDX-License-Identifier: GPL-2.0-only
// What an audit report shows, independent of how it was gathered: the lane
// map (bytes per interface and class, split into traffic that belongs there
// and traffic that breaks a lane), violations over time, and per-class
// latency histograms.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "lanewarden.h"

namespace lw::report {

struct LaneCell {
  uint64_t bytes_ok = 0;         // verdict pass: the class belongs here
  uint64_t bytes_violating = 0;  // verdict audit or drop: it does not
  uint64_t packets_ok = 0, packets_violating = 0;
};

struct LaneRow {
  std::string iface;
  std::string lane;  // "corosync (exclusive)", "no lane", ...
  uint8_t allowed = 0;
  std::array<LaneCell, LW_NR_CLASSES> cells{};
};

// Violations counted in one time bin, by kind ([kind] as enum lw_violation).
struct ViolationBin {
  double t_seconds = 0;  // bin start, seconds since the audit started
  std::array<uint64_t, LW_NR_VIOLATIONS> by_kind{};
};

struct HistogramBucket {
  double le_seconds = 0;  // upper bound (Prometheus `le`)
  uint64_t count = 0;     // samples in this bucket (not cumulative)
};

struct ClassHistogram {
  std::string cls;
  std::vector<HistogramBucket> buckets;
  uint64_t samples = 0;
};

struct ReportData {
  std::string title = "lanewarden audit";
  std::string node;            // host name
  std::string started, ended;  // RFC 3339
  double duration_s = 0;
  std::string policy_source;  // policy file, "" when the live state was read
  std::string mode;           // "audit", "enforce", ...
  std::vector<LaneRow> lanes;
  double bin_seconds = 0;
  std::vector<ViolationBin> violations;
  std::vector<ClassHistogram> latency;  // empty: latency histograms not available
  std::string latency_note;             // why they are missing, when they are
};

}  // namespace lw::report
