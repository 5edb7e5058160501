// SPDX-License-Identifier: GPL-2.0-only
#include "support/frame_parser.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "frames/checksum.h"

namespace lw::test {

using namespace lw::frames;  // checksums

namespace {

uint16_t be16(std::span<const uint8_t> f, size_t off) {
  return static_cast<uint16_t>(f[off] << 8 | f[off + 1]);
}

std::string hex16(uint16_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%04x", v);
  return buf;
}

bool is_vlan_tpid(uint16_t t) { return t == 0x8100 || t == 0x88a8 || t == 0x9100; }

void parse_ipv4(std::span<const uint8_t> f, FrameInfo& info) {
  size_t l3 = info.l3_offset;
  if (f.size() < l3 + 20 || (f[l3] >> 4) != 4) return;
  size_t ihl = (f[l3] & 0xf) * 4u;
  if (ihl < 20 || f.size() < l3 + ihl) return;
  info.ip_version = 4;
  info.ip_end = std::min(f.size(), l3 + be16(f, l3 + 2));
  uint16_t frag = be16(f, l3 + 6);
  info.fragment = (frag & 0x3fff) != 0;
  info.first_fragment = info.fragment && (frag & 0x1fff) == 0;
  info.l4_proto = f[l3 + 9];
  // Non-first fragments carry no L4 header.
  if ((frag & 0x1fff) == 0) info.l4_offset = l3 + ihl;
}

void parse_ipv6(std::span<const uint8_t> f, FrameInfo& info) {
  size_t off = info.l3_offset;
  if (f.size() < off + 40 || (f[off] >> 4) != 6) return;
  info.ip_version = 6;
  info.ip_end = std::min(f.size(), off + 40 + be16(f, off + 4));
  uint8_t nh = f[off + 6];
  off += 40;
  // Bounded like the datapath's parser: a chain longer than this is hostile.
  for (int i = 0; i < 8; ++i) {
    if (nh == 0 || nh == 43 || nh == 60 || nh == 51 || nh == 44) {
      if (f.size() < off + 8) {
        info.l4_proto = nh;
        return;
      }
      uint8_t next = f[off];
      size_t len = nh == 44 ? 8 : nh == 51 ? (f[off + 1] + 2u) * 4 : (f[off + 1] + 1u) * 8;
      if (nh == 43 && f[off + 3] > 0 && len >= 24 && f.size() >= off + len) {
        // SRH (type 4) lists segments last-first; type 0/2 list them in order.
        info.final_dst_offset = f[off + 2] == 4 ? off + 8 : off + len - 16;
      }
      if (nh == 44) {
        uint16_t fo = be16(f, off + 2);
        info.fragment = true;
        info.first_fragment = (fo & 0xfff8) == 0;
        if (!info.first_fragment) {
          info.l4_proto = next;
          return;
        }
      }
      nh = next;
      off += len;
      continue;
    }
    break;
  }
  info.l4_proto = nh;
  if (off <= f.size()) info.l4_offset = off;
}

}  // namespace

FrameInfo parse_frame(std::span<const uint8_t> f) {
  FrameInfo info;
  if (f.size() < 14) return info;
  size_t off = 12;
  uint16_t type = be16(f, off);
  while (is_vlan_tpid(type) && f.size() >= off + 6) {
    info.vlans.push_back({type, be16(f, off + 2)});
    off += 4;
    type = be16(f, off);
  }
  info.ethertype = type;
  info.l3_offset = off + 2;
  if (type == 0x0800) parse_ipv4(f, info);
  if (type == 0x86dd) parse_ipv6(f, info);
  return info;
}

::testing::AssertionResult verify_checksums(std::span<const uint8_t> f) {
  FrameInfo info = parse_frame(f);
  if (info.ip_version == 0) return ::testing::AssertionSuccess() << "no IP header";
  size_t l3 = info.l3_offset;
  if (info.ip_version == 4) {
    size_t ihl = (f[l3] & 0xf) * 4u;
    uint16_t sum = inet_checksum(f.subspan(l3, ihl));
    if (sum != 0)
      return ::testing::AssertionFailure()
             << "IPv4 header checksum " << hex16(be16(f, l3 + 10)) << " does not verify";
  }
  if (info.fragment || !info.l4_offset) return ::testing::AssertionSuccess();
  size_t l4 = *info.l4_offset;
  if (info.ip_end < l4) return ::testing::AssertionFailure() << "IP length ends before L4";
  auto seg = f.subspan(l4, info.ip_end - l4);
  uint8_t proto = *info.l4_proto;
  const char* name = proto == 6    ? "TCP"
                     : proto == 17 ? "UDP"
                     : proto == 1  ? "ICMP"
                     : proto == 58 ? "ICMPv6"
                                   : nullptr;
  if (!name) return ::testing::AssertionSuccess() << "no checksummed L4";
  size_t field = proto == 6 ? 16 : proto == 17 ? 6 : 2;
  if (seg.size() < field + 2) return ::testing::AssertionFailure() << name << " header truncated";
  uint16_t stored = be16(seg, field);
  if (proto == 17 && info.ip_version == 4 && stored == 0)
    return ::testing::AssertionSuccess() << "UDP without checksum";
  uint32_t sum = 0;
  if (info.ip_version == 4 && proto != 1) {
    Ipv4Addr src, dst;
    std::copy_n(f.begin() + l3 + 12, 4, src.begin());
    std::copy_n(f.begin() + l3 + 16, 4, dst.begin());
    sum = pseudo_header_v4(src, dst, proto, seg.size());
  } else if (info.ip_version == 6) {
    Ipv6Addr src, dst;
    std::copy_n(f.begin() + l3 + 8, 16, src.begin());
    std::copy_n(f.begin() + info.final_dst_offset.value_or(l3 + 24), 16, dst.begin());
    sum = pseudo_header_v6(src, dst, proto, seg.size());
  }
  uint16_t result = checksum_finish(checksum_add(seg, sum));
  if (result != 0) {
    // Recompute the expected value with the field zeroed for the message.
    std::vector<uint8_t> copy(seg.begin(), seg.end());
    copy[field] = copy[field + 1] = 0;
    uint16_t expected = checksum_finish(checksum_add(copy, sum));
    return ::testing::AssertionFailure()
           << name << " checksum " << hex16(stored) << ", expected " << hex16(expected);
  }
  return ::testing::AssertionSuccess();
}

}  // namespace lw::test
