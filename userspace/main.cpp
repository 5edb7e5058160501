// SPDX-License-Identifier: GPL-2.0-only
// lanewarden: wires the subcommands; every error is caught here and turned
// into the exit code of the command line contract.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "common/error.h"
#include "common/logging.h"
#include "common/netns.h"

int main(int argc, char** argv) {
  CLI::App app{"lanewarden: keeps Proxmox cluster traffic in its lanes"};
  app.require_subcommand(1);
  lw::cli::Context ctx;
  app.add_option("--pin-dir", ctx.pin_dir, "Where lanewarden pins its BPF state")
      ->capture_default_str();
  app.add_option("--netns", ctx.netns,
                 "Act inside this named network namespace (keeps the BPF filesystem visible)");
  app.add_flag("-v,--verbose", ctx.verbose, "Debug logs (repeat for libbpf details)");
  app.parse_complete_callback([&] {
    lw::setup_logging(ctx.verbose);
    if (!ctx.netns.empty()) lw::enter_netns(ctx.netns);
  });

  lw::cli::add_check_command(app, ctx);
  lw::cli::add_derive_command(app, ctx);
  lw::cli::add_apply_command(app, ctx);
  lw::cli::add_status_command(app, ctx);
  lw::cli::add_detach_command(app, ctx);
  lw::cli::add_bench_command(app, ctx);
  lw::cli::add_watch_command(app, ctx);
  lw::cli::add_hist_command(app, ctx);
  lw::cli::add_confirm_command(app, ctx);
  lw::cli::add_run_command(app, ctx);
  lw::cli::add_probe_command(app, ctx);
  lw::cli::add_audit_command(app, ctx);
  lw::cli::add_top_command(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? lw::kExitOk : lw::kExitUsage;
  } catch (const lw::Error& e) {
    spdlog::error("{}", e.what());
    return e.exit_code();
  } catch (const std::exception& e) {
    spdlog::error("{}", e.what());
    return lw::kExitFailure;
  }
  return ctx.exit_code;
}
