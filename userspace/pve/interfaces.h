// SPDX-License-Identifier: GPL-2.0-only
// /etc/network/interfaces as ifupdown2 reads it on Proxmox: auto/allow-*,
// iface stanzas (inet and inet6 stanzas of one name merge), options with '-'
// or '_' (ifupdown2 accepts both), line continuations, `source` with globs
// and `source-directory`.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/net.h"
#include "pve/text.h"

namespace lw::pve {

enum class IfaceKind { loopback, physical, bond, bridge, vlan };
const char* kind_name(IfaceKind k);

struct IfaceAddr {
  IfAddr addr;
  Where where;
};

struct Iface {
  std::string name;
  IfaceKind kind = IfaceKind::physical;
  bool is_auto = false;
  std::string method;  // static, manual, dhcp, loopback ... (of the first stanza)
  Where where;         // first stanza
  std::vector<IfaceAddr> addresses;
  std::optional<Value> gateway;
  std::map<std::string, Value> options;  // normalized name ('_' -> '-'), last wins

  // bond: unset bond-mode means balance-rr (kernel bonding default).
  std::vector<std::string> slaves;
  std::string bond_mode = "balance-rr";
  std::string lacp_rate = "slow";
  // bridge
  std::vector<std::string> ports;
  bool stp = false;
  bool vlan_aware = false;
  // vlan
  std::string vlan_raw;
  int vlan_id = 0;

  std::optional<int> mtu;  // as configured; unset = kernel default/inherited

  const Value* option(std::string_view name) const;
};

struct Interfaces {
  std::vector<Iface> ifaces;
  std::vector<std::string> files;  // every file read, main file first
  const Iface* find(std::string_view name) const;
  // Named anywhere in the files: a stanza, a bond slave, a bridge port, a raw device.
  bool mentions(std::string_view name) const;
};

// Parses `text` as file `file`. `source` lines are resolved under `root`
// (absolute paths) or next to `file` (relative paths); with an empty root,
// `source` lines are ignored. Throws ConfigError with file:line.
Interfaces parse_interfaces(std::string_view text, const std::string& file,
                            const std::filesystem::path& root = {});
// Reads root/etc/network/interfaces and everything it sources.
Interfaces read_interfaces(const std::filesystem::path& root);

}  // namespace lw::pve
