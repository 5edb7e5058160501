// SPDX-License-Identifier: GPL-2.0-only
// lanewarden bench [--format json] [--hooks]
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "bench/bench.h"
#include "bench/hook_bench.h"
#include "cli/commands.h"

namespace lw::cli {
namespace {

void print_hooks(const bench::HookBenchOptions& o, bool json) {
  std::string unavailable;
  const auto results = bench::run_hook_bench(o, unavailable);
  for (const auto& r : results) {
    if (json) {
      std::cout << nlohmann::json{{"bench", "hook"},
                                  {"hook", r.hook},
                                  {"ns_per_frame_none", r.none_ns},
                                  {"ns_per_frame_empty", r.empty_ns},
                                  {"ns_per_frame_lanewarden", r.lanewarden_ns},
                                  {"empty_cost_ns", r.empty_cost_ns()},
                                  {"lanewarden_cost_ns", r.lanewarden_cost_ns()},
                                  {"ratio", r.ratio()}}
                       .dump()
                << "\n";
    } else {
      std::cout << fmt::format(
          "hook {:<7} empty program +{:6.1f} ns/frame   lanewarden +{:6.1f} ns/frame   ratio "
          "{:5.2f}x   (frame on lo alone {:.0f} ns)\n",
          r.hook, r.empty_cost_ns(), r.lanewarden_cost_ns(), r.ratio(), r.none_ns);
    }
  }
  if (!unavailable.empty()) {
    if (json)
      std::cout
          << nlohmann::json{{"bench", "hook"}, {"hook", "tcx"}, {"unavailable", unavailable}}.dump()
          << "\n";
    else
      std::cout << "hook tcx     not measured: " << unavailable << "\n";
  }
}

}  // namespace

void add_bench_command(CLI::App& app, Context& ctx) {
  auto format = std::make_shared<std::string>("text");
  auto opts = std::make_shared<bench::BenchOptions>();
  auto* cmd = app.add_subcommand(
      "bench", "Datapath cost per packet (BPF_PROG_TEST_RUN) against an empty tc program");
  cmd->add_option("--format", *format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--rounds", opts->rounds, "Interleaved rounds per packet (best of)")
      ->capture_default_str();
  cmd->add_option("--repeat", opts->repeat, "Packets per round")->capture_default_str();
  auto hooks = std::make_shared<bool>(false);
  auto hook_opts = std::make_shared<bench::HookBenchOptions>();
  cmd->add_flag("--hooks", *hooks,
                "Instead: the cost of the tc hook with an empty program and with lanewarden, "
                "for tcx and clsact, on loopback of a private network namespace");
  cmd->add_option("--hook-rounds", hook_opts->rounds, "--hooks: interleaved rounds (best of)")
      ->capture_default_str();
  cmd->add_option("--hook-frames", hook_opts->frames, "--hooks: frames per round")
      ->capture_default_str();
  cmd->callback([format, opts, hooks, hook_opts, &ctx] {
    if (*hooks) {
      print_hooks(*hook_opts, *format == "json");
      ctx.exit_code = kExitOk;
      return;
    }
    auto results = bench::run_datapath_bench(*opts);
    for (const auto& r : results) {
      if (*format == "json") {
        std::cout << nlohmann::json{{"bench", "datapath"},
                                    {"packet", r.packet},
                                    {"class", r.classified_as},
                                    {"ns_per_packet", r.lanewarden_ns},
                                    {"empty_ns_per_packet", r.empty_ns},
                                    {"ratio", r.ratio}}
                         .dump()
                  << "\n";
      } else {
        std::cout << fmt::format(
            "{:<22} {:<13} {:7.2f} ns/pkt   empty {:6.2f} ns/pkt   ratio {:5.2f}x\n", r.packet,
            r.classified_as, r.lanewarden_ns, r.empty_ns, r.ratio);
      }
    }
    ctx.exit_code = kExitOk;
  });
}

}  // namespace lw::cli
