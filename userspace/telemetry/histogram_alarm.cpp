// SPDX-License-Identifier: GPL-2.0-only
#include "telemetry/histogram_alarm.h"

#include <bpf/bpf.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <time.h>

#include "common/clock.h"
#include "common/error.h"
#include "datapath/hist_maps.h"
#include "datapath/maps.h"
#include "policy/policy.h"
#include "policy/rate.h"
#include "telemetry/event_format.h"

namespace lw::telemetry {
namespace {

// "86.0 us", "5.21 ms": sub-millisecond thresholds stay readable.
std::string ms(uint64_t ns) {
  if (ns < 1'000'000) return fmt::format("{:.1f} us", ns / 1e3);
  return fmt::format("{:.2f} ms", ns / 1e6);
}

}  // namespace

std::vector<LatencyEvent> check_latency(const HistMap& before, const HistMap& now,
                                        const uint32_t (&threshold_us)[LW_NR_CLASSES],
                                        const std::map<uint32_t, std::string>& names,
                                        int64_t realtime_ns, double interval_s) {
  std::vector<LatencyEvent> out;
  for (const auto& [k, total] : now) {
    if (k.cls < 0 || k.cls >= LW_NR_CLASSES || !threshold_us[k.cls]) continue;
    auto it = before.find(k);
    Histogram h = it == before.end() ? total : total.since(it->second);
    auto p99 = h.quantile_ns(0.99);
    const uint64_t threshold_ns = static_cast<uint64_t>(threshold_us[k.cls]) * 1000;
    if (!p99 || *p99 <= threshold_ns) continue;
    LatencyEvent ev;
    ev.realtime_ns = realtime_ns;
    ev.cls = k.cls;
    auto n = names.find(k.slot);
    ev.iface = k.slot == LW_IFACE_SLOT_UNKNOWN ? "unknown"
               : n != names.end()              ? n->second
                                               : fmt::format("slot{}", k.slot);
    ev.p99_ns = *p99;
    ev.threshold_ns = threshold_ns;
    ev.samples = h.count();
    ev.interval_s = interval_s;
    out.push_back(std::move(ev));
  }
  return out;
}

nlohmann::json latency_event_json(const LatencyEvent& ev) {
  return {{"ts", rfc3339_ns(ev.realtime_ns)},
          {"kind", "latency"},
          {"class", policy::kClassNames[ev.cls]},
          {"iface", ev.iface},
          {"p99_us", ev.p99_ns / 1e3},
          {"threshold_us", ev.threshold_ns / 1e3},
          {"samples", ev.samples},
          {"interval_s", ev.interval_s}};
}

std::string latency_event_text(const LatencyEvent& ev) {
  return fmt::format(
      "[{}] [warning] latency class={} iface={} p99={} above {} ({} samples in {:g} s)",
      rfc3339_ns(ev.realtime_ns), policy::kClassNames[ev.cls], ev.iface, ms(ev.p99_ns),
      ms(ev.threshold_ns), ev.samples, ev.interval_s);
}

double parse_alarm_interval(const std::string& text) {
  std::string error;
  auto ns = policy::parse_duration(text, &error);
  if (!ns) throw UsageError(error);
  if (*ns < kMinAlarmIntervalNs || *ns > kMaxAlarmIntervalNs)
    throw UsageError(fmt::format("'{}' is out of range: 100ms to 3600s (1 h)", text));
  return static_cast<double>(*ns) / 1e9;
}

AlarmSchedule::AlarmSchedule(Clock::time_point start, double interval_s)
    : interval_s_(interval_s),
      step_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(interval_s))),
      next_(start + step_) {}

bool AlarmSchedule::due(Clock::time_point now) {
  if (now < next_) return false;
  next_ += step_;
  if (next_ <= now) next_ = now + step_;
  return true;
}

LatencyWatch::LatencyWatch(const std::string& pin_dir, int policy_outer_fd, int links_fd,
                           std::optional<int> cls, double interval_s)
    : policy_outer_fd_(policy_outer_fd),
      links_fd_(links_fd),
      cls_(cls),
      schedule_(Clock::now(), interval_s) {
  try {
    hist_.emplace(datapath::HistMaps::open(pin_dir));
  } catch (const std::exception& e) {
    spdlog::warn("no latency alarms: {}", e.what());
    return;
  }
  last_ = read_histograms(*hist_, cls_);
  schedule_ = AlarmSchedule(Clock::now(), interval_s);
}

std::vector<LatencyEvent> LatencyWatch::poll() {
  if (!hist_ || !schedule_.due(Clock::now())) return {};
  HistMap now = read_histograms(*hist_, cls_);
  std::vector<LatencyEvent> events;
  // The thresholds of the policy in force now: apply may have changed them.
  if (auto p = datapath::read_active_policy(policy_outer_fd_))
    events = check_latency(last_, now, p->latency_alarm_us, slot_names(links_fd_),
                           realtime_now_ns(), schedule_.interval_s());
  last_ = std::move(now);
  return events;
}

}  // namespace lw::telemetry
