// SPDX-License-Identifier: GPL-2.0-only
#include "policy/gso_advice.h"

#include <algorithm>

namespace lw::policy {
namespace {

constexpr uint64_t kMaxGsoBytes = 65536;
constexpr uint64_t kFrameBytes = 1514;  // MTU 1500 plus the Ethernet header
constexpr uint64_t kTolerableNs = 1'000'000;
constexpr uint64_t kTargetNs = 500'000;

}  // namespace

std::optional<uint32_t> advised_gso_max_segs(uint64_t bytes_per_sec) {
  if (bytes_per_sec == 0) return std::nullopt;
  if (kMaxGsoBytes * 1'000'000'000 / bytes_per_sec <= kTolerableNs) return std::nullopt;
  const uint64_t bytes_in_target = bytes_per_sec * kTargetNs / 1'000'000'000;
  return static_cast<uint32_t>(std::max<uint64_t>(1, bytes_in_target / kFrameBytes));
}

}  // namespace lw::policy
