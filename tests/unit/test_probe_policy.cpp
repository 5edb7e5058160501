// SPDX-License-Identifier: GPL-2.0-only
// [probe] in the policy: interval, peers, and the errors with their location.
#include <gtest/gtest.h>

#include <string>

#include "derive/derive.h"
#include "policy/parse.h"
#include "pve/node.h"
#include "test_policy_util.h"

namespace lw::policy {
namespace {

using testing::kMinimal;
using testing::policy_error;
using testing::with;

TEST(ProbePolicy, DefaultsWithoutSection) {
  Policy p = parse_string(kMinimal, "t.toml");
  EXPECT_EQ(p.probe.interval_ns, 200'000'000u);
  EXPECT_TRUE(p.probe.peers.empty());
  EXPECT_EQ(p.probe.where.line, 0);
}

TEST(ProbePolicy, IntervalAndPeers) {
  Policy p = parse_string(with("[probe]\n"
                               "interval = \"50ms\"\n"
                               "peers = [\"198.51.100.2\", \"198.51.100.3\"]\n"),
                          "t.toml");
  EXPECT_EQ(p.probe.interval_ns, 50'000'000u);
  ASSERT_EQ(p.probe.peers.size(), 2u);
  EXPECT_EQ(p.probe.peers[0].str(), "198.51.100.2");
  EXPECT_EQ(p.probe.peers[1].str(), "198.51.100.3");
  ASSERT_EQ(p.probe.peer_where.size(), 2u);
  EXPECT_EQ(p.probe.peer_where[1].line, 8);
  EXPECT_EQ(p.probe.peer_where[1].column, 26);
}

TEST(ProbePolicy, Ipv6PeerInIpv6CorosyncNetwork) {
  Policy p = parse_string(
      "[networks]\ncorosync = [\"2001:db8:5::/64\"]\n"
      "[[lane]]\ninterface = \"eth0\"\nclasses = [\"corosync\"]\n"
      "[probe]\npeers = [\"2001:db8:5::2\"]\n",
      "t.toml");
  ASSERT_EQ(p.probe.peers.size(), 1u);
  EXPECT_EQ(p.probe.peers[0].str(), "2001:db8:5::2");
}

TEST(ProbePolicy, Errors) {
  EXPECT_EQ(policy_error(with("[probe]\ninterval = 200\n")),
            "t.toml:7:12: 'interval' has no unit: write a duration such as \"200ms\"");
  EXPECT_EQ(policy_error(with("[probe]\ninterval = \"1ms\"\n")),
            "t.toml:7:12: 'interval' 1ms is out of range 10ms..60s");
  EXPECT_EQ(policy_error(with("[probe]\ninterval = \"2min\"\n")).substr(0, 27),
            "t.toml:7:12: 'interval': du");
  EXPECT_EQ(policy_error(with("[probe]\npeers = [\"198.51.100.300\"]\n")).substr(0, 40),
            "t.toml:7:10: bad address in 'peers': '19");
  EXPECT_EQ(policy_error(with("[probe]\npeers = [\"198.51.100.2\", \"198.51.100.2\"]\n")),
            "t.toml:7:26: peer 198.51.100.2 is listed twice");
  EXPECT_EQ(policy_error(with("[probe]\npeers = [\"203.0.113.2\"]\n")),
            "t.toml:7:10: probe peer 203.0.113.2 is in no corosync network of [networks]: "
            "peers are other nodes' Corosync link addresses");
  EXPECT_EQ(policy_error(with("[probe]\npeer = [\"198.51.100.2\"]\n")),
            "t.toml:7:1: unknown key 'peer' in [probe] (did you mean 'peers'?); known keys: "
            "interval, peers");
  EXPECT_EQ(policy_error("probe = 1\n" + std::string(kMinimal)),
            "t.toml:1:9: 'probe' must be a table, not an integer");
}

// derive fills [probe] peers from the nodelist: every other node's address
// on each link this node has, and the result parses (peers in the links).
TEST(ProbePolicy, DeriveFillsPeersFromTheNodelist) {
  auto node = pve::load_node(std::string(LW_TEST_DATA) + "/fixtures/pve/3node-pve1");
  auto derived = derive::derive_policy(node);
  ASSERT_EQ(derived.probe_peers.size(), 4u);
  EXPECT_EQ(derived.probe_peers[0].second, "pve2 ring0_addr (/etc/pve/corosync.conf:18)");
  Policy p = parse_string(derive::render_toml(derived), "derived.toml");
  ASSERT_EQ(p.probe.peers.size(), 4u);
  EXPECT_EQ(p.probe.peers[0].str(), "10.10.10.2");
  EXPECT_EQ(p.probe.peers[1].str(), "10.10.20.2");
  EXPECT_EQ(p.probe.peers[3].str(), "10.10.20.3");
  EXPECT_EQ(p.probe.interval_ns, 200'000'000u);
}

}  // namespace
}  // namespace lw::policy
