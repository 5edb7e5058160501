// SPDX-License-Identifier: GPL-2.0-only
// Counters are exact (docs/architecture.md "Data path"): bytes are the frame
// length, GSO packets count as the wire packets they carry, directions are
// apart, and a policy swap under traffic loses or misfiles nothing.
#include <atomic>
#include <thread>

#include "bpf_fixture.h"
#include "datapath/counters_view.h"

namespace lw::test::bpf {
namespace {

using namespace v4;

class Counters : public BpfTest {};

Bytes osd(size_t payload = 100) {
  return PacketBuilder().ipv4(kOut, kPubAndClu).tcp(kGuestPort, 6800).payload(payload).build();
}

TEST_F(Counters, BytesArePerFrameAndAddUp) {
  const Bytes small = osd(10), big = osd(1400);
  LW_EXPECT_RUN(small, {LW_CLASS_CEPH_CLUSTER});
  LW_EXPECT_RUN(big, {LW_CLASS_CEPH_CLUSTER});
  LW_EXPECT_RUN(big, {LW_CLASS_CEPH_CLUSTER});
  const auto c = sb().counters(kLoSlot);
  const auto& cell = c.c[LW_DIR_INGRESS][LW_CLASS_CEPH_CLUSTER][LW_VERDICT_PASS];
  EXPECT_EQ(cell.packets, 3u);
  EXPECT_EQ(cell.bytes, small.size() + 2 * big.size());
  EXPECT_EQ(datapath::total_packets(c), 3u);
  EXPECT_EQ(datapath::single_class_counted(c), "ceph_cluster");
}

TEST_F(Counters, RepeatedRunsCountEveryRun) {
  datapath::RunOptions o;
  o.repeat = 1000;
  LW_EXPECT_RUN(osd(), {LW_CLASS_CEPH_CLUSTER}, LW_DIR_EGRESS, o);
}

TEST_F(Counters, GsoPacketsCountTheirSegments) {
  // A 64 KB GSO skb is many wire packets: packets and reasons count segments,
  // bytes count the skb once (skb->len already covers all of them).
  const Bytes f = osd(1400);
  for (uint32_t segs : {2u, 44u}) {
    SCOPED_TRACE(std::to_string(segs) + " segments");
    datapath::RunOptions o;
    o.gso_segs = segs;
    LW_EXPECT_RUN(f, {LW_CLASS_CEPH_CLUSTER}, LW_DIR_EGRESS, o);
    LW_EXPECT_RUN(f, {LW_CLASS_CEPH_CLUSTER}, LW_DIR_INGRESS, o);
  }
  // gso_segs 0 and 1 are a single packet.
  for (uint32_t segs : {0u, 1u}) {
    datapath::RunOptions o;
    o.gso_segs = segs;
    LW_EXPECT_RUN(f, {LW_CLASS_CEPH_CLUSTER}, LW_DIR_EGRESS, o);
  }
  // Violations count segments too (Ceph on the corosync-only VLAN 100).
  datapath::RunOptions o;
  o.gso_segs = 7;
  LW_EXPECT_RUN(
      PacketBuilder().vlan(100).ipv4(kOut, kClu).tcp(kGuestPort, 6800).payload(1400).build(),
      {LW_CLASS_CEPH_CLUSTER, LW_PARSE_OK, LW_VERDICT_AUDIT}, LW_DIR_EGRESS, o);
}

TEST_F(Counters, IngressAndEgressAreCountedApart) {
  const Bytes f = PacketBuilder().ipv4(kCoroA, kCoroB).udp(5405, 5405).payload(64).build();
  for (int i = 0; i < 2; i++) sb().run(LW_DIR_INGRESS, f);
  for (int i = 0; i < 3; i++) sb().run(LW_DIR_EGRESS, f);
  const auto c = sb().counters(kLoSlot);
  EXPECT_EQ(c.c[LW_DIR_INGRESS][LW_CLASS_COROSYNC][LW_VERDICT_PASS].packets, 2u);
  EXPECT_EQ(c.c[LW_DIR_EGRESS][LW_CLASS_COROSYNC][LW_VERDICT_PASS].packets, 3u);
  EXPECT_EQ(c.c[LW_DIR_INGRESS][LW_CLASS_COROSYNC][LW_VERDICT_PASS].bytes, 2 * f.size());
  EXPECT_EQ(c.c[LW_DIR_EGRESS][LW_CLASS_COROSYNC][LW_VERDICT_PASS].bytes, 3 * f.size());
  EXPECT_EQ(c.parse[LW_DIR_INGRESS][LW_PARSE_OK], 2u);
  EXPECT_EQ(c.parse[LW_DIR_EGRESS][LW_PARSE_OK], 3u);
  EXPECT_EQ(datapath::total_packets(c), 5u);
}

TEST_F(Counters, ResetZeroesEverySlot) {
  sb().run(LW_DIR_INGRESS, osd());
  sb().reset_counters();
  EXPECT_EQ(datapath::total_packets(sb().counters(kLoSlot)), 0u);
  EXPECT_EQ(sb().counters(kLoSlot).parse[LW_DIR_INGRESS][LW_PARSE_OK], 0u);
}

// Policy A: the OSD address is in the Ceph cluster network. Policy B: the
// same subnet is a storage network and 6800 a storage port, so the same
// frame is storage. Any mix of the two would classify it as something else.
std::string swap_toml(bool b) {
  const std::string nets = b ? R"(
[networks]
storage = ["198.51.100.128/27"]
[class.storage]
tcp_ports = [6800]
)"
                             : R"(
[networks]
ceph_cluster = ["198.51.100.128/27"]
)";
  return "mode = \"audit\"\n" + nets + "[[lane]]\ninterface = \"lo\"\nclasses = [\"" +
         (b ? "storage" : "ceph_cluster") + "\", \"other\"]\n";
}

TEST_F(Counters, PolicySwapMovesTheClassAndLosesNothing) {
  const Bytes f = PacketBuilder().ipv4(kOut, kClu).tcp(kGuestPort, 6800).payload(100).build();
  datapath::RunOptions o;
  o.repeat = 100;
  install(swap_toml(false), 10);
  LW_EXPECT_RUN(f, {LW_CLASS_CEPH_CLUSTER}, LW_DIR_INGRESS, o);
  install(swap_toml(true), 11);
  LW_EXPECT_RUN(f, {LW_CLASS_STORAGE}, LW_DIR_INGRESS, o);
  const auto c = sb().counters(kLoSlot);
  EXPECT_EQ(c.c[LW_DIR_INGRESS][LW_CLASS_CEPH_CLUSTER][LW_VERDICT_PASS].packets, 100u);
  EXPECT_EQ(c.c[LW_DIR_INGRESS][LW_CLASS_STORAGE][LW_VERDICT_PASS].packets, 100u);
  EXPECT_EQ(datapath::total_packets(c), 200u);
}

TEST_F(Counters, SwapsUnderTrafficNeverShowAHalfPolicy) {
  // One thread runs the frame continuously, the other swaps A and B back and
  // forth: every packet lands under A's or B's class, none under another,
  // none lost.
  const Bytes f = PacketBuilder().ipv4(kOut, kClu).tcp(kGuestPort, 6800).payload(100).build();
  const auto a = compile_toml(swap_toml(false), 20);
  const auto b = compile_toml(swap_toml(true), 21);
  sb().install(*a);
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> sent{0};
  std::thread traffic([&] {
    datapath::RunOptions o;
    o.repeat = 50;
    while (!stop.load()) {
      sb().run(LW_DIR_EGRESS, f, o);
      sent += o.repeat;
    }
  });
  // Keep swapping until the traffic thread has run for a while, so the runs
  // really overlap the swaps.
  int swaps = 0;
  while (swaps < 300 || sent.load() < 20000) sb().install(swaps++ % 2 ? *a : *b);
  stop = true;
  traffic.join();
  const auto c = sb().counters(kLoSlot);
  const uint64_t ceph = c.c[LW_DIR_EGRESS][LW_CLASS_CEPH_CLUSTER][LW_VERDICT_PASS].packets;
  const uint64_t stor = c.c[LW_DIR_EGRESS][LW_CLASS_STORAGE][LW_VERDICT_PASS].packets;
  EXPECT_GT(ceph, 0u) << "no packet met policy A";
  EXPECT_GT(stor, 0u) << "no packet met policy B";
  EXPECT_EQ(ceph + stor, sent.load());
  EXPECT_EQ(datapath::total_packets(c), sent.load()) << "some packets met neither policy";
  EXPECT_EQ(c.parse[LW_DIR_EGRESS][LW_PARSE_OK], sent.load());
}

}  // namespace
}  // namespace lw::test::bpf
