// SPDX-License-Identifier: GPL-2.0-only
// lanewarden hist [--class C] [--format text|json] [--interval SECONDS] [--count N]
//
// Without --interval: one snapshot of everything since the programs were
// loaded. With --interval: every SECONDS a snapshot of that interval (what
// the latency is now), with the totals since load next to it, until --count
// snapshots were printed or a signal arrives.
#include <signal.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "common/clock.h"
#include "common/stop_signal.h"
#include "corosync/knet_stats.h"
#include "datapath/hist_maps.h"
#include "policy/policy.h"
#include "telemetry/histogram_report.h"

namespace lw::cli {
namespace {

// Sleeps `seconds` in short steps so that a signal ends it soon; false if stopped.
bool sleep_interval(double seconds, const std::atomic<bool>& stop) {
  using Clock = std::chrono::steady_clock;
  const auto until = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(seconds));
  while (Clock::now() < until) {
    if (stop.load()) return false;
    std::this_thread::sleep_for(
        std::min<Clock::duration>(std::chrono::milliseconds(50), until - Clock::now()));
  }
  return !stop.load();
}

struct HistArgs {
  std::string format = "text";
  std::string cls;
  double interval = 0;
  uint64_t count = 0;
};

void run_hist(const HistArgs& a, const Context& ctx) {
  const datapath::HistMaps hist = datapath::HistMaps::open(ctx.pin_dir);
  UniqueFd stats = datapath::open_pinned_map(ctx.pin_dir, datapath::kRttStatsPin);
  UniqueFd links = datapath::open_pinned_map(ctx.pin_dir, "lw_links");
  std::optional<int> cls;
  if (!a.cls.empty()) cls = policy::class_from_name(a.cls);
  const bool json = a.format == "json";

  auto take = [&](telemetry::HistSnapshot& s) {
    s.realtime_ns = realtime_now_ns();
    s.totals = telemetry::read_histograms(hist, cls);
    s.names = telemetry::slot_names(links.get());
    s.rtt = datapath::read_rtt_stats(stats.get());
  };
  auto print = [&](const telemetry::HistSnapshot& s) {
    // Next to lanewarden's own figures, what corosync measures on its links
    // (knet's pings, read through libcmap), labelled as corosync's.
    auto knet = corosync::read_knet_stats();
    if (json) {
      auto j = telemetry::snapshot_json(s);
      j["corosync_reported"] = corosync::knet_json(knet);
      std::cout << j.dump() << "\n";
    } else {
      telemetry::render_snapshot_text(std::cout, s);
      std::cout << "\n" << corosync::knet_text(knet);
    }
    std::cout.flush();
  };

  telemetry::HistSnapshot s;
  take(s);
  if (a.interval <= 0) {
    // One-off: totals since load; --count has nothing to repeat.
    print(s);
    return;
  }
  const auto& stop = stop_on_signals();
  for (uint64_t n = 0; a.count == 0 || n < a.count; n++) {
    telemetry::HistMap previous = std::move(s.totals);
    if (!sleep_interval(a.interval, stop)) break;
    s = {};
    take(s);
    s.interval_s = a.interval;
    s.previous = std::move(previous);
    if (!json && n) std::cout << "\n";
    print(s);
  }
}

}  // namespace

void add_hist_command(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<HistArgs>();
  auto* cmd = app.add_subcommand(
      "hist", "RTT histograms per class and interface (passive TCP timestamps, ICMP echo)");
  cmd->add_option("--class", a->cls, "Only this class")->check([](const std::string& v) {
    return policy::class_from_name(v) ? std::string() : "unknown class '" + v + "'";
  });
  cmd->add_option("--format", a->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--interval", a->interval,
                  "Print what each interval of SECONDS measured (0: one snapshot since load)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--count", a->count, "Stop after N interval snapshots (0: until a signal)");
  cmd->callback([a, &ctx] {
    run_hist(*a, ctx);
    ctx.exit_code = kExitOk;
  });
}

}  // namespace lw::cli
