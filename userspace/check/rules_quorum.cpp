// SPDX-License-Identifier: GPL-2.0-only
// Quorum of small clusters and their QDevice: LW025 LW026 LW027.
#include <fmt/format.h>

#include <algorithm>

#include "check/describe.h"
#include "check/rules.h"

namespace lw::check {
namespace {

bool heavy(int cls) {
  return cls == LW_CLASS_MIGRATION || cls == LW_CLASS_CEPH_PUBLIC || cls == LW_CLASS_CEPH_CLUSTER ||
         cls == LW_CLASS_STORAGE;
}

// votequorum(5): each node has one vote and quorum is a majority, so two
// nodes need both. two_node lets one vote suffice and turns on
// wait_for_all; a QDevice adds the third vote instead.
void check_two_node(CheckContext& ctx, const pve::CorosyncConf& cs) {
  if (cs.nodes.size() != 2 || cs.qdevice || cs.two_node) return;
  pve::Where where = cs.two_node_value ? cs.two_node_value->where : cs.quorum_where;
  ctx.report("LW025", where,
             "2-node cluster with neither a QDevice nor 'two_node: 1': each node has 1 of 2 "
             "votes and quorum needs 2, so when one node fails or the link between them "
             "breaks, the other loses quorum: guests cannot start and HA fences it",
             "add a QDevice on a third machine (pvecm qdevice setup <qnetd address>), or set "
             "'two_node: 1' in the quorum section: one vote then keeps quorum, and wait_for_all "
             "(on by default with two_node) makes a cluster that starts cold wait until both "
             "nodes have been seen once");
}

void check_qdevice(CheckContext& ctx, const pve::CorosyncConf& cs) {
  if (!ctx.traffic.qdevice) return;
  const auto& q = *ctx.traffic.qdevice;
  int port = cs.qdevice->port;
  if (q.net.addr.family == 0 || !q.local()) {
    ctx.report("LW027", q.where,
               fmt::format("{}: {}, so lanewarden cannot tell which lane the QDevice uses", q.label,
                           q.net.addr.family == 0 ? "the host name does not resolve through "
                                                    "etc/hosts"
                                                  : "no local network or gateway reaches it"),
               "write the qnetd address as an IP address, or add it to /etc/hosts");
    return;
  }
  for (auto& u : ctx.traffic.uses) {
    std::string nic;
    if (!heavy(u.cls) || !u.local() || !shares_nic(q, u, &nic)) continue;
    ctx.report("LW026", use_where(q),
               fmt::format("{} connects to qnetd over NIC {}, which also carries {}: when a "
                           "migration or a Ceph recovery fills it, the QDevice's vote is late "
                           "exactly when a node has failed",
                           describe(q), nic, describe(u)),
               "reach qnetd through a Corosync link network or the management NIC, not a "
               "storage or migration NIC");
    break;
  }
  const auto& coro = ctx.traffic.networks[LW_CLASS_COROSYNC];
  bool in_link = std::any_of(coro.begin(), coro.end(),
                             [&](const Cidr& n) { return n.contains(q.addr->addr.addr); });
  if (!in_link)
    ctx.report("LW027", q.where,
               fmt::format("{}: TCP {} leaves from {} on {}, outside the Corosync link networks: "
                           "lanewarden recognises it by the qnetd host ([class.corosync] qnetd, "
                           "which derive writes), so Corosync must be allowed on that lane too, "
                           "where it shares the NIC with whatever else leaves there",
                           q.label, port, q.addr->addr.addr.str(), q.iface->name),
               "nothing to do if that path is quiet; where bulk traffic shares it, reach qnetd "
               "through a Corosync link network (a third port on the link switch)");
}

}  // namespace

void check_quorum(CheckContext& ctx) {
  if (!ctx.node.corosync) return;
  check_two_node(ctx, *ctx.node.corosync);
  check_qdevice(ctx, *ctx.node.corosync);
}

}  // namespace lw::check
