// SPDX-License-Identifier: GPL-2.0-only
// `lanewarden bench --hooks`: what a packet pays for the tc hook and for
// lanewarden on it, per mechanism (tcx, clsact; docs/attach.md). Frames are
// sent through loopback of a private network namespace, which runs both the
// egress and the ingress hook of `lo` for every frame, with no program, the
// empty program and lanewarden attached in turn.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lw::bench {

struct HookResult {
  std::string hook;          // "tcx" or "clsact"
  double none_ns = 0;        // per frame, nothing attached (best of rounds)
  double empty_ns = 0;       // the empty program on both hooks
  double lanewarden_ns = 0;  // lanewarden's programs on both hooks
  // What attaching adds to a frame: the hook with an empty program, and
  // lanewarden; ratio = lanewarden's / the empty program's.
  double empty_cost_ns() const { return empty_ns - none_ns; }
  double lanewarden_cost_ns() const { return lanewarden_ns - none_ns; }
  double ratio() const { return empty_cost_ns() > 0 ? lanewarden_cost_ns() / empty_cost_ns() : 0; }
};

struct HookBenchOptions {
  uint32_t rounds = 15;     // best of this many interleaved rounds
  uint32_t frames = 20000;  // frames per round and configuration
};

// One result per mechanism this build and kernel have (clsact always, tcx
// where both have it; `unavailable` says why not otherwise).
std::vector<HookResult> run_hook_bench(const HookBenchOptions& o, std::string& unavailable);

}  // namespace lw::bench
