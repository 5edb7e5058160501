// SPDX-License-Identifier: GPL-2.0-only
// lanewarden status [--format text|json]
#include <iostream>

#include "cli/commands.h"
#include "datapath/datapath.h"
#include "telemetry/status_render.h"

namespace lw::cli {

void add_status_command(CLI::App& app, Context& ctx) {
  auto format = std::make_shared<std::string>("text");
  auto* cmd = app.add_subcommand("status", "What is attached, counters per interface and class");
  cmd->add_option("--format", *format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->callback([format, &ctx] {
    auto s = datapath::read_status(ctx.pin_dir);
    if (*format == "json")
      telemetry::render_status_json(std::cout, s, ctx.pin_dir);
    else
      telemetry::render_status_text(std::cout, s, ctx.pin_dir);
    ctx.exit_code = kExitOk;
  });
}

}  // namespace lw::cli
