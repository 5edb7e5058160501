// SPDX-License-Identifier: GPL-2.0-only
// Corosync's health for the metrics endpoint, read off the scrape's path.
//
// libcmap calls are synchronous IPC with no timeout: a corosync that is
// stopped (SIGSTOP), swapping or stuck in a membership change would hang
// whoever asks. So one thread of its own reads the stats map every interval
// and publishes a copy; a scrape takes the copy under a mutex and never
// talks to corosync. When a read has run longer than the timeout the copy
// says "stalled" and the metrics report corosync as down instead of old
// numbers. A stuck read is left to finish on its own: libqb has no way to
// cancel it, and its thread only holds the shared state.
//
// Each completed read also adds every connected link's latency (knet's
// moving average, latency_ave) to a histogram per (peer, link): knet keeps
// only min/ave/max, the histogram keeps their distribution over time so
// Prometheus can take quantiles over any window.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <thread>
#include <utility>

#include "corosync/knet_stats.h"

namespace lw::corosync {

// Upper bounds in seconds. Proxmox asks for Corosync latency below 5 ms
// (Administration Guide, "Cluster Network"); the buckets are dense around it.
inline constexpr std::array<double, 14> kLatencyBounds = {
    0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5};

struct LatencyHistogram {
  std::array<uint64_t, kLatencyBounds.size() + 1> buckets{};  // not cumulative; last is +Inf
  uint64_t count = 0;
  double sum_seconds = 0;
  void observe(double seconds);
};

using LinkKey = std::pair<uint32_t, int>;  // (peer nodeid, link)

struct CorosyncHealth {
  bool have_read = false;  // at least one read completed
  bool stalled = false;    // the read in progress runs longer than the timeout
  KnetSnapshot snapshot;   // the last completed read
  double age_seconds = 0;  // since the last completed read ended
  uint64_t stalls = 0;     // reads that outlasted the timeout
  std::map<LinkKey, LatencyHistogram> latency;
  // corosync answered the last read, and no read hangs now.
  bool up() const { return have_read && !stalled && snapshot.running(); }
};

// Folds one completed read into `h` (the latency histograms grow). Pure.
void fold_read(CorosyncHealth& h, KnetSnapshot snap);

class HealthPoller {
 public:
  using Reader = std::function<KnetSnapshot()>;
  // Starts the reading thread at once; the first read begins immediately.
  HealthPoller(Reader reader, std::chrono::milliseconds interval,
               std::chrono::milliseconds timeout);
  // Stops the thread; waits for it only while it is not stuck in a read.
  ~HealthPoller();
  HealthPoller(const HealthPoller&) = delete;
  HealthPoller& operator=(const HealthPoller&) = delete;

  // The latest copy. Never blocks on corosync.
  CorosyncHealth latest() const;

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
  std::thread thread_;
};

}  // namespace lw::corosync
