// SPDX-License-Identifier: GPL-2.0-only
// /etc/frr/frr.conf and /etc/frr/daemons: the routing daemons of a routed
// full mesh (Proxmox wiki, "Full Mesh Network for Ceph Server": Routed
// Setup (with Fallback), OpenFabric and OSPF). The node's router address
// sits on `lo` or a dummy; FRR carries it over the mesh NICs, which hold no
// address of their own (or the same /32, unnumbered), and no route appears in
// /etc/network/interfaces. Only what lanewarden needs is read: interface
// addresses (`ip address`, zebra puts them on the interface), which interface
// runs which routing instance (`ip router openfabric NAME`, `ip router isis
// NAME`, `ip ospf area A`, `ipv6 ospf6 area A`, `network P area A` and
// `interface IF area A` under the router), passive interfaces, and the
// routers (FRR docs: "OpenFabric", "OSPFv2", "OSPFv3", "IS-IS").
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/net.h"
#include "pve/interfaces.h"
#include "pve/text.h"

namespace lw::pve {

// A routing instance: `router openfabric 1` is {"openfabric", "1"}; the one
// OSPF instance of `router ospf` is {"ospf", ""}.
struct FrrInstance {
  std::string protocol;  // openfabric, isis, ospf, ospf6
  std::string name;
  auto operator<=>(const FrrInstance&) const = default;
  std::string str() const;     // "openfabric 1", "ospf"
  const char* daemon() const;  // fabricd, isisd, ospfd, ospf6d
};

// One interface's membership in an instance, as the interface section says.
struct FrrIfaceRouting {
  std::string iface;
  FrrInstance instance;
  std::string area;  // OSPF/OSPFv3 area; empty for OpenFabric and IS-IS
  bool passive = false;
  Where where;  // the line that puts the interface in the instance
};

struct FrrIface {
  std::string name;
  Where where;                       // `interface NAME`
  std::vector<IfaceAddr> addresses;  // `ip address`, `ipv6 address`
  std::vector<FrrIfaceRouting> routing;
  // `openfabric passive`, `ip ospf passive`...: the protocols that only
  // advertise this interface's addresses and form no adjacency on it.
  std::vector<std::string> passive;
  bool is_passive(std::string_view protocol) const;
};

struct FrrRouter {
  FrrInstance instance;
  Where where;  // `router ...`
  // OSPF: `network PREFIX area A`; OSPFv3 (before FRR 8): `interface IF area A`.
  std::vector<std::pair<Cidr, Where>> networks;
  std::vector<std::pair<std::string, Where>> interfaces;
  bool passive_default = false;                   // `passive-interface default`
  std::map<std::string, bool> passive_interface;  // `[no] passive-interface IF`
  bool redistribute_connected = false;
  std::optional<int> maximum_paths;  // 1 turns ECMP off
};

// A link an instance runs over: not passive, not the loopback or a dummy.
struct FrrLink {
  FrrInstance instance;
  std::string iface;
  Where where;
};

struct FrrConf {
  std::string file;
  std::vector<FrrIface> interfaces;
  std::vector<FrrRouter> routers;
  // /etc/frr/daemons `fabricd=yes`...; absent file: every daemon counts as on.
  std::string daemons_file;
  std::map<std::string, bool> daemons;

  const FrrIface* iface(std::string_view name) const;
  const FrrRouter* router(const FrrInstance& i) const;
  bool enabled(const FrrInstance& i) const;
  // Every interface `ifs` and frr.conf know that runs `i`, passive or not,
  // with the line that says so.
  std::vector<FrrIfaceRouting> members(const FrrInstance& i, const Interfaces& ifs) const;
  // The instances that route `addr` of interface `iface`: the interface is a
  // member, or the router redistributes connected routes.
  std::vector<FrrInstance> routing(std::string_view iface, const Address& addr,
                                   const Interfaces& ifs) const;
  // The links of `i`: its members that are neither passive nor lo/dummy.
  std::vector<FrrLink> links(const FrrInstance& i, const Interfaces& ifs) const;
};

// Throws ConfigError (file:line) on a malformed address or prefix.
FrrConf parse_frr_conf(std::string_view text, const std::string& file);
// `NAME=yes|no` lines of /etc/frr/daemons; other lines are ignored.
void parse_frr_daemons(std::string_view text, const std::string& file, FrrConf& conf);
// zebra puts frr.conf's `ip address` on the interface: those addresses join
// `ifs` (a stanza-less `lo` becomes the loopback), with frr.conf's line.
void merge_frr_addresses(const FrrConf& conf, Interfaces& ifs);

}  // namespace lw::pve
