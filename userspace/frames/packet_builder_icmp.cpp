// SPDX-License-Identifier: GPL-2.0-only
// ICMP and ICMPv6 (echo, errors quoting the invoking packet, neighbour
// discovery). Checksums are filled by PacketBuilder::serialize().
#include <algorithm>

#include "frames/bytes.h"
#include "frames/packet_builder.h"

namespace lw::frames {

using namespace bytes;
using Kind = PacketBuilder::Layer::Kind;

namespace {

PacketBuilder::Layer icmp_layer(Kind kind, uint8_t type, uint8_t code, uint32_t rest) {
  PacketBuilder::Layer l{kind, Bytes(8, 0)};
  l.ip_proto = kind == Kind::kIcmp ? 1 : 58;
  l.bytes[0] = type;
  l.bytes[1] = code;
  put32(l.bytes, 4, rest);
  return l;
}

// An ICMP or ICMPv6 error carrying the first `max_quote` bytes of the
// invoking packet from its IP header on.
PacketBuilder::Layer error_layer(Kind kind, uint8_t type, uint8_t code, uint32_t rest,
                                 const PacketBuilder& original, size_t max_quote) {
  Bytes quote = original.build_l3();
  quote.resize(std::min(quote.size(), max_quote));
  PacketBuilder::Layer l = icmp_layer(kind, type, code, rest);
  append(l.bytes, quote);
  return l;
}

// ND option carrying a link-layer address (type 1 source, 2 target), 8 bytes.
void append_lladdr_option(Bytes& b, uint8_t type, const std::string& mac) {
  append8(b, type);
  append8(b, 1);
  append(b, parse_mac(mac));
}

}  // namespace

PacketBuilder& PacketBuilder::icmp(uint8_t type, uint8_t code, uint32_t rest) {
  return add(icmp_layer(Kind::kIcmp, type, code, rest));
}

PacketBuilder& PacketBuilder::icmp_echo(uint16_t id, uint16_t seq, bool reply) {
  return icmp(reply ? 0 : 8, 0, uint32_t{id} << 16 | seq);
}

PacketBuilder& PacketBuilder::icmp_error(uint8_t type, uint8_t code, const PacketBuilder& original,
                                         uint32_t rest) {
  // RFC 792: the original IP header plus the first 64 bits of its data.
  Bytes l3 = original.build_l3();
  size_t ihl = l3.empty() ? 0 : (l3[0] & 0xf) * 4u;
  return add(error_layer(Kind::kIcmp, type, code, rest, original, ihl + 8));
}

PacketBuilder& PacketBuilder::icmp_frag_needed(uint16_t mtu, const PacketBuilder& original) {
  return icmp_error(3, 4, original, mtu);
}

PacketBuilder& PacketBuilder::icmp6(uint8_t type, uint8_t code, uint32_t rest) {
  return add(icmp_layer(Kind::kIcmp6, type, code, rest));
}

PacketBuilder& PacketBuilder::icmp6_echo(uint16_t id, uint16_t seq, bool reply) {
  return icmp6(reply ? 129 : 128, 0, uint32_t{id} << 16 | seq);
}

PacketBuilder& PacketBuilder::icmp6_error(uint8_t type, uint8_t code, const PacketBuilder& original,
                                          uint32_t rest) {
  // RFC 4443 2.4(c): as much as fits without exceeding the 1280-byte minimum
  // MTU (1280 - 40 IPv6 - 8 ICMPv6).
  return add(error_layer(Kind::kIcmp6, type, code, rest, original, 1232));
}

PacketBuilder& PacketBuilder::icmp6_packet_too_big(uint32_t mtu, const PacketBuilder& original) {
  return icmp6_error(2, 0, original, mtu);
}

PacketBuilder& PacketBuilder::icmp6_neighbor_solicit(std::string_view target,
                                                     std::optional<std::string> source_mac) {
  Layer l = icmp_layer(Kind::kIcmp6, 135, 0, 0);
  l.nd = true;
  append(l.bytes, parse_ipv6(target));
  if (source_mac) append_lladdr_option(l.bytes, 1, *source_mac);
  return add(std::move(l));
}

PacketBuilder& PacketBuilder::icmp6_neighbor_advert(std::string_view target, uint8_t flags,
                                                    std::optional<std::string> target_mac) {
  Layer l = icmp_layer(Kind::kIcmp6, 136, 0, uint32_t{flags} << 24);
  l.nd = true;
  append(l.bytes, parse_ipv6(target));
  if (target_mac) append_lladdr_option(l.bytes, 2, *target_mac);
  return add(std::move(l));
}

PacketBuilder& PacketBuilder::icmp6_router_solicit(std::optional<std::string> source_mac) {
  Layer l = icmp_layer(Kind::kIcmp6, 133, 0, 0);
  l.nd = true;
  if (source_mac) append_lladdr_option(l.bytes, 1, *source_mac);
  return add(std::move(l));
}

PacketBuilder& PacketBuilder::icmp6_router_advert(uint16_t lifetime_s, uint8_t cur_hop_limit) {
  // Cur hop limit, M/O flags (0), router lifetime, then reachable time and
  // retrans timer (0 = unspecified).
  Layer l = icmp_layer(Kind::kIcmp6, 134, 0, uint32_t{cur_hop_limit} << 24 | lifetime_s);
  l.nd = true;
  append32(l.bytes, 0);
  append32(l.bytes, 0);
  return add(std::move(l));
}

}  // namespace lw::frames
