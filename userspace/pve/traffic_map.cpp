// SPDX-License-Identifier: GPL-2.0-only
#include "pve/traffic_map.h"

#include <algorithm>

namespace lw::pve {
namespace {

void add_net(std::vector<Cidr>& v, const Cidr& n) {
  if (std::find(v.begin(), v.end(), n) == v.end()) v.push_back(n);
}

// An address on lo or a dummy that FRR routes (frr.conf): it leaves through
// every link of the instance, the direct one to a peer and, when that fails
// or a peer forwards, the others (Proxmox wiki, "Full Mesh Network for Ceph
// Server": Routed Setup (with Fallback)).
void add_frr_links(ClassUse& u, const NodeConfig& node, const Topology& topo, LocalAddr la) {
  if (!node.frr) return;
  if (la.iface->kind != IfaceKind::loopback && la.iface->kind != IfaceKind::dummy) return;
  for (auto& inst : node.frr->routing(la.iface->name, la.addr->addr.addr, node.interfaces)) {
    if (!node.frr->enabled(inst)) continue;
    for (auto& link : node.frr->links(inst, node.interfaces)) {
      for (auto& a : topo.attach_points(link.iface)) {
        if (std::find(u.attach.begin(), u.attach.end(), a) == u.attach.end()) u.attach.push_back(a);
        u.routed.push_back({a.iface, inst, link.where});
      }
      for (auto& n : topo.physical_nics(link.iface))
        if (std::find(u.nics.begin(), u.nics.end(), n) == u.nics.end()) u.nics.push_back(n);
    }
  }
}

void fill(ClassUse& u, const NodeConfig& node, const Topology& topo, LocalAddr la) {
  u.iface = la.iface;
  u.addr = la.addr;
  if (!la.iface) return;
  u.attach = topo.attach_points(la.iface->name);
  u.nics = topo.physical_nics(la.iface->name);
  add_frr_links(u, node, topo, la);
  // dummy_<fabric> without unnumbered copies in the files: fabrics.cfg says
  // which interfaces the fabric runs on for this node.
  const std::string prefix = "dummy_";
  if (la.iface->kind != IfaceKind::dummy || !u.attach.empty() || !node.fabrics ||
      la.iface->name.rfind(prefix, 0) != 0)
    return;
  auto* fn = node.fabrics->node(la.iface->name.substr(prefix.size()), node.hostname);
  if (!fn) return;
  for (auto& name : fn->interfaces) {
    for (auto& a : topo.attach_points(name)) u.attach.push_back(a);
    for (auto& n : topo.physical_nics(name)) u.nics.push_back(n);
  }
}

// One use per local address inside `net`, or one unresolved use.
void add_network_uses(TrafficMap& m, const NodeConfig& node, const Topology& topo, int cls,
                      const std::string& label, const Cidr& net, const Where& where) {
  auto locals = topo.locals_in(net);
  add_net(m.networks[cls], net);
  if (locals.empty()) {
    m.uses.push_back({cls, label, -1, net, nullptr, nullptr, where, {}, {}, {}});
    m.notes.push_back(label + " " + net.str() + ": no local address in it on this node");
    return;
  }
  for (auto& la : locals) {
    ClassUse u{cls, label, -1, net, nullptr, nullptr, where, {}, {}, {}};
    fill(u, node, topo, la);
    m.uses.push_back(u);
  }
}

void map_corosync(const NodeConfig& node, const Topology& topo, TrafficMap& m) {
  const auto& cs = *node.corosync;
  const CorosyncNode* self = cs.node(node.hostname);
  if (!self) {
    m.notes.push_back("node '" + node.hostname + "' is not in the corosync nodelist");
    return;
  }
  for (auto& [link, value] : self->ring_addr) {
    ClassUse u{LW_CLASS_COROSYNC,
               "corosync link " + std::to_string(link),
               link,
               {},
               nullptr,
               nullptr,
               value.where,
               {},
               {},
               {}};
    auto addr = resolve_host(node, value.text);
    if (!addr) {
      m.notes.push_back(u.label + ": cannot resolve '" + value.text + "'");
      continue;
    }
    auto la = topo.owner_of(*addr);
    // The link network is the subnet of the local address; without one the
    // address alone (corosync would fail to bind, check reports it).
    u.net = la.addr ? la.addr->addr.net : host_cidr(*addr);
    fill(u, node, topo, la);
    if (!la.iface)
      m.notes.push_back(u.label + " " + addr->str() + ": not configured on any interface");
    add_net(m.networks[LW_CLASS_COROSYNC], u.net);
    // Peers outside the local subnet (routed corosync) still belong to the link.
    for (auto& peer : cs.nodes) {
      auto it = peer.ring_addr.find(link);
      if (&peer == self || it == peer.ring_addr.end()) continue;
      auto pa = resolve_host(node, it->second.text);
      if (pa && !u.net.contains(*pa)) add_net(m.networks[LW_CLASS_COROSYNC], host_cidr(*pa));
    }
    m.uses.push_back(u);
  }
}

void map_management(const NodeConfig& node, const Topology& topo, TrafficMap& m) {
  // Proxmox resolves the node name through /etc/hosts to its management
  // address (pve docs: "Hostname change"); otherwise the gateway interface.
  LocalAddr la;
  Where where;
  if (auto* h = node.hosts.lookup(node.hostname)) {
    la = topo.owner_of(h->addr);
    where = h->where;
  }
  if (!la.iface) {
    for (auto& i : node.interfaces.ifaces)
      if (i.gateway && !i.addresses.empty()) {
        for (auto& a : i.addresses)
          if (a.addr.addr.family == parse_address(i.gateway->text)->family) {
            la = {&i, &a};
            break;
          }
        where = i.gateway->where;
        if (la.iface) break;
      }
  }
  if (!la.iface) {
    m.notes.push_back("management: neither etc/hosts nor a gateway names a local address");
    return;
  }
  ClassUse u{LW_CLASS_MANAGEMENT,
             "management network",
             -1,
             la.addr->addr.net,
             nullptr,
             nullptr,
             where,
             {},
             {},
             {}};
  fill(u, node, topo, la);
  add_net(m.networks[LW_CLASS_MANAGEMENT], u.net);
  m.uses.push_back(u);
}

void map_storage(const NodeConfig& node, const Topology& topo, TrafficMap& m) {
  for (auto& t : node.storage->targets) {
    if (!t.addr || t.type == "pbs") continue;  // a name: the route decides; pbs: map_pbs
    for (auto& i : node.interfaces.ifaces)
      for (auto& a : i.addresses) {
        if (!a.addr.net.contains(*t.addr) || a.addr.net.prefix == 0) continue;
        bool known = std::any_of(m.uses.begin(), m.uses.end(), [&](auto& u) {
          return u.cls == LW_CLASS_STORAGE && u.net == a.addr.net;
        });
        if (known) continue;
        ClassUse u{LW_CLASS_STORAGE,
                   "storage network (" + t.type + " '" + t.id + "')",
                   -1,
                   a.addr.net,
                   nullptr,
                   nullptr,
                   t.where,
                   {},
                   {},
                   {}};
        fill(u, node, topo, {&i, &a});
        add_net(m.networks[LW_CLASS_STORAGE], u.net);
        m.uses.push_back(u);
      }
  }
}

// PBS: the backup client talks to the server's port (8007) directly, wherever
// the route goes; one host, so the class network is the server alone.
void map_pbs(const NodeConfig& node, const Topology& topo, TrafficMap& m) {
  for (auto& t : node.storage->targets) {
    if (t.type != "pbs") continue;
    std::string label = "PBS storage '" + t.id + "'";
    auto addr = resolve_host(node, t.server);
    if (!addr) {
      m.notes.push_back(label + ": cannot resolve '" + t.server + "' through etc/hosts");
      continue;
    }
    ClassUse u{
        LW_CLASS_STORAGE, label, -1, host_cidr(*addr), nullptr, nullptr, t.where, {}, {}, {}};
    auto la = route_source(node, *addr);
    fill(u, node, topo, la);
    if (!la.iface) m.notes.push_back(label + " " + addr->str() + ": no local route to it");
    add_net(m.networks[LW_CLASS_STORAGE], u.net);
    m.uses.push_back(u);
    auto port = static_cast<uint16_t>(t.port.value_or(8007));
    bool known = std::any_of(m.tcp_ports.begin(), m.tcp_ports.end(), [&](auto& e) {
      return e.cls == LW_CLASS_STORAGE && e.ports.first == port;
    });
    if (!known)
      m.tcp_ports.push_back(
          {LW_CLASS_STORAGE, {port, port}, label + " (Proxmox Backup Server)", t.where});
  }
}

void map_qdevice(const NodeConfig& node, const Topology& topo, TrafficMap& m) {
  const auto& q = *node.corosync->qdevice;
  if (q.model != "net" || !q.host) return;  // no other model exists (corosync-qdevice(8))
  auto addr = resolve_host(node, q.host->text);
  ClassUse u{LW_CLASS_COROSYNC,
             "qdevice (corosync-qnetd " + q.host->text + ")",
             -1,
             {},
             nullptr,
             nullptr,
             q.host->where,
             {},
             {},
             {}};
  if (!addr) {
    m.notes.push_back(u.label + ": cannot resolve '" + q.host->text + "' through etc/hosts");
    m.qdevice = u;
    return;
  }
  u.net = host_cidr(*addr);
  fill(u, node, topo, route_source(node, *addr));
  m.qdevice = u;
}

void map_implicit_migration(const NodeConfig& node, const Topology& topo, TrafficMap& m) {
  const auto& cs = *node.corosync;
  const CorosyncNode* self = cs.node(node.hostname);
  if (!self || cs.nodes.size() < 2) return;
  auto it = self->ring_addr.find(0);
  if (it == self->ring_addr.end()) return;
  auto addr = resolve_host(node, it->second.text);
  if (!addr) return;
  auto la = topo.owner_of(*addr);
  ClassUse u{LW_CLASS_MIGRATION,
             "migration (no migration network: SSH to the target's ring0_addr)",
             -1,
             la.addr ? la.addr->addr.net : host_cidr(*addr),
             nullptr,
             nullptr,
             node.datacenter && node.datacenter->migration ? node.datacenter->migration->where
                                                           : it->second.where,
             {},
             {},
             {}};
  fill(u, node, topo, la);
  m.implicit_migration = u;
}

void map_sctp(const NodeConfig& node, TrafficMap& m) {
  for (auto* u : m.of_class(LW_CLASS_COROSYNC)) {
    auto* i = node.corosync->interface(u->link);
    if (i && i->sctp()) m.sctp_links.push_back(u->link);
  }
}

}  // namespace

std::vector<const ClassUse*> TrafficMap::of_class(int cls) const {
  std::vector<const ClassUse*> out;
  for (auto& u : uses)
    if (u.cls == cls) out.push_back(&u);
  return out;
}

LocalAddr route_source(const NodeConfig& node, const Address& dest, std::string* how) {
  LocalAddr best;
  for (auto& i : node.interfaces.ifaces)
    for (auto& a : i.addresses)
      if (a.addr.net.contains(dest) &&
          (!best.addr || a.addr.net.prefix > best.addr->addr.net.prefix))
        best = {&i, &a};
  if (best.iface) {
    if (how) *how = "in the local network " + best.addr->addr.net.str();
    return best;
  }
  for (auto& i : node.interfaces.ifaces) {
    if (!i.gateway) continue;
    auto gw = parse_address(i.gateway->text);
    for (auto& a : i.addresses)
      if (gw && a.addr.addr.family == gw->family && a.addr.addr.family == dest.family) {
        if (how) *how = "through the default gateway " + gw->str();
        return {&i, &a};
      }
  }
  return {};
}

std::optional<Address> resolve_host(const NodeConfig& node, const std::string& name_or_addr) {
  if (auto a = parse_address(name_or_addr)) return a;
  if (auto* h = node.hosts.lookup(name_or_addr)) return h->addr;
  return std::nullopt;
}

TrafficMap map_traffic(const NodeConfig& node, const Topology& topo) {
  TrafficMap m;
  if (node.corosync) map_corosync(node, topo, m);
  if (node.datacenter && node.datacenter->migration_network)
    add_network_uses(m, node, topo, LW_CLASS_MIGRATION, "migration network",
                     *node.datacenter->migration_network, node.datacenter->migration->where);
  else if (node.corosync)
    map_implicit_migration(node, topo, m);
  // Storage replication (pvesr) sends over SSH like secure migration.
  if (node.datacenter && node.datacenter->replication_network &&
      node.datacenter->replication_network != node.datacenter->migration_network)
    add_network_uses(m, node, topo, LW_CLASS_MIGRATION, "replication network",
                     *node.datacenter->replication_network, node.datacenter->replication->where);
  if (node.ceph) {
    for (auto& n : node.ceph->public_networks)
      add_network_uses(m, node, topo, LW_CLASS_CEPH_PUBLIC, "ceph public network", n.net, n.where);
    for (auto& n : node.ceph->cluster_networks)
      add_network_uses(m, node, topo, LW_CLASS_CEPH_CLUSTER, "ceph cluster network", n.net,
                       n.where);
  }
  map_management(node, topo, m);
  if (node.storage) map_storage(node, topo, m);
  if (node.storage) map_pbs(node, topo, m);
  if (node.corosync && node.corosync->qdevice) map_qdevice(node, topo, m);
  if (node.corosync) map_sctp(node, m);
  if (node.frr)
    for (auto& r : node.frr->routers)
      if (!node.frr->enabled(r.instance))
        m.notes.push_back("frr.conf router " + r.instance.str() + " (" + r.where.str() +
                          ") is not used: " + node.frr->daemons_file + " has no " +
                          r.instance.daemon() + "=yes");
  return m;
}

}  // namespace lw::pve
