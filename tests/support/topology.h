// SPDX-License-Identifier: GPL-2.0-only
// Ready-made test networks: two namespaces on one veth pair, or N node
// namespaces on a bridge that lives in a "switch" namespace of its own.
// Node i gets <subnet4>.(i+1)/24 and <subnet6>(i+1)/64 on its interface.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/netns.h"

namespace lw::test {

struct TopologyOptions {
  std::string prefix = "lwt";              // for namespaces and links (<= 5 chars for links)
  std::string subnet4 = "198.51.100";      // first three octets of a test /24
  std::string subnet6 = "2001:db8:100::";  // a test /64, host part appended
  std::optional<int> mtu;
  bool vlan_filtering = false;  // switched(): VLAN-aware bridge
};

class Topology {
 public:
  // node(0) <-veth-> node(1).
  static Topology pair(const TopologyOptions& opts = {});
  // node(i) <-veth-> switch namespace, ports enslaved to one bridge.
  static Topology switched(size_t nodes, const TopologyOptions& opts = {});

  size_t size() const { return nodes_.size(); }
  NetNs& node(size_t i) { return *nodes_.at(i); }
  const NetNs& node(size_t i) const { return *nodes_.at(i); }
  // The node's interface (end A of its link) and its index inside the node.
  const std::string& node_if(size_t i) const;
  int node_ifindex(size_t i) const;
  // Node addresses without prefix length, e.g. "198.51.100.1", "2001:db8:100::1".
  std::string addr4(size_t i) const;
  std::string addr6(size_t i) const;
  const VethPair& link(size_t i) const { return *links_.at(i); }
  // Switch namespace and bridge; nullptr for pair().
  const NetNs* switch_ns() const { return switch_.get(); }
  const Bridge* bridge() const { return bridge_.get(); }

 private:
  Topology() = default;
  TopologyOptions opts_;
  // Declaration order is teardown order reversed: links go first, then the
  // bridge, then the namespaces.
  std::unique_ptr<NetNs> switch_;
  std::vector<std::unique_ptr<NetNs>> nodes_;
  std::unique_ptr<Bridge> bridge_;
  std::vector<std::unique_ptr<VethPair>> links_;
};

}  // namespace lw::test
