// SPDX-License-Identifier: GPL-2.0-only
// Independent reader for frames: finds headers in a frame the builder did
// not necessarily make (e.g. one a BPF program rewrote) and checks its
// checksums. Bounds-checked; a truncated frame yields what is valid.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace lw::test {

struct VlanTag {
  uint16_t tpid;
  uint16_t tci;  // PCP(3) DEI(1) VID(12)
  uint16_t vid() const { return tci & 0x0fff; }
  uint8_t pcp() const { return static_cast<uint8_t>(tci >> 13); }
};

struct FrameInfo {
  std::vector<VlanTag> vlans;       // tags in the packet, outermost first
  uint16_t ethertype = 0;           // after the tags (a value < 0x600 is an 802.3 length)
  size_t l3_offset = 0;             // first byte after the ethertype
  uint8_t ip_version = 0;           // 4, 6 or 0 (not IP / unreadable)
  std::optional<uint8_t> l4_proto;  // final protocol / next header
  std::optional<size_t> l4_offset;  // set only when the L4 header starts here
  bool fragment = false;            // IPv4 MF/offset or an IPv6 fragment header
  bool first_fragment = false;      // fragment with offset 0
  size_t ip_end = 0;                // end of the IP packet per its length field (clamped)
  // IPv6 routing header with segments left: where the final destination the
  // L4 pseudo header uses sits (RFC 8200 8.1).
  std::optional<size_t> final_dst_offset;
};

// Walks Ethernet, 802.1Q/802.1ad tags, IPv4 (options) or IPv6 (extension
// headers: hop-by-hop, routing, fragment, destination options, AH).
FrameInfo parse_frame(std::span<const uint8_t> frame);

// Validates the IPv4 header checksum and the TCP/UDP/ICMP/ICMPv6 checksum of
// an unfragmented packet. Passes for frames without IP. Fails with a message
// naming the field, e.g. "UDP checksum 0x1234, expected 0xabcd".
::testing::AssertionResult verify_checksums(std::span<const uint8_t> frame);

}  // namespace lw::test
