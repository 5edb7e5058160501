// SPDX-License-Identifier: GPL-2.0-only
#include "bench/bench.h"

#include <algorithm>
#include <functional>

#include "bench/frames.h"
#include "common/error.h"
#include "datapath/counters_view.h"
#include "datapath/policy_compiler.h"
#include "datapath/test_run.h"
#include "policy/parse.h"

namespace lw::bench {
namespace {

// The least disturbed of several rounds: on a shared machine interference
// only ever adds time, so the minimum is the most repeatable estimate.
double best(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

double kernel_ns(const std::function<datapath::RunResult(uint32_t)>& run, uint32_t repeat) {
  // The kernel times the loop itself (no syscall, no skb set-up) and reports
  // whole nanoseconds per run.
  return run(repeat).duration_ns;
}

}  // namespace

std::vector<BenchResult> run_datapath_bench(const BenchOptions& o) {
  datapath::Sandbox sandbox;
  policy::Policy p = policy::parse_string(bench_policy_toml(), "<bench policy>");
  auto compiled = datapath::compile_policy(
      p, [](const std::string& n) -> std::optional<uint32_t> {
        if (n == "lo") return 1;
        return std::nullopt;
      },
      {}, 1);
  sandbox.install(*compiled.value);

  std::vector<BenchResult> results;
  for (const auto& f : representative_frames()) {
    sandbox.reset_counters();
    datapath::RunOptions one;
    sandbox.run(LW_DIR_EGRESS, f.bytes, one);
    BenchResult r;
    r.packet = f.name;
    r.classified_as = datapath::single_class_counted(sandbox.counters(compiled.ifaces[0].slot));
    if (r.classified_as != f.expect_class)
      throw Error("bench: " + f.name + " classified as " + r.classified_as + ", expected " +
                  f.expect_class);

    std::vector<double> lw, empty;
    for (uint32_t round = 0; round < o.rounds; round++) {
      // Interleaved so that drift on the machine hits both alike.
      empty.push_back(kernel_ns(
          [&](uint32_t n) {
            datapath::RunOptions ro;
            ro.repeat = n;
            return sandbox.run_empty(f.bytes, ro);
          },
          o.repeat));
      lw.push_back(kernel_ns(
          [&](uint32_t n) {
            datapath::RunOptions ro;
            ro.repeat = n;
            return sandbox.run(LW_DIR_EGRESS, f.bytes, ro);
          },
          o.repeat));
    }
    r.lanewarden_ns = best(lw);
    r.empty_ns = best(empty);
    r.ratio = r.empty_ns > 0 ? r.lanewarden_ns / r.empty_ns : 0;
    results.push_back(r);
  }
  return results;
}

}  // namespace lw::bench
