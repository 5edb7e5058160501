// SPDX-License-Identifier: GPL-2.0-only
// Each subcommand lives in its own cli/*_cmd.cpp and registers itself on the
// CLI11 app through one add_*_command() function; main.cpp only calls them.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "common/error.h"

namespace lw::cli {

// Options every subcommand sees, and the exit code the chosen one sets.
struct Context {
  std::string pin_dir = "/sys/fs/bpf/lanewarden";
  std::string netns;  // run inside this named network namespace (simulated nodes)
  int verbose = 0;
  int exit_code = 0;
};

void add_apply_command(CLI::App& app, Context& ctx);
void add_status_command(CLI::App& app, Context& ctx);
void add_detach_command(CLI::App& app, Context& ctx);
void add_bench_command(CLI::App& app, Context& ctx);
void add_check_command(CLI::App& app, Context& ctx);    // cli/check_cmd.cpp
void add_derive_command(CLI::App& app, Context& ctx);   // cli/derive_cmd.cpp
void add_watch_command(CLI::App& app, Context& ctx);    // cli/watch_cmd.cpp
void add_hist_command(CLI::App& app, Context& ctx);     // cli/hist_cmd.cpp
void add_confirm_command(CLI::App& app, Context& ctx);  // cli/confirm_cmd.cpp
void add_run_command(CLI::App& app, Context& ctx);      // cli/run_cmd.cpp
void add_probe_command(CLI::App& app, Context& ctx);    // cli/probe_cmd.cpp
void add_audit_command(CLI::App& app, Context& ctx);    // cli/audit_cmd.cpp
void add_top_command(CLI::App& app, Context& ctx);      // cli/top_cmd.cpp

// --attach auto|tcx|tc of apply and run (cli/attach_option.cpp).
void add_attach_option(CLI::App& cmd, std::string& attach);

}  // namespace lw::cli
