// SPDX-License-Identifier: GPL-2.0-only
#include "telemetry/watch.h"

#include <bpf/libbpf.h>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>

#include "common/error.h"
#include "common/iface_name.h"
#include "datapath/maps.h"
#include "datapath/pinned_state.h"
#include "telemetry/event_format.h"
#include "telemetry/histogram_alarm.h"

namespace lw::telemetry {
namespace {

using Clock = std::chrono::steady_clock;

// Returned by the sample callback once --count is reached: libbpf stops
// consuming there and leaves later events in the ring for the next reader.
constexpr int kEnough = -ECANCELED;

uint64_t lost_events(int violations_fd) {
  lw_violation_counters sum{};
  for (uint32_t slot = 0; slot <= LW_MAX_IFACES; slot++)
    datapath::add_violations(sum, datapath::read_violations(violations_fd, slot));
  return sum.lost;
}

struct RingBufferDeleter {
  void operator()(ring_buffer* rb) const { ring_buffer__free(rb); }
};

struct Watcher {
  const WatchOptions& opts;
  std::ostream& out;
  WatchSummary summary;
  int64_t clock_offset = monotonic_to_realtime_offset();
  IfaceLabels iface_labels;

  int on_event(const lw_event& ev) {
    if (opts.count && summary.delivered >= opts.count) return kEnough;
    if (opts.cls && ev.cls != *opts.cls) {
      summary.filtered++;
      return 0;
    }
    auto namer = [this](uint32_t i) { return iface_labels(i); };
    if (opts.json)
      out << event_json(ev, namer, clock_offset).dump() << "\n";
    else
      out << event_text(ev, namer, clock_offset) << "\n";
    // Scripts read the stream line by line while it runs.
    out.flush();
    summary.delivered++;
    summary.suppressed += ev.suppressed;
    return opts.count && summary.delivered >= opts.count ? kEnough : 0;
  }

  // Latency alarms share the stream, the --count and the --class filter.
  bool on_latency(const LatencyEvent& ev) {
    if (opts.count && summary.delivered >= opts.count) return false;
    if (opts.json)
      out << latency_event_json(ev).dump() << "\n";
    else
      out << latency_event_text(ev) << "\n";
    out.flush();
    summary.delivered++;
    return !(opts.count && summary.delivered >= opts.count);
  }
};

}  // namespace

WatchSummary run_watch(const std::string& pin_dir, const WatchOptions& opts, std::ostream& out,
                       const std::atomic<bool>* stop) {
  datapath::PinnedState st = datapath::PinnedState::open(pin_dir);
  Watcher w{opts, out, {}, monotonic_to_realtime_offset(), {}};
  const uint64_t lost_before = lost_events(st.violations());

  auto cb = [](void* ctx, void* data, size_t size) -> int {
    lw_event ev{};
    std::memcpy(&ev, data, std::min(size, sizeof(ev)));
    return static_cast<Watcher*>(ctx)->on_event(ev);
  };
  std::unique_ptr<ring_buffer, RingBufferDeleter> rb(
      ring_buffer__new(st.events(), cb, &w, nullptr));
  if (!rb) throw SystemError("cannot open the pinned events ring buffer under " + pin_dir, errno);

  LatencyWatch latency(pin_dir, st.policy_outer(), st.links(), opts.cls,
                       opts.latency_interval_s > 0 ? opts.latency_interval_s : 1.0);
  const auto start = Clock::now();
  const auto limit =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(opts.duration_s));
  for (;;) {
    if (stop && stop->load()) break;
    int wait_ms = 100;  // short, so signals and the deadline are noticed soon
    if (opts.duration_s > 0) {
      auto left = limit - (Clock::now() - start);
      if (left <= Clock::duration::zero()) break;
      wait_ms = static_cast<int>(std::min<int64_t>(
          wait_ms, std::chrono::duration_cast<std::chrono::milliseconds>(left).count() + 1));
    }
    int n = ring_buffer__poll(rb.get(), wait_ms);
    if (n == kEnough) break;
    if (n < 0 && n != -EINTR) throw SystemError("reading the events ring buffer failed", -n);
    bool more = true;
    for (const auto& ev : latency.poll()) more = more && w.on_latency(ev);
    if (!more) break;
  }
  w.summary.lost_total = lost_events(st.violations());
  w.summary.lost = w.summary.lost_total - lost_before;
  return w.summary;
}

void render_watch_summary(std::ostream& out, const WatchSummary& s, bool json) {
  if (json) {
    out << nlohmann::json{{"type", "summary"},          {"delivered", s.delivered},
                          {"suppressed", s.suppressed}, {"lost", s.lost},
                          {"lost_total", s.lost_total}, {"filtered", s.filtered}}
               .dump()
        << "\n";
  } else {
    out << fmt::format(
        "{} events delivered, {} suppressed (folded into them), {} lost ({} lost "
        "since load){}\n",
        s.delivered, s.suppressed, s.lost, s.lost_total,
        s.filtered ? fmt::format(", {} of other classes skipped", s.filtered) : "");
  }
  out.flush();
}

}  // namespace lw::telemetry
