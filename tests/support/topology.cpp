// SPDX-License-Identifier: GPL-2.0-only
#include "support/topology.h"

#include <stdexcept>

#include "support/addr.h"

namespace lw::test {

std::string Topology::addr4(size_t i) const { return opts_.subnet4 + "." + std::to_string(i + 1); }

std::string Topology::addr6(size_t i) const { return opts_.subnet6 + std::to_string(i + 1); }

const std::string& Topology::node_if(size_t i) const {
  // In pair() link 0 joins node 0 (end A) and node 1 (end B).
  if (!switch_ && i == 1) return links_.at(0)->name_b();
  return links_.at(switch_ ? i : 0)->name_a();
}

int Topology::node_ifindex(size_t i) const { return node(i).ifindex(node_if(i)); }

Topology Topology::pair(const TopologyOptions& opts) {
  Topology t;
  t.opts_ = opts;
  for (int i = 0; i < 2; ++i) t.nodes_.push_back(std::make_unique<NetNs>(opts.prefix));
  VethOptions v{.prefix = opts.prefix, .mtu = opts.mtu};
  v.addrs_a = {t.addr4(0) + "/24", t.addr6(0) + "/64"};
  v.addrs_b = {t.addr4(1) + "/24", t.addr6(1) + "/64"};
  t.links_.push_back(std::make_unique<VethPair>(*t.nodes_[0], *t.nodes_[1], v));
  return t;
}

Topology Topology::switched(size_t nodes, const TopologyOptions& opts) {
  if (nodes == 0 || nodes > 250) throw std::invalid_argument("Topology: 1..250 nodes");
  Topology t;
  t.opts_ = opts;
  t.switch_ = std::make_unique<NetNs>(opts.prefix);
  t.bridge_ = std::make_unique<Bridge>(
      *t.switch_, BridgeOptions{.prefix = opts.prefix, .vlan_filtering = opts.vlan_filtering});
  for (size_t i = 0; i < nodes; ++i) {
    t.nodes_.push_back(std::make_unique<NetNs>(opts.prefix));
    VethOptions v{.prefix = opts.prefix, .mtu = opts.mtu};
    v.addrs_a = {t.addr4(i) + "/24", t.addr6(i) + "/64"};
    t.links_.push_back(std::make_unique<VethPair>(*t.nodes_[i], *t.switch_, v));
    t.bridge_->add_port(t.links_.back()->name_b());
  }
  return t;
}

}  // namespace lw::test
