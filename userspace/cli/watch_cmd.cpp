// SPDX-License-Identifier: GPL-2.0-only
// lanewarden watch [--format text|json] [--count N] [--duration SECONDS] [--class C]
//                  [--alarm-interval DURATION]
#include <signal.h>

#include <atomic>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "common/stop_signal.h"
#include "policy/policy.h"
#include "telemetry/histogram_alarm.h"
#include "telemetry/watch.h"

namespace lw::cli {
namespace {

struct WatchArgs {
  std::string format = "text";
  uint64_t count = 0;
  double duration = 0;
  std::string cls;
  std::string alarm_interval = "1s";
};

}  // namespace

void add_watch_command(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<WatchArgs>();
  auto* cmd =
      app.add_subcommand("watch", "Stream violation events (bounded by --count/--duration)");
  cmd->add_option("--format", a->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--count", a->count, "Stop after N events (0: no limit)");
  cmd->add_option("--duration", a->duration, "Stop after SECONDS (0: no limit)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--class", a->cls, "Only events of this class")->check([](const std::string& v) {
    return policy::class_from_name(v) ? std::string() : "unknown class '" + v + "'";
  });
  cmd->add_option("--alarm-interval", a->alarm_interval,
                  "How often latency alarms compare the p99 with the policy's latency_alarm, "
                  "with a unit (100ms to 3600s)")
      ->check([](const std::string& v) {
        try {
          telemetry::parse_alarm_interval(v);
          return std::string();
        } catch (const UsageError& e) {
          return std::string(e.what());
        }
      })
      ->capture_default_str();
  cmd->callback([a, &ctx] {
    telemetry::WatchOptions o;
    o.json = a->format == "json";
    o.count = a->count;
    o.duration_s = a->duration;
    o.latency_interval_s = telemetry::parse_alarm_interval(a->alarm_interval);
    if (!a->cls.empty()) o.cls = policy::class_from_name(a->cls);
    auto summary = telemetry::run_watch(ctx.pin_dir, o, std::cout, &stop_on_signals());
    telemetry::render_watch_summary(std::cout, summary, o.json);
    ctx.exit_code = kExitOk;
  });
}

}  // namespace lw::cli
