// SPDX-License-Identifier: GPL-2.0-only
// What the egress program does to a packet that passed: DSCP marking (the
// IPv4 header checksum must stay valid, ECN bits must survive) and
// skb->priority steering into lanewarden's HTB, only where that HTB exists.
// Ingress never rewrites anything: marking is for the next hop.
#include <gtest/gtest.h>

#include "bpf_fixture.h"
#include "datapath/policy_compiler.h"
#include "datapath/shaping_binding.h"
#include "policy/parse.h"
#include "shaping/shaping_plan.h"
#include "support/frame_parser.h"

namespace lw::test::bpf {
namespace {

using datapath::RunOptions;

constexpr uint8_t kCs6 = 48;  // DSCP CS6 (network control), TOS byte 0xc0

std::string dscp_policy() {
  return "mode = \"enforce\"\n" + networks_toml() + R"(
[[lane]]
interface = "lo"
classes = ["corosync", "migration", "ceph_public", "ceph_cluster", "management", "storage"]

[[lane]]
interface = "lo"
vlan = 100
classes = ["corosync"]
exclusive = true

[class.corosync]
dscp = "cs6"
)";
}

class Dscp : public BpfTest {
 protected:
  void SetUp() override {
    BpfTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    install(dscp_policy());
  }

  // Runs `in` and returns the frame as the program left it.
  Bytes run_out(const Bytes& in, int dir) {
    Bytes out;
    const auto r = sb().run(dir, in, RunOptions{.data_out = &out});
    EXPECT_EQ(r.retval, TC_ACT_UNSPEC);
    EXPECT_EQ(out.size(), in.size());
    return out;
  }
};

Bytes coro4(PacketBuilder b, uint8_t tos, Ipv4Opts extra = {}) {
  extra.tos = tos;
  return b.ipv4(v4::kCoroA, v4::kCoroB, extra).udp(5405, 5405).payload(64).build();
}

Bytes coro6(PacketBuilder b, uint8_t tclass, uint32_t flow = 0) {
  return b.ipv6(v6::kCoroA, v6::kCoroB, {.traffic_class = tclass, .flow_label = flow})
      .udp(5405, 5405)
      .payload(64)
      .build();
}

uint8_t ipv6_tclass(const Bytes& f, size_t l3) {
  return static_cast<uint8_t>(((f[l3] & 0x0f) << 4) | (f[l3 + 1] >> 4));
}
uint32_t ipv6_flow(const Bytes& f, size_t l3) {
  return (static_cast<uint32_t>(f[l3 + 1] & 0x0f) << 16) | (f[l3 + 2] << 8) | f[l3 + 3];
}

TEST_F(Dscp, Ipv4EgressIsMarkedCs6WithEcnKeptAndChecksumValid) {
  for (uint8_t ecn : {0, 1, 2, 3}) {
    for (uint8_t old_dscp : {uint8_t{0}, uint8_t{46}, kCs6}) {
      SCOPED_TRACE("ecn " + std::to_string(ecn) + " dscp " + std::to_string(old_dscp));
      const Bytes in = coro4(PacketBuilder(), static_cast<uint8_t>(old_dscp << 2 | ecn));
      ASSERT_TRUE(verify_checksums(in));
      const Bytes out = run_out(in, LW_DIR_EGRESS);
      const size_t l3 = parse_frame(in).l3_offset;
      EXPECT_EQ(out[l3 + 1], 0xc0 | ecn);
      EXPECT_TRUE(verify_checksums(out));
      // Nothing else changed: only TOS and the header checksum.
      for (size_t i = 0; i < in.size(); i++) {
        if (i != l3 + 1 && i != l3 + 10 && i != l3 + 11) {
          EXPECT_EQ(out[i], in[i]) << "byte " << i;
        }
      }
    }
  }
}

TEST_F(Dscp, Ipv4WithOptionsKeepsAValidChecksum) {
  const Bytes in = coro4(PacketBuilder(), 0x02, Ipv4Opts{.options = Bytes{0x01, 0x01, 0x01, 0x00}});
  const Bytes out = run_out(in, LW_DIR_EGRESS);
  EXPECT_EQ(out[parse_frame(in).l3_offset + 1], 0xc2);
  EXPECT_TRUE(verify_checksums(out));
}

TEST_F(Dscp, Ipv6TrafficClassIsRewrittenFlowLabelKept) {
  for (uint8_t ecn : {0, 3}) {
    const Bytes in = coro6(PacketBuilder(), static_cast<uint8_t>(10 << 2 | ecn), 0xabcde);
    const Bytes out = run_out(in, LW_DIR_EGRESS);
    const size_t l3 = parse_frame(in).l3_offset;
    EXPECT_EQ(ipv6_tclass(out, l3), 0xc0 | ecn);
    EXPECT_EQ(ipv6_flow(out, l3), 0xabcdeu);
    EXPECT_EQ(out[l3] >> 4, 6);
    EXPECT_TRUE(verify_checksums(out));  // no IPv6 header checksum; UDP's does not cover it
  }
}

TEST_F(Dscp, VlanTaggedFramesAreMarkedAtTheRightOffset) {
  const Bytes in4 = coro4(PacketBuilder().vlan(100, 5), 0x01);
  const Bytes out4 = run_out(in4, LW_DIR_EGRESS);
  const size_t l3 = parse_frame(in4).l3_offset;
  ASSERT_EQ(l3, 18u);
  EXPECT_EQ(out4[l3 + 1], 0xc1);
  EXPECT_TRUE(verify_checksums(out4));
  EXPECT_EQ(parse_frame(out4).vlans.at(0).tci, parse_frame(in4).vlans.at(0).tci);

  const Bytes in6 = coro6(PacketBuilder().qinq(100, 7), 0);
  const Bytes out6 = run_out(in6, LW_DIR_EGRESS);
  EXPECT_EQ(ipv6_tclass(out6, parse_frame(in6).l3_offset), 0xc0);
  EXPECT_TRUE(verify_checksums(out6));
}

TEST_F(Dscp, IngressAndOtherClassesAreUntouched) {
  const Bytes in4 = coro4(PacketBuilder(), 0x01);
  EXPECT_EQ(run_out(in4, LW_DIR_INGRESS), in4);
  const Bytes in6 = coro6(PacketBuilder(), 0x01);
  EXPECT_EQ(run_out(in6, LW_DIR_INGRESS), in6);
  const Bytes ceph = PacketBuilder()
                         .ipv4(v4::kClu, v4::kClu2, {.tos = 0x01})
                         .tcp(kGuestPort, 6800)
                         .payload(80)
                         .build();
  EXPECT_EQ(run_out(ceph, LW_DIR_EGRESS), ceph);
}

TEST_F(Dscp, DroppedPacketsAreNotMarked) {
  // Migration on corosync's exclusive VLAN is an intruder, dropped under enforce.
  const Bytes in =
      PacketBuilder().vlan(100).ipv4(v4::kMig, v4::kMig2).tcp(60000, 60000).payload(10).build();
  Bytes out;
  EXPECT_EQ(sb().run(LW_DIR_EGRESS, in, RunOptions{.data_out = &out}).retval, TC_ACT_SHOT);
  EXPECT_EQ(out, in);
}

// --- skb->priority -------------------------------------------------------

constexpr uint32_t kPrioHandle = 0x1a4e0010;

std::string steer_policy() {
  return "mode = \"audit\"\n" + networks_toml() + R"(
[[lane]]
interface = "lo"
classes = ["corosync", "migration", "ceph_public", "ceph_cluster", "management", "storage"]

[class.migration]
cap = "50mbit"
cap_mode = "shape"
)";
}

// Corosync alone (exclusive) on lo needs no priority; the shared lane on
// "ghost" does. The classes get their skb_priority, but only ghost is shaped.
std::string ghost_only_policy() {
  return "mode = \"audit\"\n" + networks_toml() + R"(
[[lane]]
interface = "lo"
classes = ["corosync"]
exclusive = true

[[lane]]
interface = "ghost"
classes = ["corosync", "ceph_public", "ceph_cluster"]
)";
}

std::optional<uint64_t> no_speed(const std::string&) { return std::nullopt; }

class Steer : public BpfTest {
 protected:
  // Compiles like apply does: policy, shaping plan, then bind_shaping marks
  // the shaped interfaces and writes the per-class skb->priority.
  lw_policy install_shaped(const std::string& toml) {
    const auto pol = policy::parse_string(toml, "<steer test policy>");
    auto c = datapath::compile_policy(
        pol,
        [](const std::string& n) -> std::optional<uint32_t> {
          if (n == "lo") return kLo;
          if (n == "ghost") return kGhost;
          return std::nullopt;
        },
        {}, 3);
    const auto plan = shaping::plan_shaping(pol, no_speed);
    datapath::bind_shaping(*c.value, plan, c.ifaces);
    sb().install(*c.value);
    return *c.value;
  }

  uint32_t priority_after(const Bytes& f, int dir, uint32_t in = 0) {
    const auto r = sb().run(dir, f, RunOptions{.priority = in});
    EXPECT_EQ(r.retval, TC_ACT_UNSPEC);
    return r.priority;
  }
};

Bytes corosync_udp() {
  return PacketBuilder().ipv4(v4::kCoroA, v4::kCoroB).udp(5405, 5405).payload(64).build();
}
Bytes migration_tcp() {
  return PacketBuilder().ipv4(v4::kMig, v4::kMig2).tcp(60000, 60000).payload(500).build();
}
Bytes ceph_tcp() {
  return PacketBuilder().ipv4(v4::kClu, v4::kClu2).tcp(kGuestPort, 6800).payload(500).build();
}

TEST_F(Steer, ShapedEgressGoesIntoLanewardensHtbClasses) {
  const lw_policy p = install_shaped(steer_policy());
  ASSERT_EQ(p.n_ifaces, 1u);
  ASSERT_TRUE(p.ifaces[0].lane_flags & LW_IFACE_SHAPED);
  EXPECT_EQ(priority_after(corosync_udp(), LW_DIR_EGRESS), kPrioHandle);
  EXPECT_EQ(priority_after(
                PacketBuilder().ipv6(v6::kCoroA, v6::kCoroB).udp(5405, 5405).payload(8).build(),
                LW_DIR_EGRESS, 7),
            kPrioHandle);
  EXPECT_EQ(priority_after(migration_tcp(), LW_DIR_EGRESS), 0x1a4e0020u + LW_CLASS_MIGRATION);
  // No priority, no cap: whatever the stack chose stays, HTB puts it in 1a4e:ff.
  EXPECT_EQ(priority_after(ceph_tcp(), LW_DIR_EGRESS, 6), 6u);
}

TEST_F(Steer, IngressPriorityIsUntouched) {
  install_shaped(steer_policy());
  EXPECT_EQ(priority_after(corosync_udp(), LW_DIR_INGRESS, 0), 0u);
  EXPECT_EQ(priority_after(migration_tcp(), LW_DIR_INGRESS, 3), 3u);
}

TEST_F(Steer, NonShapedInterfaceKeepsItsPriority) {
  const lw_policy p = install_shaped(ghost_only_policy());
  ASSERT_EQ(p.cls[LW_CLASS_COROSYNC].skb_priority, kPrioHandle) << "ghost's plan sets it";
  for (uint32_t i = 0; i < p.n_ifaces; i++)
    EXPECT_EQ((p.ifaces[i].lane_flags & LW_IFACE_SHAPED) != 0, p.ifaces[i].ifindex == kGhost);
  EXPECT_EQ(priority_after(corosync_udp(), LW_DIR_EGRESS, 0), 0u);
  EXPECT_EQ(priority_after(corosync_udp(), LW_DIR_EGRESS, 5), 5u);
}

TEST_F(Steer, WithoutAnyPlanNothingIsSteered) {
  // The representative policy has no caps and no shared lane with priority
  // on a planned interface... except corosync's default high priority on lo's
  // shared lane: compiled without bind_shaping, no interface is flagged.
  EXPECT_EQ(priority_after(corosync_udp(), LW_DIR_EGRESS, 2), 2u);
}

}  // namespace
}  // namespace lw::test::bpf
