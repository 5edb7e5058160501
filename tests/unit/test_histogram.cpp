// SPDX-License-Identifier: GPL-2.0-only
// Histogram bucket layout, per-CPU merge, interval deltas and the documented
// quantile error bound (telemetry/histogram.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "telemetry/histogram.h"

namespace lw::telemetry {
namespace {

TEST(HistogramBuckets, LayoutCoversOneMicrosecondToTenSeconds) {
  EXPECT_EQ(kHistBuckets, 26 * 8 + 2);
  EXPECT_EQ(bucket_lower_ns(0), 0u);
  EXPECT_EQ(bucket_upper_ns(0), 512u);
  EXPECT_EQ(bucket_lower_ns(1), 512u);
  EXPECT_EQ(bucket_upper_ns(1), 576u);   // 512 + 512/8
  EXPECT_EQ(bucket_lower_ns(9), 1024u);  // next power of two
  EXPECT_EQ(bucket_upper_ns(kHistBuckets - 2), 1ULL << 35);
  EXPECT_EQ(bucket_lower_ns(kHistBuckets - 1), 1ULL << 35);
  EXPECT_EQ(bucket_upper_ns(kHistBuckets - 1), std::numeric_limits<uint64_t>::max());
  // 1 us and 10 s land in regular buckets, not under- or overflow.
  EXPECT_GT(bucket_of(1000), 0);
  EXPECT_LT(bucket_of(10'000'000'000ULL), kHistBuckets - 1);
}

TEST(HistogramBuckets, BoundsAreContiguousAndNarrow) {
  for (int i = 0; i < kHistBuckets - 1; i++) {
    EXPECT_EQ(bucket_upper_ns(i), bucket_lower_ns(i + 1)) << i;
    EXPECT_LT(bucket_lower_ns(i), bucket_upper_ns(i)) << i;
    if (i >= 1) {
      // Each regular bucket is at most 1/8 of its lower bound wide.
      EXPECT_LE((bucket_upper_ns(i) - bucket_lower_ns(i)) * 8, bucket_lower_ns(i)) << i;
    }
  }
}

TEST(HistogramBuckets, EdgesFallIntoTheirOwnBucket) {
  for (int i = 0; i < kHistBuckets; i++) {
    EXPECT_EQ(bucket_of(bucket_lower_ns(i)), i) << i;
    if (i < kHistBuckets - 1) {
      EXPECT_EQ(bucket_of(bucket_upper_ns(i) - 1), i) << i;
    }
  }
  EXPECT_EQ(bucket_of(0), 0);
  EXPECT_EQ(bucket_of(511), 0);
  EXPECT_EQ(bucket_of(std::numeric_limits<uint64_t>::max()), kHistBuckets - 1);
}

// The exact nearest-rank quantile of a sorted sample.
uint64_t exact_quantile(const std::vector<uint64_t>& sorted, double q) {
  auto rank = static_cast<size_t>(std::ceil(q * sorted.size() - 1e-9));
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

TEST(HistogramQuantiles, StayWithinTheDocumentedBound) {
  std::mt19937_64 rng(4);
  // Log-uniform from 512 ns to 30 s, the range where the relative bound holds.
  std::uniform_real_distribution<double> log_ns(std::log(512.0), std::log(30e9));
  for (int trial = 0; trial < 200; trial++) {
    Histogram h;
    std::vector<uint64_t> samples(1 + rng() % 2000);
    for (auto& s : samples) {
      s = static_cast<uint64_t>(std::exp(log_ns(rng)));
      h.record(s);
    }
    std::sort(samples.begin(), samples.end());
    for (double q : {0.5, 0.9, 0.99, 1.0}) {
      const double exact = static_cast<double>(exact_quantile(samples, q));
      const double est = static_cast<double>(*h.quantile_ns(q));
      EXPECT_LE(std::abs(est - exact), exact * kQuantileRelativeError)
          << "trial " << trial << " q " << q << " exact " << exact << " est " << est;
    }
  }
}

TEST(HistogramQuantiles, UnderflowHasAnAbsoluteBound) {
  Histogram h;
  for (uint64_t ns : {10, 100, 300, 500}) h.record(ns);
  for (double q : {0.25, 0.5, 1.0}) {
    auto est = *h.quantile_ns(q);
    EXPECT_LE(est, 511u);
  }
  EXPECT_EQ(*h.quantile_ns(1.0), 256u);  // middle of [0, 512), below the max 500
  EXPECT_LE(kQuantileUnderflowErrorNs, 256u);
}

TEST(HistogramQuantiles, NeverAboveTheMaximum) {
  Histogram h;
  h.record(1'000'001);  // the middle of its bucket is above it
  EXPECT_EQ(*h.quantile_ns(0.5), 1'000'001u);
  EXPECT_EQ(h.max_ns(), 1'000'001u);
}

TEST(HistogramQuantiles, EmptyHasNone) {
  Histogram h;
  EXPECT_FALSE(h.quantile_ns(0.5));
  EXPECT_EQ(h.mean_ns(), 0.0);
}

TEST(HistogramQuantiles, NearestRankPicksTheRightSample) {
  // 99 fast samples and one slow: p99 is fast, the maximum is slow.
  Histogram h;
  for (int i = 0; i < 99; i++) h.record(50'000);
  h.record(8'000'000);
  EXPECT_NEAR(static_cast<double>(*h.quantile_ns(0.99)), 50'000, 50'000 * kQuantileRelativeError);
  EXPECT_NEAR(static_cast<double>(*h.quantile_ns(1.0)), 8'000'000,
              8'000'000 * kQuantileRelativeError);
  // One more slow sample: now the 100th of 101 (rank ceil(99.99) = 100) is slow.
  h.record(8'000'000);
  EXPECT_GT(*h.quantile_ns(0.99), 7'000'000u);
}

lw_hist map_value(std::initializer_list<uint64_t> samples) {
  lw_hist v{};
  for (uint64_t ns : samples) {
    v.count++;
    v.sum_ns += ns;
    v.max_ns = std::max<uint64_t>(v.max_ns, ns);
    v.buckets[bucket_of(ns)]++;
  }
  return v;
}

TEST(HistogramMerge, SumsValuesAndKeepsTheLargestMaximum) {
  Histogram h;
  for (const auto& v : {map_value({1000, 2000}), map_value({}), map_value({3'000'000})}) h.add(v);
  EXPECT_EQ(h.count(), 3u);
  EXPECT_EQ(h.sum_ns(), 3'003'000u);
  EXPECT_EQ(h.max_ns(), 3'000'000u);
  EXPECT_EQ(h.buckets()[bucket_of(1000)], 1u);
  EXPECT_EQ(h.buckets()[bucket_of(2000)], 1u);
  EXPECT_EQ(h.buckets()[bucket_of(3'000'000)], 1u);
  // The same as recording the samples in one place.
  Histogram one;
  for (uint64_t ns : {1000, 2000, 3'000'000}) one.record(ns);
  EXPECT_EQ(one.buckets(), h.buckets());
}

TEST(HistogramSince, IntervalHoldsOnlyNewSamples) {
  Histogram before;
  for (int i = 0; i < 10; i++) before.record(9'000'000);  // a slow past
  Histogram now = before;
  for (int i = 0; i < 5; i++) now.record(100'000);
  Histogram d = now.since(before);
  EXPECT_EQ(d.count(), 5u);
  EXPECT_EQ(d.sum_ns(), 500'000u);
  // The old 9 ms maximum is not this interval's: estimated from its buckets.
  EXPECT_LT(d.max_ns(), bucket_upper_ns(bucket_of(100'000)));
  EXPECT_GE(d.max_ns(), 100'000u);
  EXPECT_NEAR(static_cast<double>(*d.quantile_ns(0.99)), 100'000, 100'000 * kQuantileRelativeError);
}

TEST(HistogramSince, NewMaximumIsExact) {
  Histogram before;
  before.record(1'000);
  Histogram now = before;
  now.record(7'777'777);
  EXPECT_EQ(now.since(before).max_ns(), 7'777'777u);
}

TEST(HistogramSince, NothingNewIsEmpty) {
  Histogram h;
  h.record(5000);
  Histogram d = h.since(h);
  EXPECT_EQ(d.count(), 0u);
  EXPECT_FALSE(d.quantile_ns(0.5));
}

}  // namespace
}  // namespace lw::telemetry
