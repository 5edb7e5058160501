// SPDX-License-Identifier: GPL-2.0-only
// Lane enforcement with real sockets: Ceph traffic that strays onto the
// exclusive Corosync NIC fails in enforce mode and flows in audit mode, and
// `watch` reports it with kind, class, interface and 5-tuple either way.
#include <future>
#include <thread>

#include "support/packet_builder.h"
#include "support/traffic.h"
#include "test_enforce_support.h"

namespace lw::test::enforce {
namespace {

constexpr uint16_t kCephSport = 41000;

const nlohmann::json* find_ceph_event(const std::vector<nlohmann::json>& events,
                                      const std::string& iface) {
  for (const auto& e : events)
    if (e.at("kind") == "intruder" && e.at("class") == "ceph_public" && e.at("iface") == iface &&
        e.at("dir") == "egress" && e.at("sport") == kCephSport)
      return &e;
  return nullptr;
}

void expect_ceph_tuple(const nlohmann::json& e) {
  EXPECT_EQ(e.at("proto"), "tcp");
  EXPECT_EQ(e.at("src"), "203.0.113.129");
  EXPECT_EQ(e.at("dst"), "203.0.113.130");
  EXPECT_EQ(e.at("sport"), kCephSport);
  EXPECT_EQ(e.at("dport"), 6800);
  EXPECT_EQ(e.at("vlan"), 0);
  EXPECT_GT(e.at("len").get<uint64_t>(), 0u);
  // RFC 3339 UTC with nanoseconds: 2024-01-01T00:00:00.000000000Z
  const std::string ts = e.at("ts");
  EXPECT_EQ(ts.size(), 30u) << ts;
  EXPECT_EQ(ts.back(), 'Z');
}

class EnforceLanes : public TwoLinkNode {};

TEST_F(EnforceLanes, CephOnTheCorosyncLaneIsDroppedInEnforceAndReported) {
  node_->apply(policy("enforce"));
  TcpSink sink(*b_, "203.0.113.130", 6800);
  auto r = send_tcp(
      *a_,
      {.dst = "203.0.113.130", .dport = 6800, .sport = kCephSport, .bytes = 10000, .timeout = 2s});
  EXPECT_FALSE(r.connected && r.error.empty()) << "the connection should have failed";
  EXPECT_EQ(sink.bytes(), 0u);

  auto w = watch("--duration 1");
  const auto* e = find_ceph_event(w.events, coro_->name_a());
  ASSERT_NE(e, nullptr) << "no ceph_public intruder event on " << coro_->name_a();
  EXPECT_EQ(e->at("action"), "drop");
  expect_ceph_tuple(*e);
  EXPECT_GT(node_->packets(coro_->name_a(), "egress", "ceph_public", "drop"), 0u);
  EXPECT_EQ(w.summary.at("delivered"), w.events.size());
}

TEST_F(EnforceLanes, CephOnTheCorosyncLanePassesInAuditAndIsReported) {
  node_->apply(policy("enforce"), "--mode audit");
  TcpSink sink(*b_, "203.0.113.130", 6800);
  auto r = send_tcp(
      *a_,
      {.dst = "203.0.113.130", .dport = 6800, .sport = kCephSport, .bytes = 100000, .timeout = 5s});
  EXPECT_TRUE(r.connected);
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(sink.wait_for_bytes(100000, 5s), 100000u);

  auto w = watch("--duration 1 --class ceph_public");
  const auto* e = find_ceph_event(w.events, coro_->name_a());
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->at("action"), "pass");
  expect_ceph_tuple(*e);
  for (const auto& ev : w.events) EXPECT_EQ(ev.at("class"), "ceph_public");
  // Flood control: one event per flow and direction, the rest suppressed.
  EXPECT_LE(w.events.size(), 4u);
  EXPECT_EQ(node_->packets(coro_->name_a(), "egress", "ceph_public", "drop"), 0u);
  EXPECT_GT(node_->packets(coro_->name_a(), "egress", "ceph_public", "audit"), 0u);
}

TEST_F(EnforceLanes, CorosyncOnItsLaneIsUntouched) {
  node_->apply(policy("enforce"));
  UdpSink sink(*b_, "198.51.100.2", 5405);
  EXPECT_EQ(send_udp(*a_, {.dst = "198.51.100.2", .dport = 5405, .sport = 5405, .count = 200}),
            200u);
  EXPECT_EQ(sink.receive(200, 5s), 200u);
  EXPECT_EQ(node_->packets(coro_->name_a(), "egress", "corosync", "pass"), 200u);
  auto w = watch("--duration 0.5");
  for (const auto& e : w.events) EXPECT_NE(e.at("class"), "corosync") << e.dump();
  for (const auto& obj : node_->status()) {
    if (obj.value("type", "") == "iface") {
      EXPECT_TRUE(obj.at("violations").empty()) << obj.dump();
    }
  }
}

TEST_F(EnforceLanes, TaggedFrameOnTheWrongVlanIsReportedWhileWatching) {
  node_->apply(policy("audit"));
  // Watch first: the event must stream to a running watcher.
  auto watcher =
      std::async(std::launch::async, [this] { return watch("--count 1 --duration 10"); });
  std::this_thread::sleep_for(500ms);
  // NFS on VLAN 21 from the peer: the storage lane is VLAN 20. The kernel
  // moves the tag into skb->vlan_tci before tc ingress sees it.
  auto frame = PacketBuilder()
                   .vlan(21)
                   .ipv4("203.0.113.2", "203.0.113.1")
                   .tcp(900, 2049)
                   .payload(100)
                   .build();
  EXPECT_EQ(send_raw_frame(*b_, stor_->name_b(), frame, 3), 3u);
  auto w = watcher.get();
  ASSERT_EQ(w.events.size(), 1u);
  const auto& e = w.events[0];
  EXPECT_EQ(e.at("kind"), "wrong_lane");
  EXPECT_EQ(e.at("class"), "storage");
  EXPECT_EQ(e.at("iface"), stor_->name_a());
  EXPECT_EQ(e.at("dir"), "ingress");
  EXPECT_EQ(e.at("vlan"), 21);
  EXPECT_EQ(e.at("src"), "203.0.113.2");
  EXPECT_EQ(e.at("dport"), 2049);
  EXPECT_EQ(e.at("action"), "pass");
  EXPECT_EQ(w.summary.at("delivered"), 1);

  auto status = node_->run("status");
  EXPECT_NE(status.out.find("wrong_lane storage 3"), std::string::npos) << status.out;
}

}  // namespace
}  // namespace lw::test::enforce
