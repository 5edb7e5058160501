// SPDX-License-Identifier: GPL-2.0-only
// The test-network address policy:
// tests may only use the documentation ranges (CONTRIBUTING.md "Tests").
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "frames/address.h"

namespace lw::test {

// The address types and parsers of the frame builder (userspace/frames/).
using frames::format_mac;
using frames::Ipv4Addr;
using frames::Ipv6Addr;
using frames::Mac;
using frames::parse_ipv4;
using frames::parse_ipv6;
using frames::parse_mac;

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
