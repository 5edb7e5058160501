// SPDX-License-Identifier: GPL-2.0-only
// lanewarden run POLICY [--metrics ADDR:PORT] [--mode audit|enforce] [--detach-on-exit]
#include "cli/commands.h"
#include "daemon/daemon.h"
#include "datapath/attach_mechanism.h"
#include "metrics/server.h"

namespace lw::cli {
namespace {

struct RunArgs {
  daemon::DaemonOptions o;
  std::string mode;
  std::string attach = "auto";
};

}  // namespace

void add_run_command(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<RunArgs>();
  a->o.metrics = metrics::kDefaultListen;
  auto* cmd = app.add_subcommand(
      "run",
      "Foreground daemon: apply POLICY, log violations, serve metrics, reload on SIGHUP "
      "or when the file changes (for systemd)");
  cmd->add_option("policy", a->o.policy_file, "Policy file (TOML)")->required();
  cmd->add_option("--metrics", a->o.metrics,
                  "Serve Prometheus metrics on ADDR:PORT ('off': no endpoint)")
      ->capture_default_str();
  cmd->add_option("--mode", a->mode, "Override the policy's mode")
      ->check(CLI::IsMember({"audit", "enforce"}));
  cmd->add_flag("--detach-on-exit", a->o.detach_on_exit,
                "On SIGTERM/SIGINT remove everything instead of leaving enforcement pinned");
  cmd->add_option("--recheck", a->o.recheck_seconds,
                  "Compare the policy file's content every SECONDS (pmxcfs raises no inotify "
                  "event for changes made on other nodes)")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  add_attach_option(*cmd, a->attach);
  cmd->add_flag("--force", a->o.force,
                "Apply even if the policy would drop this SSH session's connection");
  cmd->callback([a, &ctx] {
    if (a->mode == "audit") a->o.mode = policy::Mode::audit;
    if (a->mode == "enforce") a->o.mode = policy::Mode::enforce;
    if (a->o.metrics != "off" && !a->o.metrics.empty())
      metrics::parse_listen_address(a->o.metrics);  // bad usage fails before anything loads
    a->o.pin_dir = ctx.pin_dir;
    a->o.attach = *datapath::parse_attach_mode(a->attach);
    ctx.exit_code = daemon::run_daemon(a->o);
  });
}

}  // namespace lw::cli
