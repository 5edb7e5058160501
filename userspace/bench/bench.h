// SPDX-License-Identifier: GPL-2.0-only
// Datapath cost through BPF_PROG_TEST_RUN, as a ratio to an empty tc program
// measured in the same run (absolute times drift on a shared machine).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lw::bench {

struct BenchResult {
  std::string packet;
  std::string classified_as;
  double lanewarden_ns = 0;  // best-of-rounds ns per packet, from wall time (sub-ns)
  double empty_ns = 0;       // the same for the empty program
  double ratio = 0;
};

struct BenchOptions {
  uint32_t rounds = 40;     // best of this many interleaved rounds
  uint32_t repeat = 50000;  // packets per round: short calls are rarely preempted
};

std::vector<BenchResult> run_datapath_bench(const BenchOptions& o);

}  // namespace lw::bench
