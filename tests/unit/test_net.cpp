// SPDX-License-Identifier: GPL-2.0-only
// Addresses, CIDRs and port ranges: the policy's spellings and Proxmox's.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include "common/net.h"

namespace lw {
namespace {

using ::testing::HasSubstr;

TEST(NetAddress, ParsesIpv4AndIpv6) {
  auto v4 = parse_address("198.51.100.7");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->family, AF_INET);
  EXPECT_EQ(v4->bytes[0], 198);
  EXPECT_EQ(v4->bytes[3], 7);
  EXPECT_EQ(v4->str(), "198.51.100.7");

  auto v6 = parse_address("2001:DB8::1");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->family, AF_INET6);
  EXPECT_EQ(v6->bytes[0], 0x20);
  EXPECT_EQ(v6->bytes[15], 1);
  EXPECT_EQ(v6->str(), "2001:db8::1");  // inet_ntop canonical form
}

TEST(NetAddress, RejectsJunk) {
  std::string err;
  for (const char* bad : {"", "1.2.3", "256.1.1.1", "10.0.0.1/24", "fe80::1%eth0", "hello",
                          "2001:db8:::1", "1.2.3.4 5"}) {
    EXPECT_FALSE(parse_address(bad, &err)) << bad;
    EXPECT_THAT(err, HasSubstr("is not an IPv4 or IPv6 address")) << bad;
  }
  // An embedded NUL must not truncate the input into a valid address.
  EXPECT_FALSE(parse_address(std::string_view("10.0.0.1\0junk", 13)));
}

TEST(NetCidr, ParsesAndPrints) {
  auto c = parse_cidr("10.10.10.0/24");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->prefix, 24);
  EXPECT_EQ(c->str(), "10.10.10.0/24");
  auto c6 = parse_cidr("2001:db8:10::/48");
  ASSERT_TRUE(c6);
  EXPECT_EQ(c6->str(), "2001:db8:10::/48");
  EXPECT_TRUE(parse_cidr(" 203.0.113.0/24 "));  // surrounding blanks tolerated
}

TEST(NetCidr, EdgePrefixes) {
  auto all4 = parse_cidr("0.0.0.0/0");
  ASSERT_TRUE(all4);
  EXPECT_TRUE(all4->contains(*parse_address("255.255.255.255")));
  EXPECT_FALSE(all4->contains(*parse_address("::1")));  // families never mix
  auto host = parse_cidr("198.51.100.9/32");
  ASSERT_TRUE(host);
  EXPECT_TRUE(host->contains(*parse_address("198.51.100.9")));
  EXPECT_FALSE(host->contains(*parse_address("198.51.100.8")));
  auto all6 = parse_cidr("::/0");
  ASSERT_TRUE(all6);
  EXPECT_TRUE(all6->contains(*parse_address("2001:db8::1")));
  auto host6 = parse_cidr("2001:db8::1/128");
  ASSERT_TRUE(host6);
  EXPECT_FALSE(host6->contains(*parse_address("2001:db8::2")));
  // A prefix that is not a multiple of 8.
  auto odd = parse_cidr("198.51.100.64/27");
  ASSERT_TRUE(odd);
  EXPECT_TRUE(odd->contains(*parse_address("198.51.100.95")));
  EXPECT_FALSE(odd->contains(*parse_address("198.51.100.96")));
  EXPECT_FALSE(odd->contains(*parse_address("198.51.100.63")));
}

TEST(NetCidr, HostBitsSuggestTheNetwork) {
  std::string err;
  EXPECT_FALSE(parse_cidr("10.10.10.1/24", &err));
  EXPECT_THAT(err, HasSubstr("host bits set"));
  EXPECT_THAT(err, HasSubstr("did you mean '10.10.10.0/24'"));
  EXPECT_FALSE(parse_cidr("2001:db8::1/64", &err));
  EXPECT_THAT(err, HasSubstr("'2001:db8::/64'"));
  EXPECT_FALSE(parse_cidr("198.51.100.65/27", &err));
  EXPECT_THAT(err, HasSubstr("'198.51.100.64/27'"));
  auto cleared = parse_cidr("10.10.10.1/24", &err, /*allow_host_bits=*/true);
  ASSERT_TRUE(cleared);
  EXPECT_EQ(cleared->str(), "10.10.10.0/24");
}

TEST(NetCidr, RejectsBadPrefixes) {
  std::string err;
  for (const char* bad : {"10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/-1",
                          "10.0.0.0/24x", "10.0.0.0/0024", "10.0.0.0/ 24a"}) {
    EXPECT_FALSE(parse_cidr(bad, &err)) << bad;
    EXPECT_THAT(err, HasSubstr("bad prefix length")) << bad;
  }
  EXPECT_FALSE(parse_cidr("10.0.0.1", &err));
  EXPECT_THAT(err, HasSubstr("no prefix length"));
  EXPECT_THAT(err, HasSubstr("10.0.0.1/32"));
  EXPECT_FALSE(parse_cidr("2001:db8::1", &err));
  EXPECT_THAT(err, HasSubstr("2001:db8::1/128"));
  EXPECT_FALSE(parse_cidr("nonsense/24", &err));
  EXPECT_THAT(err, HasSubstr("is not a network"));
}

TEST(NetCidr, Overlaps) {
  auto a = *parse_cidr("10.10.0.0/16");
  auto b = *parse_cidr("10.10.40.0/24");
  auto c = *parse_cidr("10.11.0.0/16");
  EXPECT_TRUE(a.overlaps(b));
  EXPECT_TRUE(b.overlaps(a));
  EXPECT_TRUE(a.overlaps(a));
  EXPECT_FALSE(a.overlaps(c));
  EXPECT_FALSE(b.overlaps(c));
  auto v6 = *parse_cidr("::/0");
  EXPECT_FALSE(v6.overlaps(a));  // different families never overlap
  EXPECT_TRUE(v6.overlaps(*parse_cidr("2001:db8::/32")));
  // Adjacent /25s do not overlap.
  EXPECT_FALSE(parse_cidr("198.51.100.0/25")->overlaps(*parse_cidr("198.51.100.128/25")));
}

TEST(NetPorts, SinglesAndRanges) {
  EXPECT_EQ(parse_port_range("22"), (PortRange{22, 22}));
  EXPECT_EQ(parse_port_range("5405-5412"), (PortRange{5405, 5412}));
  EXPECT_EQ(parse_port_range("6800 - 7300"), (PortRange{6800, 7300}));
  EXPECT_EQ(parse_port_range("1-65535"), (PortRange{1, 65535}));
  EXPECT_EQ(parse_port_range("65535"), (PortRange{65535, 65535}));
}

TEST(NetPorts, RejectsOutOfRangeAndReversed) {
  std::string err;
  EXPECT_FALSE(parse_port_range("0", &err));
  EXPECT_THAT(err, HasSubstr("port 0 in '0' is out of range 1..65535"));
  EXPECT_FALSE(parse_port_range("65536", &err));
  EXPECT_THAT(err, HasSubstr("out of range 1..65535"));
  EXPECT_FALSE(parse_port_range("100-70000", &err));
  EXPECT_THAT(err, HasSubstr("port 70000"));
  EXPECT_FALSE(parse_port_range("7300-6800", &err));
  EXPECT_THAT(err, HasSubstr("reversed"));
  EXPECT_THAT(err, HasSubstr("6800-7300"));
  for (const char* bad : {"", "-", "22-", "-22", "ssh", "22,23", "1e3", "0x16"}) {
    EXPECT_FALSE(parse_port_range(bad, &err)) << bad;
    EXPECT_THAT(err, HasSubstr("is not a port or port range")) << bad;
  }
}

// The lenient spellings of Proxmox's files, on the same type the policy uses.
TEST(NetProxmoxSpellings, InterfaceAddressKeepsHostAndNetwork) {
  auto a = parse_if_addr("10.10.10.1/24");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->addr.str(), "10.10.10.1");
  EXPECT_EQ(a->net.str(), "10.10.10.0/24");
  EXPECT_TRUE(a->net.contains(a->addr));
  auto host = parse_if_addr("2001:db8::5");
  ASSERT_TRUE(host);
  EXPECT_EQ(host->net.str(), "2001:db8::5/128");
  EXPECT_FALSE(parse_if_addr("10.10.10.1/33"));
  EXPECT_FALSE(parse_if_addr("10.10.10.1/24x"));
  EXPECT_FALSE(parse_if_addr("pve1/24"));
}

TEST(NetProxmoxSpellings, NetworksClearHostBitsAndHostsAreSingle) {
  EXPECT_EQ(parse_network("10.10.40.1/24")->str(), "10.10.40.0/24");
  EXPECT_EQ(parse_network("198.51.100.7")->str(), "198.51.100.7/32");
  EXPECT_EQ(host_cidr(*parse_address("2001:db8::1")).str(), "2001:db8::1/128");
  EXPECT_TRUE(host_cidr(*parse_address("198.51.100.7")).contains(*parse_address("198.51.100.7")));
  EXPECT_FALSE(host_cidr(*parse_address("198.51.100.7")).contains(*parse_address("198.51.100.8")));
  // One ordering for both readers and policy: networks sort and deduplicate.
  EXPECT_LT(*parse_cidr("198.51.100.0/24"), *parse_cidr("203.0.113.0/24"));
}

TEST(NetProxmoxSpellings, Netmasks) {
  EXPECT_EQ(netmask_prefix("255.255.255.0"), 24);
  EXPECT_EQ(netmask_prefix("255.255.254.0"), 23);
  EXPECT_EQ(netmask_prefix("0.0.0.0"), 0);
  EXPECT_EQ(netmask_prefix("24"), 24);
  EXPECT_FALSE(netmask_prefix("255.0.255.0"));  // not contiguous
  EXPECT_FALSE(netmask_prefix("33"));
}

}  // namespace
}  // namespace lw
