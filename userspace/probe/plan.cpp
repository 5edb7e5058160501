// SPDX-License-Identifier: GPL-2.0-only
#include "probe/plan.h"

#include <fmt/format.h>

#include <algorithm>

namespace lw::probe {
namespace {

// The Corosync lane `ifindex` is, or sits on (VLAN parent, bridge or bond
// port). Empty when none: such a device could carry the probe anywhere.
std::string corosync_lane_below(const policy::Policy& policy, const LocalNetwork& local,
                                int ifindex) {
  for (const LocalLink* l : local.stack_below(ifindex)) {
    for (const auto& lane : policy.lanes) {
      if (lane.interface == l->name && (lane.classes & LW_CLASS_BIT(LW_CLASS_COROSYNC)))
        return lane.interface;
    }
  }
  return {};
}

}  // namespace

std::string Target::label() const {
  return fmt::format("link {} {} -> {} (dev {})", link, local.str(), peer.str(), device);
}

Plan plan_probes(const policy::Policy& policy, const LocalNetwork& local) {
  Plan plan;
  const auto& links = policy.networks[LW_CLASS_COROSYNC];
  for (const auto& peer : policy.probe.peers) {
    if (local.is_local(peer)) {
      // One policy may list every node's addresses: a node skips its own.
      plan.notes.push_back(
          fmt::format("peer {} is this node's own address: not probed", peer.str()));
      continue;
    }
    auto net = std::find_if(links.begin(), links.end(),
                            [&](const lw::Cidr& n) { return n.contains(peer); });
    if (net == links.end()) {
      plan.refused.push_back(
          fmt::format("peer {} is in no corosync network of the policy", peer.str()));
      continue;
    }
    Target t;
    t.link = static_cast<int>(net - links.begin());
    t.network = *net;
    t.peer = peer;
    auto src = std::find_if(local.addresses.begin(), local.addresses.end(),
                            [&](const LocalAddress& a) { return net->contains(a.addr); });
    if (src == local.addresses.end()) {
      plan.refused.push_back(
          fmt::format("corosync link {} ({}): this node has no address in that network, so peer {} "
                      "cannot be probed over it",
                      t.link, net->str(), peer.str()));
      continue;
    }
    t.local = src->addr;
    const LocalLink* dev = local.link(src->ifindex);
    t.device = dev ? dev->name : std::to_string(src->ifindex);
    t.lane = corosync_lane_below(policy, local, src->ifindex);
    if (t.lane.empty()) {
      plan.refused.push_back(fmt::format(
          "corosync link {} ({}): the local address {} is on {}, which is no corosync lane of "
          "the policy and sits on none: a probe could leave through any interface",
          t.link, net->str(), t.local.str(), t.device));
      continue;
    }
    plan.targets.push_back(std::move(t));
  }
  return plan;
}

}  // namespace lw::probe
