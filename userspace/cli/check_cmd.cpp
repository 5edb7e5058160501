// SPDX-License-Identifier: GPL-2.0-only
// `lanewarden check [--root DIR] [--format text|json] [--live] [--policy FILE]`: lint the node's
// network design (check/check.h does the work).
#include <iostream>
#include <memory>

#include "check/check.h"
#include "cli/commands.h"

namespace lw::cli {

void add_check_command(CLI::App& app, Context& ctx) {
  auto opts = std::make_shared<check::CheckOptions>();
  auto* cmd = app.add_subcommand("check", "Lint the node's network design against Proxmox rules");
  cmd->add_option("--root", opts->root, "Read DIR/etc/pve/... instead of /etc/pve/...");
  cmd->add_option("--format", opts->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_flag("--live", opts->live,
                "With --root: the files are this node's; resolve devices through the kernel");
  cmd->add_option("--policy", opts->policy,
                  "Also explain what this lanewarden policy does with the node's settings");
  cmd->callback([opts, &ctx] { ctx.exit_code = check::run_check(*opts, std::cout); });
}

}  // namespace lw::cli
