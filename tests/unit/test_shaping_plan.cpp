// SPDX-License-Identifier: GPL-2.0-only
// Which interfaces get an HTB, with which classes, and how packets are steered.
#include <gtest/gtest.h>

#include "policy/parse.h"
#include "shaping/shaping_plan.h"

namespace lw::shaping {
namespace {

std::optional<uint64_t> no_speed(const std::string&) { return std::nullopt; }
std::optional<uint64_t> gigabit(const std::string&) { return 125'000'000; }
std::optional<uint32_t> mtu1500(const std::string&) { return 1500; }
std::optional<uint32_t> jumbo(const std::string&) { return 9000; }

policy::Policy parse(const std::string& toml) { return policy::parse_string(toml, "s.toml"); }

const char* kTwoLanes = R"(
[networks]
corosync = ["198.51.100.0/25"]
migration = ["203.0.113.0/25"]
management = ["203.0.113.128/25"]
[[lane]]
interface = "eno1"
classes = ["corosync"]
exclusive = true
[[lane]]
interface = "eno2"
classes = ["corosync", "migration", "management"]
[class.migration]
cap = "400mbit"
)";

const InterfacePlan* find(const ShapingPlan& p, const std::string& iface) {
  for (const auto& i : p.interfaces)
    if (i.interface == iface) return &i;
  return nullptr;
}

const HtbClass* find_class(const InterfacePlan& p, uint32_t minor) {
  for (const auto& c : p.classes)
    if (c.minor == minor) return &c;
  return nullptr;
}

TEST(ShapingPlan, ExclusiveCorosyncLaneNeedsNoShaping) {
  auto plan = plan_shaping(parse(kTwoLanes), gigabit, mtu1500);
  EXPECT_EQ(find(plan, "eno1"), nullptr);
}

TEST(ShapingPlan, SharedLaneGetsPriorityCapAndDefaultClasses) {
  auto plan = plan_shaping(parse(kTwoLanes), gigabit, mtu1500);
  const auto* eno2 = find(plan, "eno2");
  ASSERT_NE(eno2, nullptr);
  EXPECT_EQ(eno2->link_rate, 125'000'000u);  // the NIC's own speed
  const auto* prio = find_class(*eno2, kPriorityMinor);
  ASSERT_NE(prio, nullptr);
  EXPECT_EQ(prio->prio, 0u);
  EXPECT_EQ(prio->ceil, eno2->link_rate);
  const auto* cap = find_class(*eno2, capped_minor(LW_CLASS_MIGRATION));
  ASSERT_NE(cap, nullptr);
  // 400 mbit/s of payload in bytes/s, plus the headers of full-size segments.
  EXPECT_EQ(cap->ceil, (50'000'000ull * 1514 + 1447) / 1448);
  EXPECT_EQ(cap->rate, cap->ceil);
  ASSERT_NE(find_class(*eno2, kDefaultMinor), nullptr);
  EXPECT_EQ(plan.skb_priority[LW_CLASS_COROSYNC], class_id(kPriorityMinor));
  EXPECT_EQ(plan.skb_priority[LW_CLASS_MIGRATION], class_id(capped_minor(LW_CLASS_MIGRATION)));
  EXPECT_EQ(plan.skb_priority[LW_CLASS_CEPH_PUBLIC], 0u);
}

TEST(ShapingPlan, ExplicitLinkRateShapesSlightlyBelowIt) {
  auto policy = parse(std::string(kTwoLanes) + "");
  policy.lanes[1].link_rate = policy::Rate{12'500'000, "100mbit"};
  auto plan = plan_shaping(policy, gigabit, mtu1500);
  const auto* eno2 = find(plan, "eno2");
  ASSERT_NE(eno2, nullptr);
  EXPECT_EQ(eno2->link_rate, static_cast<uint64_t>(12'500'000 * kLinkRateHeadroom));
  // A cap above the line is clamped to the line.
  policy.classes[LW_CLASS_MIGRATION].cap = policy::Rate{1'000'000'000, "8gbit"};
  plan = plan_shaping(policy, gigabit, mtu1500);
  EXPECT_EQ(find_class(*find(plan, "eno2"), capped_minor(LW_CLASS_MIGRATION))->ceil,
            find(plan, "eno2")->link_rate);
}

TEST(ShapingPlan, CapIsPayloadSoHtbRateCarriesTheHeadersOfTheLanesMtu) {
  EXPECT_EQ(frame_rate_for_payload(1448, 1500), 1514u);
  EXPECT_EQ(frame_rate_for_payload(8948, 9000), 9014u);
  // About 4.6 % at 1500, under 1 % at 9000.
  EXPECT_NEAR(frame_rate_for_payload(1'000'000, 1500) / 1e6, 1.0456, 0.0001);
  EXPECT_NEAR(frame_rate_for_payload(1'000'000, 9000) / 1e6, 1.0074, 0.0001);
  EXPECT_EQ(frame_rate_for_payload(UINT64_MAX, 1500), UINT64_MAX);  // saturates
  auto jumbo_plan = plan_shaping(parse(kTwoLanes), gigabit, jumbo);
  const auto* eno2 = find(jumbo_plan, "eno2");
  ASSERT_NE(eno2, nullptr);
  EXPECT_EQ(eno2->mtu, 9000u);
  EXPECT_EQ(find_class(*eno2, capped_minor(LW_CLASS_MIGRATION))->ceil,
            (50'000'000ull * 9014 + 8947) / 8948);
}

TEST(ShapingPlan, GsoLimitShrinksTheBurstToOneMillisecondButOnePacket) {
  auto policy = parse(kTwoLanes);
  auto plan = plan_shaping(policy, gigabit, mtu1500);
  const auto* eno2 = find(plan, "eno2");
  ASSERT_NE(eno2, nullptr);
  EXPECT_EQ(eno2->max_packet, 0u);
  EXPECT_EQ(class_burst(*eno2, 125'000'000), 1'250'000u);  // 10 ms at 1 Gbit/s
  EXPECT_EQ(class_burst(*eno2, 1'000'000), 64u * 1024);    // one 64 KB GSO packet

  policy.lanes[1].gso_max_segs = 8;
  plan = plan_shaping(policy, gigabit, mtu1500);
  eno2 = find(plan, "eno2");
  EXPECT_EQ(eno2->max_packet, 8u * 1514);
  EXPECT_EQ(class_burst(*eno2, 125'000'000), 125'000u);  // 1 ms at 1 Gbit/s
  EXPECT_EQ(class_burst(*eno2, 1'000'000), 8u * 1514);   // one limited GSO packet
}

TEST(ShapingPlan, UnknownSpeedDoesNotLimitTheLine) {
  auto plan = plan_shaping(parse(kTwoLanes), no_speed);
  EXPECT_EQ(find(plan, "eno2")->link_rate, kUnknownLinkRate);
}

TEST(ShapingPlan, PoliceModeCapsAreNotShaped) {
  auto policy = parse(kTwoLanes);
  policy.classes[LW_CLASS_MIGRATION].cap_mode = policy::CapMode::police;
  auto plan = plan_shaping(policy, gigabit, mtu1500);
  ASSERT_NE(find(plan, "eno2"), nullptr);  // still there for Corosync priority
  EXPECT_EQ(find_class(*find(plan, "eno2"), capped_minor(LW_CLASS_MIGRATION)), nullptr);
  EXPECT_EQ(plan.skb_priority[LW_CLASS_MIGRATION], 0u);
}

TEST(ShapingPlan, NothingToShapeMeansNoSteering) {
  const char* toml = R"(
[networks]
corosync = ["198.51.100.0/25"]
[[lane]]
interface = "eno1"
classes = ["corosync"]
exclusive = true
)";
  auto plan = plan_shaping(parse(toml), gigabit);
  EXPECT_TRUE(plan.interfaces.empty());
  for (uint32_t p : plan.skb_priority) EXPECT_EQ(p, 0u);
}

}  // namespace
}  // namespace lw::shaping
