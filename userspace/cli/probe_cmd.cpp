// SPDX-License-Identifier: GPL-2.0-only
// lanewarden probe POLICY [--interval D] [--count N] [--duration S] [--format text|json]
// Sends the policy's Corosync echo probes in the foreground and prints per
// peer what was sent, answered and lost, then the latency corosync itself
// reports for its links (labelled corosync-reported). With lanewarden attached, the
// datapath times the same echoes (`lanewarden hist --class corosync`).
#include <signal.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "common/stop_signal.h"
#include "corosync/knet_stats.h"
#include "policy/parse.h"
#include "policy/rate.h"
#include "probe/local_links.h"
#include "probe/plan.h"
#include "probe/prober.h"
#include "probe/report.h"

namespace lw::cli {
namespace {

struct ProbeArgs {
  std::string policy;
  std::string interval;  // "" = the policy's [probe] interval
  uint64_t count = 0;
  double duration = 0;
  std::string format = "text";
};

std::string join_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (auto& l : lines) out += "\n  " + l;
  return out;
}

void run_probe(const ProbeArgs& a, Context& ctx) {
  auto policy = policy::parse_file(a.policy);
  probe::ProbeOptions o;
  o.interval = std::chrono::nanoseconds(policy.probe.interval_ns);
  if (!a.interval.empty()) {
    std::string error;
    auto ns = policy::parse_duration(a.interval, &error);
    if (!ns || *ns < 1'000'000)
      throw UsageError("--interval: " + (ns ? std::string("at least 1ms") : error));
    o.interval = std::chrono::nanoseconds(*ns);
  }
  o.count = a.count;
  o.duration = std::chrono::nanoseconds(static_cast<int64_t>(a.duration * 1e9));

  auto plan = probe::plan_probes(policy, probe::read_local_network());
  for (auto& n : plan.notes) spdlog::info("probe: {}", n);
  if (!plan.refused.empty())
    throw UsageError("probe: refusing to probe:" + join_lines(plan.refused));
  if (plan.targets.empty())
    throw UsageError(a.policy +
                     ": no peer to probe: list other nodes' Corosync link addresses "
                     "in [probe] peers (lanewarden derive fills them in)");
  for (auto& t : plan.targets) spdlog::info("probe: {} lane {}", t.label(), t.lane);

  probe::Prober prober(plan.targets, o);
  prober.run(&stop_on_signals());
  auto stats = prober.stats();
  probe::render_stats(std::cout, stats, a.format == "json");
  // Next to our own counts, what corosync itself measures on the same links.
  auto knet = corosync::read_knet_stats();
  if (a.format == "json") {
    auto j = corosync::knet_json(knet);
    j["type"] = "knet";
    std::cout << j.dump() << std::endl;
  } else {
    std::cout << corosync::knet_text(knet) << std::flush;
  }
  // Like ping: a peer that never answered is a failure scripts can see.
  bool silent = std::any_of(stats.begin(), stats.end(),
                            [](auto& s) { return s.sent > 0 && s.answered == 0; });
  ctx.exit_code = silent ? kExitFailure : kExitOk;
}

}  // namespace

void add_probe_command(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<ProbeArgs>();
  auto* cmd = app.add_subcommand(
      "probe", "Send the policy's Corosync echo probes in the foreground and count the answers");
  cmd->add_option("POLICY", a->policy, "Policy file ([probe] peers)")->required();
  cmd->add_option("--interval", a->interval,
                  "Time between probes to one peer, with a unit (default: the policy's, 200ms)");
  cmd->add_option("--count", a->count, "Probes per peer, then stop (0: no limit)");
  cmd->add_option("--duration", a->duration, "Stop after SECONDS (0: no limit)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--format", a->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([a, &ctx] {
    if (a->count == 0 && a->duration == 0)
      spdlog::info("probe: no --count or --duration: probing until interrupted");
    run_probe(*a, ctx);
  });
}

}  // namespace lw::cli
