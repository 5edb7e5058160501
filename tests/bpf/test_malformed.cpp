// SPDX-License-Identifier: GPL-2.0-only
// Truncated and malformed headers at every layer. Each frame must pass
// (TC_ACT_UNSPEC), be counted exactly once under exactly one parse reason,
// and be classified only as far as its headers were valid.
#include <stdexcept>

#include "bpf_fixture.h"

namespace lw::test::bpf {
namespace {

using namespace v4;

class Malformed : public BpfTest {};

PacketBuilder udp4(const char* s = kOut, const char* d = kOut2, Ipv4Opts o = {}) {
  return PacketBuilder().ipv4(s, d, o).udp(kGuestPort, 53).payload(32);
}
PacketBuilder tcp4(const char* s = kOut, const char* d = kOut2, Ipv4Opts o = {}, TcpOpts t = {}) {
  return PacketBuilder().ipv4(s, d, o).tcp(kGuestPort, 443, t).payload(32);
}

TEST_F(Malformed, FramesShorterThanEthernetAreRefusedByTheKernel) {
  // BPF_PROG_TEST_RUN rejects data_size_in < ETH_HLEN with EINVAL before the
  // program runs, so LW_PARSE_TRUNC_ETH cannot be reached from here; a real
  // NIC never hands tc such a frame either. The check stays in the parser for
  // the verifier's sake. What we can assert: nothing was counted.
  for (size_t n : {0, 1, 13}) {
    SCOPED_TRACE(std::to_string(n) + " bytes");
    EXPECT_THROW(sb().run(LW_DIR_INGRESS, Bytes(n, 0xAA)), std::exception);
  }
  const auto c = sb().counters(kLoSlot);
  for (int d = 0; d < LW_NR_DIRS; d++)
    for (int r = 0; r < LW_NR_PARSE_REASONS; r++) EXPECT_EQ(c.parse[d][r], 0u);
  // Exactly 14 bytes is the shortest frame that runs: a bare Ethernet header.
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ethertype(0x88B5).build(), {LW_CLASS_OTHER, LW_PARSE_NOT_IP});
}

TEST_F(Malformed, ShortIpHeadersBehindAPlainEthertypeAreRefusedOrTruncated) {
  // Kernels up to 6.12 refuse (EINVAL, in BPF_PROG_TEST_RUN) an skb whose
  // protocol is IPv4/IPv6 but which holds less than a fixed IP header; 6.16
  // and later run the program on it (kernel matrix, docs/kernels.md). Either
  // way nothing is counted as parsed: a frame the kernel runs is counted
  // once, as truncated. The tests below also reach these paths behind a
  // VLAN tag, where every kernel runs them.
  const uint64_t ok_before = sb().counters(kLoSlot).parse[LW_DIR_INGRESS][LW_PARSE_OK];
  const std::pair<Bytes, uint8_t> cases[] = {
      {PacketBuilder().ethertype(0x0800).build(), LW_PARSE_TRUNC_IPV4},
      {PacketBuilder().ethertype(0x86DD).payload(39).build(), LW_PARSE_TRUNC_IPV6},
  };
  for (const auto& [frame, reason] : cases) {
    SCOPED_TRACE(std::to_string(frame.size()) + "-byte frame");
    bool kernel_runs_it = true;
    try {
      sb().run(LW_DIR_INGRESS, frame);
    } catch (const std::exception&) {
      kernel_runs_it = false;
    }
    if (kernel_runs_it) expect_run(frame, {LW_CLASS_OTHER, reason});
  }
  EXPECT_EQ(sb().counters(kLoSlot).parse[LW_DIR_INGRESS][LW_PARSE_OK], ok_before);
}

TEST_F(Malformed, Ipv4) {
  // Shorter than the fixed header (behind a tag: see the test above).
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().vlan(300).ipv4(kCoroA, kCoroB).udp(5405, 5405).truncate(18 + 19).build(),
      {LW_CLASS_OTHER, LW_PARSE_TRUNC_IPV4});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().vlan(300).ethertype(0x0800).build(),
                      {LW_CLASS_OTHER, LW_PARSE_TRUNC_IPV4});
  // Version 6 behind an IPv4 ethertype.
  LW_EXPECT_BOTH_DIRS(udp4(kCoroA, kCoroB, {.version = 6}).build(),
                      {LW_CLASS_OTHER, LW_PARSE_BAD_IPV4_VERSION});
  // ihl below 5.
  for (uint8_t ihl : {0, 4}) {
    SCOPED_TRACE("ihl " + std::to_string(ihl));
    LW_EXPECT_BOTH_DIRS(udp4(kCoroA, kCoroB, {.ihl = ihl}).build(),
                        {LW_CLASS_OTHER, LW_PARSE_BAD_IPV4_IHL});
  }
  // tot_len below the header length.
  LW_EXPECT_BOTH_DIRS(udp4(kOut, kOut2, {.tot_len = 19}).build(),
                      {LW_CLASS_OTHER, LW_PARSE_BAD_IPV4_LEN});
  LW_EXPECT_BOTH_DIRS(udp4(kOut, kOut2, {.options = Bytes(8, 1), .tot_len = 24}).build(),
                      {LW_CLASS_OTHER, LW_PARSE_BAD_IPV4_LEN});
  // Options announced by ihl but cut off by the end of the frame.
  LW_EXPECT_BOTH_DIRS(udp4(kOut, kOut2, {.options = Bytes(8, 1)}).truncate(14 + 24).build(),
                      {LW_CLASS_OTHER, LW_PARSE_TRUNC_IPV4});
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().ipv4(kOut, kOut2, {.ihl = 15, .tot_len = 60}).tcp(kGuestPort, 443).build(),
      {LW_CLASS_OTHER, LW_PARSE_TRUNC_IPV4});
}

TEST_F(Malformed, IcmpBehindABrokenIpv4HeaderIsAttributedByAddress) {
  // The ICMP header was never read (the IPv4 header is invalid), so its type
  // is unknown; a zero icmp_type would read as ICMP_ECHOREPLY. The packet is
  // attributed by its addresses, as TCP/UDP without ports are: Corosync
  // between link addresses, other between outside addresses.
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv4(kCoroA, kCoroB, {.tot_len = 19}).icmp(8, 0).build(),
                      {LW_CLASS_COROSYNC, LW_PARSE_BAD_IPV4_LEN});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv4(kOut, kClu, {.tot_len = 19}).icmp(8, 0).build(),
                      {LW_CLASS_OTHER, LW_PARSE_BAD_IPV4_LEN});
  LW_EXPECT_BOTH_DIRS(PacketBuilder()
                          .ipv4(kCoroA, kCoroB, {.options = Bytes(8, 1)})
                          .icmp(8, 0)
                          .truncate(14 + 24)
                          .build(),
                      {LW_CLASS_COROSYNC, LW_PARSE_TRUNC_IPV4});
}

TEST_F(Malformed, IcmpOfTheOtherFamilyIsUnknownL4NeverInfra) {
  // Protocol 58 (ICMPv6) inside IPv4 with a "type" below 128 would pass as an
  // ICMPv6 error (infra) if the family were not checked; ICMP (1) inside IPv6
  // would pass as a Corosync probe.
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv4(kOut, kClu, {.protocol = 58}).icmp(1, 0).build(),
                      {LW_CLASS_OTHER, LW_PARSE_UNKNOWN_L4});
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().ipv6(v6::kCoroA, v6::kCoroB, {.next_header = 1}).payload(8).build(),
      {LW_CLASS_OTHER, LW_PARSE_UNKNOWN_L4});
}

TEST_F(Malformed, Ipv6) {
  const PacketBuilder b = PacketBuilder().ipv6(v6::kCoroA, v6::kCoroB).udp(5405, 5405).payload(32);
  // Short fixed headers behind a tag (the kernel refuses them untagged).
  LW_EXPECT_BOTH_DIRS(PacketBuilder()
                          .vlan(300)
                          .ipv6(v6::kCoroA, v6::kCoroB)
                          .udp(5405, 5405)
                          .truncate(18 + 39)
                          .build(),
                      {LW_CLASS_OTHER, LW_PARSE_TRUNC_IPV6});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().qinq(300, 7).ethertype(0x86DD).payload(10).build(),
                      {LW_CLASS_OTHER, LW_PARSE_TRUNC_IPV6});
  // Version 4 behind an IPv6 ethertype (the builder has no override: patch it).
  Bytes bad = b.build();
  bad[b.l3_offset()] = static_cast<uint8_t>((bad[b.l3_offset()] & 0x0F) | 0x40);
  LW_EXPECT_BOTH_DIRS(bad, {LW_CLASS_OTHER, LW_PARSE_BAD_IPV6_VERSION});
}

TEST_F(Malformed, Tcp) {
  const PacketBuilder b = tcp4();
  // Fewer than 20 bytes of TCP header: no ports.
  LW_EXPECT_BOTH_DIRS(PacketBuilder(b).truncate(b.l4_offset() + 19).build(),
                      {LW_CLASS_OTHER, LW_PARSE_TRUNC_TCP});
  LW_EXPECT_BOTH_DIRS(PacketBuilder(b).truncate(b.l4_offset() + 2).build(),
                      {LW_CLASS_OTHER, LW_PARSE_TRUNC_TCP});
  // doff below 5: the ports in front of it are still valid and used.
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().ipv4(kOut, kClu).tcp(kGuestPort, 6800, {.doff = 4}).payload(32).build(),
      {LW_CLASS_CEPH_CLUSTER, LW_PARSE_BAD_TCP_DOFF});
  LW_EXPECT_BOTH_DIRS(tcp4(kOut, kOut2, {}, {.doff = 0}).build(),
                      {LW_CLASS_OTHER, LW_PARSE_BAD_TCP_DOFF});
}

TEST_F(Malformed, TruncatedTransportWithClassAddressesIsAttributedByAddress) {
  // Without ports the classifier treats the packet like a later fragment and
  // attributes it by addresses (classify.bpf.h): a cut TCP header towards
  // the Ceph cluster network counts as ceph_cluster, a cut UDP header between
  // Corosync addresses as corosync.
  const PacketBuilder t = PacketBuilder().ipv4(kOut, kClu).tcp(kGuestPort, 6800);
  LW_EXPECT_BOTH_DIRS(PacketBuilder(t).truncate(t.l4_offset() + 8).build(),
                      {LW_CLASS_CEPH_CLUSTER, LW_PARSE_TRUNC_TCP});
  const PacketBuilder u = PacketBuilder().ipv4(kCoroA, kCoroB).udp(5405, 5405);
  LW_EXPECT_BOTH_DIRS(PacketBuilder(u).truncate(u.l4_offset() + 4).build(),
                      {LW_CLASS_COROSYNC, LW_PARSE_TRUNC_UDP});
}

TEST_F(Malformed, Udp) {
  const PacketBuilder b = udp4();
  LW_EXPECT_BOTH_DIRS(PacketBuilder(b).truncate(b.l4_offset() + 7).build(),
                      {LW_CLASS_OTHER, LW_PARSE_TRUNC_UDP});
  LW_EXPECT_BOTH_DIRS(PacketBuilder(b).truncate(b.l4_offset()).build(),
                      {LW_CLASS_OTHER, LW_PARSE_TRUNC_UDP});
  // A lying UDP length field does not matter: the ports are there.
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().ipv4(kCoroA, kCoroB).udp(5405, 5405, {.length = 3}).payload(32).build(),
      {LW_CLASS_COROSYNC});
  const PacketBuilder b6 = PacketBuilder().ipv6(v6::kOut, v6::kOut2).udp(kGuestPort, 53);
  LW_EXPECT_BOTH_DIRS(PacketBuilder(b6).truncate(b6.l4_offset() + 5).build(),
                      {LW_CLASS_OTHER, LW_PARSE_TRUNC_UDP});
}

TEST_F(Malformed, IcmpShortIsNeverInfraAndGoesByAddress) {
  // A cut ICMP header has no type to trust: attributed by addresses like a
  // TCP/UDP header without ports (Corosync between link addresses), never
  // infra, never an "error" that escapes the lanes.
  const PacketBuilder e = PacketBuilder().ipv4(kCoroA, kCoroB).icmp_echo(1, 1);
  LW_EXPECT_BOTH_DIRS(PacketBuilder(e).truncate(e.l4_offset() + 4).build(),
                      {LW_CLASS_COROSYNC, LW_PARSE_TRUNC_ICMP});
  const PacketBuilder u = PacketBuilder().ipv4(kOut, kOut2).icmp(3, 3);
  LW_EXPECT_BOTH_DIRS(PacketBuilder(u).truncate(u.l4_offset() + 7).build(),
                      {LW_CLASS_OTHER, LW_PARSE_TRUNC_ICMP});
  const PacketBuilder e6 = PacketBuilder().ipv6(v6::kCoroA, v6::kCoroB).icmp6_echo(1, 1);
  LW_EXPECT_BOTH_DIRS(PacketBuilder(e6).truncate(e6.l4_offset() + 1).build(),
                      {LW_CLASS_COROSYNC, LW_PARSE_TRUNC_ICMP});
  const PacketBuilder n6 = PacketBuilder().ipv6(v6::kOut, v6::kOut2).icmp6(1, 0);
  LW_EXPECT_BOTH_DIRS(PacketBuilder(n6).truncate(n6.l4_offset() + 1).build(),
                      {LW_CLASS_OTHER, LW_PARSE_TRUNC_ICMP});
}

TEST_F(Malformed, UnknownTransportIsOther) {
  // GRE (47) and OSPF (89) between class addresses: valid IP, nobody's.
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv4(kCoroA, kCoroB, {.protocol = 47}).payload(40).build(),
                      {LW_CLASS_OTHER, LW_PARSE_UNKNOWN_L4});
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().ipv6(v6::kClu, v6::kClu2, {.next_header = 89}).payload(40).build(),
      {LW_CLASS_OTHER, LW_PARSE_UNKNOWN_L4});
  // ESP (50): encrypted, nothing to read.
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv4(kMgmt, kMgmt2, {.protocol = 50}).payload(40).build(),
                      {LW_CLASS_OTHER, LW_PARSE_UNKNOWN_L4});
}

TEST_F(Malformed, ArpAndLinkControlNeedNoValidBody) {
  // Infra is decided by ethertype / destination MAC; a cut body stays infra.
  LW_EXPECT_BOTH_DIRS(PacketBuilder().arp().truncate(20).build(),
                      {LW_CLASS_INFRA, LW_PARSE_NOT_IP});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().lldp().truncate(15).build(),
                      {LW_CLASS_INFRA, LW_PARSE_NOT_IP});
}

TEST_F(Malformed, EveryPrefixOfAFrameIsCountedOnce) {
  // Cut a VLAN-tagged IPv6 TCP frame with extension headers at every length:
  // whatever the reason, each run passes and adds exactly one packet and one
  // reason (expect_run checks both), and the totals add up.
  const Bytes full = PacketBuilder()
                         .vlan(300)
                         .ipv6(v6::kOut, v6::kClu)
                         .ext_hop_by_hop()
                         .ext_fragment(0, true, 3)
                         .tcp(kGuestPort, 6800)
                         .payload(8)
                         .build();
  uint64_t runs = 0;
  for (size_t n = 14; n <= full.size(); n++) {
    SCOPED_TRACE(std::to_string(n) + " bytes");
    Outcome o = run_and_count(Bytes(full.begin(), full.begin() + n), LW_DIR_INGRESS);
    EXPECT_EQ(o.retval, TC_ACT_UNSPEC);
    EXPECT_EQ(o.packets, 1u);
    EXPECT_EQ(o.reason_packets, 1u);
    EXPECT_GE(o.reason, 0);
    runs++;
  }
  const auto c = sb().counters(kLoSlot);
  uint64_t reasons = 0;
  for (int r = 0; r < LW_NR_PARSE_REASONS; r++) reasons += c.parse[LW_DIR_INGRESS][r];
  EXPECT_EQ(reasons, runs);
  // Where each cut lands: the tag (14..17 bytes), the IPv6 header (18..57),
  // the two 8-byte extension headers (58..73); from 74 bytes on the fragment
  // header is whole and a first fragment keeps its reason even when the TCP
  // header behind it is cut.
  EXPECT_EQ(c.parse[LW_DIR_INGRESS][LW_PARSE_TRUNC_VLAN], 4u);
  EXPECT_EQ(c.parse[LW_DIR_INGRESS][LW_PARSE_TRUNC_IPV6], 40u);
  EXPECT_EQ(c.parse[LW_DIR_INGRESS][LW_PARSE_TRUNC_IPV6_EXT], 16u);
  EXPECT_EQ(c.parse[LW_DIR_INGRESS][LW_PARSE_FRAGMENT_FIRST], full.size() - 74 + 1);
}

}  // namespace
}  // namespace lw::test::bpf
