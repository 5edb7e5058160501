// SPDX-License-Identifier: GPL-2.0-only
// ICMP and ICMPv6 echo requests as the probes send them, and the replies as
// raw sockets deliver them (IPv4 with its IP header, IPv6 without).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace lw::probe {

// The payload starts with this tag, so a reply can be told from any other
// echo reply that shares identifier and sequence by chance.
inline constexpr uint32_t kProbeMagic = 0x6c77706eu;  // "lwpn"
inline constexpr size_t kProbePayload = 16;           // tag + 12 bytes of padding

// An ICMP (IPv4, checksum filled in) or ICMPv6 (checksum left 0: the kernel
// computes it for raw ICMPv6 sockets, it covers the pseudo header) request.
std::vector<uint8_t> build_echo_request(int family, uint16_t ident, uint16_t seq);

struct EchoReply {
  uint16_t ident = 0;
  uint16_t seq = 0;
};

// The echo reply in `packet` carrying the probe tag, or nothing (another ICMP
// type, someone else's echo, truncated). IPv4 packets start with the IP header.
std::optional<EchoReply> parse_echo_reply(int family, std::span<const uint8_t> packet);

// RFC 1071 Internet checksum.
uint16_t inet_checksum(std::span<const uint8_t> bytes);

}  // namespace lw::probe
