// SPDX-License-Identifier: GPL-2.0-only
// The Collectable behind /metrics: every scrape reads the pinned counters
// afresh (exact kernel counters, never a re-count of events) and asks the
// extra sources the daemon registered (policy, reloads, probes, histograms).
#pragma once

#include <prometheus/collectable.h>

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "metrics/families.h"

namespace lw::metrics {

// Appends families to the scrape. Called on the HTTP server's threads: a
// source must be thread-safe and must not throw for a transient problem.
using Source = std::function<void(Families&)>;

class Collector : public prometheus::Collectable {
 public:
  explicit Collector(std::string pin_dir);
  void add_source(Source s);
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::string pin_dir_;
  mutable std::mutex mu_;
  std::vector<Source> sources_;
};

}  // namespace lw::metrics
