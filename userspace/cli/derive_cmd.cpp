// SPDX-License-Identifier: GPL-2.0-only
// `lanewarden derive [--root DIR] [-o FILE]`: a policy from /etc/pve and
// /etc/network/interfaces (derive/derive.h does the work).
#include <iostream>
#include <memory>

#include "cli/commands.h"
#include "derive/derive.h"

namespace lw::cli {

void add_derive_command(CLI::App& app, Context& ctx) {
  auto opts = std::make_shared<derive::DeriveOptions>();
  auto* cmd =
      app.add_subcommand("derive", "Write a policy derived from this node's Proxmox configuration");
  cmd->add_option("--root", opts->root, "Read DIR/etc/pve/... instead of /etc/pve/...");
  cmd->add_option("-o,--output", opts->output, "Write the policy to FILE instead of stdout");
  cmd->add_flag("--live", opts->live,
                "With --root: the files are this node's; resolve devices through the kernel");
  cmd->callback([opts, &ctx] {
    derive::run_derive(*opts, std::cout);
    ctx.exit_code = 0;
  });
}

}  // namespace lw::cli
