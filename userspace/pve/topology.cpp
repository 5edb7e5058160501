// SPDX-License-Identifier: GPL-2.0-only
#include "pve/topology.h"

#include <algorithm>

namespace lw::pve {
namespace {

constexpr int kMaxDepth = 16;  // stacking loops (a -> b -> a) stop here

template <typename T>
void unique_in_order(std::vector<T>& v) {
  std::vector<T> out;
  for (auto& x : v)
    if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
  v = std::move(out);
}

}  // namespace

std::string Attach::str() const { return vlan ? iface + " VLAN " + std::to_string(vlan) : iface; }

Topology::Topology(const Interfaces& ifs) : ifs_(ifs) {}

LocalAddr Topology::owner_of(const Address& a) const {
  for (auto& i : ifs_.ifaces)
    for (auto& ad : i.addresses)
      if (ad.addr.addr == a) return {&i, &ad};
  return {};
}

std::vector<LocalAddr> Topology::locals_in(const Cidr& net) const {
  std::vector<LocalAddr> out;
  for (auto& i : ifs_.ifaces)
    for (auto& ad : i.addresses)
      if (net.contains(ad.addr.addr)) out.push_back({&i, &ad});
  return out;
}

void Topology::walk(std::string_view name, int vlan, bool through_bonds, int depth,
                    std::vector<Attach>& out, std::vector<const Iface*>* chain) const {
  if (depth > kMaxDepth) return;
  const Iface* i = ifs_.find(name);
  if (!i) {  // named as a port/slave but without a stanza: a NIC
    out.push_back({std::string(name), vlan});
    return;
  }
  if (chain) chain->push_back(i);
  switch (i->kind) {
    case IfaceKind::loopback:
      return;
    case IfaceKind::physical:
      out.push_back({i->name, vlan});
      return;
    case IfaceKind::bond:
      if (!through_bonds) {
        out.push_back({i->name, vlan});  // tc on a bond sees all of its traffic
        if (!chain) return;
        std::vector<Attach> below;  // only the chain wants the slaves
        for (auto& s : i->slaves) walk(s, vlan, true, depth + 1, below, chain);
        return;
      }
      for (auto& s : i->slaves) walk(s, vlan, true, depth + 1, out, chain);
      return;
    case IfaceKind::bridge:
      for (auto& p : i->ports) walk(p, vlan, through_bonds, depth + 1, out, chain);
      return;
    case IfaceKind::vlan:
      // A lower VLAN device wraps the frame again: the tag the NIC sees is the
      // outermost one, so the lower id wins.
      walk(i->vlan_raw, i->vlan_id, through_bonds, depth + 1, out, chain);
      return;
    case IfaceKind::ovs_bridge:
    case IfaceKind::ovs_intport: {
      // Host traffic enters Open vSwitch through this netdev: tc sees it
      // here, untagged. On the wire it leaves through the bridge's uplinks,
      // tagged with the port's access VLAN; there it competes with the
      // bridge's other traffic, so those NICs are attach points too.
      if (!through_bonds) out.push_back({i->name, vlan});
      const Iface* bridge = i->kind == IfaceKind::ovs_bridge ? i : ifs_.find(i->ovs_bridge);
      if (!bridge) return;
      int tag = i->ovs_tag ? i->ovs_tag : vlan;
      for (auto& p : bridge->ports) {
        const Iface* port = ifs_.find(p);
        if (p == i->name || (port && port->kind == IfaceKind::ovs_intport)) continue;
        walk(p, tag, through_bonds, depth + 1, out, chain);
      }
      return;
    }
    case IfaceKind::dummy:
      // An SDN fabric's router address: the packets sourced from it leave
      // through the interfaces that hold it too, unnumbered.
      for (auto& other : ifs_.ifaces) {
        if (&other == i || other.kind == IfaceKind::dummy) continue;
        bool same = false;
        for (auto& a : i->addresses)
          for (auto& b : other.addresses) same |= a.addr.addr == b.addr.addr;
        if (same) walk(other.name, vlan, through_bonds, depth + 1, out, chain);
      }
      return;
    case IfaceKind::ovs_bond:
      // Not a kernel netdev: tc can only attach to its members.
      for (auto& s : i->slaves) walk(s, vlan, true, depth + 1, out, chain);
      return;
  }
}

std::vector<Attach> Topology::attach_points(std::string_view iface) const {
  std::vector<Attach> out;
  walk(iface, 0, false, 0, out, nullptr);
  unique_in_order(out);
  return out;
}

std::vector<std::string> Topology::physical_nics(std::string_view iface) const {
  std::vector<Attach> a;
  walk(iface, 0, true, 0, a, nullptr);
  std::vector<std::string> out;
  for (auto& x : a) out.push_back(x.iface);
  unique_in_order(out);
  return out;
}

std::vector<const Iface*> Topology::chain(std::string_view iface) const {
  std::vector<Attach> ignored;
  std::vector<const Iface*> out;
  walk(iface, 0, true, 0, ignored, &out);
  unique_in_order(out);
  return out;
}

bool Topology::carries_guests(std::string_view attach_iface) const {
  for (auto& i : ifs_.ifaces) {
    if (i.kind != IfaceKind::bridge && i.kind != IfaceKind::ovs_bridge) continue;
    for (auto& a : attach_points(i.name))
      if (a.iface == attach_iface) return true;
  }
  return false;
}

int Topology::effective_mtu(std::string_view iface, int depth) const {
  const Iface* i = ifs_.find(iface);
  if (!i || depth > kMaxDepth) return 1500;
  if (i->mtu) return *i->mtu;
  if (i->kind == IfaceKind::vlan) return effective_mtu(i->vlan_raw, depth + 1);
  if (i->kind == IfaceKind::bridge && !i->ports.empty()) {
    int m = 65535;
    for (auto& p : i->ports) m = std::min(m, effective_mtu(p, depth + 1));
    return m;
  }
  return 1500;
}

}  // namespace lw::pve
