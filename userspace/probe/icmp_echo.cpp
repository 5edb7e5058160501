// SPDX-License-Identifier: GPL-2.0-only
#include "probe/icmp_echo.h"

#include <sys/socket.h>

namespace lw::probe {
namespace {

constexpr uint8_t kIcmpEchoRequest = 8, kIcmpEchoReply = 0;
constexpr uint8_t kIcmp6EchoRequest = 128, kIcmp6EchoReply = 129;
constexpr size_t kEchoHeader = 8;  // type, code, checksum, identifier, sequence

void put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
uint16_t get16(const uint8_t* p) { return static_cast<uint16_t>(p[0] << 8 | p[1]); }

}  // namespace

uint16_t inet_checksum(std::span<const uint8_t> bytes) {
  uint32_t sum = 0;
  size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) sum += get16(&bytes[i]);
  if (i < bytes.size()) sum += static_cast<uint32_t>(bytes[i]) << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

std::vector<uint8_t> build_echo_request(int family, uint16_t ident, uint16_t seq) {
  std::vector<uint8_t> pkt(kEchoHeader + kProbePayload, 0);
  pkt[0] = family == AF_INET6 ? kIcmp6EchoRequest : kIcmpEchoRequest;
  put16(&pkt[4], ident);
  put16(&pkt[6], seq);
  put16(&pkt[8], static_cast<uint16_t>(kProbeMagic >> 16));
  put16(&pkt[10], static_cast<uint16_t>(kProbeMagic));
  if (family != AF_INET6) put16(&pkt[2], inet_checksum(pkt));
  return pkt;
}

std::optional<EchoReply> parse_echo_reply(int family, std::span<const uint8_t> packet) {
  size_t off = 0;
  if (family == AF_INET) {
    // Raw IPv4 sockets hand over the IP header too; its length is in IHL.
    if (packet.empty() || (packet[0] >> 4) != 4) return std::nullopt;
    off = static_cast<size_t>(packet[0] & 0x0f) * 4;
    if (off < 20) return std::nullopt;
  }
  if (packet.size() < off + kEchoHeader + 4) return std::nullopt;
  const uint8_t* icmp = packet.data() + off;
  uint8_t want = family == AF_INET6 ? kIcmp6EchoReply : kIcmpEchoReply;
  if (icmp[0] != want || icmp[1] != 0) return std::nullopt;
  uint32_t magic = static_cast<uint32_t>(get16(icmp + 8)) << 16 | get16(icmp + 10);
  if (magic != kProbeMagic) return std::nullopt;
  return EchoReply{get16(icmp + 4), get16(icmp + 6)};
}

}  // namespace lw::probe
