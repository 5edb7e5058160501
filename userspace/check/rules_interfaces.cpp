// SPDX-License-Identifier: GPL-2.0-only
// Interface design: LW006 (STP), LW007 (storage MTU), LW008 (MTU above the
// device below), LW013 (management not separate), LW030 (device names).
#include <fmt/format.h>
#include <sys/socket.h>

#include <algorithm>
#include <set>

#include "check/describe.h"
#include "check/rules.h"
#include "pve/renames.h"

namespace lw::check {
namespace {

pve::Where mtu_where(const pve::Iface& i) {
  auto* v = i.option("mtu");
  return v ? v->where : i.where;
}

// "Proxmox Cluster Network Design", Common Mistakes 4: Proxmox bridges need
// no STP; with it a port waits 30-50 s in listening/learning after every
// link-up.
void check_stp(CheckContext& ctx) {
  for (auto& i : ctx.node.interfaces.ifaces) {
    if (i.kind != pve::IfaceKind::bridge || !i.stp) continue;
    ctx.report("LW006", i.option("bridge-stp")->where,
               fmt::format("bridge {} has bridge-stp on: every link-up blocks its ports for "
                           "30-50 s (listening/learning), long enough to lose Corosync",
                           i.name),
               fmt::format("set 'bridge-stp off' and 'bridge-fd 0' on {}", i.name));
  }
}

// "Proxmox Cluster Network Design", "MTU 9000 (Jumbo Frames) for Storage".
void check_storage_mtu(CheckContext& ctx) {
  std::set<std::string> done;
  for (auto& u : ctx.traffic.uses) {
    bool storage = u.cls == LW_CLASS_CEPH_PUBLIC || u.cls == LW_CLASS_CEPH_CLUSTER ||
                   u.cls == LW_CLASS_STORAGE;
    // A one-host storage network (a Proxmox Backup Server) is reached
    // wherever the route goes, often through routers at 1500: no advice.
    bool one_host = u.net.prefix == (u.net.addr.family == AF_INET ? 32 : 128);
    if (!storage || one_host || !u.local()) continue;
    // An address on lo that FRR routes leaves through the mesh links: their
    // MTU is the one that counts, not the loopback's.
    std::vector<const pve::Iface*> carriers;
    for (auto& r : u.routed)
      if (auto* link = ctx.node.interfaces.find(r.attach)) carriers.push_back(link);
    if (carriers.empty()) carriers.push_back(u.iface);
    for (auto* carrier : carriers) {
      if (!done.insert(carrier->name).second) continue;
      int mtu = ctx.topo.effective_mtu(carrier->name);
      if (mtu >= 9000) continue;
      std::string via = carrier == u.iface ? "" : fmt::format(" (FRR mesh link {})", carrier->name);
      ctx.report("LW007", mtu_where(*carrier),
                 fmt::format("{}{} has MTU {}{}: storage traffic pays per-packet CPU cost that "
                             "jumbo frames save (10-20% throughput)",
                             describe(u), via, mtu, carrier->mtu ? "" : " (not set)"),
                 fmt::format("set 'mtu 9000' on {} and every device below it, and MTU 9000 on "
                             "the switch path; test with ping -M do -s 8972",
                             carrier->name));
    }
  }
}

void check_mtu_stack(CheckContext& ctx) {
  for (auto& i : ctx.node.interfaces.ifaces) {
    if (!i.mtu) continue;
    std::vector<std::string> lower;
    if (i.kind == pve::IfaceKind::vlan) lower.push_back(i.vlan_raw);
    if (i.kind == pve::IfaceKind::bridge) lower = i.ports;
    for (auto& l : lower) {
      int parent = ctx.topo.effective_mtu(l);
      if (*i.mtu <= parent) continue;
      ctx.report(
          "LW008", mtu_where(i),
          fmt::format("{} {} has mtu {} but {} below it has {}: the kernel refuses the "
                      "larger MTU (or caps it), large frames never leave",
                      pve::kind_name(i.kind), i.name, *i.mtu, l, parent),
          fmt::format("raise the MTU of {} to at least {}, or lower {}'s", l, *i.mtu, i.name));
    }
  }
}

// "Proxmox Cluster Network Design", "Management VLAN": management in its own VLAN.
void check_management(CheckContext& ctx) {
  std::set<std::string> done;
  for (auto* m : ctx.traffic.of_class(LW_CLASS_MANAGEMENT)) {
    for (auto& u : ctx.traffic.uses) {
      if (u.cls == LW_CLASS_MANAGEMENT || !u.local() || done.count(u.label)) continue;
      if (u.net.overlaps(m->net)) {
        done.insert(u.label);
        ctx.report("LW013", use_where(*m),
                   fmt::format("the management network {} is also the {} network: admin access "
                               "and {} traffic share one segment",
                               m->net.str(), u.label, u.label),
                   "put management in its own VLAN/subnet, firewalled (Datacenter > Firewall)");
        continue;
      }
      for (auto& a : m->attach)
        if (std::find(u.attach.begin(), u.attach.end(), a) != u.attach.end()) {
          done.insert(u.label);
          ctx.report(
              "LW013", use_where(*m),
              fmt::format("management ({}) and {} share the same segment on {} ({}): "
                          "one broadcast domain, no VLAN separation",
                          m->net.str(), describe(u), a.str(), a.vlan ? "same VLAN" : "untagged"),
              "tag management into its own VLAN (e.g. vmbr0.10 or a VLAN on the NIC)");
          break;
        }
    }
  }
}

// LW030: the kernel's names against the files. Renamed NICs make every
// lane named after the old name attach nowhere. Addresses need the node (or
// --live); pinned names by MAC also work on a tree with sys/class/net.
void check_device_names(CheckContext& ctx) {
  // Bond members and bridge ports hold no address: pinned names by MAC,
  // from the kernel on the node, from a tree's sys/class/net otherwise.
  for (auto& r : pve::resolve_renames(ctx.node)) {
    std::string why = r.why(r.pin_where.str());
    if (r.how == pve::Rename::How::pending)
      ctx.report("LW030", r.where,
                 fmt::format("{} is renamed {} at the next boot ({}): a lane or stanza that "
                             "names {} then names no device",
                             r.file_name, r.pinned_name, why, r.file_name),
                 "after the reboot (with /etc/network/interfaces.new in force) "
                 "derive the policy again, or remove the pin",
                 Severity::info);
    else
      ctx.report("LW030", r.where,
                 fmt::format("{} is named in the files, but the kernel calls it {} ({}): a lane "
                             "named {} attaches nowhere",
                             r.file_name, r.kernel_name, why, r.file_name),
                 fmt::format("make /etc/network/interfaces name {} (or revert the pin), then "
                             "derive the policy again",
                             r.kernel_name));
  }
  const auto& live = ctx.node.live;
  if (!live.kernel) return;
  for (auto& i : ctx.node.interfaces.ifaces) {
    if (i.kind == pve::IfaceKind::loopback || i.kind == pve::IfaceKind::dummy) continue;
    for (auto& a : i.addresses) {
      auto it = live.address_devices.find(a.addr.addr);
      if (it == live.address_devices.end() || it->second == i.name) continue;
      // An unnumbered address (an SDN fabric's, or FRR's router address on
      // lo and each mesh link) is on several devices; the kernel named
      // another one the files give it too.
      const pve::Iface* other = ctx.node.interfaces.find(it->second);
      bool unnumbered = other && std::any_of(other->addresses.begin(), other->addresses.end(),
                                             [&](auto& o) { return o.addr.addr == a.addr.addr; });
      if (unnumbered) continue;
      ctx.report("LW030", a.where,
                 fmt::format("{} is configured on {} in the files, but the kernel has it on {}: "
                             "the files and the running system disagree (a NIC renamed by "
                             "pve-network-interface-pinning or a .link file?)",
                             a.addr.addr.str(), i.name, it->second),
                 fmt::format("make /etc/network/interfaces name {} (or revert the rename), "
                             "then derive the policy again",
                             it->second));
    }
  }
}

}  // namespace

void check_interfaces(CheckContext& ctx) {
  check_device_names(ctx);
  check_stp(ctx);
  check_storage_mtu(ctx);
  check_mtu_stack(ctx);
  check_management(ctx);
}

}  // namespace lw::check
