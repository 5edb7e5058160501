// SPDX-License-Identifier: GPL-2.0-only
#include "corosync/health_poller.h"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>

namespace lw::corosync {

using Clock = std::chrono::steady_clock;

void LatencyHistogram::observe(double seconds) {
  auto it = std::lower_bound(kLatencyBounds.begin(), kLatencyBounds.end(), seconds);
  buckets[static_cast<size_t>(it - kLatencyBounds.begin())]++;
  count++;
  sum_seconds += seconds;
}

void fold_read(CorosyncHealth& h, KnetSnapshot snap) {
  h.have_read = true;
  for (const auto& l : snap.links) {
    // A link that is down keeps knet's last average: not a new sample.
    if (!l.connected || l.latency_samples == 0) continue;
    h.latency[{l.nodeid, l.link}].observe(static_cast<double>(l.latency_ave_us) / 1e6);
  }
  h.snapshot = std::move(snap);
}

struct HealthPoller::Shared {
  Reader reader;
  std::chrono::milliseconds interval, timeout;
  mutable std::mutex mu;
  std::condition_variable cv;
  bool stop = false, done = false;
  CorosyncHealth health;
  std::optional<Clock::time_point> reading_since, last_read_end;

  void loop() {
    std::unique_lock lock(mu);
    while (!stop) {
      const auto start = Clock::now();
      reading_since = start;
      lock.unlock();
      KnetSnapshot snap;
      try {
        snap = reader();
      } catch (const std::exception& e) {
        snap = {};
        snap.detail = e.what();
      }
      lock.lock();
      const auto end = Clock::now();
      if (end - start > timeout) health.stalls++;
      fold_read(health, std::move(snap));
      reading_since.reset();
      last_read_end = end;
      cv.wait_for(lock, interval, [this] { return stop; });
    }
    done = true;
    cv.notify_all();
  }
};

HealthPoller::HealthPoller(Reader reader, std::chrono::milliseconds interval,
                           std::chrono::milliseconds timeout)
    : shared_(std::make_shared<Shared>()) {
  shared_->reader = std::move(reader);
  shared_->interval = interval;
  shared_->timeout = timeout;
  // The thread owns a reference: a read stuck past our destructor still
  // finds its state.
  thread_ = std::thread([s = shared_] { s->loop(); });
}

HealthPoller::~HealthPoller() {
  std::unique_lock lock(shared_->mu);
  shared_->stop = true;
  shared_->cv.notify_all();
  const bool finished =
      shared_->cv.wait_for(lock, shared_->timeout, [this] { return shared_->done; });
  lock.unlock();
  if (finished)
    thread_.join();
  else
    thread_.detach();  // stuck in libcmap; it ends when corosync answers or goes away
}

CorosyncHealth HealthPoller::latest() const {
  std::lock_guard lock(shared_->mu);
  CorosyncHealth h = shared_->health;
  const auto now = Clock::now();
  h.stalled = shared_->reading_since && now - *shared_->reading_since > shared_->timeout;
  if (shared_->last_read_end)
    h.age_seconds = std::chrono::duration<double>(now - *shared_->last_read_end).count();
  return h;
}

}  // namespace lw::corosync
