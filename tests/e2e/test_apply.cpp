// SPDX-License-Identifier: GPL-2.0-only
// apply / status / detach end to end: two namespaces on a veth pair, the real
// binary on node 0, real frames and sockets. Counters must match exactly what
// was sent.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "support/lanewarden_cli.h"
#include "support/packet_builder.h"
#include "support/privilege.h"
#include "support/topology.h"
#include "support/traffic.h"

namespace lw::test {
namespace {

std::string pin_name(const char* what) {
  return std::string("lwt") + what + std::to_string(::getpid());
}

// Node 0's view: every class has a network, the interface carries them all,
// and VLAN 20 is an exclusive Ceph public lane.
std::string policy_for(const std::string& iface, const std::string& corosync_net) {
  return R"(mode = "audit"
[networks]
corosync = [")" +
         corosync_net + R"("]
ceph_public = ["203.0.113.0/26"]
ceph_cluster = ["203.0.113.64/26"]
migration = ["203.0.113.128/26"]
management = ["203.0.113.192/26"]
storage = ["2001:db8:100::/64"]
[[lane]]
interface = ")" +
         iface + R"("
classes = ["corosync", "ceph_public", "ceph_cluster", "migration", "management", "storage", "other"]
[[lane]]
interface = ")" +
         iface + R"("
vlan = 20
classes = ["ceph_public"]
exclusive = true
)";
}

class ApplyE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    topo_ = std::make_unique<Topology>(Topology::pair({.prefix = "lwtap"}));
    // Extra addresses so TCP to every class's network has real endpoints.
    for (const char* suffix : {"1/26", "65/26", "129/26", "193/26"}) {
      topo_->link(0).add_address_a(std::string("203.0.113.") + suffix);
    }
    for (const char* suffix : {"2/26", "66/26", "130/26", "194/26"}) {
      topo_->link(0).add_address_b(std::string("203.0.113.") + suffix);
    }
    node_ = std::make_unique<LanewardenNode>(LW_BINARY, topo_->node(0).name(), pin_name("ap"));
  }
  void TearDown() override {
    node_.reset();
    topo_.reset();
  }
  const std::string& if0() const { return topo_->node_if(0); }

  std::unique_ptr<Topology> topo_;
  std::unique_ptr<LanewardenNode> node_;
};

struct RawFlow {
  const char* cls;
  Bytes frame;
  size_t count;
};

TEST_F(ApplyE2E, IngressFramesAreCountedExactlyPerClassIncludingOffloadedVlanTags) {
  node_->apply(policy_for(if0(), "198.51.100.0/24"));
  // Frames addressed to a MAC nobody has: tc ingress sees them, the stack ignores them.
  auto base = [] { return PacketBuilder().eth("02:00:00:00:00:aa", "02:00:00:00:00:99"); };
  std::vector<RawFlow> flows = {
      {"corosync",
       base().ipv4("198.51.100.20", "198.51.100.21").udp(5405, 5405).payload(100).build(), 5},
      {"ceph_public", base().ipv4("203.0.113.10", "203.0.113.11").tcp(40000, 6789).build(), 6},
      {"ceph_cluster", base().ipv4("203.0.113.70", "203.0.113.71").tcp(40000, 6800).build(), 7},
      {"migration", base().ipv4("203.0.113.140", "203.0.113.141").tcp(40000, 60001).build(), 8},
      {"management", base().ipv4("203.0.113.200", "203.0.113.201").tcp(40000, 8006).build(), 9},
      {"storage", base().ipv6("2001:db8:100::20", "2001:db8:100::21").tcp(40000, 2049).build(), 10},
      {"other", base().ipv4("198.51.100.20", "198.51.100.21").tcp(40000, 443).build(), 4},
  };
  for (const auto& f : flows)
    ASSERT_EQ(send_raw_frame(topo_->node(1), topo_->node_if(1), f.frame, f.count), f.count);
  // Tagged frames: the veth receive path moves the tag into skb->vlan_tci.
  auto vlan_ceph = base().vlan(20).ipv4("203.0.113.10", "203.0.113.11").tcp(40001, 6789).build();
  auto vlan_mgmt = base().vlan(20).ipv4("203.0.113.200", "203.0.113.201").tcp(40001, 8006).build();
  ASSERT_EQ(send_raw_frame(topo_->node(1), topo_->node_if(1), vlan_ceph, 3), 3u);
  ASSERT_EQ(send_raw_frame(topo_->node(1), topo_->node_if(1), vlan_mgmt, 2), 2u);

  auto status = node_->status();
  const nlohmann::json* iface = nullptr;
  for (const auto& o : status)
    if (o.value("type", "") == "iface" && o.value("iface", "") == if0()) iface = &o;
  ASSERT_NE(iface, nullptr) << "status lists no " << if0();
  for (const auto& f : flows) {
    uint64_t expect = f.count + (std::string(f.cls) == "ceph_public" ? 3 : 0);
    EXPECT_EQ(counted_packets(*iface, "ingress", f.cls, "pass"), expect) << f.cls;
  }
  // Management on the exclusive Ceph VLAN is an intruder: passed (audit) and counted so.
  EXPECT_EQ(counted_packets(*iface, "ingress", "management", "audit"), 2u);
  // Bytes are the frame lengths as tc sees them.
  uint64_t coro_bytes = 0;
  for (const auto& c : iface->at("counters"))
    if (c["dir"] == "ingress" && c["class"] == "corosync") coro_bytes += c["bytes"].get<uint64_t>();
  EXPECT_EQ(coro_bytes, 5 * flows[0].frame.size());
  // The interface's lanes are reported as applied.
  EXPECT_EQ(iface->at("vlan_lanes").at(0).at("vlan"), 20);
  EXPECT_EQ(iface->at("vlan_lanes").at(0).at("exclusive"), true);
}

TEST_F(ApplyE2E, EgressSocketsAreCountedExactly) {
  node_->apply(policy_for(if0(), "198.51.100.0/24"));
  UdpSink coro_sink(topo_->node(1), "198.51.100.2", 5405);
  UdpSink nfs_sink(topo_->node(1), "::", 2049);
  ASSERT_EQ(send_udp(topo_->node(0), {.dst = "198.51.100.2",
                                      .dport = 5405,
                                      .sport = 5405,
                                      .src = "198.51.100.1",
                                      .size = 120,
                                      .count = 13}),
            13u);
  ASSERT_EQ(send_udp(topo_->node(0), {.dst = "2001:db8:100::2", .dport = 2049, .count = 12}), 12u);
  EXPECT_EQ(coro_sink.receive(13, 5s), 13u);
  EXPECT_EQ(nfs_sink.receive(12, 5s), 12u);
  TcpSink mig_sink(topo_->node(1), "203.0.113.130", 60000);
  auto sent = send_tcp(topo_->node(0), {.dst = "203.0.113.130", .dport = 60000, .bytes = 200000});
  ASSERT_TRUE(sent.connected) << sent.error;
  EXPECT_EQ(mig_sink.wait_for_bytes(200000, 5s), 200000u);

  EXPECT_EQ(node_->packets(if0(), "egress", "corosync"), 13u);
  EXPECT_EQ(node_->packets(if0(), "egress", "storage"), 12u);
  // TCP segment counts depend on GSO; they must all land in migration, both ways.
  EXPECT_GE(node_->packets(if0(), "egress", "migration"), 4u);
  EXPECT_GE(node_->packets(if0(), "ingress", "migration"), 3u);
  EXPECT_EQ(node_->packets(if0(), "egress", "other"), 0u);
  EXPECT_EQ(node_->packets(if0(), "egress", "management"), 0u);
}

TEST_F(ApplyE2E, PolicySwapUnderTrafficLosesNoPacket) {
  const std::string with = policy_for(if0(), "198.51.100.0/24");
  const std::string without = policy_for(if0(), "198.51.100.128/25");  // .1/.2 are other now
  node_->apply(with);
  UdpSink sink(topo_->node(1), "198.51.100.2", 5405);
  std::atomic<size_t> sent{0};
  std::jthread sender([&] {
    sent = send_udp(topo_->node(0), {.dst = "198.51.100.2",
                                     .dport = 5405,
                                     .sport = 5405,
                                     .size = 64,
                                     .count = 30000,
                                     .timeout = 30s});
  });
  // jthread joins even when an apply throws, so a failure cannot abort the run.
  for (int i = 0; i < 10; i++) node_->apply(i % 2 ? with : without);
  sender.join();
  ASSERT_GT(sent.load(), 0u);
  const uint64_t coro = node_->packets(if0(), "egress", "corosync");
  const uint64_t other = node_->packets(if0(), "egress", "other");
  // Every datagram met one whole policy or the other: none uncounted, none twice.
  EXPECT_EQ(coro + other, sent.load());
  EXPECT_GT(coro, 0u);
  auto st = node_->status();
  EXPECT_EQ(st.at(0).at("generation"), 11);
}

TEST_F(ApplyE2E, ForeignFilterKeepsWorkingAndDetachLeavesNoTrace) {
  const std::string ns = topo_->node(0).name();
  const std::string obj = std::string(LW_BUILD_DIR) + "/bpf/empty.bpf.o";
  // Someone else's clsact and filter, there before lanewarden.
  topo_->node(0).exec_ok("tc qdisc add dev " + if0() + " clsact");
  topo_->node(0).exec_ok("tc filter add dev " + if0() + " ingress prio 10 bpf da obj " + obj +
                         " sec tc");
  node_->apply(policy_for(if0(), "198.51.100.0/24"));
  auto filters = topo_->node(0).exec_ok("tc filter show dev " + if0() + " ingress");
  EXPECT_NE(filters.find("lw_empty"), std::string::npos) << filters;
  EXPECT_NE(filters.find("lw_ingress"), std::string::npos) << filters;
  // Traffic still flows through both (lanewarden passes with TC_ACT_UNSPEC).
  EXPECT_TRUE(topo_->node(0).exec("ping -c 2 -i 0.2 -W 2 198.51.100.2").ok());

  auto r = node_->run("detach");
  ASSERT_TRUE(r.ok()) << r.err;
  filters = topo_->node(0).exec_ok("tc filter show dev " + if0() + " ingress");
  EXPECT_NE(filters.find("lw_empty"), std::string::npos) << "foreign filter removed: " << filters;
  EXPECT_EQ(filters.find("lw_ingress"), std::string::npos) << filters;
  EXPECT_NE(topo_->node(0).exec_ok("tc qdisc show dev " + if0()).find("clsact"), std::string::npos)
      << "a clsact lanewarden did not create must stay";
  EXPECT_FALSE(std::filesystem::exists(node_->pin_dir()));
}

TEST_F(ApplyE2E, DetachRemovesTheClsactItCreated) {
  node_->apply(policy_for(if0(), "198.51.100.0/24"));
  ASSERT_NE(topo_->node(0).exec_ok("tc qdisc show dev " + if0()).find("clsact"), std::string::npos);
  auto ids = topo_->node(0).exec_ok("tc filter show dev " + if0() + " egress");
  ASSERT_NE(ids.find("lw_egress"), std::string::npos);
  ASSERT_TRUE(node_->run("detach").ok());
  EXPECT_EQ(topo_->node(0).exec_ok("tc qdisc show dev " + if0()).find("clsact"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(node_->pin_dir()));
  // A second detach is harmless.
  auto again = node_->run("detach");
  EXPECT_TRUE(again.ok()) << again.err;
}

TEST_F(ApplyE2E, InvalidPolicyAndDryRunChangeNothing) {
  auto bad = node_->run("apply /dev/null");
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(node_->pin_dir()));

  const std::string file = "/tmp/" + pin_name("dry") + ".toml";
  {
    std::ofstream f(file);
    f << policy_for(if0(), "198.51.100.0/24");
  }
  auto dry = node_->run("apply --dry-run " + file);
  EXPECT_TRUE(dry.ok()) << dry.err;
  EXPECT_NE(dry.out.find("would apply"), std::string::npos) << dry.out;
  EXPECT_FALSE(std::filesystem::exists(node_->pin_dir()));
  EXPECT_EQ(topo_->node(0).exec_ok("tc qdisc show dev " + if0()).find("clsact"), std::string::npos);

  // A policy naming a missing interface fails with its file:line, nothing attached.
  {
    std::ofstream f(file);
    f << policy_for("lwtnothere0", "198.51.100.0/24");
  }
  auto missing = node_->run("apply " + file);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find(file + ":9:"), std::string::npos) << missing.err;
  EXPECT_FALSE(std::filesystem::exists(node_->pin_dir()));
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace lw::test
