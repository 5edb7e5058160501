// SPDX-License-Identifier: GPL-2.0-only
// lanewarden apply POLICY [--mode audit|enforce] [--confirm SECONDS] [--force] [--dry-run]
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "cli/commands.h"
#include "datapath/datapath.h"
#include "datapath/mgmt_guard.h"
#include "datapath/names.h"
#include "datapath/rollback.h"
#include "policy/parse.h"

namespace lw::cli {
namespace {

struct ApplyOptions {
  std::string policy_file;
  std::string mode;
  bool dry_run = false;
  unsigned confirm_seconds = 0;  // 0: no rollback watchdog
  bool force = false;
  std::string attach = "auto";
};

void describe(const datapath::ApplyReport& r, const policy::Policy& p, bool dry_run) {
  std::cout << fmt::format("{} policy generation {} ({} mode) on {} interface(s) with {}\n",
                           dry_run ? "would apply" : "applied", r.generation,
                           policy::mode_name(p.mode), r.ifaces.size(),
                           datapath::mechanism_name(r.mechanism));
  for (const auto& b : r.ifaces) std::cout << fmt::format("  {} (ifindex {})\n", b.name, b.ifindex);
  for (const auto& name : r.detached) std::cout << fmt::format("  detached from {}\n", name);
}

int run_apply(const ApplyOptions& o, const Context& ctx) {
  policy::Policy p = policy::parse_file(o.policy_file);
  if (o.mode == "audit") p.mode = policy::Mode::audit;
  if (o.mode == "enforce") p.mode = policy::Mode::enforce;
  // Refuses (exit 2) a policy that would cut the SSH session this runs in.
  datapath::guard_ssh_session(p, ctx.pin_dir, o.force);
  auto report = datapath::apply_policy(p, ctx.pin_dir,
                                       {.dry_run = o.dry_run,
                                        .confirm_seconds = o.confirm_seconds,
                                        .attach = *datapath::parse_attach_mode(o.attach)});
  if (report.loaded_programs) spdlog::info("loaded BPF programs, pinned under {}", ctx.pin_dir);
  describe(report, p, o.dry_run);
  if (!report.confirm_token) return kExitOk;
  std::cout << fmt::format(
      "run 'lanewarden{} confirm' within {} s, or the previous state comes back\n",
      ctx.pin_dir == Context{}.pin_dir ? "" : " --pin-dir " + ctx.pin_dir, o.confirm_seconds);
  datapath::spawn_rollback_watchdog(ctx.pin_dir, report.confirm_token, o.confirm_seconds);
  return kExitOk;
}

}  // namespace

void add_apply_command(CLI::App& app, Context& ctx) {
  auto opts = std::make_shared<ApplyOptions>();
  auto* cmd = app.add_subcommand("apply", "Validate a policy and apply it atomically");
  cmd->add_option("policy", opts->policy_file, "Policy file (TOML)")->required();
  cmd->add_option("--mode", opts->mode, "Override the policy's mode")
      ->check(CLI::IsMember({"audit", "enforce"}));
  cmd->add_option("--confirm", opts->confirm_seconds,
                  "Restore the previous state after SECONDS unless 'lanewarden confirm' runs")
      ->check(CLI::Range(1u, 86400u));
  cmd->add_flag("--force", opts->force,
                "Apply even if the policy would drop this SSH session's connection");
  add_attach_option(*cmd, opts->attach);
  cmd->add_flag("--dry-run", opts->dry_run,
                "Validate and resolve interfaces; change nothing in the kernel");
  cmd->callback([opts, &ctx] { ctx.exit_code = run_apply(*opts, ctx); });
}

}  // namespace lw::cli
