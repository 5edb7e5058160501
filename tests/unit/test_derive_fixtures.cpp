// SPDX-License-Identifier: GPL-2.0-only
// `derive` on the fixture trees: the article's topologies give the reviewed
// policies in tests/fixtures/pve/expected/, and every output (broken trees
// included) is a policy the policy parser accepts unchanged.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "derive/derive.h"
#include "policy/parse.h"
#include "pve/node.h"

namespace {

std::string fixture(const std::string& rel) {
  return std::string(LW_TEST_DATA) + "/fixtures/pve/" + rel;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string derive_text(const std::string& tree) {
  return lw::derive::render_toml(lw::derive::derive_policy(lw::pve::load_node(fixture(tree))));
}

TEST(DeriveFixtures, ThreeNodeMatchesReviewedPolicy) {
  EXPECT_EQ(derive_text("3node-pve1"), slurp(fixture("expected/3node-pve1.toml")));
}

TEST(DeriveFixtures, TwoNodeMatchesReviewedPolicy) {
  EXPECT_EQ(derive_text("2node-pve1"), slurp(fixture("expected/2node-pve1.toml")));
}

TEST(DeriveFixtures, ThreeNodePolicyMeansWhatTheArticleSays) {
  auto p = lw::policy::parse_string(derive_text("3node-pve1"), "3node-pve1.toml");
  EXPECT_EQ(p.mode, lw::policy::Mode::audit);
  ASSERT_EQ(p.lanes.size(), 6u);
  int exclusive = 0;
  for (auto& l : p.lanes) {
    if (l.classes == LW_CLASS_BIT(LW_CLASS_COROSYNC)) {
      EXPECT_TRUE(l.exclusive) << l.interface;
      ++exclusive;
    } else {
      EXPECT_FALSE(l.exclusive) << l.interface;
    }
    EXPECT_FALSE(l.vlan);
  }
  EXPECT_EQ(exclusive, 2);  // ens18f1 (link 0) and ens20f1 (link 1)
  ASSERT_TRUE(p.classes[LW_CLASS_MIGRATION].cap);
  // bwlimit migration=512000 is KiB/s: 500 MiB/s, not 500 GiB/s.
  EXPECT_EQ(p.classes[LW_CLASS_MIGRATION].cap->bytes_per_sec, 512000ull * 1024);
  EXPECT_EQ(p.networks[LW_CLASS_COROSYNC].size(), 2u);
  EXPECT_EQ(p.networks[LW_CLASS_CEPH_CLUSTER].size(), 1u);
}

TEST(DeriveFixtures, TwoNodePolicyUsesVlanLanesAndPriority) {
  auto p = lw::policy::parse_string(derive_text("2node-pve1"), "2node-pve1.toml");
  ASSERT_EQ(p.lanes.size(), 4u);
  EXPECT_EQ(p.lanes[0].interface, "ens18f0");
  EXPECT_EQ(p.lanes[0].vlan, 10);
  EXPECT_EQ(p.lanes[1].interface, "ens18f0");
  EXPECT_EQ(p.lanes[1].vlan, 11);
  EXPECT_FALSE(p.lanes[1].exclusive);  // shares the NIC with management
  EXPECT_EQ(p.lanes[2].interface, "ens18f1");
  EXPECT_EQ(p.lanes[2].vlan, 12);
  EXPECT_TRUE(p.lanes[2].exclusive);
  EXPECT_EQ(p.lanes[3].interface, "bond0");
  EXPECT_EQ(p.lanes[3].classes, LW_CLASS_BIT(LW_CLASS_MIGRATION) | LW_CLASS_BIT(LW_CLASS_STORAGE));
  EXPECT_EQ(p.classes[LW_CLASS_COROSYNC].priority, lw::policy::Priority::high);
  EXPECT_EQ(p.classes[LW_CLASS_MIGRATION].cap->bytes_per_sec, 204800ull * 1024);
}

TEST(DeriveFixtures, EveryTreeGivesAValidPolicyNamingOnlyKnownInterfaces) {
  std::vector<std::string> trees = {"3node-pve1", "2node-pve1"};
  for (auto& e : std::filesystem::directory_iterator(fixture("broken")))
    if (e.is_directory()) trees.push_back("broken/" + e.path().filename().string());
  ASSERT_GT(trees.size(), 20u);
  for (auto& t : trees) {
    SCOPED_TRACE(t);
    auto node = lw::pve::load_node(fixture(t));
    auto derived = lw::derive::derive_policy(node);
    for (auto& l : derived.lanes) EXPECT_TRUE(node.interfaces.mentions(l.iface)) << l.iface;
    EXPECT_NO_THROW(lw::policy::parse_string(lw::derive::render_toml(derived), t + ".toml"));
  }
}

TEST(DeriveFixtures, LeftOutNetworksAreExplained) {
  auto text = derive_text("broken/lw012-ceph-networks-same");
  EXPECT_NE(text.find("ceph_cluster network 10.10.40.0/24 left out"), std::string::npos) << text;
  EXPECT_EQ(text.find("ceph_cluster = "), std::string::npos) << text;
}

TEST(DeriveFixtures, RunDeriveWritesTheFile) {
  auto out =
      std::filesystem::temp_directory_path() / ("lw-derive-" + std::to_string(getpid()) + ".toml");
  std::ostringstream ignored;
  lw::derive::run_derive({fixture("3node-pve1"), out.string()}, ignored);
  EXPECT_TRUE(ignored.str().empty());
  EXPECT_EQ(slurp(out.string()), slurp(fixture("expected/3node-pve1.toml")));
  EXPECT_NO_THROW(lw::policy::parse_file(out.string()));
  std::filesystem::remove(out);
}

TEST(DeriveFixtures, RunDeriveToStdout) {
  std::ostringstream out;
  lw::derive::run_derive({fixture("2node-pve1"), ""}, out);
  EXPECT_EQ(out.str(), slurp(fixture("expected/2node-pve1.toml")));
}

}  // namespace
