// SPDX-License-Identifier: GPL-2.0-only
// The gso_max_segs advice for slow shared lanes, and the warning that carries
// it when a policy shapes a shared Corosync lane without a GSO limit.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policy/gso_advice.h"
#include "policy/parse.h"
#include "support/captured_log.h"

namespace lw::policy {
namespace {

constexpr uint64_t mbit(uint64_t m) { return m * 1'000'000 / 8; }

TEST(GsoAdvice, SlowLinesGetSegmentsForHalfAMillisecond) {
  EXPECT_EQ(advised_gso_max_segs(mbit(100)), 4u);  // 6250 B in 0.5 ms
  EXPECT_EQ(advised_gso_max_segs(mbit(50)), 2u);
  EXPECT_EQ(advised_gso_max_segs(mbit(10)), 1u);  // never below one segment
  EXPECT_EQ(advised_gso_max_segs(mbit(500)), 20u);
}

TEST(GsoAdvice, FastLinesNeedNoLimit) {
  EXPECT_EQ(advised_gso_max_segs(mbit(1000)), std::nullopt);  // 64 KB in 0.52 ms
  EXPECT_EQ(advised_gso_max_segs(mbit(10000)), std::nullopt);
  EXPECT_EQ(advised_gso_max_segs(0), std::nullopt);
}

using test::CapturedLog;

const char* kSharedLane = R"(
[networks]
corosync = ["198.51.100.0/26"]
ceph_public = ["203.0.113.0/24"]
[[lane]]
interface = "eno1"
classes = ["corosync", "ceph_public"]
)";

TEST(GsoAdvice, SlowSharedCorosyncLaneWithoutLimitWarnsWithTheValue) {
  CapturedLog log;
  parse_string(std::string(kSharedLane) + "link_rate = \"100mbit\"\n", "t.toml");
  EXPECT_THAT(log.str(), testing::HasSubstr("t.toml:5:1: lane 'eno1' (untagged) shares Corosync at "
                                            "link_rate 100mbit"));
  EXPECT_THAT(log.str(), testing::HasSubstr("gso_max_segs = 4"));
}

TEST(GsoAdvice, NoWarningWithALimitOrAFastLine) {
  CapturedLog log;
  parse_string(std::string(kSharedLane) + "link_rate = \"100mbit\"\ngso_max_segs = 8\n", "t.toml");
  parse_string(std::string(kSharedLane) + "link_rate = \"1gbit\"\n", "t.toml");
  parse_string(kSharedLane, "t.toml");
  EXPECT_EQ(log.str(), "");
}

}  // namespace
}  // namespace lw::policy
