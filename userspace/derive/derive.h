// SPDX-License-Identifier: GPL-2.0-only
// `lanewarden derive`: a complete policy from this node's Proxmox files.
// Every traffic class network is followed from the local address down to
// the NIC or bond that carries it (pve/traffic_map.h); the result is an
// audit-mode policy that `lanewarden apply` accepts unchanged.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "lanewarden.h"
#include "pve/node.h"

namespace lw::derive {

struct DerivedLane {
  std::string iface;    // NIC or bond named in /etc/network/interfaces
  int vlan = 0;         // 0 = untagged
  uint8_t classes = 0;  // LW_CLASS_BIT set
  bool exclusive = false;
  std::vector<std::string> why;  // one comment line per class use
};

struct DerivedPolicy {
  std::string node;
  std::array<std::vector<lw::Cidr>, LW_NR_CLASSES> networks;
  std::array<std::vector<std::string>, LW_NR_CLASSES> network_why;
  std::vector<DerivedLane> lanes;
  std::optional<uint64_t> migration_cap_kib;  // bwlimit, KiB/s
  std::string migration_cap_why;
  // [probe]: the other nodes' Corosync link addresses, each with where it
  // comes from ("pve2 ring0_addr (/etc/pve/corosync.conf:18)").
  std::vector<std::pair<lw::Address, std::string>> probe_peers;
  // TCP ports beyond a class's defaults (PBS 8007), each with where it
  // comes from; render writes the defaults and these together.
  std::array<std::vector<std::pair<lw::PortRange, std::string>>, LW_NR_CLASSES> extra_tcp_ports;
  // [class.corosync] qnetd: the QDevice's qnetd host as the policy writes it
  // ("203.0.113.9", "203.0.113.9:15403", "[2001:db8::9]:5403"), and why.
  std::optional<std::pair<std::string, std::string>> qnetd;
  // [class.corosync] sctp_ports: knet's ports when a link runs over SCTP.
  std::vector<std::pair<lw::PortRange, std::string>> corosync_sctp_ports;
  bool ovs = false;  // Open vSwitch stanzas: render explains where its lanes go
  bool corosync_priority = false;
  std::string corosync_priority_why;
  std::vector<std::string> notes;  // what derive left out and why
};

DerivedPolicy derive_policy(const pve::NodeConfig& node);
// The policy TOML (README "Policies"), with comments that say where each
// entry comes from.
std::string render_toml(const DerivedPolicy& p);

struct DeriveOptions {
  std::string root;    // "" = the running system
  std::string output;  // "" = stdout
  bool live = false;   // --live: --root is this node's, ask the kernel too
};
// Writes the policy to `out` or to opts.output (atomically: temp + rename).
void run_derive(const DeriveOptions& opts, std::ostream& out);

}  // namespace lw::derive
