// SPDX-License-Identifier: GPL-2.0-only
#include "reference/frame.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>

namespace lw::reference {
namespace {

constexpr uint16_t kEthIpv4 = 0x0800, kEthIpv6 = 0x86DD, kEthArp = 0x0806;
constexpr uint16_t kEthVlan = 0x8100, kEthQinQ = 0x88A8;
constexpr uint16_t kEthLldp = 0x88CC, kEthSlow = 0x8809;  // slow protocols: LACP, marker

// Reads are only ever made after a "fits" check, so a bug here shows up as a
// disagreement with the datapath, never as an out-of-bounds read.
class Reader {
 public:
  explicit Reader(std::span<const uint8_t> b) : b_(b) {}
  bool fits(size_t off, size_t n) const { return off <= b_.size() && n <= b_.size() - off; }
  uint8_t u8(size_t off) const { return b_[off]; }
  uint16_t u16(size_t off) const { return static_cast<uint16_t>(b_[off] << 8 | b_[off + 1]); }
  lw::Address addr(size_t off, int family) const {
    lw::Address a;
    a.family = family;
    std::copy_n(b_.begin() + static_cast<long>(off), family == AF_INET ? 4 : 16, a.bytes.begin());
    return a;
  }

 private:
  std::span<const uint8_t> b_;
};

// IEEE 802.1Q reserves 01:80:C2:00:00:00-0F for link-constrained control
// protocols (STP BPDUs, LACP, LLDP, 802.1X): bridges never forward them, so
// non-IP frames sent there are the link's own machinery.
bool reserved_group(const Reader& r) {
  return r.u8(0) == 0x01 && r.u8(1) == 0x80 && r.u8(2) == 0xC2 && r.u8(3) == 0 && r.u8(4) == 0 &&
         (r.u8(5) & 0xF0) == 0;
}

// One reason per packet. A first fragment is worth counting as such, so a
// transport problem after it (truncated TCP, unknown L4) keeps FRAGMENT_FIRST;
// a problem of the IP layer itself (the IPv6 header chain breaks off, goes too
// deep, or turns out to be a non-first fragment) is why the parser stopped,
// so it replaces FRAGMENT_FIRST.
void set_reason(Frame& f, uint8_t reason) {
  if (f.reason == LW_PARSE_OK) f.reason = reason;
}
void set_ip_reason(Frame& f, uint8_t reason) {
  if (f.reason == LW_PARSE_OK || f.reason == LW_PARSE_FRAGMENT_FIRST) f.reason = reason;
}

void parse_transport(const Reader& r, size_t off, Frame& f) {
  const bool tcp = f.l4 == IPPROTO_TCP, udp = f.l4 == IPPROTO_UDP, sctp = f.l4 == IPPROTO_SCTP;
  // ICMP belongs to IPv4 and ICMPv6 to IPv6: the other family's number is
  // just an unknown protocol (and must never make a packet infra).
  const bool icmp = (f.family == AF_INET && f.l4 == IPPROTO_ICMP) ||
                    (f.family == AF_INET6 && f.l4 == IPPROTO_ICMPV6);
  if (tcp || udp) {
    if (!r.fits(off, tcp ? 20 : 8))
      return set_reason(f, tcp ? LW_PARSE_TRUNC_TCP : LW_PARSE_TRUNC_UDP);
    f.sport = r.u16(off);
    f.dport = r.u16(off + 2);
    f.transport_read = true;
    // Ports are valid even when the data offset is not; TCP options are never read.
    if (tcp && (r.u8(off + 12) >> 4) < 5) set_reason(f, LW_PARSE_BAD_TCP_DOFF);
  } else if (sctp) {
    // RFC 9260 3.1: the common header is ports, verification tag, checksum.
    if (!r.fits(off, 12)) return set_reason(f, LW_PARSE_TRUNC_SCTP);
    f.sport = r.u16(off);
    f.dport = r.u16(off + 2);
    f.transport_read = true;
  } else if (icmp) {
    // type, code, checksum and the 4-byte rest of the header (echo id/seq)
    if (!r.fits(off, 8)) return set_reason(f, LW_PARSE_TRUNC_ICMP);
    f.icmp_type = r.u8(off);
    f.icmp_code = r.u8(off + 1);
    f.transport_read = true;
  } else {
    set_reason(f, LW_PARSE_UNKNOWN_L4);
  }
}

void parse_ipv4(const Reader& r, size_t off, Frame& f) {
  if (!r.fits(off, 20)) return set_reason(f, LW_PARSE_TRUNC_IPV4);
  if (r.u8(off) >> 4 != 4) return set_reason(f, LW_PARSE_BAD_IPV4_VERSION);
  const size_t hlen = (r.u8(off) & 0x0F) * 4u;
  if (hlen < 20) return set_reason(f, LW_PARSE_BAD_IPV4_IHL);
  // The fixed header is complete and sane: its addresses count from here on.
  f.family = AF_INET;
  f.src = r.addr(off + 12, AF_INET);
  f.dst = r.addr(off + 16, AF_INET);
  f.l4 = r.u8(off + 9);
  if (r.u16(off + 2) < hlen) return set_reason(f, LW_PARSE_BAD_IPV4_LEN);
  if (!r.fits(off, hlen)) return set_reason(f, LW_PARSE_TRUNC_IPV4);  // options cut off
  const uint16_t frag = r.u16(off + 6);
  if (frag & 0x1FFF) {
    f.fragment = Fragment::later;
    return set_reason(f, LW_PARSE_FRAGMENT_LATER);
  }
  if (frag & 0x2000) {
    f.fragment = Fragment::first;
    set_reason(f, LW_PARSE_FRAGMENT_FIRST);
  }
  parse_transport(r, off + hlen, f);
}

bool is_ipv6_ext(int nh) {
  return nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING || nh == IPPROTO_DSTOPTS ||
         nh == IPPROTO_FRAGMENT || nh == IPPROTO_AH;
}

void parse_ipv6(const Reader& r, size_t off, Frame& f) {
  if (!r.fits(off, 40)) return set_reason(f, LW_PARSE_TRUNC_IPV6);
  if (r.u8(off) >> 4 != 6) return set_reason(f, LW_PARSE_BAD_IPV6_VERSION);
  f.family = AF_INET6;
  f.src = r.addr(off + 8, AF_INET6);
  f.dst = r.addr(off + 24, AF_INET6);
  int nh = r.u8(off + 6);
  off += 40;
  for (int i = 0; i < kMaxIpv6ExtHeaders && is_ipv6_ext(nh); ++i) {
    size_t len;
    if (nh == IPPROTO_FRAGMENT) {
      // RFC 8200 4.5: next header, reserved, offset/flags, then a 32-bit
      // identification nobody here needs; the offset is valid once its
      // first four bytes are there, even if the header is cut after them.
      len = 8;
      if (!r.fits(off, 4)) return set_ip_reason(f, LW_PARSE_TRUNC_IPV6_EXT);
      const uint16_t frag = r.u16(off + 2);
      if (frag & 0xFFF8) {
        f.fragment = Fragment::later;
        f.l4 = r.u8(off);  // the fragmented packet's transport, for attribution
        return set_ip_reason(f, LW_PARSE_FRAGMENT_LATER);
      }
      if (frag & 1) {
        f.fragment = Fragment::first;
        set_reason(f, LW_PARSE_FRAGMENT_FIRST);
      }
      if (!r.fits(off, len)) return set_ip_reason(f, LW_PARSE_TRUNC_IPV6_EXT);
    } else {
      if (!r.fits(off, 2)) return set_ip_reason(f, LW_PARSE_TRUNC_IPV6_EXT);
      // AH counts 32-bit words minus 2 (RFC 4302), the others 8-octet units minus 1.
      len = nh == IPPROTO_AH ? (r.u8(off + 1) + 2u) * 4 : (r.u8(off + 1) + 1u) * 8;
      if (!r.fits(off, len)) return set_ip_reason(f, LW_PARSE_TRUNC_IPV6_EXT);
    }
    nh = r.u8(off);
    off += len;
  }
  if (is_ipv6_ext(nh)) return set_ip_reason(f, LW_PARSE_IPV6_EXT_TOO_DEEP);
  f.l4 = nh;
  parse_transport(r, off, f);
}

}  // namespace

Frame parse_frame(std::span<const uint8_t> bytes, uint16_t offloaded_vlan) {
  Frame f;
  Reader r(bytes);
  f.vlan = offloaded_vlan & 0x0FFF;
  if (!r.fits(0, 14)) {
    f.reason = LW_PARSE_TRUNC_ETH;
    return f;
  }
  uint16_t type = r.u16(12);
  size_t off = 14;
  for (int tags = 0; type == kEthVlan || type == kEthQinQ; ++tags) {
    if (tags == kMaxVlanTags) {
      f.reason = LW_PARSE_VLAN_TOO_DEEP;
      return f;
    }
    if (!r.fits(off, 4)) {
      f.reason = LW_PARSE_TRUNC_VLAN;
      return f;
    }
    // VLAN id 0 is a priority tag, not a VLAN: the next tag may still name one.
    if (!f.vlan) f.vlan = r.u16(off) & 0x0FFF;
    type = r.u16(off + 2);
    off += 4;
  }
  if (type == kEthIpv4) {
    parse_ipv4(r, off, f);
  } else if (type == kEthIpv6) {
    parse_ipv6(r, off, f);
  } else {
    // An IP packet never counts as link control by its MAC alone: a crafted
    // frame must not dodge the lanes by its destination address.
    f.link_control = type == kEthArp || type == kEthLldp || type == kEthSlow || reserved_group(r);
    f.reason = LW_PARSE_NOT_IP;
  }
  return f;
}

}  // namespace lw::reference
