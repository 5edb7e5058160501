// SPDX-License-Identifier: GPL-2.0-only
#include "telemetry/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

namespace lw::telemetry {
namespace {

constexpr int kFirstRegular = 1;
constexpr int kOverflow = kHistBuckets - 1;

}  // namespace

int bucket_of(uint64_t ns) {
  if (ns < (1ULL << LW_HIST_MIN_EXP)) return 0;
  const int e = std::bit_width(ns) - 1;
  if (e > LW_HIST_MAX_EXP) return kOverflow;
  const int sub = static_cast<int>((ns >> (e - LW_HIST_SUB_BITS)) & (LW_HIST_SUB - 1));
  return kFirstRegular + (e - LW_HIST_MIN_EXP) * static_cast<int>(LW_HIST_SUB) + sub;
}

uint64_t bucket_lower_ns(int i) {
  if (i <= 0) return 0;
  if (i >= kOverflow) return 1ULL << (LW_HIST_MAX_EXP + 1);
  const int e = LW_HIST_MIN_EXP + (i - kFirstRegular) / static_cast<int>(LW_HIST_SUB);
  const uint64_t sub = static_cast<uint64_t>((i - kFirstRegular) % LW_HIST_SUB);
  return (1ULL << e) + sub * (1ULL << (e - LW_HIST_SUB_BITS));
}

uint64_t bucket_upper_ns(int i) {
  if (i >= kOverflow) return std::numeric_limits<uint64_t>::max();
  return bucket_lower_ns(i + 1);
}

void Histogram::add(const lw_hist& v) {
  count_ += v.count;
  sum_ns_ += v.sum_ns;
  max_ns_ = std::max(max_ns_, static_cast<uint64_t>(v.max_ns));
  for (int i = 0; i < kHistBuckets; i++) buckets_[i] += v.buckets[i];
}

void Histogram::record(uint64_t ns) {
  count_++;
  sum_ns_ += ns;
  max_ns_ = std::max(max_ns_, ns);
  buckets_[bucket_of(ns)]++;
}

void Histogram::merge(const Histogram& other) {
  count_ += other.count_;
  sum_ns_ += other.sum_ns_;
  max_ns_ = std::max(max_ns_, other.max_ns_);
  for (int i = 0; i < kHistBuckets; i++) buckets_[i] += other.buckets_[i];
}

Histogram Histogram::since(const Histogram& earlier) const {
  Histogram d;
  // Unsigned subtraction: a counter that wrapped still gives the right delta.
  d.count_ = count_ - earlier.count_;
  d.sum_ns_ = sum_ns_ - earlier.sum_ns_;
  int highest = -1;
  for (int i = 0; i < kHistBuckets; i++) {
    d.buckets_[i] = buckets_[i] - earlier.buckets_[i];
    if (d.buckets_[i]) highest = i;
  }
  if (highest < 0) return d;
  if (max_ns_ > earlier.max_ns_) {
    d.max_ns_ = max_ns_;  // a new maximum can only come from this interval
  } else {
    // The interval's largest sample lies in `highest`: take its upper end,
    // which the overall maximum caps.
    uint64_t hi = bucket_upper_ns(highest);
    d.max_ns_ = std::min(hi == std::numeric_limits<uint64_t>::max() ? hi : hi - 1, max_ns_);
  }
  return d;
}

std::optional<uint64_t> Histogram::quantile_ns(double q) const {
  if (!count_ || !(q > 0.0)) return std::nullopt;
  q = std::min(q, 1.0);
  // Nearest rank; the epsilon keeps 0.99 * 100 from rounding up to 100.
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_) - 1e-9));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (int i = 0; i < kHistBuckets; i++) {
    seen += buckets_[i];
    if (seen < rank) continue;
    uint64_t estimate;
    if (i == kOverflow)
      estimate = bucket_lower_ns(i);
    else
      estimate = bucket_lower_ns(i) + (bucket_upper_ns(i) - bucket_lower_ns(i)) / 2;
    return std::min(estimate, max_ns_);
  }
  return max_ns_;  // buckets and count disagree (a torn read): the maximum is safe
}

}  // namespace lw::telemetry
