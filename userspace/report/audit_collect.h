// SPDX-License-Identifier: GPL-2.0-only
// Gathers an audit report from the pinned state: the counters at the start
// and the end give the lane map (only traffic of the audit period), and
// samples in between give violations over time. Exact kernel counters, not
// events, so flood control cannot thin out the chart.
#pragma once

#include <atomic>
#include <string>

#include "datapath/datapath.h"
#include "report/report_data.h"

namespace lw::report {

struct AuditOptions {
  std::string pin_dir;
  double duration_s = 60;
  int bins = 30;                            // time bins of the violations chart
  const std::atomic<bool>* stop = nullptr;  // ends the audit early (signal)
};

ReportData collect_audit(const AuditOptions& o);

// The lane map of the traffic counted between two status snapshots
// (interfaces matched by name; one new since `before` counts from zero).
std::vector<LaneRow> lane_rows(const datapath::Status& before, const datapath::Status& after);

}  // namespace lw::report
