// SPDX-License-Identifier: GPL-2.0-only
// Echo requests the prober sends and the replies it accepts.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <vector>

#include "probe/icmp_echo.h"

namespace lw::probe {
namespace {

TEST(ProbeIcmp, Ipv4RequestHasValidChecksum) {
  auto pkt = build_echo_request(AF_INET, 0x1234, 0xabcd);
  ASSERT_EQ(pkt.size(), 8u + kProbePayload);
  EXPECT_EQ(pkt[0], 8);  // echo request
  EXPECT_EQ(pkt[4], 0x12);
  EXPECT_EQ(pkt[7], 0xcd);
  EXPECT_EQ(inet_checksum(pkt), 0);  // a correct checksum sums to zero
}

TEST(ProbeIcmp, Ipv6RequestLeavesChecksumToKernel) {
  auto pkt = build_echo_request(AF_INET6, 1, 2);
  EXPECT_EQ(pkt[0], 128);
  EXPECT_EQ(pkt[2], 0);
  EXPECT_EQ(pkt[3], 0);
}

// What a raw IPv4 socket delivers: IP header (with options: IHL 6) + reply.
std::vector<uint8_t> v4_reply(uint16_t ident, uint16_t seq, uint8_t ihl = 5) {
  std::vector<uint8_t> ip(ihl * 4u, 0);
  ip[0] = static_cast<uint8_t>(0x40 | ihl);
  auto icmp = build_echo_request(AF_INET, ident, seq);
  icmp[0] = 0;  // echo reply
  ip.insert(ip.end(), icmp.begin(), icmp.end());
  return ip;
}

TEST(ProbeIcmp, ParsesIpv4ReplyBehindIpHeader) {
  auto r = parse_echo_reply(AF_INET, v4_reply(7, 9));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->ident, 7);
  EXPECT_EQ(r->seq, 9);
  auto with_options = parse_echo_reply(AF_INET, v4_reply(7, 10, 6));
  ASSERT_TRUE(with_options);
  EXPECT_EQ(with_options->seq, 10);
}

TEST(ProbeIcmp, RejectsOtherPackets) {
  auto request = build_echo_request(AF_INET6, 1, 2);  // a request, not a reply
  EXPECT_FALSE(parse_echo_reply(AF_INET6, request));
  auto foreign = v4_reply(1, 2);
  foreign[20 + 8] ^= 0xff;  // not our payload tag: someone else's ping
  EXPECT_FALSE(parse_echo_reply(AF_INET, foreign));
  auto cut = v4_reply(1, 2);
  cut.resize(20 + 10);
  EXPECT_FALSE(parse_echo_reply(AF_INET, cut));
  std::vector<uint8_t> bad_ihl = v4_reply(1, 2);
  bad_ihl[0] = 0x44;  // IHL 4 < 5
  EXPECT_FALSE(parse_echo_reply(AF_INET, bad_ihl));
  auto v6 = build_echo_request(AF_INET6, 3, 4);
  v6[0] = 129;
  auto r = parse_echo_reply(AF_INET6, v6);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->ident, 3);
}

}  // namespace
}  // namespace lw::probe
