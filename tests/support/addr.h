// SPDX-License-Identifier: GPL-2.0-only
// Address parsing for crafted frames and the test-network address policy:
// tests may only use the documentation ranges (CONTRIBUTING.md "Tests").
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace lw::test {

using Mac = std::array<uint8_t, 6>;
using Ipv4Addr = std::array<uint8_t, 4>;
using Ipv6Addr = std::array<uint8_t, 16>;

// Parsers throw std::invalid_argument naming the bad text.
Mac parse_mac(std::string_view text);
Ipv4Addr parse_ipv4(std::string_view text);
Ipv6Addr parse_ipv6(std::string_view text);
std::string format_mac(const Mac& mac);

// True for addresses tests may put on interfaces: 198.51.100.0/24,
// 203.0.113.0/24 (TEST-NET-2/3) and 2001:db8::/32. 192.0.2.0/24 is this
// machine's own uplink, so a namespace answering for it would leak traffic.
bool is_test_address(std::string_view addr);

// Validates "ADDR/PREFIX" (or a bare address) for an interface: the address
// must satisfy is_test_address() and the prefix must stay inside the allowed
// range (no /16 that would cover the uplink). Throws std::invalid_argument.
void require_test_cidr(std::string_view cidr);

// "198.51.100.7/24" -> "198.51.100.7"; bare addresses are returned as is.
std::string strip_prefix_len(std::string_view cidr);

}  // namespace lw::test
