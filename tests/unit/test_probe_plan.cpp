// SPDX-License-Identifier: GPL-2.0-only
// Probe planning: which local address and device each peer is probed from,
// and the refusals (no address on the link, address on no Corosync lane).
#include <gtest/gtest.h>
#include <sys/socket.h>

#include "policy/parse.h"
#include "probe/plan.h"

namespace lw::probe {
namespace {

lw::Address addr(const char* text) { return *lw::parse_address(text); }

// eth0 and eth1 plain NICs; vmbr0 a bridge over eth2; eth3.20 a VLAN on eth3.
LocalNetwork node() {
  LocalNetwork n;
  n.links = {{1, "lo", 0, 0},    {2, "eth0", 0, 0}, {3, "eth1", 0, 0},   {4, "eth2", 0, 9},
             {9, "vmbr0", 0, 0}, {5, "eth3", 0, 0}, {6, "eth3.20", 5, 0}};
  n.addresses = {{addr("198.51.100.1"), 24, 2},
                 {addr("203.0.113.1"), 24, 3},
                 {addr("2001:db8:7::1"), 64, 9},
                 {addr("2001:db8:8::1"), 64, 6}};
  return n;
}

policy::Policy parse(std::string_view tail) {
  std::string text =
      "[networks]\n"
      "corosync = [\"198.51.100.0/24\", \"2001:db8:7::/64\", \"2001:db8:8::/64\", "
      "\"2001:db8:9::/64\"]\n"
      "management = [\"203.0.113.0/24\"]\n"
      "[[lane]]\ninterface = \"eth0\"\nclasses = [\"corosync\"]\n"
      "[[lane]]\ninterface = \"eth1\"\nclasses = [\"management\"]\n"
      "[[lane]]\ninterface = \"eth2\"\nclasses = [\"corosync\", \"management\"]\n"
      "[[lane]]\ninterface = \"eth3\"\nvlan = 20\nclasses = [\"management\"]\n";
  return policy::parse_string(text + std::string(tail), "t.toml");
}

TEST(ProbePlan, PeerOnPlainLane) {
  auto plan = plan_probes(parse("[probe]\npeers = [\"198.51.100.2\"]\n"), node());
  ASSERT_TRUE(plan.refused.empty());
  ASSERT_EQ(plan.targets.size(), 1u);
  const Target& t = plan.targets[0];
  EXPECT_EQ(t.link, 0);
  EXPECT_EQ(t.local.str(), "198.51.100.1");
  EXPECT_EQ(t.device, "eth0");
  EXPECT_EQ(t.lane, "eth0");
  EXPECT_EQ(t.label(), "link 0 198.51.100.1 -> 198.51.100.2 (dev eth0)");
}

TEST(ProbePlan, AddressOnBridgeOverCorosyncLane) {
  auto plan = plan_probes(parse("[probe]\npeers = [\"2001:db8:7::2\"]\n"), node());
  ASSERT_TRUE(plan.refused.empty());
  ASSERT_EQ(plan.targets.size(), 1u);
  EXPECT_EQ(plan.targets[0].link, 1);
  EXPECT_EQ(plan.targets[0].device, "vmbr0");  // the socket binds where the address is
  EXPECT_EQ(plan.targets[0].lane, "eth2");
}

TEST(ProbePlan, OwnAddressSkipped) {
  auto plan = plan_probes(parse("[probe]\npeers = [\"198.51.100.1\", \"198.51.100.3\"]\n"), node());
  ASSERT_EQ(plan.targets.size(), 1u);
  EXPECT_EQ(plan.targets[0].peer.str(), "198.51.100.3");
  ASSERT_EQ(plan.notes.size(), 1u);
  EXPECT_EQ(plan.notes[0], "peer 198.51.100.1 is this node's own address: not probed");
}

TEST(ProbePlan, RefusesAddressOnNoCorosyncLane) {
  // eth3 is a lane, but not for corosync: a probe there would leave the link.
  auto plan = plan_probes(parse("[probe]\npeers = [\"2001:db8:8::2\"]\n"), node());
  EXPECT_TRUE(plan.targets.empty());
  ASSERT_EQ(plan.refused.size(), 1u);
  EXPECT_EQ(plan.refused[0],
            "corosync link 2 (2001:db8:8::/64): the local address 2001:db8:8::1 is on eth3.20, "
            "which is no corosync lane of the policy and sits on none: a probe could leave "
            "through any interface");
}

TEST(ProbePlan, RefusesLinkWithoutLocalAddress) {
  auto plan =
      plan_probes(parse("[probe]\npeers = [\"198.51.100.2\", \"2001:db8:9::2\"]\n"), node());
  ASSERT_EQ(plan.targets.size(), 1u);
  ASSERT_EQ(plan.refused.size(), 1u);
  EXPECT_EQ(plan.refused[0],
            "corosync link 3 (2001:db8:9::/64): this node has no address in that network, so "
            "peer 2001:db8:9::2 cannot be probed over it");
}

TEST(ProbePlan, StackBelowFollowsVlanParentAndPorts) {
  auto n = node();
  auto below = n.stack_below(6);
  ASSERT_EQ(below.size(), 2u);
  EXPECT_EQ(below[0]->name, "eth3.20");
  EXPECT_EQ(below[1]->name, "eth3");
  auto bridge = n.stack_below(9);
  ASSERT_EQ(bridge.size(), 2u);
  EXPECT_EQ(bridge[1]->name, "eth2");
}

}  // namespace
}  // namespace lw::probe
