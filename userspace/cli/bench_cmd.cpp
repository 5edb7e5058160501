// SPDX-License-Identifier: GPL-2.0-only
// lanewarden bench [--format json]
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "bench/bench.h"
#include "cli/commands.h"

namespace lw::cli {

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
  cmd->callback([format, opts, &ctx] {
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
