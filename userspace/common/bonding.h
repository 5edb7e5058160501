// SPDX-License-Identifier: GPL-2.0-only
// Bond members and their LACP state, from the bonding driver's own report
// (/proc/net/bonding/BOND, the file admins `cat`): the mode, each member's
// MII status, and for 802.3ad the aggregator it joined and the LACP port
// state bits it and its partner announce (IEEE 802.1AX: sync, collecting,
// distributing), and the partner's system MAC: all zeros when no LACPDU
// ever came back. Read per network namespace (/proc/net follows it). In
// common/ because `top` (telemetry/) and `check` (pve/) both read it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace lw {

struct BondMember {
  std::string name;
  std::string mii_status;  // "up", "down"
  std::string speed;       // "10000 Mbps", "Unknown"
  uint64_t link_failures = 0;
  int aggregator_id = -1;  // 802.3ad only
  int actor_state = -1;    // LACP port state bits, 802.3ad only
  int partner_state = -1;
  std::string actor_churn;  // "none", "monitoring", "churned"
  std::string partner_churn;
  std::string partner_mac;  // "details partner lacp pdu: system mac address"
  // "Permanent HW addr" (%pM: lower case): the member's own MAC, which the bond
  // may have replaced with its own (udev's MACAddress= matches this one).
  std::string perm_mac;
  // "bundled" (collecting and distributing in the active aggregator),
  // "standby" (another aggregator), "not in sync", "churned"; "" when not
  // 802.3ad.
  std::string lacp() const;
  int active_aggregator = -1;  // copied from the bond, for lacp()
};

struct Bond {
  std::string name;
  std::string mode;  // "IEEE 802.3ad Dynamic link aggregation", "fault-tolerance (active-backup)"
  std::string mii_status;
  std::string lacp_rate;  // "fast", "slow"; 802.3ad only
  int active_aggregator = -1;
  int active_ports = -1;           // "Number of ports" of the active aggregator
  std::string active_partner_mac;  // its "Partner Mac Address"
  std::vector<BondMember> members;
  bool lacp() const { return mode.find("802.3ad") != std::string::npos; }
};

// Parses one /proc/net/bonding file's text. Pure.
Bond parse_bonding(std::string_view name, std::string_view text);

// Every bond of this network namespace; none when the driver is not loaded.
std::vector<Bond> read_bonds(const std::string& dir = "/proc/net/bonding");

}  // namespace lw
