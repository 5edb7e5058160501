// SPDX-License-Identifier: GPL-2.0-only
// Which traffic class this node sends over which interface: every class
// network (corosync links, migration, Ceph, management, storage) is matched
// against the node's own addresses and followed down to NICs and bonds.
// Both `check` and `derive` start from this map.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "lanewarden.h"
#include "pve/node.h"
#include "pve/topology.h"

namespace lw::pve {

// An attach point FRR carries a class over: a link of the routing instance
// that routes the class's address on lo or a dummy (pve/frr_conf.h).
struct RoutedVia {
  std::string attach;  // Attach::iface
  FrrInstance instance;
  Where where;  // frr.conf: the line that puts the link in the instance
};

struct ClassUse {
  int cls = LW_CLASS_OTHER;      // LW_CLASS_*
  std::string label;             // "corosync link 0", "migration network", ...
  int link = -1;                 // corosync link number
  Cidr net;                      // the network the class uses
  const Iface* iface = nullptr;  // local stanza with the address; nullptr: none
  const IfaceAddr* addr = nullptr;
  Where where;                    // the line that defines the class network
  std::vector<Attach> attach;     // NIC/bond + VLAN where the traffic leaves
  std::vector<std::string> nics;  // physical NICs below
  std::vector<RoutedVia> routed;  // attach points that come from frr.conf
  bool local() const { return iface != nullptr; }
};

// A TCP port a class uses on this cluster beyond the class defaults
// (policy/defaults.cpp), with the line that says so.
struct ExtraPort {
  int cls = LW_CLASS_OTHER;
  PortRange ports;
  std::string why;
  Where where;
};

struct TrafficMap {
  std::vector<ClassUse> uses;
  std::array<std::vector<Cidr>, LW_NR_CLASSES> networks;  // by class id
  std::vector<ExtraPort> tcp_ports;
  // The QDevice: corosync-qdevice's TCP connection to corosync-qnetd (its
  // port is the corosync.conf's, QDevice::port). `net` is the qnetd host,
  // `iface`/`addr` the local address the route leaves from. Kept apart from
  // `uses`: it is not a Corosync link, and qnetd is no link network.
  std::optional<ClassUse> qdevice;
  // Without a migration network, Proxmox migrates over SSH to the target
  // node's address in the corosync nodelist (ring0_addr; pvecm docs,
  // "Migration Network"): that use, on link 0's network. Not in `networks`:
  // it is the Corosync network.
  std::optional<ClassUse> implicit_migration;
  std::vector<int> sctp_links;     // corosync links with knet_transport sctp, used here
  std::vector<std::string> notes;  // what could not be resolved, for derive comments
  std::vector<const ClassUse*> of_class(int cls) const;
};

// The local address traffic to `dest` leaves from, as the files say: the
// longest local subnet holding it, else the stanza with a gateway of its
// family (the default route). `how` says which.
LocalAddr route_source(const NodeConfig& node, const Address& dest, std::string* how = nullptr);

// Corosync addresses given as names resolve through etc/hosts.
std::optional<Address> resolve_host(const NodeConfig& node, const std::string& name_or_addr);

TrafficMap map_traffic(const NodeConfig& node, const Topology& topo);

}  // namespace lw::pve
