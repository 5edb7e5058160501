// SPDX-License-Identifier: GPL-2.0-only
// This node's interfaces and addresses as the probe planner needs them: who
// holds which address, and which devices sit below which (VLAN parents,
// bridge and bond ports). Read through rtnetlink, so it sees the network
// namespace the process is in (sysfs would show the one /sys was mounted in).
#pragma once

#include <string>
#include <vector>

#include "common/net.h"

namespace lw::probe {

struct LocalLink {
  int ifindex = 0;
  std::string name;
  int parent = 0;  // VLAN/macvlan parent (IFLA_LINK), 0 when none
  int master = 0;  // bridge or bond it is a port of, 0 when none
};

struct LocalAddress {
  lw::Address addr;
  int prefix = 0;
  int ifindex = 0;
};

struct LocalNetwork {
  std::vector<LocalLink> links;
  std::vector<LocalAddress> addresses;  // global-scope IPv4 and IPv6 only

  const LocalLink* link(int ifindex) const;
  // `ifindex` itself and every device below it, nearest first.
  std::vector<const LocalLink*> stack_below(int ifindex) const;
  bool is_local(const lw::Address& a) const;
};

// Throws SystemError when rtnetlink cannot be read.
LocalNetwork read_local_network();

}  // namespace lw::probe
