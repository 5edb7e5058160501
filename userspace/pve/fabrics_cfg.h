// SPDX-License-Identifier: GPL-2.0-only
// /etc/pve/sdn/fabrics.cfg (PVE 9 SDN fabrics): `<protocol>_fabric: ID`
// sections with the fabric's prefixes and `<protocol>_node: FABRIC_NODE`
// sections with each node's router address and the interfaces the fabric
// runs on (proxmox-ve-rs, proxmox-ve-config/src/sdn/fabric). pve-network
// puts the node's address on `dummy_<fabric>` and, unnumbered, on each of
// those interfaces in /etc/network/interfaces.d/sdn.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/net.h"
#include "pve/text.h"

namespace lw::pve {

struct Fabric {
  std::string id;
  std::string protocol;  // openfabric, ospf, bgp, wireguard
  std::optional<Cidr> ip_prefix, ip6_prefix;
  Where where;
};

struct FabricNode {
  std::string fabric;
  std::string node;                     // the Proxmox node name
  std::optional<Address> ip, ip6;       // router address, on dummy_<fabric>
  std::vector<std::string> interfaces;  // `interfaces name=ens19,...`
  Where where;
};

struct FabricsCfg {
  std::string file;
  std::vector<Fabric> fabrics;
  std::vector<FabricNode> nodes;
  const Fabric* fabric(std::string_view id) const;
  const FabricNode* node(std::string_view fabric, std::string_view node) const;
};

// Throws ConfigError (file:line) on a malformed section or address.
FabricsCfg parse_fabrics_cfg(std::string_view text, const std::string& file);

}  // namespace lw::pve
