// SPDX-License-Identifier: GPL-2.0-only
// Sends the echo probes of a Plan and counts what comes back. One raw socket
// per target, bound to the local address and (SO_BINDTODEVICE) to the device
// holding it, so a probe cannot leave through another interface whatever the
// routing table says. The datapath times the echoes like any other; the
// prober keeps its own per-peer counts (sent, answered, lost) and a coarse
// userspace RTT for the foreground command.
//
// Use either run() in the calling thread (lanewarden probe) or start()/stop()
// for a thread of its own (the daemon); stats() is safe from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "common/fd.h"
#include "probe/plan.h"

namespace lw::probe {

struct ProbeOptions {
  std::chrono::nanoseconds interval{200'000'000};  // per peer
  // A probe unanswered this long is lost; a later reply is ignored.
  std::chrono::nanoseconds timeout{1'000'000'000};
  uint64_t count = 0;                    // probes per peer, then stop (0: no limit)
  std::chrono::nanoseconds duration{0};  // stop after this long (0: no limit)
};

struct PeerStats {
  Target target;
  uint64_t sent = 0;
  uint64_t answered = 0;
  uint64_t lost = 0;         // no reply within the timeout
  uint64_t send_errors = 0;  // sendto() failed (no route, neighbour unreachable)
  uint64_t rtt_min_ns = 0, rtt_max_ns = 0, rtt_sum_ns = 0;  // over answered probes
  uint64_t in_flight() const { return sent - answered - lost; }
};

class Prober {
 public:
  // Opens and binds the sockets: throws SystemError when that fails (not
  // root, device gone), before anything is sent.
  Prober(std::vector<Target> targets, ProbeOptions options);
  ~Prober();
  Prober(const Prober&) = delete;
  Prober& operator=(const Prober&) = delete;

  // Runs until count/duration is reached, stop() is called or *stop_flag
  // becomes true; the remaining in-flight probes get their timeout to answer.
  void run(const std::atomic<bool>* stop_flag = nullptr);
  void start();  // run() in a thread of its own
  void stop();   // ends run() soon and joins the thread; idempotent

  std::vector<PeerStats> stats() const;

 private:
  struct Peer;
  void loop(const std::atomic<bool>* stop_flag);
  void send_one(Peer& p, std::chrono::steady_clock::time_point now);
  void receive(Peer& p, std::chrono::steady_clock::time_point now);
  void expire(Peer& p, std::chrono::steady_clock::time_point now);

  ProbeOptions options_;
  uint16_t ident_;
  std::vector<std::unique_ptr<Peer>> peers_;
  UniqueFd wake_;  // eventfd: stop() wakes the poll
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;  // guards the counters in peers_
  std::thread thread_;
};

}  // namespace lw::probe
