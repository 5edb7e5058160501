// SPDX-License-Identifier: GPL-2.0-only
// lanewarden detach: removes every filter, qdisc, map and pin it created.
#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "datapath/datapath.h"

namespace lw::cli {

void add_detach_command(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("detach", "Remove everything lanewarden attached");
  cmd->callback([&ctx] {
    auto names = datapath::detach_all(ctx.pin_dir);
    if (names.empty()) std::cout << fmt::format("nothing was attached under {}\n", ctx.pin_dir);
    for (const auto& n : names) std::cout << fmt::format("detached from {}\n", n);
    ctx.exit_code = kExitOk;
  });
}

}  // namespace lw::cli
