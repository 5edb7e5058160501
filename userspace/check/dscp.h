// SPDX-License-Identifier: GPL-2.0-only
// What a DSCP/TOS marking does on the node: the kernel derives a socket's
// skb->priority from its IP_TOS through rt_tos2priority (include/net/route.h:
// ip_tos2prio[(tos & 0x1E) >> 1], table in net/ipv4/route.c). Only the old
// RFC 1349 TOS bits count, so DSCP CS6 (TOS 0xc0) maps to 0 and EF (0xb8) to
// 4, both below the 6 that knet's default TOS 0x10 (IPTOS_LOWDELAY) gets.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pve/packages.h"

namespace lw::check {

int skb_priority_from_tos(uint8_t tos);

// 0..63, or cs0..cs7, af11..af43, ef (RFC 2474, 2597, 3246).
std::optional<uint8_t> parse_dscp(std::string_view text);
std::string dscp_name(uint8_t dscp);  // "cs6 (48)", "ef (46)", "4"

// Whether the installed corosync applies totem ip_dscp: upstream from 3.1.10
// (corosync commit "allow to use dscp for traffic prioritization"), and only
// when built against a knet with knet_handle_setprio_dscp(), which kronosnet
// 1.32 added; otherwise corosync logs "Ignoring 'ip_dscp' option". Proxmox's
// build has it from 3.1.10-pve3 ("enable support for the totem ip_dscp option
// ... by building against the newer libknet", corosync-pve's changelog).
enum class Support { yes, no, unknown };
struct IpDscpSupport {
  Support support = Support::unknown;
  std::string why;  // "corosync 3.1.9-pve1 is older than 3.1.10-pve3"
};
IpDscpSupport corosync_ip_dscp_support(const pve::Packages& p);

}  // namespace lw::check
