// SPDX-License-Identifier: GPL-2.0-only
// Which probes this node sends: for every peer of the policy's [probe], the
// Corosync link (network) it belongs to, the local address in that network
// to send from, and the device holding that address, which must be a
// Corosync lane of the policy or stacked on one. Pure: the node's interfaces
// come in as data, so the rules are unit-tested.
#pragma once

#include <string>
#include <vector>

#include "policy/policy.h"
#include "probe/local_links.h"

namespace lw::probe {

struct Target {
  int link = 0;       // index into [networks] corosync = [...] (link 0, 1, ...)
  lw::Cidr network;   // that link's network
  lw::Address local;  // source address, bound
  lw::Address peer;
  std::string device;         // holds `local`; the socket is bound to it (SO_BINDTODEVICE)
  std::string lane;           // the Corosync lane the device is, or sits on
  std::string label() const;  // "link 0 198.51.100.1 -> 198.51.100.2 (dev eth0)"
};

struct Plan {
  std::vector<Target> targets;
  // Peers that cannot be probed safely, one sentence each: no local address
  // in the link's network, or the address is on no Corosync lane.
  std::vector<std::string> refused;
  std::vector<std::string> notes;  // peers skipped because they are this node
};

Plan plan_probes(const policy::Policy& policy, const LocalNetwork& local);

}  // namespace lw::probe
