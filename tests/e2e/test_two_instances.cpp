// SPDX-License-Identifier: GPL-2.0-only
// Two lanewarden instances with their own --pin-dir in their own namespaces
// (two simulated nodes on one machine) do not interfere: traffic through one
// moves only its counters, and detaching one leaves the other attached and
// counting. The two interfaces may even share an ifindex (each namespace
// numbers its own), which only separate maps keep apart.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "support/lanewarden_cli.h"
#include "support/privilege.h"
#include "support/topology.h"
#include "support/traffic.h"

namespace lw::test {
namespace {

std::string pin_name(const char* what) {
  return std::string("lwt") + what + std::to_string(::getpid());
}

std::string policy_for(const std::string& iface) {
  return R"(mode = "audit"
[networks]
corosync = ["198.51.100.0/24"]
[[lane]]
interface = ")" +
         iface + R"("
classes = ["corosync", "other"]
)";
}

class TwoInstancesE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    for (int i = 0; i < 2; i++) {
      topo_[i] = std::make_unique<Topology>(Topology::pair({.prefix = i == 0 ? "lwti1" : "lwti2"}));
      node_[i] = std::make_unique<LanewardenNode>(LW_BINARY, topo_[i]->node(0).name(),
                                                  pin_name(i == 0 ? "ti1" : "ti2"));
    }
  }
  void TearDown() override {
    for (int i = 0; i < 2; i++) {
      node_[i].reset();
      topo_[i].reset();
    }
  }
  const std::string& if0(int i) const { return topo_[i]->node_if(0); }

  // Corosync datagrams from node 0 of topology i to its peer.
  void send_corosync(int i, size_t count) {
    UdpSink sink(topo_[i]->node(1), "198.51.100.2", 5405);
    ASSERT_EQ(send_udp(topo_[i]->node(0), {.dst = "198.51.100.2",
                                           .dport = 5405,
                                           .sport = 5405,
                                           .src = "198.51.100.1",
                                           .count = count}),
              count);
    EXPECT_EQ(sink.receive(count, std::chrono::seconds(5)), count);
  }
  uint64_t corosync_out(int i) const { return node_[i]->packets(if0(i), "egress", "corosync"); }

  std::unique_ptr<Topology> topo_[2];
  std::unique_ptr<LanewardenNode> node_[2];
};

TEST_F(TwoInstancesE2E, CountersAndDetachStayWithTheirOwnInstance) {
  node_[0]->apply(policy_for(if0(0)));
  node_[1]->apply(policy_for(if0(1)));

  send_corosync(0, 7);
  EXPECT_EQ(corosync_out(0), 7u);
  EXPECT_EQ(corosync_out(1), 0u);
  send_corosync(1, 11);
  EXPECT_EQ(corosync_out(0), 7u);
  EXPECT_EQ(corosync_out(1), 11u);

  // A re-apply of one is that instance's business alone.
  node_[0]->apply(policy_for(if0(0)));
  EXPECT_EQ(node_[0]->status().at(0).at("generation"), 2);
  EXPECT_EQ(node_[1]->status().at(0).at("generation"), 1);

  const auto d = node_[0]->run("detach");
  ASSERT_TRUE(d.ok()) << d.err;
  EXPECT_FALSE(std::filesystem::exists(node_[0]->pin_dir()));
  EXPECT_EQ(topo_[0]->node(0).exec_ok("tc filter show dev " + if0(0) + " egress"), "");
  // The other instance is still attached, pinned and counting.
  EXPECT_TRUE(std::filesystem::exists(node_[1]->pin_dir() + "/lw_ingress"));
  EXPECT_NE(topo_[1]->node(0).exec_ok("tc filter show dev " + if0(1) + " egress").find("lw_egress"),
            std::string::npos);
  send_corosync(1, 5);
  EXPECT_EQ(corosync_out(1), 16u);
  // Traffic on the detached node is no longer seen by anyone.
  send_corosync(0, 3);
  EXPECT_EQ(corosync_out(1), 16u);
}

}  // namespace
}  // namespace lw::test
