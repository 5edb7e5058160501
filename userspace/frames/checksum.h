// SPDX-License-Identifier: GPL-2.0-only
// RFC 1071 Internet checksum with the IPv4/IPv6 pseudo headers L4 protocols use.
#pragma once

#include <cstdint>
#include <span>

#include "frames/address.h"

namespace lw::frames {

// One's complement sum of `data` folded to 16 bits (not inverted), starting
// from `initial`; chain calls to sum disjoint pieces that start at even offsets.
uint32_t checksum_add(std::span<const uint8_t> data, uint32_t initial = 0);
// Final checksum field value: ~fold(sum).
uint16_t checksum_finish(uint32_t sum);
// Convenience: checksum of one contiguous block.
uint16_t inet_checksum(std::span<const uint8_t> data);

// CRC32c (Castagnoli), the SCTP checksum (RFC 9260 appendix B).
uint32_t crc32c(std::span<const uint8_t> data);

// Pseudo-header sums (RFC 793 / RFC 8200 section 8.1); `l4_len` is the
// length of the L4 header plus data.
uint32_t pseudo_header_v4(const Ipv4Addr& src, const Ipv4Addr& dst, uint8_t proto, uint32_t l4_len);
uint32_t pseudo_header_v6(const Ipv6Addr& src, const Ipv6Addr& dst, uint8_t next_header,
                          uint32_t l4_len);

}  // namespace lw::frames
