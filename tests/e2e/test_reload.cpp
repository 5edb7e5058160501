// SPDX-License-Identifier: GPL-2.0-only
// Reload under traffic: continuous traffic in every class while the policy is
// swapped 100 times between two policies that classify some of it
// differently. Afterwards every packet sent is counted exactly once, under a
// class one of the two policies gives it: none uncounted, none twice, none
// under a class neither policy assigns.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <thread>

#include "support/lanewarden_cli.h"
#include "support/packet_builder.h"
#include "support/privilege.h"
#include "support/topology.h"
#include "support/traffic.h"

namespace lw::test {
namespace {

constexpr int kSwaps = 100;

std::string pin_name(const char* what) {
  return std::string("lwt") + what + std::to_string(::getpid());
}

// Policy A and B differ in two networks: B moves Corosync to the upper half
// of 198.51.100.0/24 (the test's Corosync flows become `other`) and makes
// 203.0.113.64/26 a Ceph public network instead of a cluster one (OSD
// traffic there becomes `ceph_public`). Everything else is the same.
std::string reload_policy(const std::string& iface, bool b) {
  const std::string corosync = b ? "198.51.100.128/25" : "198.51.100.0/24";
  const std::string ceph_public =
      b ? R"("203.0.113.0/26", "203.0.113.64/26")" : R"("203.0.113.0/26")";
  const std::string ceph_cluster = b ? "2001:db8:300::/64" : "203.0.113.64/26";
  return R"(mode = "audit"
[networks]
corosync = [")" +
         corosync + R"("]
ceph_public = [)" +
         ceph_public + R"(]
ceph_cluster = [")" +
         ceph_cluster + R"("]
migration = ["203.0.113.128/26"]
management = ["203.0.113.192/26"]
storage = ["2001:db8:100::/64"]
[[lane]]
interface = ")" +
         iface + R"("
classes = ["corosync", "ceph_public", "ceph_cluster", "migration", "management", "storage", "other"]
)";
}

struct Flow {
  const char* name;
  Bytes frame;
  std::atomic<uint64_t> sent{0};
};

class ReloadE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    topo_ = std::make_unique<Topology>(Topology::pair({.prefix = "lwtrl"}));
    node_ = std::make_unique<LanewardenNode>(LW_BINARY, topo_->node(0).name(), pin_name("rl"));
  }
  void TearDown() override {
    node_.reset();
    topo_.reset();
  }
  const std::string& if0() const { return topo_->node_if(0); }

  std::unique_ptr<Topology> topo_;
  std::unique_ptr<LanewardenNode> node_;
};

uint64_t count_of(const nlohmann::json& iface, const char* dir, const char* cls) {
  return counted_packets(iface, dir, cls);
}

TEST_F(ReloadE2E, HundredSwapsUnderTrafficCountEveryPacketOnceUnderAPolicyInForce) {
  const std::string a = reload_policy(if0(), false), b = reload_policy(if0(), true);
  node_->apply(a);

  // Ingress: frames from node 1 to a MAC nobody has, one flow per class
  // (tc ingress of node 0 sees them, the stack drops them).
  auto base = [] { return PacketBuilder().eth("02:00:00:00:00:aa", "02:00:00:00:00:99"); };
  std::array<Flow, 7> flows{{
      {"corosync|other",
       base().ipv4("198.51.100.20", "198.51.100.21").udp(5405, 5405).payload(100).build()},
      {"ceph_public", base().ipv4("203.0.113.10", "203.0.113.11").tcp(40000, 6789).build()},
      {"ceph_cluster|ceph_public",
       base().ipv4("203.0.113.70", "203.0.113.71").tcp(40000, 6800).build()},
      {"migration", base().ipv4("203.0.113.140", "203.0.113.141").tcp(40000, 60001).build()},
      {"management", base().ipv4("203.0.113.200", "203.0.113.201").tcp(40000, 8006).build()},
      {"storage", base().ipv6("2001:db8:100::20", "2001:db8:100::21").udp(40000, 2049).build()},
      {"other", base().ipv4("198.51.100.20", "198.51.100.21").tcp(40000, 443).build()},
  }};
  // Egress: Corosync datagrams from node 0's socket (corosync under A, other under B).
  UdpSink sink(topo_->node(1), "198.51.100.2", 5405);
  std::atomic<uint64_t> egress_sent{0};
  std::atomic<bool> stop{false};

  std::jthread ingress([&] {
    while (!stop) {
      for (auto& f : flows) f.sent += send_raw_frame(topo_->node(1), topo_->node_if(1), f.frame, 5);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  std::jthread egress([&] {
    while (!stop) {
      egress_sent += send_udp(topo_->node(0), {.dst = "198.51.100.2",
                                               .dport = 5405,
                                               .sport = 5405,
                                               .src = "198.51.100.1",
                                               .size = 64,
                                               .count = 20});
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  // Bounded: the swaps end the traffic, and a failed apply stops it too.
  try {
    for (int i = 0; i < kSwaps; i++) node_->apply(i % 2 ? a : b);
  } catch (...) {
    stop = true;
    throw;
  }
  stop = true;
  ingress.join();
  egress.join();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the last frames land

  const auto status = node_->status();
  const nlohmann::json* iface = nullptr;
  for (const auto& o : status)
    if (o.value("type", "") == "iface" && o.value("iface", "") == if0()) iface = &o;
  ASSERT_NE(iface, nullptr);
  EXPECT_EQ(status.at(0).at("generation"), kSwaps + 1);
  auto sent = [&](size_t i) { return flows[i].sent.load(); };
  for (size_t i = 0; i < flows.size(); i++) ASSERT_GT(sent(i), 0u) << flows[i].name;

  // Flows both policies classify alike: exactly their count.
  EXPECT_EQ(count_of(*iface, "ingress", "migration"), sent(3));
  EXPECT_EQ(count_of(*iface, "ingress", "management"), sent(4));
  EXPECT_EQ(count_of(*iface, "ingress", "storage"), sent(5));
  // Flows the policies classify differently: split between the two classes
  // they assign, never elsewhere, and the pair adds up exactly.
  const uint64_t coro = count_of(*iface, "ingress", "corosync");
  const uint64_t other = count_of(*iface, "ingress", "other");
  EXPECT_EQ(coro + other, sent(0) + sent(6));
  EXPECT_LE(coro, sent(0));
  EXPECT_GT(coro, 0u) << "policy A never saw the Corosync flow";
  EXPECT_GT(other, sent(6)) << "policy B never saw the Corosync flow";
  const uint64_t pub = count_of(*iface, "ingress", "ceph_public");
  const uint64_t clu = count_of(*iface, "ingress", "ceph_cluster");
  EXPECT_EQ(pub + clu, sent(1) + sent(2));
  EXPECT_LE(clu, sent(2));
  EXPECT_GT(clu, 0u);
  EXPECT_GT(pub, sent(1));
  // Nothing in a verdict other than pass (audit mode, no violations here).
  for (const char* cls :
       {"corosync", "ceph_public", "ceph_cluster", "migration", "management", "storage", "other"})
    EXPECT_EQ(counted_packets(*iface, "ingress", cls, "audit") +
                  counted_packets(*iface, "ingress", cls, "drop"),
              0u)
        << cls;

  // Egress: every datagram the socket sent, once, as corosync or other.
  const uint64_t e_coro = count_of(*iface, "egress", "corosync");
  const uint64_t e_other = count_of(*iface, "egress", "other");
  EXPECT_EQ(e_coro + e_other, egress_sent.load());
  EXPECT_GT(e_coro, 0u);
  EXPECT_GT(e_other, 0u);
  for (const char* cls : {"ceph_public", "ceph_cluster", "migration", "management", "storage"})
    EXPECT_EQ(count_of(*iface, "egress", cls), 0u) << cls;
  RecordProperty("ingress_frames", std::to_string(sent(0) + sent(1) + sent(2) + sent(3) + sent(4) +
                                                  sent(5) + sent(6)));
  RecordProperty("egress_datagrams", std::to_string(egress_sent.load()));
}

}  // namespace
}  // namespace lw::test
