// SPDX-License-Identifier: GPL-2.0-only
// Latency alarms: when the p99 RTT of a class on an interface over one
// interval exceeds the class's `latency_alarm` (kept in the policy in force,
// struct lw_policy::latency_alarm_us), a `latency` event joins the violation
// stream of `lanewarden watch`.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/fd.h"
#include "lanewarden.h"
#include "telemetry/histogram_report.h"

namespace lw::telemetry {

struct LatencyEvent {
  int64_t realtime_ns = 0;
  int cls = 0;
  std::string iface;
  uint64_t p99_ns = 0;
  uint64_t threshold_ns = 0;
  uint64_t samples = 0;  // samples in the interval
  double interval_s = 0;
};

// Pure: the alarms of one interval between two snapshots of the totals.
std::vector<LatencyEvent> check_latency(const HistMap& before, const HistMap& now,
                                        const uint32_t (&threshold_us)[LW_NR_CLASSES],
                                        const std::map<uint32_t, std::string>& names,
                                        int64_t realtime_ns, double interval_s);

nlohmann::json latency_event_json(const LatencyEvent& ev);
std::string latency_event_text(const LatencyEvent& ev);

// `watch --alarm-interval`: how often alarms are evaluated. Shorter than
// 100 ms an interval holds too few samples for a p99; longer than an hour an
// alarm comes too late to act on.
inline constexpr uint64_t kMinAlarmIntervalNs = 100'000'000;
inline constexpr uint64_t kMaxAlarmIntervalNs = 3600'000'000'000;
// "5s", "500ms" -> seconds; throws UsageError with the reason (a missing or
// unknown unit, or the range).
double parse_alarm_interval(const std::string& text);

// When the next evaluation is due: every interval after `start`. After a
// stall longer than an interval the next one is a full interval later,
// never a burst of back-to-back evaluations over nearly empty intervals.
class AlarmSchedule {
 public:
  using Clock = std::chrono::steady_clock;
  AlarmSchedule(Clock::time_point start, double interval_s);
  // True once per elapsed interval.
  bool due(Clock::time_point now);
  double interval_s() const { return interval_s_; }

 private:
  double interval_s_;
  Clock::duration step_;
  Clock::time_point next_;
};

// Reads the pinned histograms every `interval` and reports what check_latency
// finds. Disabled (poll returns nothing) when the pins predate histograms.
class LatencyWatch {
 public:
  LatencyWatch(const std::string& pin_dir, int policy_outer_fd, int links_fd,
               std::optional<int> cls, double interval_s);
  std::vector<LatencyEvent> poll();
  bool enabled() const { return hist_.has_value(); }

 private:
  using Clock = std::chrono::steady_clock;
  std::optional<datapath::HistMaps> hist_;
  int policy_outer_fd_;
  int links_fd_;
  std::optional<int> cls_;
  AlarmSchedule schedule_;
  HistMap last_;
};

}  // namespace lw::telemetry
