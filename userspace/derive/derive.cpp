// SPDX-License-Identifier: GPL-2.0-only
// From the traffic map to networks, lanes and class settings.
#include "derive/derive.h"

#include <fmt/format.h>
#include <sys/socket.h>

#include <algorithm>
#include <map>
#include <set>

#include "policy/defaults.h"
#include "policy/policy.h"
#include "pve/renames.h"
#include "pve/topology.h"
#include "pve/traffic_map.h"

namespace lw::derive {
namespace {

// File names relative to --root, so the output reads like the node's own
// paths and does not depend on where a copy of the tree lives.
std::string rel(const pve::NodeConfig& node, const pve::Where& w) {
  std::string root = node.root.string();
  std::string f = w.file;
  if (root != "/" && f.rfind(root, 0) == 0) {
    f = f.substr(root.size());
    if (f.empty() || f[0] != '/') f = "/" + f;
  }
  return w.line > 0 ? f + ":" + std::to_string(w.line) : f;
}

std::string use_text(const pve::NodeConfig& node, const pve::ClassUse& u) {
  if (!u.local()) return fmt::format("{} {} ({})", u.label, u.net.str(), rel(node, u.where));
  return fmt::format("{} {}: {} on {} ({})", u.label, u.net.str(), u.addr->addr.addr.str(),
                     u.iface->name, rel(node, u.where));
}

// The policy refuses networks that overlap a Corosync network (Corosync needs
// networks of its own) and a cluster network equal to the public one cannot be
// told apart: such networks are left out, with a note.
void choose_networks(const pve::NodeConfig& node, const pve::TrafficMap& tm, DerivedPolicy& p) {
  const auto& coro = tm.networks[LW_CLASS_COROSYNC];
  for (int c = 1; c < LW_NR_CLASSES; ++c) {
    for (auto& n : tm.networks[c]) {
      std::string reason;
      if (c != LW_CLASS_COROSYNC)
        for (auto& cn : coro)
          if (cn.overlaps(n)) reason = "overlaps the corosync network " + cn.str();
      if (c == LW_CLASS_CEPH_CLUSTER)
        for (auto& pn : tm.networks[LW_CLASS_CEPH_PUBLIC])
          if (pn.overlaps(n)) reason = "overlaps the ceph public network " + pn.str();
      for (auto& k : p.networks[c])
        if (k.overlaps(n)) reason = "overlaps " + k.str() + " listed already";
      if (!reason.empty()) {
        p.notes.push_back(fmt::format("{} network {} left out: it {} (check reports this)",
                                      policy::kClassNames[c], n.str(), reason));
        continue;
      }
      p.networks[c].push_back(n);
    }
    for (auto& u : tm.uses)
      if (u.cls == c &&
          std::find(p.networks[c].begin(), p.networks[c].end(), u.net) != p.networks[c].end())
        p.network_why[c].push_back(use_text(node, u));
  }
  for (auto& note : tm.notes) p.notes.push_back(note);
}

bool in_any(const std::vector<lw::Cidr>& nets, const lw::Address& a) {
  return std::any_of(nets.begin(), nets.end(), [&](const lw::Cidr& n) { return n.contains(a); });
}

std::string qnetd_text(const lw::Address& a, int port) {
  bool v6 = a.family == AF_INET6;
  if (port == policy::kQnetdDefaultPort) return a.str();
  return v6 ? fmt::format("[{}]:{}", a.str(), port) : fmt::format("{}:{}", a.str(), port);
}

// The QDevice's connection to corosync-qnetd is Corosync by the qnetd end
// alone ([class.corosync] qnetd), whatever local address the route picks.
// Written only when the files show where it leaves (a local route), because
// Corosync must then be allowed on that lane too (build_lanes).
void choose_qdevice(const pve::NodeConfig& node, const pve::TrafficMap& tm, DerivedPolicy& p) {
  if (!tm.qdevice || tm.qdevice->net.addr.family == 0) return;
  const auto& q = *tm.qdevice;
  const auto& qnetd = q.net.addr;
  if (!q.local()) {
    p.notes.push_back(
        fmt::format("{}: no local route to {}, so no lane for it", q.label, qnetd.str()));
    return;
  }
  int port = node.corosync->qdevice->port;
  bool in_link = in_any(p.networks[LW_CLASS_COROSYNC], q.addr->addr.addr);
  p.qnetd = {
      qnetd_text(qnetd, port),
      fmt::format("{}: TCP {} from {} on {}{} ({})", q.label, port, q.addr->addr.addr.str(),
                  q.iface->name, in_link ? ", a link address" : ", outside the link networks",
                  rel(node, q.where))};
}

// knet runs over SCTP on the ports it uses over UDP (corosync.conf(5),
// knet_transport): the class's default UDP ports, and a link's own
// mcastport where one is written outside them.
void choose_sctp(const pve::NodeConfig& node, const pve::TrafficMap& tm, DerivedPolicy& p) {
  if (tm.sctp_links.empty() || p.networks[LW_CLASS_COROSYNC].empty()) return;
  const auto& cs = *node.corosync;
  const auto defaults = policy::default_class_policy(LW_CLASS_COROSYNC).udp_ports;
  std::string links;
  for (int link : tm.sctp_links) {
    const auto* i = cs.interface(link);
    links += fmt::format("{}link {} ({})", links.empty() ? "" : ", ", link,
                         rel(node, i->knet_transport->where));
  }
  for (auto& r : defaults) p.corosync_sctp_ports.emplace_back(r, "knet_transport sctp on " + links);
  for (int link : tm.sctp_links) {
    const auto* i = cs.interface(link);
    if (!i->mcastport || *i->mcastport < 1 || *i->mcastport > 65535) continue;
    auto port = static_cast<uint16_t>(*i->mcastport);
    bool covered =
        std::any_of(p.corosync_sctp_ports.begin(), p.corosync_sctp_ports.end(),
                    [&](auto& e) { return e.first.first <= port && port <= e.first.last; });
    if (!covered)
      p.corosync_sctp_ports.emplace_back(
          PortRange{port, port},
          fmt::format("mcastport of link {} ({})", link, rel(node, i->where)));
  }
}

void extra_ports(const pve::NodeConfig& node, const pve::TrafficMap& tm, DerivedPolicy& p) {
  for (auto& e : tm.tcp_ports) {
    if (p.networks[e.cls].empty()) continue;
    auto defaults = policy::default_class_policy(e.cls).tcp_ports;
    bool covered = std::any_of(defaults.begin(), defaults.end(), [&](auto& r) {
      return r.first <= e.ports.first && e.ports.last <= r.last;
    });
    if (covered) continue;
    p.extra_tcp_ports[e.cls].emplace_back(e.ports,
                                          fmt::format("{} ({})", e.why, rel(node, e.where)));
  }
}

bool kept(const DerivedPolicy& p, const pve::ClassUse& u) {
  auto& v = p.networks[u.cls];
  return std::find(v.begin(), v.end(), u.net) != v.end();
}

// A NIC is Corosync's alone when every address on every device stacked on it
// is a Corosync link address and no bridge (guests) sits on it.
bool corosync_only(const pve::NodeConfig& node, const pve::Topology& topo,
                   const pve::TrafficMap& tm, const std::string& nic) {
  if (topo.carries_guests(nic)) return false;
  for (auto& i : node.interfaces.ifaces) {
    auto att = topo.attach_points(i.name);
    bool on_nic = std::any_of(att.begin(), att.end(), [&](auto& a) { return a.iface == nic; });
    if (!on_nic) continue;
    for (auto& a : i.addresses) {
      bool corosync = std::any_of(tm.uses.begin(), tm.uses.end(), [&](auto& u) {
        return u.cls == LW_CLASS_COROSYNC && u.addr == &a;
      });
      if (!corosync) return false;
    }
  }
  return true;
}

// Why a lane sits where it does when Open vSwitch is in the way: the
// internal port takes the host's traffic, the bridge's NICs the wire's.
std::string ovs_why(const pve::NodeConfig& node, const pve::Iface& from, const pve::Attach& a) {
  if (!from.is_ovs()) return "";
  if (a.iface == from.name) return ": host traffic, where it enters Open vSwitch";
  std::string bridge = from.kind == pve::IfaceKind::ovs_bridge ? from.name : from.ovs_bridge;
  std::string bond;
  for (auto& i : node.interfaces.ifaces)
    if (i.kind == pve::IfaceKind::ovs_bond &&
        std::find(i.slaves.begin(), i.slaves.end(), a.iface) != i.slaves.end())
      bond = fmt::format(", member of OVSBond {} (no netdev of its own)", i.name);
  return fmt::format(": on the wire through OVS bridge {}{}{}", bridge, bond,
                     a.vlan ? fmt::format(", tag {}", a.vlan) : "");
}

// The class reaches this attach point because FRR routes its address over
// the link (pve/frr_conf.h): which instance, and the frr.conf line.
const pve::RoutedVia* routed_via(const pve::ClassUse& u, const pve::Attach& a) {
  for (auto& r : u.routed)
    if (r.attach == a.iface) return &r;
  return nullptr;
}

std::string frr_why(const pve::NodeConfig& node, const pve::ClassUse& u, const pve::Attach& a) {
  auto* r = routed_via(u, a);
  if (!r) return "";
  return fmt::format(": {} mesh link, {}", r->instance.protocol, rel(node, r->where));
}

void build_lanes(const pve::NodeConfig& node, const pve::Topology& topo, const pve::TrafficMap& tm,
                 DerivedPolicy& p) {
  std::map<std::pair<std::string, int>, DerivedLane> lanes;
  // On the node, the kernel's name for a device that holds the address
  // itself (a NIC or bond renamed since the files were written).
  std::map<std::string, std::string> renamed;
  std::vector<const pve::ClassUse*> uses;
  for (auto& u : tm.uses) uses.push_back(&u);
  if (p.qnetd) uses.push_back(&*tm.qdevice);
  for (auto* up : uses) {
    const auto& u = *up;
    // The QDevice's lane is where its connection leaves (choose_qdevice).
    bool qdevice = tm.qdevice && up == &*tm.qdevice;
    if (!u.local() || (!qdevice && !kept(p, u))) continue;
    for (auto& a : u.attach) {
      if (!node.interfaces.mentions(a.iface)) continue;
      auto& lane = lanes[{a.iface, a.vlan}];
      lane.iface = a.iface;
      lane.vlan = a.vlan;
      lane.classes |= static_cast<uint8_t>(LW_CLASS_BIT(u.cls));
      std::string via = u.iface->name == a.iface ? "" : " via " + u.iface->name;
      lane.why.push_back(fmt::format("{} ({}{}){}{}", u.label, u.addr->addr.addr.str(), via,
                                     ovs_why(node, *u.iface, a), frr_why(node, u, a)));
      auto live = node.live.address_devices.find(u.addr->addr.addr);
      if (u.iface->name == a.iface && live != node.live.address_devices.end() &&
          live->second != a.iface)
        renamed[a.iface] = live->second;
    }
  }
  // Order: as the devices appear in /etc/network/interfaces, then by VLAN.
  auto order = [&](const std::string& name) {
    for (size_t k = 0; k < node.interfaces.ifaces.size(); ++k)
      if (node.interfaces.ifaces[k].name == name) return k;
    return node.interfaces.ifaces.size();
  };
  // Traffic the datapath sees as `other` on a Corosync lane: an exclusive
  // lane would call every such packet an intruder.
  std::set<std::pair<std::string, int>> shared;
  auto share = [&](const pve::ClassUse& u, const std::string& why) {
    for (auto& a : u.attach) {
      auto it = lanes.find({a.iface, a.vlan});
      if (it == lanes.end()) continue;
      it->second.why.push_back(why);
      shared.insert(it->first);
    }
  };
  if (tm.implicit_migration && tm.implicit_migration->local())
    share(*tm.implicit_migration,
          fmt::format("migration: no migration network, so SSH to the target's ring0_addr "
                      "({}), counted as `other`",
                      tm.implicit_migration->net.str()));
  // A routed mesh reroutes around a failed link through the third node, so
  // every link carries the other nodes' traffic too, and the routing
  // protocol's own packets (IS-IS PDUs, OSPF) are `other` there.
  for (auto* up : uses)
    for (auto& r : up->routed)
      for (auto& [key, lane] : lanes) {
        if (key.first != r.attach || shared.count(key)) continue;
        lane.why.push_back(fmt::format(
            "not exclusive: {} reroutes through this link when another fails, and its own "
            "packets count as `other`",
            r.instance.str()));
        shared.insert(key);
      }
  std::string priority_iface;  // the files' name; the kernel's is known below
  for (auto& [key, lane] : lanes) {
    lane.exclusive = lane.classes == LW_CLASS_BIT(LW_CLASS_COROSYNC) && !shared.count(key) &&
                     corosync_only(node, topo, tm, lane.iface);
    if ((lane.classes & LW_CLASS_BIT(LW_CLASS_COROSYNC)) && !lane.exclusive &&
        !p.corosync_priority) {
      p.corosync_priority = true;
      priority_iface = lane.iface;
    }
    p.lanes.push_back(lane);
  }
  std::stable_sort(p.lanes.begin(), p.lanes.end(), [&](auto& a, auto& b) {
    return std::pair(order(a.iface), a.vlan) < std::pair(order(b.iface), b.vlan);
  });
  // NICs without an address (bond members, bridge ports): pinned names by MAC.
  auto by_mac = pve::resolve_renames(node);
  auto mac_rename = [&](const std::string& name) -> const pve::Rename* {
    for (auto& rn : by_mac)
      if (rn.file_name == name) return &rn;
    return nullptr;
  };
  if (p.corosync_priority) {
    std::string iface = priority_iface;
    if (auto r = renamed.find(iface); r != renamed.end()) iface = r->second;
    if (auto* rn = mac_rename(iface); rn && rn->how != pve::Rename::How::pending)
      iface = rn->kernel_name;
    p.corosync_priority_why = fmt::format("Corosync shares {} with other traffic", iface);
  }
  for (auto& lane : p.lanes) {
    if (auto r = renamed.find(lane.iface); r != renamed.end()) {
      lane.why.push_back(
          fmt::format("the kernel calls {} {}: the files are older than the "
                      "rename (check LW030)",
                      lane.iface, r->second));
      lane.iface = r->second;
      continue;
    }
    auto* rn = mac_rename(lane.iface);
    if (!rn) continue;
    std::string why = rn->why(rel(node, rn->pin_where));
    if (rn->how == pve::Rename::How::pending) {
      lane.why.push_back(
          fmt::format("{} becomes {} at the next boot ({}): derive again after it (check LW030)",
                      rn->file_name, rn->pinned_name, why));
      continue;
    }
    lane.why.push_back(fmt::format("the kernel calls {} {} ({}) (check LW030)", rn->file_name,
                                   rn->kernel_name, why));
    lane.iface = rn->kernel_name;
  }
}

void migration_cap(const pve::NodeConfig& node, DerivedPolicy& p) {
  if (!node.datacenter || !node.datacenter->bwlimit_migration_kib) return;
  uint64_t kib = *node.datacenter->bwlimit_migration_kib;
  if (kib == 0) return;  // 0 = unlimited in Proxmox
  const char* key = node.datacenter->bwlimit_from_default ? "default" : "migration";
  if (p.networks[LW_CLASS_MIGRATION].empty()) {
    p.notes.push_back(
        fmt::format("bwlimit {}={} KiB/s not turned into a cap: no migration "
                    "network, so migration traffic cannot be recognised",
                    key, kib));
    return;
  }
  p.migration_cap_kib = kib;
  p.migration_cap_why =
      fmt::format("bwlimit: {}={} ({}) is in KiB/s: {}", key, kib,
                  rel(node, node.datacenter->bwlimit->where), pve::describe_kib_per_sec(kib));
}

// Every other node's ringN_addr of a link this node uses, resolved like the
// local ones: the echo probes that measure the Corosync links go to them.
// Peers outside the policy's Corosync networks could not be probed (nor
// classified), so they are left out with a note.
void probe_peers(const pve::NodeConfig& node, DerivedPolicy& p) {
  if (!node.corosync) return;
  const auto& cs = *node.corosync;
  const pve::CorosyncNode* self = cs.node(node.hostname);
  if (!self) return;
  const auto& coro = p.networks[LW_CLASS_COROSYNC];
  for (auto& peer : cs.nodes) {
    if (&peer == self) continue;
    for (auto& [link, value] : peer.ring_addr) {
      if (!self->ring_addr.count(link)) continue;
      auto addr = pve::resolve_host(node, value.text);
      if (!addr) {
        p.notes.push_back(fmt::format("probe peer {} ring{}_addr: cannot resolve '{}'", peer.name,
                                      link, value.text));
        continue;
      }
      bool in_link = std::any_of(coro.begin(), coro.end(),
                                 [&](const lw::Cidr& n) { return n.contains(*addr); });
      if (!in_link) {
        p.notes.push_back(fmt::format("probe peer {} ring{}_addr {}: in no corosync network",
                                      peer.name, link, addr->str()));
        continue;
      }
      p.probe_peers.emplace_back(
          *addr, fmt::format("{} ring{}_addr ({})", peer.name, link, rel(node, value.where)));
    }
  }
}

}  // namespace

DerivedPolicy derive_policy(const pve::NodeConfig& node) {
  DerivedPolicy p;
  p.node = node.hostname;
  p.ovs = std::any_of(node.interfaces.ifaces.begin(), node.interfaces.ifaces.end(),
                      [](const pve::Iface& i) { return i.is_ovs(); });
  pve::Topology topo(node.interfaces);
  auto tm = pve::map_traffic(node, topo);
  choose_networks(node, tm, p);
  choose_qdevice(node, tm, p);
  choose_sctp(node, tm, p);
  extra_ports(node, tm, p);
  build_lanes(node, topo, tm, p);
  migration_cap(node, p);
  probe_peers(node, p);
  if (p.lanes.empty())
    throw lw::Error(
        fmt::format("derive: no traffic class of node '{}' maps to a local interface "
                    "(is this a Proxmox cluster node?){}",
                    node.hostname, p.notes.empty() ? "" : "; " + p.notes.front()));
  return p;
}

}  // namespace lw::derive
