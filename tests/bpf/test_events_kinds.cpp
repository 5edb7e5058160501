// SPDX-License-Identifier: GPL-2.0-only
// Every violation kind through the real programs: the verdict, the exact
// counters and the ring-buffer event, field by field.
#include "test_events_support.h"

namespace lw::test::events {
namespace {

class EventKinds : public ::testing::Test {
 protected:
  void SetUp() override { LW_REQUIRE_ROOT_OR_FAIL(); }

  datapath::Sandbox& sandbox(const std::string& toml) {
    sb_ = std::make_unique<datapath::Sandbox>();
    sb_->install(*compile_on_lo(toml));
    return *sb_;
  }
  // Runs one frame and returns the only event it produced.
  lw_event one_event(datapath::Sandbox& sb, int dir, const Bytes& frame, int expect_retval) {
    auto r = sb.run(dir, frame);
    EXPECT_EQ(r.retval, expect_retval);
    auto evs = sb.drain_events();
    EXPECT_EQ(evs.size(), 1u);
    return evs.empty() ? lw_event{} : evs[0];
  }

  std::unique_ptr<datapath::Sandbox> sb_;
};

TEST_F(EventKinds, IntruderOnExclusiveLaneIsDroppedInEnforceWithExactEvent) {
  auto& sb = sandbox(policy_toml("enforce", kExclusiveLanes));
  const Bytes frame = ceph_tcp(40000);
  lw_event ev = one_event(sb, LW_DIR_INGRESS, frame, TC_ACT_SHOT);
  EXPECT_EQ(ev.kind, LW_VIOL_INTRUDER);
  EXPECT_EQ(ev.cls, LW_CLASS_CEPH_PUBLIC);
  EXPECT_EQ(ev.dir, LW_DIR_INGRESS);
  EXPECT_EQ(ev.verdict, LW_VERDICT_DROP);
  EXPECT_EQ(ev.ifindex, kLo);
  EXPECT_EQ(ev.family, 4);
  EXPECT_EQ(ev.l4, IPPROTO_TCP);
  EXPECT_EQ(ev.src_hi, 0u);
  EXPECT_EQ(ev.src_lo, 0xCB007101u);  // 203.0.113.1
  EXPECT_EQ(ev.dst_lo, 0xCB007102u);
  EXPECT_EQ(ev.sport, 40000);
  EXPECT_EQ(ev.dport, 6800);
  EXPECT_EQ(ev.vlan, 0);
  EXPECT_EQ(ev.len, frame.size());
  EXPECT_EQ(ev.suppressed, 0u);
  EXPECT_GT(ev.ts_ns, 0u);

  auto c = sb.counters(kSlot);
  EXPECT_EQ(c.c[LW_DIR_INGRESS][LW_CLASS_CEPH_PUBLIC][LW_VERDICT_DROP].packets, 1u);
  auto v = sb.violations(kSlot);
  EXPECT_EQ(v.n[LW_DIR_INGRESS][LW_VIOL_INTRUDER][LW_CLASS_CEPH_PUBLIC], 1u);
  EXPECT_EQ(v.events, 1u);
  EXPECT_EQ(v.suppressed + v.lost, 0u);
}

TEST_F(EventKinds, IntruderInAuditModePassesAndReports) {
  auto& sb = sandbox(policy_toml("audit", kExclusiveLanes));
  lw_event ev = one_event(sb, LW_DIR_EGRESS, ceph_tcp(), TC_ACT_UNSPEC);
  EXPECT_EQ(ev.kind, LW_VIOL_INTRUDER);
  EXPECT_EQ(ev.dir, LW_DIR_EGRESS);
  EXPECT_EQ(ev.verdict, LW_VERDICT_AUDIT);
  EXPECT_EQ(sb.counters(kSlot).c[LW_DIR_EGRESS][LW_CLASS_CEPH_PUBLIC][LW_VERDICT_AUDIT].packets,
            1u);
}

TEST_F(EventKinds, PerClassActionOverridesTheMode) {
  auto& sb =
      sandbox(policy_toml("enforce", kExclusiveLanes, "[class.ceph_public]\naction = \"audit\"\n"));
  lw_event ev = one_event(sb, LW_DIR_INGRESS, ceph_tcp(), TC_ACT_UNSPEC);
  EXPECT_EQ(ev.verdict, LW_VERDICT_AUDIT);
}

TEST_F(EventKinds, CorosyncOnWrongVlanIsReportedButNotDroppedByDefault) {
  auto& sb = sandbox(policy_toml("enforce", kExclusiveLanes));
  // Tag in the packet: VLAN 30 is the storage lane, Corosync does not belong there.
  lw_event ev = one_event(sb, LW_DIR_INGRESS, corosync_udp(30), TC_ACT_UNSPEC);
  EXPECT_EQ(ev.kind, LW_VIOL_WRONG_LANE);
  EXPECT_EQ(ev.cls, LW_CLASS_COROSYNC);
  EXPECT_EQ(ev.verdict, LW_VERDICT_AUDIT);
  EXPECT_EQ(ev.vlan, 30);
  EXPECT_EQ(ev.l4, IPPROTO_UDP);
  EXPECT_EQ(ev.sport, 5405);
  EXPECT_EQ(ev.dport, 5405);
}

TEST_F(EventKinds, CorosyncIsDroppedOnlyWhenItsClassSaysSo) {
  auto& sb =
      sandbox(policy_toml("audit", kExclusiveLanes, "[class.corosync]\naction = \"enforce\"\n"));
  lw_event ev = one_event(sb, LW_DIR_INGRESS, corosync_udp(30), TC_ACT_SHOT);
  EXPECT_EQ(ev.kind, LW_VIOL_WRONG_LANE);
  EXPECT_EQ(ev.verdict, LW_VERDICT_DROP);
}

TEST_F(EventKinds, WrongLaneOnNonExclusiveInterface) {
  auto& sb = sandbox(policy_toml("enforce", R"(
[[lane]]
interface = "lo"
classes = ["corosync", "management"]
[[lane]]
interface = "lo"
vlan = 30
classes = ["ceph_public"]
)"));
  lw_event ev = one_event(sb, LW_DIR_INGRESS, ceph_tcp(), TC_ACT_SHOT);
  EXPECT_EQ(ev.kind, LW_VIOL_WRONG_LANE);
  EXPECT_EQ(ev.cls, LW_CLASS_CEPH_PUBLIC);
  // Unconstrained guest traffic is neither wrong nor an intruder there.
  auto guest = PacketBuilder().ipv4("203.0.113.200", "203.0.113.201").tcp(44321, 443).build();
  EXPECT_EQ(sb.run(LW_DIR_INGRESS, guest).retval, TC_ACT_UNSPEC);
  EXPECT_TRUE(sb.drain_events().empty());
}

TEST_F(EventKinds, VlanLaneAllowsItsOwnClasses) {
  auto& sb = sandbox(policy_toml("enforce", kExclusiveLanes));
  EXPECT_EQ(sb.run(LW_DIR_INGRESS, ceph_tcp(40000, 30)).retval, TC_ACT_UNSPEC);
  EXPECT_EQ(sb.run(LW_DIR_INGRESS, corosync_udp()).retval, TC_ACT_UNSPEC);
  expect_no_violation(sb);
}

TEST_F(EventKinds, ForeignVlanFallsBackToTheExclusiveInterfaceLane) {
  auto& sb = sandbox(policy_toml("enforce", kExclusiveLanes));
  lw_event ev = one_event(sb, LW_DIR_INGRESS, ceph_tcp(40000, 31), TC_ACT_SHOT);
  EXPECT_EQ(ev.kind, LW_VIOL_INTRUDER);
  EXPECT_EQ(ev.vlan, 31);
}

TEST_F(EventKinds, FragmentsOnANoFragmentsLane) {
  auto& sb = sandbox(policy_toml("enforce", kExclusiveLanes));
  // First fragment of NFS over TCP: ports present.
  auto first = PacketBuilder()
                   .vlan(30)
                   .ipv4("203.0.113.65", "203.0.113.66", {.mf = true})
                   .tcp(900, 2049)
                   .payload(200)
                   .build();
  lw_event ev = one_event(sb, LW_DIR_INGRESS, first, TC_ACT_SHOT);
  EXPECT_EQ(ev.kind, LW_VIOL_FRAGMENT);
  EXPECT_EQ(ev.cls, LW_CLASS_STORAGE);
  EXPECT_EQ(ev.dport, 2049);
  // A later fragment has no ports: attributed by addresses, still a fragment.
  auto later =
      PacketBuilder()
          .vlan(30)
          .ipv4("203.0.113.65", "203.0.113.66", {.frag_offset = 100, .protocol = IPPROTO_TCP})
          .payload(200)
          .build();
  ev = one_event(sb, LW_DIR_EGRESS, later, TC_ACT_SHOT);
  EXPECT_EQ(ev.kind, LW_VIOL_FRAGMENT);
  EXPECT_EQ(ev.cls, LW_CLASS_STORAGE);
  EXPECT_EQ(ev.sport, 0);
  // IPv6 fragment header.
  auto v6 = PacketBuilder()
                .vlan(30)
                .ipv6("2001:db8:60::1", "2001:db8:60::2")
                .ext_fragment(0, true, 7)
                .tcp(900, 2049)
                .payload(200)
                .build();
  ev = one_event(sb, LW_DIR_INGRESS, v6, TC_ACT_SHOT);
  EXPECT_EQ(ev.kind, LW_VIOL_FRAGMENT);
  EXPECT_EQ(ev.family, 6);
  EXPECT_EQ(ev.src_hi, 0x20010db800600000u);
  EXPECT_EQ(ev.src_lo, 1u);
  auto v = sb.violations(kSlot);
  EXPECT_EQ(v.n[LW_DIR_INGRESS][LW_VIOL_FRAGMENT][LW_CLASS_STORAGE], 2u);
  EXPECT_EQ(v.n[LW_DIR_EGRESS][LW_VIOL_FRAGMENT][LW_CLASS_STORAGE], 1u);
}

TEST_F(EventKinds, FragmentsAreFineWhereTheLaneAllowsThem) {
  auto& sb = sandbox(policy_toml("enforce", kExclusiveLanes));
  auto frag = PacketBuilder()
                  .ipv4("198.51.100.1", "198.51.100.2", {.mf = true})
                  .udp(5405, 5405)
                  .payload(200)
                  .build();
  EXPECT_EQ(sb.run(LW_DIR_INGRESS, frag).retval, TC_ACT_UNSPEC);
  expect_no_violation(sb);
}

TEST_F(EventKinds, IcmpFragNeededIsAnMtuEventNeverADrop) {
  auto& sb = sandbox(policy_toml("enforce", kExclusiveLanes));
  auto original = PacketBuilder()
                      .ipv4("203.0.113.65", "203.0.113.66", {.df = true})
                      .tcp(900, 2049)
                      .payload(1400);
  auto msg = PacketBuilder()
                 .vlan(30)
                 .ipv4("203.0.113.70", "203.0.113.65")
                 .icmp_frag_needed(1500, original)
                 .build();
  lw_event ev = one_event(sb, LW_DIR_INGRESS, msg, TC_ACT_UNSPEC);
  EXPECT_EQ(ev.kind, LW_VIOL_MTU);
  EXPECT_EQ(ev.cls, LW_CLASS_INFRA);
  EXPECT_EQ(ev.verdict, LW_VERDICT_AUDIT);
  EXPECT_EQ(ev.l4, IPPROTO_ICMP);
  EXPECT_EQ(ev.vlan, 30);
  // Sent by this node it is the node's own report, not a symptom: no event.
  EXPECT_EQ(sb.run(LW_DIR_EGRESS, msg).retval, TC_ACT_UNSPEC);
  EXPECT_TRUE(sb.drain_events().empty());
}

TEST_F(EventKinds, Icmp6PacketTooBigIsAnMtuEvent) {
  auto& sb = sandbox(policy_toml("enforce", kExclusiveLanes));
  auto original =
      PacketBuilder().ipv6("2001:db8:60::1", "2001:db8:60::2").tcp(900, 2049).payload(1400);
  auto msg = PacketBuilder()
                 .ipv6("2001:db8:60::ff", "2001:db8:60::1")
                 .icmp6_packet_too_big(1280, original)
                 .build();
  lw_event ev = one_event(sb, LW_DIR_INGRESS, msg, TC_ACT_UNSPEC);
  EXPECT_EQ(ev.kind, LW_VIOL_MTU);
  EXPECT_EQ(ev.cls, LW_CLASS_INFRA);
  EXPECT_EQ(ev.l4, IPPROTO_ICMPV6);
  EXPECT_EQ(ev.family, 6);
  EXPECT_EQ(sb.violations(kSlot).n[LW_DIR_INGRESS][LW_VIOL_MTU][LW_CLASS_INFRA], 1u);
}

TEST_F(EventKinds, InfraIsNeverDroppedNorReported) {
  auto& sb = sandbox(policy_toml("enforce", kExclusiveLanes));
  EXPECT_EQ(sb.run(LW_DIR_INGRESS, PacketBuilder().arp().build()).retval, TC_ACT_UNSPEC);
  EXPECT_EQ(sb.run(LW_DIR_INGRESS, PacketBuilder().vlan(31).lldp().build()).retval, TC_ACT_UNSPEC);
  EXPECT_EQ(sb.run(LW_DIR_EGRESS,
                   PacketBuilder().ipv6("fe80::1", "ff02::1").icmp6_router_advert().build())
                .retval,
            TC_ACT_UNSPEC);
  expect_no_violation(sb);
  EXPECT_EQ(sb.counters(kSlot).c[LW_DIR_INGRESS][LW_CLASS_INFRA][LW_VERDICT_PASS].packets, 2u);
}

TEST_F(EventKinds, TrafficOnItsLaneMakesNoEvent) {
  auto& sb = sandbox(policy_toml("enforce", kExclusiveLanes));
  auto r = sb.run(LW_DIR_INGRESS, corosync_udp(), {.repeat = 1000});
  EXPECT_EQ(r.retval, TC_ACT_UNSPEC);
  expect_no_violation(sb);
  EXPECT_EQ(sb.counters(kSlot).c[LW_DIR_INGRESS][LW_CLASS_COROSYNC][LW_VERDICT_PASS].packets,
            1000u);
}

}  // namespace
}  // namespace lw::test::events
