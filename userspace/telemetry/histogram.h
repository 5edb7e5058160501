// SPDX-License-Identifier: GPL-2.0-only
// Latency histograms as the datapath records them (struct lw_hist in
// bpf/lanewarden.h): log-linear buckets over nanoseconds, 8 sub-buckets per
// power of two from 512 ns to 34.4 s, plus underflow and overflow.
//
// Quantiles use the nearest-rank definition (the ceil(q * n)-th smallest
// sample) and report the middle of the bucket that holds that sample, never
// more than the recorded maximum. Error bound: for a sample x in
// [512 ns, 34.4 s) the estimate is within x / 16 (6.25 %) of it; below 512 ns
// it is within 256 ns; above 34.4 s the estimate is 34.4 s (a lower bound).
// tests/unit/test_histogram.cpp checks the bound on random data.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "lanewarden.h"

namespace lw::telemetry {

inline constexpr int kHistBuckets = LW_HIST_NR_BUCKETS;
// Relative error of a quantile inside the regular buckets: half a sub-bucket.
inline constexpr double kQuantileRelativeError = 1.0 / (2.0 * LW_HIST_SUB);
// Absolute error below the first regular bucket (half the underflow bucket).
inline constexpr uint64_t kQuantileUnderflowErrorNs = (1ULL << LW_HIST_MIN_EXP) / 2;

// Bucket index of a sample, exactly as bpf/hist.bpf.h computes it.
int bucket_of(uint64_t ns);
// Inclusive lower and exclusive upper bound of bucket `i`; the overflow
// bucket's upper bound is UINT64_MAX.
uint64_t bucket_lower_ns(int i);
uint64_t bucket_upper_ns(int i);

class Histogram {
 public:
  Histogram() = default;
  void add(const lw_hist& value);      // adds a map value (datapath::HistMaps::read)
  void record(uint64_t ns);            // one sample (tests, userspace sources)
  void merge(const Histogram& other);  // adds another histogram's samples (interfaces together)

  // What happened between `earlier` and this snapshot of the same counters:
  // counts and sums subtract; the maximum is exact when it grew in the
  // interval, else it is estimated from the highest non-empty bucket.
  Histogram since(const Histogram& earlier) const;

  uint64_t count() const { return count_; }
  uint64_t sum_ns() const { return sum_ns_; }
  uint64_t max_ns() const { return max_ns_; }
  const std::array<uint64_t, kHistBuckets>& buckets() const { return buckets_; }
  double mean_ns() const { return count_ ? static_cast<double>(sum_ns_) / count_ : 0.0; }

  // Nearest-rank quantile, q in (0, 1]; nullopt when there are no samples.
  std::optional<uint64_t> quantile_ns(double q) const;

 private:
  uint64_t count_ = 0;
  uint64_t sum_ns_ = 0;
  uint64_t max_ns_ = 0;
  std::array<uint64_t, kHistBuckets> buckets_{};
};

}  // namespace lw::telemetry
