// SPDX-License-Identifier: GPL-2.0-only
// The packet builder is the ground truth of the BPF tests, so it is checked
// against known vectors and an independent checksum written differently here.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "frames/checksum.h"
#include "support/packet_builder.h"

namespace lw::test {
namespace {

using B = std::vector<uint8_t>;

uint16_t be16(const B& f, size_t off) { return static_cast<uint16_t>(f[off] << 8 | f[off + 1]); }
uint32_t be32(const B& f, size_t off) { return uint32_t{be16(f, off)} << 16 | be16(f, off + 2); }

// Reference checksum: end-around carry on every add, no folding at the end,
// so it shares no code path with checksum.cpp.
uint16_t ref_checksum(const B& data) {
  uint32_t sum = 0;
  for (size_t i = 0; i < data.size(); i += 2) {
    uint32_t word = uint32_t{data[i]} << 8;
    if (i + 1 < data.size()) word |= data[i + 1];
    sum += word;
    if (sum > 0xffff) sum -= 0xffff;
  }
  return static_cast<uint16_t>(~sum & 0xffff);
}

// L4 checksum with an explicitly materialised pseudo header, field zeroed.
uint16_t ref_l4_checksum(const B& f, size_t l3, size_t l4, size_t end, size_t field, bool v6,
                         uint8_t proto) {
  B buf;
  size_t len = end - l4;
  if (v6) {
    buf.insert(buf.end(), f.begin() + l3 + 8, f.begin() + l3 + 40);
    buf.insert(buf.end(), {uint8_t(len >> 24), uint8_t(len >> 16), uint8_t(len >> 8), uint8_t(len),
                           0, 0, 0, proto});
  } else {
    buf.insert(buf.end(), f.begin() + l3 + 12, f.begin() + l3 + 20);
    buf.insert(buf.end(), {0, proto, uint8_t(len >> 8), uint8_t(len)});
  }
  B seg(f.begin() + l4, f.begin() + end);
  seg[field] = seg[field + 1] = 0;
  buf.insert(buf.end(), seg.begin(), seg.end());
  return ref_checksum(buf);
}

TEST(SupportChecksum, Rfc1071Example) {
  // RFC 1071 section 3: these bytes sum to 0xddf2.
  B data{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
  EXPECT_EQ(checksum_add(data), 0xddf2u);
  EXPECT_EQ(inet_checksum(data), 0x220d);
  EXPECT_EQ(ref_checksum(data), 0x220d);
  B odd{0x01, 0x02, 0x03};  // odd length pads a zero byte on the right
  EXPECT_EQ(inet_checksum(odd), static_cast<uint16_t>(~(0x0102 + 0x0300)));
}

TEST(SupportChecksum, Crc32cCheckValue) {
  // The CRC catalogue's check value of CRC-32C (Castagnoli), as SCTP uses it.
  const B digits = {'1', '2', '3', '4', '5', '6', '7', '8', '9'};
  EXPECT_EQ(frames::crc32c(digits), 0xE3069283u);
}

TEST(SupportPacketBuilder, SctpCommonHeaderAndCrc32c) {
  auto f = PacketBuilder()
               .ipv6("2001:db8::1", "2001:db8::2")
               .sctp(5405, 5406, {.vtag = 7})
               .payload(16)
               .build();
  const size_t l4 = 14 + 40;
  EXPECT_EQ(f[14 + 6], 132);  // next header: SCTP
  EXPECT_EQ(be16(f, l4), 5405);
  EXPECT_EQ(be16(f, l4 + 2), 5406);
  EXPECT_EQ(be32(f, l4 + 4), 7u);
  // The checksum is the CRC32c of the packet with the field zero, stored
  // least significant byte first (RFC 9260 appendix A).
  B zeroed(f.begin() + l4, f.end());
  uint32_t stored = zeroed[8] | zeroed[9] << 8 | zeroed[10] << 16 | uint32_t{zeroed[11]} << 24;
  for (int i = 8; i < 12; ++i) zeroed[i] = 0;
  EXPECT_EQ(stored, frames::crc32c(zeroed));
  auto bad = PacketBuilder()
                 .ipv4("198.51.100.1", "198.51.100.2")
                 .sctp(1, 2, {.bad_checksum = true})
                 .build();
  auto good = PacketBuilder().ipv4("198.51.100.1", "198.51.100.2").sctp(1, 2).build();
  EXPECT_NE(bad, good);
  EXPECT_EQ(good[14 + 9], 132);  // protocol: SCTP
}

TEST(SupportPacketBuilder, Ipv4HeaderMatchesKnownVector) {
  // The classic worked example (Wikipedia "IPv4 header checksum"):
  // 4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7.
  auto f = PacketBuilder()
               .ipv4("192.168.0.1", "192.168.0.199", {.id = 0, .df = true})
               .udp(1000, 2000)
               .payload(0x73 - 28)
               .build();
  B expected{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
             0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
  EXPECT_EQ(B(f.begin() + 14, f.begin() + 34), expected);
  EXPECT_EQ(be16(f, 12), 0x0800);
  EXPECT_TRUE(verify_checksums(f));
}

TEST(SupportPacketBuilder, UdpAndTcpChecksumsMatchReference) {
  PacketBuilder u;
  u.ipv4("198.51.100.1", "198.51.100.2").udp(5405, 5405).payload(63);  // odd length
  auto f = u.build();
  size_t l4 = u.l4_offset();
  EXPECT_EQ(be16(f, l4 + 4), 8 + 63);
  EXPECT_EQ(be16(f, l4 + 6), ref_l4_checksum(f, 14, l4, f.size(), 6, false, 17));
  EXPECT_TRUE(verify_checksums(f));

  PacketBuilder t;
  t.ipv6("2001:db8::1", "2001:db8::2").tcp(40000, 6800, {.flags = kTcpSyn}).payload(100);
  f = t.build();
  l4 = t.l4_offset();
  EXPECT_EQ(be16(f, l4 + 16), ref_l4_checksum(f, 14, l4, f.size(), 16, true, 6));
  EXPECT_TRUE(verify_checksums(f));
}

TEST(SupportPacketBuilder, Icmp6ChecksumCoversPseudoHeader) {
  PacketBuilder b;
  b.ipv6("2001:db8::1", "2001:db8::2").icmp6_echo(7, 9).payload(32);
  auto f = b.build();
  size_t l4 = b.l4_offset();
  EXPECT_EQ(f[l4], 128);
  EXPECT_EQ(be32(f, l4 + 4), 7u << 16 | 9);
  EXPECT_EQ(be16(f, l4 + 2), ref_l4_checksum(f, 14, l4, f.size(), 2, true, 58));
  // ICMPv4 has no pseudo header.
  PacketBuilder v4;
  v4.ipv4("198.51.100.1", "198.51.100.2").icmp_echo(1, 2).payload(56);
  f = v4.build();
  l4 = v4.l4_offset();
  B msg(f.begin() + l4, f.end());
  msg[2] = msg[3] = 0;
  EXPECT_EQ(be16(f, l4 + 2), ref_checksum(msg));
}

TEST(SupportPacketBuilder, VerifyChecksumsCatchesEachDamage) {
  auto ip = [] { return PacketBuilder().ipv4("198.51.100.1", "198.51.100.2"); };
  EXPECT_FALSE(verify_checksums(PacketBuilder()
                                    .ipv4("198.51.100.1", "198.51.100.2", {.bad_checksum = true})
                                    .udp(1, 2)
                                    .build()));
  EXPECT_FALSE(verify_checksums(ip().udp(1, 2, {.bad_checksum = true}).payload(4).build()));
  EXPECT_FALSE(verify_checksums(ip().tcp(1, 2, {.bad_checksum = true}).build()));
  EXPECT_TRUE(verify_checksums(ip().udp(1, 2, {.zero_checksum = true}).payload(4).build()));
  auto f = ip().icmp_echo(1, 1).payload(8).build();
  f.back() ^= 0xff;  // as if a rewrite forgot to update the checksum
  EXPECT_FALSE(verify_checksums(f));
  auto g = PacketBuilder().ipv6("2001:db8::1", "2001:db8::2").udp(1, 2).payload(9).build();
  g[g.size() - 1] ^= 1;
  auto r = verify_checksums(g);
  EXPECT_FALSE(r);
  EXPECT_NE(std::string(r.message()).find("UDP checksum"), std::string::npos) << r.message();
}

TEST(SupportPacketBuilder, VlanTagsAndOffsets) {
  PacketBuilder b;
  b.eth("02:00:00:00:00:0a", "02:00:00:00:00:0b")
      .vlan(20, 5)
      .ipv4("198.51.100.1", "198.51.100.2")
      .udp(5405, 5406)
      .payload(10);
  auto f = b.build();
  EXPECT_EQ(B(f.begin(), f.begin() + 12), (B{2, 0, 0, 0, 0, 0xb, 2, 0, 0, 0, 0, 0xa}));
  EXPECT_EQ(be16(f, 12), kTpid8021Q);
  EXPECT_EQ(be16(f, 14), 5 << 13 | 20);
  EXPECT_EQ(be16(f, 16), 0x0800);
  EXPECT_EQ(b.l3_offset(), 18u);
  EXPECT_EQ(b.l4_offset(), 38u);
  EXPECT_EQ(b.payload_offset(), 46u);
  EXPECT_EQ(f.size(), 56u);

  PacketBuilder q;
  q.qinq(100, 20).ipv6("2001:db8::1", "2001:db8::2").udp(1, 2);
  f = q.build();
  EXPECT_EQ(be16(f, 12), kTpid8021ad);
  EXPECT_EQ(be16(f, 14), 100);
  EXPECT_EQ(be16(f, 16), kTpid8021Q);
  EXPECT_EQ(be16(f, 18), 20);
  EXPECT_EQ(be16(f, 20), 0x86dd);
  EXPECT_EQ(q.vlan_offset(1), 16u);
  EXPECT_EQ(q.l3_offset(), 22u);
  auto info = parse_frame(f);
  ASSERT_EQ(info.vlans.size(), 2u);
  EXPECT_EQ(info.vlans[1].vid(), 20);
  EXPECT_EQ(info.l4_offset, q.l4_offset());
}

TEST(SupportPacketBuilder, Ipv4FieldsOptionsAndFragments) {
  PacketBuilder b;
  b.ipv4("198.51.100.1", "203.0.113.9",
         {.ttl = 3,
          .dscp = 46,
          .id = 0x1234,
          .mf = true,
          .frag_offset = 185,
          .options = {0x94, 0x04, 0x00, 0x00}})  // router alert
      .udp(1, 2);
  auto f = b.build();
  size_t l3 = b.l3_offset();
  EXPECT_EQ(f[l3], 0x46);  // ihl 6 because of the option
  EXPECT_EQ(f[l3 + 1], 46 << 2);
  EXPECT_EQ(be16(f, l3 + 4), 0x1234);
  EXPECT_EQ(be16(f, l3 + 6), 0x2000 | 185);
  EXPECT_EQ(f[l3 + 8], 3);
  EXPECT_EQ(f[l3 + 9], 17);
  EXPECT_EQ(b.l4_offset(), l3 + 24);
  EXPECT_EQ(inet_checksum(std::span(f).subspan(l3, 24)), 0);
  auto info = parse_frame(f);
  EXPECT_TRUE(info.fragment);
  EXPECT_FALSE(info.l4_offset);  // non-first fragment: no ports

  // Options are EOL-padded to a 4-byte multiple.
  PacketBuilder p;
  p.ipv4("198.51.100.1", "198.51.100.2", {.options = {1}}).payload(4);
  EXPECT_EQ(p.build()[14], 0x46);
}

TEST(SupportPacketBuilder, Ipv4DamageOverrides) {
  PacketBuilder b;
  b.ipv4("198.51.100.1", "198.51.100.2", {.ihl = 4, .version = 5, .tot_len = 1000}).udp(1, 2);
  auto f = b.build();
  EXPECT_EQ(f[14], 0x54);
  EXPECT_EQ(be16(f, 16), 1000);
  EXPECT_EQ(parse_frame(f).ip_version, 0);  // not IPv4 any more
  PacketBuilder p;
  p.ipv4("198.51.100.1", "198.51.100.2", {.protocol = 200}).payload(4);
  EXPECT_EQ(p.build()[23], 200);
}

TEST(SupportPacketBuilder, Ipv6ExtensionChain) {
  PacketBuilder b;
  b.ipv6("2001:db8::1", "2001:db8::2", {.traffic_class = 0xb8, .flow_label = 0xabcde})
      .ext_hop_by_hop()
      .ext_routing({"2001:db8::10", "2001:db8::11"})
      .ext_dest_opts(1)
      .ext_fragment(0, true, 7)
      .tcp(40000, 6800)
      .payload(5);
  auto f = b.build();
  size_t l3 = 14;
  EXPECT_EQ(be32(f, l3), 6u << 28 | 0xb8u << 20 | 0xabcde);
  EXPECT_EQ(be16(f, l3 + 4), f.size() - l3 - 40);
  EXPECT_EQ(f[l3 + 6], 0);  // -> hop-by-hop
  EXPECT_EQ(f[l3 + 7], 64);
  size_t hbh = l3 + 40;
  EXPECT_EQ(f[hbh], 43);  // -> routing
  EXPECT_EQ(f[hbh + 1], 0);
  size_t rt = hbh + 8;
  EXPECT_EQ(f[rt], 60);     // -> destination options
  EXPECT_EQ(f[rt + 1], 4);  // two addresses
  size_t dst = rt + 40;
  EXPECT_EQ(f[dst], 44);  // -> fragment
  EXPECT_EQ(f[dst + 1], 1);
  size_t frag = dst + 16;
  EXPECT_EQ(f[frag], 6);            // -> TCP
  EXPECT_EQ(be16(f, frag + 2), 1);  // offset 0, M set
  EXPECT_EQ(be32(f, frag + 4), 7u);
  EXPECT_EQ(b.l4_offset(), frag + 8);
  auto info = parse_frame(f);
  EXPECT_TRUE(info.first_fragment);
  EXPECT_EQ(info.l4_offset, b.l4_offset());
  EXPECT_EQ(info.l4_proto, 6);

  auto later = PacketBuilder()
                   .ipv6("2001:db8::1", "2001:db8::2")
                   .ext_fragment(100, false, 7)
                   .payload(16)
                   .build();
  EXPECT_EQ(later[14 + 40], 59);  // no next header after the fragment's data
  EXPECT_FALSE(parse_frame(later).l4_offset);
  auto udp_frag = PacketBuilder()
                      .ipv6("2001:db8::1", "2001:db8::2")
                      .ext_fragment(100, false, 7, 17)
                      .payload(16)
                      .build();
  EXPECT_EQ(udp_frag[14 + 40], 17);
  EXPECT_EQ(parse_frame(udp_frag).l4_proto, 17);
}

TEST(SupportPacketBuilder, RoutingHeaderUsesFinalDestination) {
  auto f = PacketBuilder()
               .ipv6("2001:db8::1", "2001:db8::2")
               .ext_routing({"2001:db8::99"}, 2, 1)
               .udp(1, 2)
               .payload(8)
               .build();
  EXPECT_TRUE(verify_checksums(f));
}

TEST(SupportPacketBuilder, TcpOptionsAndDoff) {
  PacketBuilder b;
  auto opts = tcp_option_mss(1460);
  auto ts = tcp_option_timestamp(0x01020304, 0x0a0b0c0d);
  opts.insert(opts.end(), ts.begin(), ts.end());
  b.ipv4("198.51.100.1", "198.51.100.2")
      .tcp(22, 50000, {.flags = kTcpSyn | kTcpAck, .seq = 5, .ack = 6, .options = opts});
  auto f = b.build();
  size_t l4 = b.l4_offset();
  EXPECT_EQ(f[l4 + 12] >> 4, 9);  // 20 + 4 + 12 bytes
  EXPECT_EQ(f[l4 + 13], kTcpSyn | kTcpAck);
  EXPECT_EQ(be32(f, l4 + 4), 5u);
  EXPECT_EQ(be32(f, l4 + 8), 6u);
  EXPECT_EQ(B(f.begin() + l4 + 24, f.begin() + l4 + 36),
            (B{1, 1, 8, 10, 1, 2, 3, 4, 0xa, 0xb, 0xc, 0xd}));
  EXPECT_TRUE(verify_checksums(f));
  auto bad = PacketBuilder().ipv4("198.51.100.1", "198.51.100.2").tcp(1, 2, {.doff = 3}).build();
  EXPECT_EQ(bad[14 + 20 + 12], 3 << 4);
}

TEST(SupportPacketBuilder, IcmpErrorsQuoteTheOriginal) {
  PacketBuilder orig;
  orig.ipv4("198.51.100.2", "198.51.100.1").udp(5405, 5405).payload(100);
  PacketBuilder b;
  b.ipv4("198.51.100.1", "198.51.100.2").icmp_frag_needed(1400, orig);
  auto f = b.build();
  size_t l4 = b.l4_offset();
  EXPECT_EQ(f[l4], 3);
  EXPECT_EQ(f[l4 + 1], 4);
  EXPECT_EQ(be16(f, l4 + 6), 1400);
  EXPECT_EQ(f.size() - l4, 8u + 20 + 8);
  auto quote = orig.build_l3();
  EXPECT_EQ(B(f.begin() + l4 + 8, f.end()), B(quote.begin(), quote.begin() + 28));
  EXPECT_TRUE(verify_checksums(f));

  PacketBuilder big;
  big.ipv6("2001:db8::2", "2001:db8::1").udp(1, 2).payload(1400);
  PacketBuilder p;
  p.ipv6("2001:db8::1", "2001:db8::2").icmp6_packet_too_big(1280, big);
  f = p.build();
  EXPECT_EQ(f[p.l4_offset()], 2);
  EXPECT_EQ(be32(f, p.l4_offset() + 4), 1280u);
  EXPECT_EQ(f.size() - 14, 1280u);  // the quote stops at the minimum MTU
  EXPECT_TRUE(verify_checksums(f));
}

TEST(SupportPacketBuilder, NeighbourDiscovery) {
  PacketBuilder ns;
  ns.ipv6("2001:db8::1", "ff02::1:ff00:2")
      .icmp6_neighbor_solicit("2001:db8::2", "02:00:00:00:00:01");
  auto f = ns.build();
  size_t l4 = ns.l4_offset();
  EXPECT_EQ(f[14 + 7], 255);  // ND requires hop limit 255
  EXPECT_EQ(f[l4], 135);
  EXPECT_EQ(f.size() - l4, 8u + 16 + 8);
  EXPECT_EQ(f[l4 + 24], 1);  // source link-layer address option
  EXPECT_TRUE(verify_checksums(f));
  PacketBuilder na;
  na.ipv6("2001:db8::2", "2001:db8::1").icmp6_neighbor_advert("2001:db8::2");
  f = na.build();
  EXPECT_EQ(f[na.l4_offset()], 136);
  EXPECT_EQ(f[na.l4_offset() + 4], 0x60);
  EXPECT_TRUE(verify_checksums(f));
  auto rs = PacketBuilder().ipv6("fe80::1", "ff02::2").icmp6_router_solicit().build();
  EXPECT_EQ(rs[54], 133);
  auto ra = PacketBuilder().ipv6("fe80::2", "ff02::1").icmp6_router_advert(600).build();
  EXPECT_EQ(ra[54], 134);
  EXPECT_EQ(be16(ra, 54 + 6), 600);
  EXPECT_TRUE(verify_checksums(ra));
}

TEST(SupportPacketBuilder, LinkLocalControlFrames) {
  auto arp = PacketBuilder().arp().build();
  EXPECT_EQ(be16(arp, 12), 0x0806);
  EXPECT_EQ(arp.size(), 14u + 28);
  EXPECT_EQ(B(arp.begin(), arp.begin() + 6), B(6, 0xff));
  EXPECT_EQ(be16(arp, 14 + 6), 1);

  auto lldp = PacketBuilder().lldp().build();
  EXPECT_EQ(be16(lldp, 12), 0x88cc);
  EXPECT_EQ(B(lldp.begin(), lldp.begin() + 6), (B{0x01, 0x80, 0xc2, 0, 0, 0x0e}));
  EXPECT_EQ(be16(lldp, 14) >> 9, 1);          // chassis id TLV first
  EXPECT_EQ(be16(lldp, lldp.size() - 2), 0);  // end TLV last

  auto lacp = PacketBuilder().lacp().build();
  EXPECT_EQ(be16(lacp, 12), 0x8809);
  EXPECT_EQ(lacp.size() - 14, 110u);
  EXPECT_EQ(lacp[14], 1);

  auto stp = PacketBuilder().stp().build();
  EXPECT_EQ(B(stp.begin(), stp.begin() + 6), (B{0x01, 0x80, 0xc2, 0, 0, 0}));
  EXPECT_EQ(be16(stp, 12), 38);  // 802.3 length: LLC 3 + BPDU 35
  EXPECT_EQ(B(stp.begin() + 14, stp.begin() + 17), (B{0x42, 0x42, 0x03}));
  EXPECT_EQ(stp.size(), 14u + 38);

  // eth() wins over the protocol default destination.
  auto uni = PacketBuilder().eth("02:00:00:00:00:01", "02:00:00:00:00:09").lldp().build();
  EXPECT_EQ(uni[5], 9);
}

TEST(SupportPacketBuilder, TruncateAndPad) {
  PacketBuilder b;
  b.vlan(20).ipv4("198.51.100.1", "198.51.100.2").tcp(1, 2).truncate(18 + 20 + 10);
  auto f = b.build();
  EXPECT_EQ(f.size(), 48u);
  EXPECT_EQ(be16(f, 18 + 2), 40);  // lengths still claim the full packet
  auto info = parse_frame(f);
  EXPECT_EQ(info.ip_version, 4);
  EXPECT_FALSE(verify_checksums(f));  // the TCP header is cut
  EXPECT_EQ(PacketBuilder().vlan(20).truncate(15).build().size(), 15u);

  auto small = PacketBuilder().ipv4("198.51.100.1", "198.51.100.2").udp(1, 2).pad_to(60).build();
  EXPECT_EQ(small.size(), 60u);
  EXPECT_EQ(be16(small, 16), 28);  // padding is outside the IP packet
  EXPECT_TRUE(verify_checksums(small));
}

TEST(SupportPacketBuilder, MisuseThrows) {
  EXPECT_THROW(PacketBuilder().tcp(1, 2), std::logic_error);
  EXPECT_THROW(PacketBuilder().ipv4("198.51.100.1", "198.51.100.2").icmp6_echo(1, 1),
               std::logic_error);
  EXPECT_THROW(PacketBuilder().vlan(1).eth(), std::logic_error);
  EXPECT_THROW(PacketBuilder().ipv4("198.51.100.1", "198.51.100.2").vlan(1), std::logic_error);
  EXPECT_THROW(PacketBuilder().ipv4("198.51.100.1", "198.51.100.2").ext_fragment(0, 0, 1),
               std::logic_error);
  EXPECT_THROW(PacketBuilder().payload(1).udp(1, 2), std::logic_error);
  EXPECT_THROW(PacketBuilder().vlan(4096), std::invalid_argument);
  EXPECT_THROW(PacketBuilder().ipv4("198.51.100.300", "198.51.100.2"), std::invalid_argument);
  EXPECT_THROW(PacketBuilder().ipv4("198.51.100.1", "198.51.100.2").l4_offset(), std::logic_error);
}

}  // namespace
}  // namespace lw::test
