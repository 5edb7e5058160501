// SPDX-License-Identifier: GPL-2.0-only
// The reference classifier's frame parser: plain C++ over a byte span, written
// from docs/architecture.md ("Traffic classes", VLAN/IPv4/IPv6 handling) and the parse
// reasons of bpf/lanewarden.h, not from bpf/parse.bpf.h. It exists to be
// compared with the datapath (tests/bpf/test_differential.cpp), so it favours
// obviousness over speed: every header is checked complete before it is read.
#pragma once

#include <cstdint>
#include <span>

#include "common/net.h"
#include "lanewarden.h"

namespace lw::reference {

enum class Fragment { none, first, later };

// The most IPv6 extension headers walked before LW_PARSE_IPV6_EXT_TOO_DEEP;
// the datapath documents the same bound (a verifier-friendly loop limit).
inline constexpr int kMaxIpv6ExtHeaders = 6;
// Tags in the packet itself: 802.1ad outer + 802.1Q inner.
inline constexpr int kMaxVlanTags = 2;

struct Frame {
  uint8_t reason = LW_PARSE_OK;  // the first notable thing met, in header order
  uint16_t vlan = 0;             // the lane's VLAN: outermost non-zero id, 0 untagged
  bool link_control = false;     // non-IP link control (ARP, LLDP, LACP, STP...)
  int family = 0;                // 0 (no valid IP addresses), AF_INET or AF_INET6
  lw::Address src, dst;
  int l4 = -1;                  // transport the IP header names; -1 unknown
  bool transport_read = false;  // ports (TCP/UDP/SCTP) or type/code (ICMP) were read
  uint16_t sport = 0, dport = 0;
  uint8_t icmp_type = 0, icmp_code = 0;
  Fragment fragment = Fragment::none;
};

// `offloaded_vlan`: the id the NIC stripped into skb->vlan_tci (0: none); it
// is the outermost tag, so it names the lane even when the packet has more.
Frame parse_frame(std::span<const uint8_t> bytes, uint16_t offloaded_vlan = 0);

}  // namespace lw::reference
