// SPDX-License-Identifier: GPL-2.0-only
// IPv4 options and fragments: a first fragment has ports and is classified
// as usual; a later fragment has none and is attributed by its addresses
// (docs/architecture.md: non-first fragments are attributed by their addresses).
#include "bpf_fixture.h"

namespace lw::test::bpf {
namespace {

using namespace v4;

class Fragments : public BpfTest {};

// A later fragment: an offset, the original protocol, payload only.
Bytes later4(const char* s, const char* d, uint8_t proto, uint16_t offset8 = 185,
             bool more = false) {
  return PacketBuilder()
      .ipv4(s, d, {.mf = more, .frag_offset = offset8, .protocol = proto})
      .payload(200)
      .build();
}

TEST_F(Fragments, Ipv4OptionsAreSkipped) {
  // Router alert (RFC 2113), 4 bytes: ihl 6, the UDP header behind it.
  const Bytes ra = {0x94, 0x04, 0x00, 0x00};
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().ipv4(kCoroA, kCoroB, {.options = ra}).udp(5405, 5405).payload(64).build(),
      {LW_CLASS_COROSYNC});
  // The longest header (ihl 15, 40 bytes of options, NOP-filled).
  LW_EXPECT_BOTH_DIRS(PacketBuilder()
                          .ipv4(kOut, kClu, {.options = Bytes(40, 0x01)})
                          .tcp(kGuestPort, 6800)
                          .payload(64)
                          .build(),
                      {LW_CLASS_CEPH_CLUSTER});
}

TEST_F(Fragments, FirstFragmentIsClassifiedByPorts) {
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().ipv4(kCoroA, kCoroB, {.mf = true}).udp(5405, 5405).payload(300).build(),
      {LW_CLASS_COROSYNC, LW_PARSE_FRAGMENT_FIRST});
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().ipv4(kOut, kMgmt, {.mf = true}).tcp(kGuestPort, 8006).payload(300).build(),
      {LW_CLASS_MANAGEMENT, LW_PARSE_FRAGMENT_FIRST});
  // DF alone is not a fragment.
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().ipv4(kOut, kMgmt, {.df = true}).tcp(kGuestPort, 8006).payload(300).build(),
      {LW_CLASS_MANAGEMENT});
}

TEST_F(Fragments, LaterFragmentsAreAttributedByAddresses) {
  // UDP between Corosync addresses: corosync is the only UDP class both ends
  // belong to.
  LW_EXPECT_BOTH_DIRS(later4(kCoroA, kCoroB, IPPROTO_UDP),
                      {LW_CLASS_COROSYNC, LW_PARSE_FRAGMENT_LATER});
  // A middle fragment (MF still set) is a later fragment too.
  LW_EXPECT_BOTH_DIRS(later4(kCoroA, kCoroB, IPPROTO_UDP, 185, true),
                      {LW_CLASS_COROSYNC, LW_PARSE_FRAGMENT_LATER});
  // TCP with a Ceph cluster address.
  LW_EXPECT_BOTH_DIRS(later4(kOut, kClu, IPPROTO_TCP),
                      {LW_CLASS_CEPH_CLUSTER, LW_PARSE_FRAGMENT_LATER});
  // The smallest offset (8 bytes) is already a later fragment.
  LW_EXPECT_BOTH_DIRS(later4(kOut, kClu, IPPROTO_TCP, 1),
                      {LW_CLASS_CEPH_CLUSTER, LW_PARSE_FRAGMENT_LATER});
  LW_EXPECT_BOTH_DIRS(later4(kStor, kStor2, IPPROTO_UDP),
                      {LW_CLASS_STORAGE, LW_PARSE_FRAGMENT_LATER});
}

TEST_F(Fragments, LaterFragmentsFollowTheClassRules) {
  // Corosync needs both ends even without ports.
  LW_EXPECT_BOTH_DIRS(later4(kCoroA, kOut, IPPROTO_UDP), {LW_CLASS_OTHER, LW_PARSE_FRAGMENT_LATER});
  // No class uses TCP between Corosync addresses.
  LW_EXPECT_BOTH_DIRS(later4(kCoroA, kCoroB, IPPROTO_TCP),
                      {LW_CLASS_OTHER, LW_PARSE_FRAGMENT_LATER});
  // Ceph is TCP only: a UDP fragment on the cluster network is nobody's.
  LW_EXPECT_BOTH_DIRS(later4(kClu, kClu2, IPPROTO_UDP), {LW_CLASS_OTHER, LW_PARSE_FRAGMENT_LATER});
  LW_EXPECT_BOTH_DIRS(later4(kOut, kOut2, IPPROTO_TCP), {LW_CLASS_OTHER, LW_PARSE_FRAGMENT_LATER});
  // An ICMP fragment has no type to look at: never infra; by its addresses it
  // is Corosync between link addresses (a large ping between the nodes) and
  // other elsewhere.
  LW_EXPECT_BOTH_DIRS(later4(kCoroA, kCoroB, IPPROTO_ICMP),
                      {LW_CLASS_COROSYNC, LW_PARSE_FRAGMENT_LATER});
  LW_EXPECT_BOTH_DIRS(later4(kCoroA, kOut, IPPROTO_ICMP),
                      {LW_CLASS_OTHER, LW_PARSE_FRAGMENT_LATER});
}

TEST_F(Fragments, Ipv6FirstAndLaterFragments) {
  LW_EXPECT_BOTH_DIRS(PacketBuilder()
                          .ipv6(v6::kCoroA, v6::kCoroB)
                          .ext_fragment(0, true, 7)
                          .udp(5405, 5405)
                          .payload(300)
                          .build(),
                      {LW_CLASS_COROSYNC, LW_PARSE_FRAGMENT_FIRST});
  LW_EXPECT_BOTH_DIRS(PacketBuilder()
                          .ipv6(v6::kCoroA, v6::kCoroB)
                          .ext_fragment(185, false, 7, IPPROTO_UDP)
                          .payload(300)
                          .build(),
                      {LW_CLASS_COROSYNC, LW_PARSE_FRAGMENT_LATER});
  LW_EXPECT_BOTH_DIRS(PacketBuilder()
                          .ipv6(v6::kOut, v6::kClu)
                          .ext_fragment(185, true, 7, IPPROTO_TCP)
                          .payload(300)
                          .build(),
                      {LW_CLASS_CEPH_CLUSTER, LW_PARSE_FRAGMENT_LATER});
  LW_EXPECT_BOTH_DIRS(PacketBuilder()
                          .ipv6(v6::kCoroA, v6::kOut)
                          .ext_fragment(185, false, 7, IPPROTO_UDP)
                          .payload(300)
                          .build(),
                      {LW_CLASS_OTHER, LW_PARSE_FRAGMENT_LATER});
  // An atomic fragment (offset 0, no more fragments) is a whole packet.
  LW_EXPECT_BOTH_DIRS(PacketBuilder()
                          .ipv6(v6::kCoroA, v6::kCoroB)
                          .ext_fragment(0, false, 7)
                          .udp(5405, 5405)
                          .payload(64)
                          .build(),
                      {LW_CLASS_COROSYNC});
}

TEST_F(Fragments, FirstFragmentWithACutIcmpHeaderIsAttributedByAddress) {
  // A first fragment keeps the reason fragment_first even when the ICMP
  // header behind it is cut short (set_reason does not overwrite it), so the
  // classifier cannot rely on reason == trunc_icmp to know the type was never
  // read. An unread type would be 0: "echo reply" for ICMP, "< 128, an error"
  // for ICMPv6 (infra: never dropped). Like a TCP/UDP header without ports,
  // the packet is attributed by its addresses instead: Corosync between link
  // addresses (the only class that owns ICMP), other elsewhere, never infra.
  const PacketBuilder e4 = PacketBuilder().ipv4(kCoroA, kCoroB, {.mf = true}).icmp_echo(1, 1);
  LW_EXPECT_BOTH_DIRS(PacketBuilder(e4).truncate(e4.l4_offset() + 4).build(),
                      {LW_CLASS_COROSYNC, LW_PARSE_FRAGMENT_FIRST});
  const PacketBuilder o4 = PacketBuilder().ipv4(kOut, kClu, {.mf = true}).icmp_echo(1, 1);
  LW_EXPECT_BOTH_DIRS(PacketBuilder(o4).truncate(o4.l4_offset() + 4).build(),
                      {LW_CLASS_OTHER, LW_PARSE_FRAGMENT_FIRST});
  const PacketBuilder e6 =
      PacketBuilder().ipv6(v6::kOut, v6::kOut2).ext_fragment(0, true, 5).icmp6_echo(1, 1);
  LW_EXPECT_BOTH_DIRS(PacketBuilder(e6).truncate(e6.l4_offset() + 4).build(),
                      {LW_CLASS_OTHER, LW_PARSE_FRAGMENT_FIRST});
}

}  // namespace
}  // namespace lw::test::bpf
