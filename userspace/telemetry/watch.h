// SPDX-License-Identifier: GPL-2.0-only
// `lanewarden watch`: streams violation events from the pinned ring buffer
// until a count, a duration or a signal ends it, then prints a summary of
// what was delivered, suppressed by flood control and lost.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

namespace lw::telemetry {

struct WatchOptions {
  bool json = false;
  uint64_t count = 0;      // stop after this many events (0: no limit)
  double duration_s = 0;   // stop after this long (0: no limit)
  std::optional<int> cls;  // only events of this class
  // How often the RTT histograms are compared with the policy's latency
  // alarms; each interval whose p99 exceeds a class's alarm is one event.
  double latency_interval_s = 1.0;
};

struct WatchSummary {
  uint64_t delivered = 0;   // events printed
  uint64_t suppressed = 0;  // violations folded into the printed events
  uint64_t filtered = 0;    // events read but not of the --class asked for
  uint64_t lost = 0;        // ring buffer full while watching (kernel counter delta)
  uint64_t lost_total = 0;  // since the programs were loaded
};

// `stop` (may be null) ends the watch early, e.g. from a signal handler.
WatchSummary run_watch(const std::string& pin_dir, const WatchOptions& opts, std::ostream& out,
                       const std::atomic<bool>* stop);

void render_watch_summary(std::ostream& out, const WatchSummary& s, bool json);

}  // namespace lw::telemetry
