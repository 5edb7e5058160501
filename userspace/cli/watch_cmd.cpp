// SPDX-License-Identifier: GPL-2.0-only
// lanewarden watch [--format text|json] [--count N] [--duration SECONDS] [--class C]
#include <signal.h>

#include <atomic>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "policy/policy.h"
#include "telemetry/watch.h"

namespace lw::cli {
namespace {

std::atomic<bool> g_stop{false};

void on_signal(int) { g_stop.store(true); }

// Ctrl-C or a supervisor's SIGTERM ends the stream with its summary. No
// SA_RESTART: the pending epoll_wait returns EINTR at once.
void install_stop_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  // A reader that went away (head -n) must not kill us before the summary logic runs.
  signal(SIGPIPE, SIG_IGN);
}

struct WatchArgs {
  std::string format = "text";
  uint64_t count = 0;
  double duration = 0;
  std::string cls;
};

}  // namespace

void add_watch_command(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<WatchArgs>();
  auto* cmd = app.add_subcommand("watch", "Stream violation events (bounded by --count/--duration)");
  cmd->add_option("--format", a->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--count", a->count, "Stop after N events (0: no limit)");
  cmd->add_option("--duration", a->duration, "Stop after SECONDS (0: no limit)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--class", a->cls, "Only events of this class")
      ->check([](const std::string& v) {
        return policy::class_from_name(v) ? std::string() : "unknown class '" + v + "'";
      });
  cmd->callback([a, &ctx] {
    telemetry::WatchOptions o;
    o.json = a->format == "json";
    o.count = a->count;
    o.duration_s = a->duration;
    if (!a->cls.empty()) o.cls = policy::class_from_name(a->cls);
    install_stop_handlers();
    auto summary = telemetry::run_watch(ctx.pin_dir, o, std::cout, &g_stop);
    telemetry::render_watch_summary(std::cout, summary, o.json);
    ctx.exit_code = kExitOk;
  });
}

}  // namespace lw::cli
