// SPDX-License-Identifier: GPL-2.0-only
// IPv6 extension header chains: the parser walks up to LW_MAX_IPV6_EXT (6)
// headers to reach the transport header; longer chains are counted as
// ipv6_ext_too_deep and left as class other, never a verifier-unsafe loop.
#include "bpf_fixture.h"

namespace lw::test::bpf {
namespace {

using namespace v6;

class Ipv6Ext : public BpfTest {};

// Corosync behind `n` extension headers, cycling through the kinds.
Bytes corosync_behind(int n) {
  PacketBuilder b;
  b.ipv6(kCoroA, kCoroB);
  for (int i = 0; i < n; i++) {
    switch (i % 3) {
      case 0:
        b.ext_hop_by_hop();
        break;
      case 1:
        b.ext_dest_opts(1);
        break;  // 16 bytes: lengths other than 8 too
      default:
        b.ext_routing();
        break;
    }
  }
  return b.udp(5405, 5405).payload(64).build();
}

TEST_F(Ipv6Ext, EachKindIsSkipped) {
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().ipv6(kCoroA, kCoroB).ext_hop_by_hop().udp(5405, 5405).payload(64).build(),
      {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(PacketBuilder()
                          .ipv6(kOut, kClu)
                          .ext_routing({"2001:db8:ff::9", "2001:db8:5::9"})
                          .tcp(kGuestPort, 6800)
                          .payload(64)
                          .build(),
                      {LW_CLASS_CEPH_CLUSTER});
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().ipv6(kOut, kMgmt).ext_dest_opts(2).tcp(kGuestPort, 8006).build(),
      {LW_CLASS_MANAGEMENT});
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().ipv6(kCoroA, kCoroB).ext_hop_by_hop().icmp6_echo(1, 1).build(),
      {LW_CLASS_COROSYNC});
  // MLD and ND behind hop-by-hop (router alert) stay infra.
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().ipv6("fe80::1", "ff02::16").ext_hop_by_hop().icmp6(143, 0).build(),
      {LW_CLASS_INFRA});
}

TEST_F(Ipv6Ext, ChainsUpToTheBoundAreParsed) {
  for (int n : {2, 5, 6}) {
    SCOPED_TRACE(std::to_string(n) + " extension headers");
    LW_EXPECT_BOTH_DIRS(corosync_behind(n), {LW_CLASS_COROSYNC});
  }
  // A fragment header at the end of a chain of five.
  LW_EXPECT_BOTH_DIRS(PacketBuilder()
                          .ipv6(kCoroA, kCoroB)
                          .ext_hop_by_hop()
                          .ext_dest_opts()
                          .ext_routing()
                          .ext_dest_opts()
                          .ext_fragment(0, true, 9)
                          .udp(5405, 5405)
                          .payload(64)
                          .build(),
                      {LW_CLASS_COROSYNC, LW_PARSE_FRAGMENT_FIRST});
}

TEST_F(Ipv6Ext, ChainsLongerThanTheBoundAreTooDeep) {
  for (int n : {7, 9}) {
    SCOPED_TRACE(std::to_string(n) + " extension headers");
    LW_EXPECT_BOTH_DIRS(corosync_behind(n), {LW_CLASS_OTHER, LW_PARSE_IPV6_EXT_TOO_DEEP});
  }
}

TEST_F(Ipv6Ext, TruncatedExtensionHeaders) {
  const PacketBuilder b = PacketBuilder()
                              .ipv6(kCoroA, kCoroB)
                              .ext_hop_by_hop(1)  // 16 bytes
                              .udp(5405, 5405)
                              .payload(64);
  const size_t ext = b.l3_offset() + 40;
  // Not even the 2-byte next-header/length pair.
  LW_EXPECT_BOTH_DIRS(PacketBuilder(b).truncate(ext + 1).build(),
                      {LW_CLASS_OTHER, LW_PARSE_TRUNC_IPV6_EXT});
  // The pair, but not the 16 bytes it announces.
  LW_EXPECT_BOTH_DIRS(PacketBuilder(b).truncate(ext + 10).build(),
                      {LW_CLASS_OTHER, LW_PARSE_TRUNC_IPV6_EXT});
  // A truncated fragment header.
  LW_EXPECT_BOTH_DIRS(PacketBuilder()
                          .ipv6(kCoroA, kCoroB)
                          .ext_fragment(0, true, 9)
                          .udp(5405, 5405)
                          .truncate(ext + 6)
                          .build(),
                      {LW_CLASS_OTHER, LW_PARSE_TRUNC_IPV6_EXT});
}

TEST_F(Ipv6Ext, NoNextHeaderIsUnknownL4) {
  // 59 = no next header: a valid packet with nothing to classify.
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv6(kCoroA, kCoroB).ext_dest_opts().build(),
                      {LW_CLASS_OTHER, LW_PARSE_UNKNOWN_L4});
}

}  // namespace
}  // namespace lw::test::bpf
