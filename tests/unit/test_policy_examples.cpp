// SPDX-License-Identifier: GPL-2.0-only
// The example policies in policies/ are documentation: each must parse, and
// each must say what its comments claim.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "policy/parse.h"

namespace lw::policy {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;

std::string example(std::string_view name) {
  return (fs::path(LW_SOURCE_DIR) / "policies" / name).string();
}

const Lane* find_lane(const Policy& p, std::string_view iface, std::optional<uint16_t> vlan) {
  for (const auto& l : p.lanes) {
    if (l.interface == iface && l.vlan == vlan) return &l;
  }
  return nullptr;
}

TEST(PolicyExamples, EveryExampleParses) {
  int count = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(LW_SOURCE_DIR) / "policies")) {
    if (entry.path().extension() != ".toml") continue;
    ++count;
    EXPECT_NO_THROW({
      try {
        Policy p = parse_file(entry.path().string());
        EXPECT_FALSE(p.lanes.empty()) << entry.path();
      } catch (const PolicyError& e) {
        ADD_FAILURE() << e.what();
        throw;
      }
    }) << entry.path();
  }
  EXPECT_GE(count, 3);
}

TEST(PolicyExamples, ThreeNodePve1) {
  Policy p = parse_file(example("3-node-pve1.toml"));
  EXPECT_EQ(p.mode, Mode::enforce);
  ASSERT_EQ(p.networks[LW_CLASS_COROSYNC].size(), 2u);
  EXPECT_EQ(p.networks[LW_CLASS_COROSYNC][0].str(), "10.10.10.0/24");
  EXPECT_EQ(p.networks[LW_CLASS_COROSYNC][1].str(), "10.10.20.0/24");
  EXPECT_EQ(p.networks[LW_CLASS_MIGRATION][0].str(), "10.10.30.0/24");
  EXPECT_EQ(p.networks[LW_CLASS_CEPH_PUBLIC][0].str(), "10.10.40.0/24");
  EXPECT_EQ(p.networks[LW_CLASS_CEPH_CLUSTER][0].str(), "10.10.50.0/24");
  EXPECT_EQ(p.networks[LW_CLASS_MANAGEMENT][0].str(), "10.10.1.0/24");
  EXPECT_EQ(p.lanes.size(), 6u);

  // Corosync link 0: a NIC of its own, exclusive.
  const Lane* link0 = find_lane(p, "ens18f1", std::nullopt);
  ASSERT_NE(link0, nullptr);
  EXPECT_TRUE(link0->exclusive);
  EXPECT_EQ(link0->classes, LW_CLASS_BIT(LW_CLASS_COROSYNC));
  // Corosync link 1: not exclusive.
  const Lane* link1 = find_lane(p, "ens20f1", std::nullopt);
  ASSERT_NE(link1, nullptr);
  EXPECT_FALSE(link1->exclusive);
  EXPECT_EQ(link1->classes, LW_CLASS_BIT(LW_CLASS_COROSYNC));
  const Lane* mgmt = find_lane(p, "ens18f0", 10);
  ASSERT_NE(mgmt, nullptr);
  EXPECT_EQ(mgmt->classes, LW_CLASS_BIT(LW_CLASS_MANAGEMENT));
  ASSERT_NE(find_lane(p, "ens20f0", std::nullopt), nullptr);
  EXPECT_EQ(find_lane(p, "ens20f0", std::nullopt)->classes, LW_CLASS_BIT(LW_CLASS_MIGRATION));

  const ClassPolicy& mig = p.classes[LW_CLASS_MIGRATION];
  ASSERT_TRUE(mig.cap);
  EXPECT_EQ(mig.cap->bytes_per_sec, 625'000'000u);  // 5gbit
  EXPECT_EQ(mig.cap_mode, CapMode::shape);
  // The comment's bwlimit equivalent (KiB/s), rounded.
  EXPECT_EQ((mig.cap->bytes_per_sec + 512) / 1024, 610352u);

  const ClassPolicy& coro = p.classes[LW_CLASS_COROSYNC];
  EXPECT_EQ(coro.priority, Priority::high);
  EXPECT_EQ(coro.dscp, 48);
  EXPECT_EQ(coro.latency_alarm_ns, 5'000'000u);
  // Enforce mode drops misplaced traffic, but never Corosync or infra.
  EXPECT_EQ(p.action_for(LW_CLASS_CEPH_CLUSTER), Mode::enforce);
  EXPECT_EQ(p.action_for(LW_CLASS_COROSYNC), Mode::audit);
  EXPECT_EQ(p.action_for(LW_CLASS_INFRA), Mode::audit);
}

TEST(PolicyExamples, TwoNodeBudget) {
  Policy p = parse_file(example("2-node-budget.toml"));
  EXPECT_EQ(p.lanes.size(), 4u);
  const Lane* mgmt = find_lane(p, "ens18f0", 10);
  const Lane* link0 = find_lane(p, "ens18f0", 11);
  const Lane* link1 = find_lane(p, "ens18f1", 12);
  const Lane* bond = find_lane(p, "bond0", std::nullopt);
  ASSERT_TRUE(mgmt && link0 && link1 && bond);
  EXPECT_EQ(mgmt->classes, LW_CLASS_BIT(LW_CLASS_MANAGEMENT));
  EXPECT_TRUE(link0->exclusive);
  EXPECT_EQ(link0->classes, LW_CLASS_BIT(LW_CLASS_COROSYNC));
  EXPECT_TRUE(link1->exclusive);
  EXPECT_EQ(bond->classes, LW_CLASS_BIT(LW_CLASS_STORAGE) | LW_CLASS_BIT(LW_CLASS_MIGRATION));
  // Storage and migration share the bond's subnet.
  EXPECT_EQ(p.networks[LW_CLASS_STORAGE][0].str(), "10.10.40.0/24");
  EXPECT_EQ(p.networks[LW_CLASS_MIGRATION][0].str(), "10.10.40.0/24");
  ASSERT_TRUE(p.classes[LW_CLASS_MIGRATION].cap);
  EXPECT_EQ(p.classes[LW_CLASS_MIGRATION].cap->bytes_per_sec, 614'400u * 1024);  // bwlimit 614400
  EXPECT_EQ(p.classes[LW_CLASS_COROSYNC].priority, Priority::high);
}

TEST(PolicyExamples, AuditEverything) {
  Policy p = parse_file(example("audit-everything.toml"));
  EXPECT_EQ(p.mode, Mode::audit);
  for (const auto& lane : p.lanes) EXPECT_FALSE(lane.exclusive) << lane.interface;
  for (int c = 0; c < LW_NR_CLASSES; ++c) {
    EXPECT_EQ(p.action_for(c), Mode::audit) << kClassNames[c];
    EXPECT_FALSE(p.classes[c].cap) << kClassNames[c];
  }
  EXPECT_EQ(p.networks[LW_CLASS_COROSYNC].size(), 2u);
}

}  // namespace
}  // namespace lw::policy
