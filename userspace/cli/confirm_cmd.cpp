// SPDX-License-Identifier: GPL-2.0-only
// lanewarden confirm: keeps the policy of a pending `apply --confirm`.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "datapath/rollback.h"

namespace lw::cli {

void add_confirm_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("confirm", "Keep the policy of a pending apply --confirm");
  cmd->callback([&ctx] {
    if (!datapath::confirm_pending(ctx.pin_dir))
      // Too late or never asked: say so, a script must not believe it confirmed.
      throw Error("no apply --confirm is pending under " + ctx.pin_dir +
                  " (already confirmed, or rolled back at its deadline)");
    std::cout << fmt::format("confirmed: the applied policy stays in force\n");
    ctx.exit_code = kExitOk;
  });
}

}  // namespace lw::cli
