// SPDX-License-Identifier: GPL-2.0-only
#include "frames/checksum.h"

namespace lw::frames {

namespace {

uint32_t fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

}  // namespace

uint32_t checksum_add(std::span<const uint8_t> data, uint32_t initial) {
  uint64_t sum = initial;
  size_t i = 0;
  for (; i + 1 < data.size(); i += 2) sum += static_cast<uint32_t>(data[i] << 8 | data[i + 1]);
  // An odd trailing byte is padded with a zero byte on the right (RFC 1071).
  if (i < data.size()) sum += static_cast<uint32_t>(data[i] << 8);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint32_t>(sum);
}

uint16_t checksum_finish(uint32_t sum) { return static_cast<uint16_t>(~fold(sum) & 0xffff); }

uint32_t crc32c(std::span<const uint8_t> data) {
  // Bitwise, reflected polynomial 0x1EDC6F41: test frames are short.
  constexpr uint32_t kReflectedPoly = 0x82F63B78;
  uint32_t crc = 0xFFFFFFFF;
  for (uint8_t b : data) {
    crc ^= b;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (kReflectedPoly & (0u - (crc & 1)));
  }
  return ~crc;
}

uint16_t inet_checksum(std::span<const uint8_t> data) {
  return checksum_finish(checksum_add(data));
}

uint32_t pseudo_header_v4(const Ipv4Addr& src, const Ipv4Addr& dst, uint8_t proto,
                          uint32_t l4_len) {
  uint32_t sum = checksum_add(src);
  sum = checksum_add(dst, sum);
  return fold(sum + proto + (l4_len & 0xffff) + (l4_len >> 16));
}

uint32_t pseudo_header_v6(const Ipv6Addr& src, const Ipv6Addr& dst, uint8_t next_header,
                          uint32_t l4_len) {
  uint32_t sum = checksum_add(src);
  sum = checksum_add(dst, sum);
  return fold(sum + next_header + (l4_len & 0xffff) + (l4_len >> 16));
}

}  // namespace lw::frames
