// SPDX-License-Identifier: GPL-2.0-only
// VLAN tags in the packet (BPF_PROG_TEST_RUN cannot set skb->vlan_tci; the
// offloaded-tag path is covered end to end on veth). The outermost tag names
// the lane: VLAN 100 of lo is exclusive to corosync, VLAN 200 carries Ceph,
// every other VLAN falls back to the interface-wide lane of lo.
#include "bpf_fixture.h"

namespace lw::test::bpf {
namespace {

using namespace v4;

class Vlan : public BpfTest {};

Bytes ceph(PacketBuilder b) {
  return b.ipv4(kClu, kClu2).tcp(kGuestPort, 6800).payload(100).build();
}
Bytes corosync(PacketBuilder b) {
  return b.ipv4(kCoroA, kCoroB).udp(5405, 5405).payload(64).build();
}

TEST_F(Vlan, SingleTagIsParsedThrough) {
  LW_EXPECT_BOTH_DIRS(corosync(PacketBuilder().vlan(100)), {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(ceph(PacketBuilder().vlan(200)), {LW_CLASS_CEPH_CLUSTER});
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().vlan(200).ipv6(v6::kPub, v6::kPub2).tcp(kGuestPort, 3300).build(),
      {LW_CLASS_CEPH_PUBLIC});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().vlan(100).arp().build(), {LW_CLASS_INFRA, LW_PARSE_NOT_IP});
}

TEST_F(Vlan, QinQIsParsedThrough) {
  // 802.1ad outer + 802.1Q inner.
  LW_EXPECT_BOTH_DIRS(corosync(PacketBuilder().qinq(100, 7)), {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(ceph(PacketBuilder().qinq(200, 7)), {LW_CLASS_CEPH_CLUSTER});
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().qinq(300, 7).ipv6(v6::kMgmt, v6::kOut).tcp(8006, kGuestPort).build(),
      {LW_CLASS_MANAGEMENT});
}

TEST_F(Vlan, ForeignClassOnAnExclusiveVlanLaneIsAnIntruder) {
  // Audit mode: counted as audit, passed.
  LW_EXPECT_BOTH_DIRS(ceph(PacketBuilder().vlan(100)),
                      {LW_CLASS_CEPH_CLUSTER, LW_PARSE_OK, LW_VERDICT_AUDIT});
  EXPECT_EQ(violations(LW_DIR_INGRESS, LW_VIOL_INTRUDER, LW_CLASS_CEPH_CLUSTER), 1u);
  EXPECT_EQ(violations(LW_DIR_EGRESS, LW_VIOL_INTRUDER, LW_CLASS_CEPH_CLUSTER), 1u);
}

TEST_F(Vlan, ConstrainedClassOnAnotherVlanLaneIsWrongLane) {
  // VLAN 200 allows Ceph only and is not exclusive: corosync there is on the
  // wrong lane, guest traffic is tolerated.
  LW_EXPECT_BOTH_DIRS(corosync(PacketBuilder().vlan(200)),
                      {LW_CLASS_COROSYNC, LW_PARSE_OK, LW_VERDICT_AUDIT});
  EXPECT_EQ(violations(LW_DIR_INGRESS, LW_VIOL_WRONG_LANE, LW_CLASS_COROSYNC), 1u);
  LW_EXPECT_BOTH_DIRS(PacketBuilder().vlan(200).ipv4(kOut, kOut2).tcp(kGuestPort, 443).build(),
                      {LW_CLASS_OTHER});
}

TEST_F(Vlan, VlanWithoutALaneFallsBackToTheInterfaceLane) {
  // lo's untagged lane allows every class: nothing is a violation on VLAN 300.
  LW_EXPECT_BOTH_DIRS(corosync(PacketBuilder().vlan(300)), {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(ceph(PacketBuilder().vlan(300)), {LW_CLASS_CEPH_CLUSTER});
  // Priority-tagged (VLAN id 0) frames are untagged for lane purposes.
  LW_EXPECT_BOTH_DIRS(ceph(PacketBuilder().vlan(0, 5)), {LW_CLASS_CEPH_CLUSTER});
}

TEST_F(Vlan, TheOuterTagNamesTheLane) {
  // Outer 200 (Ceph lane), inner 100: the Ceph lane applies, no violation.
  LW_EXPECT_BOTH_DIRS(ceph(PacketBuilder().qinq(200, 100)), {LW_CLASS_CEPH_CLUSTER});
  // Outer 100 (corosync only, exclusive), inner 200: Ceph is an intruder.
  LW_EXPECT_BOTH_DIRS(ceph(PacketBuilder().qinq(100, 200)),
                      {LW_CLASS_CEPH_CLUSTER, LW_PARSE_OK, LW_VERDICT_AUDIT});
  // Outer tag without a lane, inner 100: the interface lane, not VLAN 100's.
  LW_EXPECT_BOTH_DIRS(ceph(PacketBuilder().qinq(300, 100)), {LW_CLASS_CEPH_CLUSTER});
  // Two 802.1Q tags (no 802.1ad) are the same to the parser.
  LW_EXPECT_BOTH_DIRS(ceph(PacketBuilder().vlan(100).vlan(200)),
                      {LW_CLASS_CEPH_CLUSTER, LW_PARSE_OK, LW_VERDICT_AUDIT});
}

TEST_F(Vlan, ThreeTagsAreTooDeep) {
  // More tags than the parser walks: counted, class other, never a crash.
  LW_EXPECT_BOTH_DIRS(corosync(PacketBuilder().vlan(300, 0, kTpid8021ad).vlan(7).vlan(8)),
                      {LW_CLASS_OTHER, LW_PARSE_VLAN_TOO_DEEP});
  // The outer tag still names the lane: on the exclusive corosync VLAN an
  // unparseable frame is an intruder like any other foreign traffic.
  LW_EXPECT_BOTH_DIRS(corosync(PacketBuilder().vlan(100, 0, kTpid8021ad).vlan(7).vlan(8)),
                      {LW_CLASS_OTHER, LW_PARSE_VLAN_TOO_DEEP, LW_VERDICT_AUDIT});
}

TEST_F(Vlan, TruncatedTags) {
  // Ethernet header announcing a tag with nothing after it.
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ethertype(0x8100).build(),
                      {LW_CLASS_OTHER, LW_PARSE_TRUNC_VLAN});
  // Half a tag.
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().vlan(300).ipv4(kCoroA, kCoroB).udp(5405, 5405).truncate(16).build(),
      {LW_CLASS_OTHER, LW_PARSE_TRUNC_VLAN});
  // Complete outer tag, inner tag cut short.
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().qinq(300, 7).ipv4(kCoroA, kCoroB).udp(5405, 5405).truncate(20).build(),
      {LW_CLASS_OTHER, LW_PARSE_TRUNC_VLAN});
}

}  // namespace
}  // namespace lw::test::bpf
