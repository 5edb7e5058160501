// SPDX-License-Identifier: GPL-2.0-only
// A private instance of the real programs, not pinned and not attached, that
// runs frames through BPF_PROG_TEST_RUN. `lanewarden bench` measures with it
// and the BPF tests assert verdicts and counters with it.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "lanewarden.h"

struct lanewarden;
struct empty;
struct ring_buffer;

namespace lw::datapath {

struct RunResult {
  int retval = 0;            // TC_ACT_* returned by the program
  uint32_t duration_ns = 0;  // average per run, as the kernel measured it
  uint32_t priority = 0;     // skb->priority after the run
  uint64_t tstamp = 0;       // skb->tstamp after the run
};

struct RunOptions {
  uint32_t repeat = 1;
  uint32_t ifindex = 0;   // 0: the kernel's default (loopback)
  uint32_t priority = 0;  // skb->priority before the run
  uint64_t tstamp = 0;
  uint32_t gso_segs = 0;
  std::vector<uint8_t>* data_out = nullptr;  // the frame after the program ran
};

struct SandboxOptions {
  // Flood control interval (lw_rodata); 0: the program's 1 s default. Tests
  // shorten it so that "after the interval" needs no long sleep.
  uint64_t event_interval_ns = 0;
};

class Sandbox {
 public:
  Sandbox() : Sandbox(SandboxOptions{}) {}
  explicit Sandbox(const SandboxOptions& opts);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // Swaps `p` in exactly as apply does.
  void install(const lw_policy& p);
  RunResult run(int dir, const std::vector<uint8_t>& frame, const RunOptions& o = {});
  // The empty baseline program, for cost ratios.
  RunResult run_empty(const std::vector<uint8_t>& frame, const RunOptions& o = {});

  lw_iface_counters counters(uint32_t slot) const;
  void reset_counters();

  // Violations by kind/class and event accounting of one slot.
  lw_violation_counters violations(uint32_t slot) const;
  // Events waiting in the ring buffer, oldest first (consumes them).
  std::vector<lw_event> drain_events();
  // Consumes waiting events into `sink`, as `lanewarden watch` would, and
  // returns how many; safe to call from another thread while run() floods.
  size_t consume_events(const std::function<void(const lw_event&)>& sink);

  int map_fd(const char* name) const;
  // The programs themselves, for `bench --hooks`, which attaches them.
  int program_fd(int dir) const;
  int empty_program_fd() const;

 private:
  lanewarden* skel_ = nullptr;
  empty* empty_ = nullptr;
  ring_buffer* events_ = nullptr;
  std::function<void(const lw_event&)> sink_;
};

}  // namespace lw::datapath
