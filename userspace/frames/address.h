// SPDX-License-Identifier: GPL-2.0-only
// Link and IP addresses as the bytes a frame carries, parsed from text.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace lw::frames {

using Mac = std::array<uint8_t, 6>;
using Ipv4Addr = std::array<uint8_t, 4>;
using Ipv6Addr = std::array<uint8_t, 16>;

// Parsers throw std::invalid_argument naming the bad text. A MAC is exactly
// "xx:xx:xx:xx:xx:xx": anything looser hides typos.
Mac parse_mac(std::string_view text);
Ipv4Addr parse_ipv4(std::string_view text);
Ipv6Addr parse_ipv6(std::string_view text);
std::string format_mac(const Mac& mac);

}  // namespace lw::frames
