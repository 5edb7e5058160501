// SPDX-License-Identifier: GPL-2.0-only
// Lanes and verdicts: which class may use which interface/VLAN, and what
// audit and enforce mode do about the rest. Each test installs its own
// policy into the suite's sandbox (SetUp restores the representative one).
#include <net/if.h>

#include "bpf_fixture.h"

namespace lw::test::bpf {
namespace {

using namespace v4;

// lo untagged: corosync only, exclusive. VLAN 200 of lo: Ceph, not exclusive.
// "ghost" (another interface): migration, storage, management, so those
// classes have lanes elsewhere.
std::string lanes_toml(const std::string& mode, const std::string& extra = "") {
  return "mode = \"" + mode + "\"\n" + networks_toml() + R"(
[[lane]]
interface = "lo"
classes = ["corosync"]
exclusive = true

[[lane]]
interface = "lo"
vlan = 200
classes = ["ceph_public", "ceph_cluster"]

[[lane]]
interface = "ghost"
classes = ["migration", "storage", "management"]
)" + extra;
}

class Lanes : public BpfTest {};

Bytes ceph(std::optional<uint16_t> vlan = std::nullopt) {
  PacketBuilder b;
  if (vlan) b.vlan(*vlan);
  return b.ipv4(kOut, kClu).tcp(kGuestPort, 6800).payload(100).build();
}
Bytes corosync(std::optional<uint16_t> vlan = std::nullopt) {
  PacketBuilder b;
  if (vlan) b.vlan(*vlan);
  return b.ipv4(kCoroA, kCoroB).udp(5405, 5405).payload(64).build();
}
Bytes migration(std::optional<uint16_t> vlan = std::nullopt) {
  PacketBuilder b;
  if (vlan) b.vlan(*vlan);
  return b.ipv6(v6::kOut, v6::kMig).tcp(kGuestPort, 60000).payload(100).build();
}
Bytes guest(std::optional<uint16_t> vlan = std::nullopt) {
  PacketBuilder b;
  if (vlan) b.vlan(*vlan);
  return b.ipv4(kOut, kOut2).tcp(kGuestPort, 443).payload(100).build();
}

TEST_F(Lanes, ClassesOnTheirOwnLanePass) {
  install(lanes_toml("enforce"));
  LW_EXPECT_BOTH_DIRS(corosync(), {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(ceph(200), {LW_CLASS_CEPH_CLUSTER});
  EXPECT_EQ(events_since_setup(), 0u);
}

TEST_F(Lanes, IntruderOnAnExclusiveLaneAuditMode) {
  install(lanes_toml("audit"));
  LW_EXPECT_RUN(ceph(), {LW_CLASS_CEPH_CLUSTER, LW_PARSE_OK, LW_VERDICT_AUDIT});
  LW_EXPECT_RUN(migration(), {LW_CLASS_MIGRATION, LW_PARSE_OK, LW_VERDICT_AUDIT}, LW_DIR_EGRESS);
  // Guest traffic on a lane exclusive to corosync is an intruder too.
  LW_EXPECT_RUN(guest(), {LW_CLASS_OTHER, LW_PARSE_OK, LW_VERDICT_AUDIT});
  EXPECT_EQ(violations(LW_DIR_INGRESS, LW_VIOL_INTRUDER, LW_CLASS_CEPH_CLUSTER), 1u);
  EXPECT_EQ(violations(LW_DIR_EGRESS, LW_VIOL_INTRUDER, LW_CLASS_MIGRATION), 1u);
  EXPECT_EQ(violations(LW_DIR_INGRESS, LW_VIOL_INTRUDER, LW_CLASS_OTHER), 1u);
}

TEST_F(Lanes, IntruderOnAnExclusiveLaneEnforceMode) {
  install(lanes_toml("enforce"));
  LW_EXPECT_BOTH_DIRS(ceph(), {LW_CLASS_CEPH_CLUSTER, LW_PARSE_OK, LW_VERDICT_DROP});
  LW_EXPECT_BOTH_DIRS(migration(), {LW_CLASS_MIGRATION, LW_PARSE_OK, LW_VERDICT_DROP});
  LW_EXPECT_BOTH_DIRS(guest(), {LW_CLASS_OTHER, LW_PARSE_OK, LW_VERDICT_DROP});
  EXPECT_EQ(violations(LW_DIR_INGRESS, LW_VIOL_INTRUDER, LW_CLASS_CEPH_CLUSTER), 1u);
  EXPECT_EQ(violations(LW_DIR_EGRESS, LW_VIOL_INTRUDER, LW_CLASS_CEPH_CLUSTER), 1u);
}

TEST_F(Lanes, WrongLaneFollowsTheMode) {
  // Migration has its lane on "ghost"; seen on VLAN 200 of lo (not exclusive).
  install(lanes_toml("audit"));
  LW_EXPECT_BOTH_DIRS(migration(200), {LW_CLASS_MIGRATION, LW_PARSE_OK, LW_VERDICT_AUDIT});
  EXPECT_EQ(violations(LW_DIR_INGRESS, LW_VIOL_WRONG_LANE, LW_CLASS_MIGRATION), 1u);
  EXPECT_EQ(violations(LW_DIR_EGRESS, LW_VIOL_WRONG_LANE, LW_CLASS_MIGRATION), 1u);

  install(lanes_toml("enforce"));
  LW_EXPECT_BOTH_DIRS(migration(200), {LW_CLASS_MIGRATION, LW_PARSE_OK, LW_VERDICT_DROP});
  // Violation counters live on across policy swaps: one audited, one dropped.
  EXPECT_EQ(violations(LW_DIR_INGRESS, LW_VIOL_WRONG_LANE, LW_CLASS_MIGRATION), 2u);
  // Guest traffic has no lane anywhere: tolerated on a non-exclusive lane.
  LW_EXPECT_BOTH_DIRS(guest(200), {LW_CLASS_OTHER});
}

TEST_F(Lanes, PerClassActionOverridesTheMode) {
  // enforce overall, but storage only audited; audit overall, migration enforced.
  install(lanes_toml("enforce", "[class.storage]\naction = \"audit\"\n"));
  const Bytes nfs = PacketBuilder().vlan(200).ipv4(kStor, kStor2).udp(800, 2049).build();
  LW_EXPECT_BOTH_DIRS(nfs, {LW_CLASS_STORAGE, LW_PARSE_OK, LW_VERDICT_AUDIT});
  LW_EXPECT_BOTH_DIRS(migration(200), {LW_CLASS_MIGRATION, LW_PARSE_OK, LW_VERDICT_DROP});

  install(lanes_toml("audit", "[class.migration]\naction = \"enforce\"\n"));
  LW_EXPECT_BOTH_DIRS(nfs, {LW_CLASS_STORAGE, LW_PARSE_OK, LW_VERDICT_AUDIT});
  LW_EXPECT_BOTH_DIRS(migration(200), {LW_CLASS_MIGRATION, LW_PARSE_OK, LW_VERDICT_DROP});
}

TEST_F(Lanes, CorosyncIsNeverDroppedByTheModeAlone) {
  // Corosync on the Ceph VLAN: wrong lane, and in enforce mode still passed.
  install(lanes_toml("enforce"));
  LW_EXPECT_BOTH_DIRS(corosync(200), {LW_CLASS_COROSYNC, LW_PARSE_OK, LW_VERDICT_AUDIT});
  EXPECT_EQ(violations(LW_DIR_INGRESS, LW_VIOL_WRONG_LANE, LW_CLASS_COROSYNC), 1u);
  // Also as an intruder on an exclusive lane of another class.
  install("mode = \"enforce\"\n" + networks_toml() +
          "[[lane]]\ninterface = \"lo\"\nclasses = [\"storage\"]\nexclusive = true\n"
          "[[lane]]\ninterface = \"ghost\"\nclasses = [\"corosync\"]\n");
  LW_EXPECT_BOTH_DIRS(corosync(), {LW_CLASS_COROSYNC, LW_PARSE_OK, LW_VERDICT_AUDIT});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv6(v6::kCoroA, v6::kCoroB).icmp6_echo(1, 1).build(),
                      {LW_CLASS_COROSYNC, LW_PARSE_OK, LW_VERDICT_AUDIT});
}

TEST_F(Lanes, CorosyncIsDroppedWhenItsClassSaysEnforce) {
  install(lanes_toml("audit", "[class.corosync]\naction = \"enforce\"\n"));
  LW_EXPECT_BOTH_DIRS(corosync(200), {LW_CLASS_COROSYNC, LW_PARSE_OK, LW_VERDICT_DROP});
  // On its own lane it passes, of course.
  LW_EXPECT_BOTH_DIRS(corosync(), {LW_CLASS_COROSYNC});
}

TEST_F(Lanes, InfraIsNeverDroppedEvenOnAnExclusiveLaneInEnforceMode) {
  install(lanes_toml("enforce"));
  const PacketBuilder orig = PacketBuilder().ipv4(kOut, kOut2).udp(kGuestPort, 53);
  for (const Bytes& f : {
           PacketBuilder().arp().build(),
           PacketBuilder().lldp().build(),
           PacketBuilder().lacp().build(),
           PacketBuilder().stp().build(),
           PacketBuilder().ipv4(kOut2, kOut).icmp_error(3, 3, orig).build(),
           PacketBuilder().ipv4(kOut2, kOut).icmp_error(11, 0, orig).build(),
           PacketBuilder()
               .ipv6(v6::kOut, "ff02::1:ff00:2")
               .icmp6_neighbor_solicit(v6::kOut2)
               .build(),
           PacketBuilder().ipv6(v6::kOut2, v6::kOut).icmp6_neighbor_advert(v6::kOut2).build(),
           PacketBuilder().ipv6("fe80::1", "ff02::2").icmp6_router_solicit().build(),
           PacketBuilder().ipv6("fe80::2", "ff02::1").icmp6_router_advert().build(),
       }) {
    SCOPED_TRACE(std::to_string(f.size()) + "-byte infra frame");
    const Outcome in = run_and_count(f, LW_DIR_INGRESS);
    const Outcome out = run_and_count(f, LW_DIR_EGRESS);
    for (const Outcome& o : {in, out}) {
      EXPECT_EQ(o.retval, TC_ACT_UNSPEC);
      EXPECT_EQ(class_name(o.cls), "infra");
      EXPECT_EQ(verdict_name(o.verdict), "pass");
    }
  }
  // Tagged, on a VLAN that falls back to the exclusive lane, and on the Ceph VLAN.
  LW_EXPECT_BOTH_DIRS(PacketBuilder().vlan(300).arp().build(), {LW_CLASS_INFRA, LW_PARSE_NOT_IP});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().vlan(200).arp().build(), {LW_CLASS_INFRA, LW_PARSE_NOT_IP});
  // Packet too big received on an enforcing lane: an mtu audit, never a drop.
  const Bytes ptb =
      PacketBuilder()
          .ipv6(v6::kOut, v6::kStor)
          .icmp6_packet_too_big(1280, PacketBuilder().ipv6(v6::kStor, v6::kOut).udp(1, 2))
          .build();
  LW_EXPECT_RUN(ptb, {LW_CLASS_INFRA, LW_PARSE_OK, LW_VERDICT_AUDIT});
  for (int d = 0; d < LW_NR_DIRS; d++)
    for (int k = LW_VIOL_WRONG_LANE; k <= LW_VIOL_FRAGMENT; k++)
      EXPECT_EQ(violations(d, k, LW_CLASS_INFRA), 0u) << "infra is never a lane violation";
  EXPECT_EQ(violations(LW_DIR_INGRESS, LW_VIOL_MTU, LW_CLASS_INFRA), 1u);
}

TEST_F(Lanes, CutIcmp6FirstFragmentDoesNotPassAsInfra) {
  // Infra is exempt from every lane. A crafted ICMPv6 first fragment whose
  // ICMPv6 header is cut short must not get that exemption: its type was
  // never read. On lo (exclusive to corosync, enforce) it is a foreign
  // packet like any other: dropped.
  install(lanes_toml("enforce"));
  const PacketBuilder b =
      PacketBuilder().ipv6(v6::kOut, v6::kOut2).ext_fragment(0, true, 5).icmp6_echo(1, 1);
  LW_EXPECT_RUN(PacketBuilder(b).truncate(b.l4_offset() + 2).build(),
                {LW_CLASS_OTHER, LW_PARSE_FRAGMENT_FIRST, LW_VERDICT_DROP});
  // The same, untruncated, is an echo between foreign addresses: dropped too.
  LW_EXPECT_RUN(b.build(), {LW_CLASS_OTHER, LW_PARSE_FRAGMENT_FIRST, LW_VERDICT_DROP});
}

TEST_F(Lanes, IpToALinkLocalMacIsNotInfra) {
  // The reserved 01:80:C2:00:00:0X group makes non-IP control frames infra;
  // an IP packet sent there must not dodge the lanes by its MAC alone.
  install(lanes_toml("enforce"));
  LW_EXPECT_BOTH_DIRS(PacketBuilder()
                          .eth("02:00:00:00:00:01", "01:80:c2:00:00:0e")
                          .ipv4(kOut, kClu)
                          .tcp(kGuestPort, 6800)
                          .build(),
                      {LW_CLASS_CEPH_CLUSTER, LW_PARSE_OK, LW_VERDICT_DROP});
  // Non-IP to that group is infra whatever its ethertype.
  LW_EXPECT_BOTH_DIRS(PacketBuilder()
                          .eth("02:00:00:00:00:01", "01:80:c2:00:00:03")
                          .ethertype(0x888E)
                          .payload(46)
                          .build(),
                      {LW_CLASS_INFRA, LW_PARSE_NOT_IP});
}

TEST_F(Lanes, UnknownInterfaceIsCountedApartAndNeverDropped) {
  // Lanes only on "ghost": lo is not in the policy. Even exclusive lanes in
  // enforce mode elsewhere must not touch an interface the policy does not know.
  install("mode = \"enforce\"\n" + networks_toml() +
          "[[lane]]\ninterface = \"ghost\"\nclasses = [\"corosync\"]\nexclusive = true\n");
  for (const Bytes& f : {ceph(), migration(), guest(), corosync(), ceph(200)}) {
    SCOPED_TRACE(std::to_string(f.size()) + "-byte frame");
    const Outcome o = run_and_count(f, LW_DIR_INGRESS, {}, LW_IFACE_SLOT_UNKNOWN);
    EXPECT_EQ(o.retval, TC_ACT_UNSPEC);
    EXPECT_EQ(verdict_name(o.verdict), "pass");
    EXPECT_EQ(o.packets, 1u);
    EXPECT_EQ(o.bytes, f.size());
  }
  // Classified all the same: the counters of the unknown slot are by class.
  const auto c = sb().counters(LW_IFACE_SLOT_UNKNOWN);
  EXPECT_EQ(c.c[LW_DIR_INGRESS][LW_CLASS_CEPH_CLUSTER][LW_VERDICT_PASS].packets, 2u);
  EXPECT_EQ(c.c[LW_DIR_INGRESS][LW_CLASS_MIGRATION][LW_VERDICT_PASS].packets, 1u);
  EXPECT_EQ(c.c[LW_DIR_INGRESS][LW_CLASS_COROSYNC][LW_VERDICT_PASS].packets, 1u);
  EXPECT_EQ(c.parse[LW_DIR_INGRESS][LW_PARSE_OK], 5u);
  // Nothing in slot 0 (that would be ghost's slot) and no violation anywhere.
  const auto s0 = sb().counters(kLoSlot);
  EXPECT_EQ(s0.parse[LW_DIR_INGRESS][LW_PARSE_OK], 0u);
  EXPECT_EQ(sb().violations(LW_IFACE_SLOT_UNKNOWN).events, 0u);
}

TEST_F(Lanes, AnotherDeviceThePolicyDoesNotKnow) {
  // A real second device as the skb's device (RunOptions::ifindex): the
  // representative policy only knows lo, so this is the unknown slot.
  uint32_t other = 0;
  if (struct if_nameindex* names = if_nameindex()) {
    for (auto* n = names; n->if_index; n++)
      if (n->if_index != kLo && !other) other = n->if_index;
    if_freenameindex(names);
  }
  if (!other) GTEST_SKIP() << "no network device besides lo in this namespace";
  datapath::RunOptions o;
  o.ifindex = other;
  // Ceph on VLAN 100 would be an intruder on lo; on the unknown device it passes.
  const Bytes f = ceph(100);
  LW_EXPECT_RUN(f, {LW_CLASS_CEPH_CLUSTER}, LW_DIR_INGRESS, o, LW_IFACE_SLOT_UNKNOWN);
  LW_EXPECT_RUN(f, {LW_CLASS_CEPH_CLUSTER}, LW_DIR_EGRESS, o, LW_IFACE_SLOT_UNKNOWN);
  EXPECT_EQ(sb().counters(kLoSlot).parse[LW_DIR_INGRESS][LW_PARSE_OK], 0u);
}

}  // namespace
}  // namespace lw::test::bpf
