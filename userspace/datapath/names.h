// SPDX-License-Identifier: GPL-2.0-only
// Names of the ABI enums as they appear in output (JSON keys are stable).
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "lanewarden.h"

namespace lw::datapath {

inline constexpr std::array<const char*, LW_NR_DIRS> kDirNames = {"ingress", "egress"};
inline constexpr std::array<const char*, LW_NR_VERDICTS> kVerdictNames = {"pass", "audit", "drop"};
inline constexpr std::array<const char*, LW_NR_VIOLATIONS> kViolationNames = {
    "none", "wrong_lane", "intruder", "rate_cap", "fragment", "mtu"};
inline constexpr std::array<const char*, LW_NR_PARSE_REASONS> kParseReasonNames = {
    "ok",
    "not_ip",
    "trunc_eth",
    "trunc_vlan",
    "vlan_too_deep",
    "trunc_ipv4",
    "bad_ipv4_version",
    "bad_ipv4_ihl",
    "bad_ipv4_len",
    "trunc_ipv6",
    "bad_ipv6_version",
    "trunc_ipv6_ext",
    "ipv6_ext_too_deep",
    "fragment_first",
    "fragment_later",
    "trunc_tcp",
    "bad_tcp_doff",
    "trunc_udp",
    "trunc_icmp",
    "unknown_l4",
    "trunc_sctp"};

// "corosync, migration" for a LW_CLASS_BIT set.
std::string class_list(uint32_t mask);

}  // namespace lw::datapath
