// SPDX-License-Identifier: GPL-2.0-only
// One cluster-wide policy (/etc/pve/lanewarden.toml): lanes with `node`
// apply only on that node, lanes without it everywhere; errors keep their
// file:line.
#include <gtest/gtest.h>

#include "policy/node_lanes.h"
#include "policy/parse.h"

namespace lw::policy {
namespace {

constexpr const char* kCluster = R"(mode = "enforce"
[networks]
corosync = ["198.51.100.0/24"]
ceph_public = ["203.0.113.0/24"]
[[lane]]
interface = "eno1"
classes = ["corosync"]
exclusive = true
[[lane]]
node = "pve1"
interface = "eno2"
classes = ["ceph_public"]
[[lane]]
node = "pve2"
interface = "eno2"
classes = ["corosync", "ceph_public"]
)";

TEST(PolicyNodeLanes, EachNodeKeepsItsOwnLanesAndTheSharedOnes) {
  auto p1 = parse_string(kCluster, "/etc/pve/lanewarden.toml", "pve1");
  ASSERT_EQ(p1.lanes.size(), 2u);
  EXPECT_EQ(p1.lanes[0].interface, "eno1");
  EXPECT_EQ(p1.lanes[0].node, "");
  EXPECT_EQ(p1.lanes[1].node, "pve1");
  EXPECT_EQ(p1.lanes[1].classes, LW_CLASS_BIT(LW_CLASS_CEPH_PUBLIC));
  // The same interface name on another node is not a duplicate lane.
  auto p2 = parse_string(kCluster, "/etc/pve/lanewarden.toml", "pve2");
  ASSERT_EQ(p2.lanes.size(), 2u);
  EXPECT_EQ(p2.lanes[1].classes,
            LW_CLASS_BIT(LW_CLASS_COROSYNC) | LW_CLASS_BIT(LW_CLASS_CEPH_PUBLIC));
  auto p3 = parse_string(kCluster, "/etc/pve/lanewarden.toml", "pve3");
  ASSERT_EQ(p3.lanes.size(), 1u);
}

TEST(PolicyNodeLanes, ANodeWithoutAnyLaneIsAnError) {
  const std::string only_named = std::string(R"(mode = "audit"
[networks]
corosync = ["198.51.100.0/24"]
[[lane]]
node = "pve1"
interface = "eno1"
classes = ["corosync"]
)");
  try {
    parse_string(only_named, "p.toml", "pve9");
    FAIL() << "accepted a policy without lanes for pve9";
  } catch (const PolicyError& e) {
    EXPECT_EQ(e.where().line, 1);
    EXPECT_NE(e.message().find("no [[lane]] applies to node 'pve9'"), std::string::npos);
    EXPECT_NE(e.message().find("pve1"), std::string::npos);
  }
}

TEST(PolicyNodeLanes, NodeSpecificAndSharedLaneOnOneInterfaceCollide) {
  const std::string dup = std::string(kCluster) + R"([[lane]]
node = "pve1"
interface = "eno1"
classes = ["ceph_public"]
)";
  EXPECT_NO_THROW(parse_string(dup, "p.toml", "pve2"));
  try {
    parse_string(dup, "p.toml", "pve1");
    FAIL() << "duplicate lane on pve1 accepted";
  } catch (const PolicyError& e) {
    EXPECT_EQ(e.where().line, 19) << e.what();
    EXPECT_NE(e.message().find("duplicate lane 'eno1'"), std::string::npos) << e.what();
  }
}

TEST(PolicyNodeLanes, BadNodeNamesAreRefusedWithTheirLocation) {
  for (const char* bad : {R"("")", R"("pve 1")", R"("pve1.example.com")", "3"}) {
    const std::string text = std::string(
                                 "mode = \"audit\"\n[networks]\ncorosync = "
                                 "[\"198.51.100.0/24\"]\n[[lane]]\nnode = ") +
                             bad + "\ninterface = \"eno1\"\nclasses = [\"corosync\"]\n";
    try {
      parse_string(text, "p.toml", "pve1");
      ADD_FAILURE() << "accepted node = " << bad;
    } catch (const PolicyError& e) {
      EXPECT_EQ(e.where().line, 5) << e.what();
    }
  }
}

TEST(PolicyNodeLanes, NodeNameComesFromTheEnvironmentOrTheShortHostName) {
  setenv("LANEWARDEN_NODE", "pve7", 1);
  EXPECT_EQ(this_node_name(), "pve7");
  unsetenv("LANEWARDEN_NODE");
  const std::string host = this_node_name();
  EXPECT_FALSE(host.empty());
  EXPECT_EQ(host.find('.'), std::string::npos);
  EXPECT_TRUE(valid_node_name("pve-1"));
  EXPECT_FALSE(valid_node_name("pve_1"));
}

}  // namespace
}  // namespace lw::policy
