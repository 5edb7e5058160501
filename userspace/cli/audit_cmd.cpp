// SPDX-License-Identifier: GPL-2.0-only
// lanewarden audit --duration SECONDS --report FILE.html [--policy POLICY]
#include <fmt/format.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "common/stop_signal.h"
#include "datapath/datapath.h"
#include "datapath/pinned_state.h"
#include "policy/parse.h"
#include "report/audit_collect.h"
#include "report/html.h"

namespace lw::cli {
namespace {

struct AuditArgs {
  double duration = 60;
  std::string report;
  std::string policy;
  int bins = 30;
};

void write_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) throw SystemError("cannot write " + tmp, errno);
    f << text;
    if (!f.flush()) throw SystemError("cannot write " + tmp, errno);
  }
  std::filesystem::rename(tmp, path);
}

int run_audit(const AuditArgs& a, const Context& ctx) {
  // With --policy the audit loads that policy in audit mode on a node where
  // nothing is pinned, and removes it again afterwards; without it, it reads
  // whatever is in force (the counters are the same either way).
  bool applied_here = false;
  if (!a.policy.empty()) {
    if (datapath::PinnedState::exists(ctx.pin_dir))
      throw UsageError(fmt::format(
          "lanewarden is already attached (pins under {}): run 'audit' without --policy to "
          "report on the state in force, or 'detach' first",
          ctx.pin_dir));
    policy::Policy p = policy::parse_file(a.policy);
    p.mode = policy::Mode::audit;
    auto r = datapath::apply_policy(p, ctx.pin_dir);
    applied_here = true;
    spdlog::info("auditing with {} (audit mode) on {} interface(s)", a.policy, r.ifaces.size());
  } else if (!datapath::PinnedState::exists(ctx.pin_dir)) {
    throw UsageError(
        fmt::format("nothing is pinned under {}: give --policy POLICY to audit "
                    "with a policy, or apply one first",
                    ctx.pin_dir));
  }

  const auto& stop = stop_on_signals();

  report::ReportData d;
  try {
    d = report::collect_audit({ctx.pin_dir, a.duration, a.bins, &stop});
  } catch (...) {
    if (applied_here) datapath::detach_all(ctx.pin_dir);
    throw;
  }
  if (applied_here) {
    d.policy_source = a.policy;
    datapath::detach_all(ctx.pin_dir);
  }
  write_atomically(a.report, report::render_html(d));
  uint64_t misplaced = 0;
  for (const auto& row : d.lanes)
    for (const auto& c : row.cells) misplaced += c.bytes_violating;
  std::cout << fmt::format("wrote {} ({:g} s, {} interface(s), {} misplaced)\n", a.report,
                           d.duration_s, d.lanes.size(), report::human_bytes(misplaced));
  return kExitOk;
}

}  // namespace

void add_audit_command(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<AuditArgs>();
  auto* cmd = app.add_subcommand(
      "audit", "Watch the traffic for a while and write a self-contained HTML report");
  cmd->add_option("--duration", a->duration, "How long to watch, in seconds")
      ->check(CLI::Range(0.1, 86400.0))
      ->required();
  cmd->add_option("--report", a->report, "HTML file to write")->required();
  cmd->add_option("--policy", a->policy,
                  "Load this policy in audit mode for the audit and remove it afterwards "
                  "(default: report on the pinned state in force)");
  cmd->add_option("--bins", a->bins, "Time bins of the violations chart")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->callback([a, &ctx] { ctx.exit_code = run_audit(*a, ctx); });
}

}  // namespace lw::cli
