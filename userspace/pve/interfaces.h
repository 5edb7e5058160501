// SPDX-License-Identifier: GPL-2.0-only
// /etc/network/interfaces as ifupdown2 reads it on Proxmox: auto/allow-*,
// iface stanzas (inet and inet6 stanzas of one name merge), options with '-'
// or '_' (ifupdown2 accepts both), line continuations, `source` with globs
// and `source-directory`, and the Open vSwitch stanzas of openvswitch-switch's
// ifupdown scripts as pve-common's PVE/Network/Interfaces.pm writes them
// (ovs_type, ovs_bridge, ovs_ports, ovs_bonds, ovs_options, ovs_mtu).
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

// OVSBridge with an address is also the bridge's internal port; OVSIntPort is
// a host netdev inside a bridge; OVSBond is no kernel netdev at all, its
// members are. A NIC with `ovs_type OVSPort` stays `physical`.
// A `link-type dummy` device carries no traffic of its own: an SDN fabric's
// router address lives there (pve-network's interfaces.d/sdn).
enum class IfaceKind {
  loopback,
  physical,
  bond,
  bridge,
  vlan,
  ovs_bridge,
  ovs_bond,
  ovs_intport,
  dummy
};
const char* kind_name(IfaceKind k);

struct IfaceAddr {
  IfAddr addr;
  Where where;
};

// `up ip route add DEST dev X` or `... nexthop dev X nexthop dev Y` on a
// stanza: the static routes of a routed full mesh (Proxmox wiki, "Full Mesh
// Network for Ceph Server"). More than one device is an ECMP route.
struct IfaceRoute {
  Cidr dest;
  std::vector<std::string> devs;
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
  // Open vSwitch: the bridge a port, bond or internal port belongs to; the
  // members of an OVSBond are in `slaves`, an OVSBridge's ports in `ports`.
  std::string ovs_bridge;
  int ovs_tag = 0;            // ovs_options tag=N: the access VLAN on the bridge's uplinks
  std::string ovs_bond_mode;  // ovs_options bond_mode=active-backup|balance-slb|balance-tcp
  std::string ovs_lacp;       // ovs_options lacp=active|passive|off
  bool is_ovs() const;

  std::vector<IfaceRoute> routes;  // from up/post-up lines, in file order
  std::optional<int> mtu;  // as configured (mtu, or ovs_mtu); unset = kernel default/inherited

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
