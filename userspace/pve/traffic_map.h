// SPDX-License-Identifier: GPL-2.0-only
// Which traffic class this node sends over which interface: every class
// network (corosync links, migration, Ceph, management, storage) is matched
// against the node's own addresses and followed down to NICs and bonds.
// Both `check` and `derive` start from this map.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "lanewarden.h"
#include "pve/node.h"
#include "pve/topology.h"

namespace lw::pve {

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
  bool local() const { return iface != nullptr; }
};

struct TrafficMap {
  std::vector<ClassUse> uses;
  std::array<std::vector<Cidr>, LW_NR_CLASSES> networks;  // by class id
  std::vector<std::string> notes;  // what could not be resolved, for derive comments
  std::vector<const ClassUse*> of_class(int cls) const;
};

// Corosync addresses given as names resolve through etc/hosts.
std::optional<Address> resolve_host(const NodeConfig& node, const std::string& name_or_addr);

TrafficMap map_traffic(const NodeConfig& node, const Topology& topo);

}  // namespace lw::pve
