// SPDX-License-Identifier: GPL-2.0-only
// Full-mesh networks without a switch: LW029.
#include <fmt/format.h>

#include "check/describe.h"
#include "check/rules.h"

namespace lw::check {
namespace {

// LW029: a multipath route spreads flows by a hash of the packet; policy 0
// (the kernel default) hashes on the addresses alone, so between two nodes
// every flow takes the same link (kernel docs, ip-sysctl:
// fib_multipath_hash_policy).
void report_ecmp(CheckContext& ctx, const pve::Where& where, const std::string& route) {
  auto policy = ctx.node.live.fib_multipath_hash_policy;
  const char* fix =
      "set net.ipv4.fib_multipath_hash_policy = 1 in /etc/sysctl.d/ (hash on the ports "
      "too, so the flows between two nodes use every path)";
  if (policy) {
    ctx.report("LW029", where,
               route +
                   ": net.ipv4.fib_multipath_hash_policy is 0, so the kernel picks the "
                   "path from the addresses alone and all traffic between two nodes "
                   "takes one link while the other idles",
               fix);
  } else {
    ctx.report("LW029", where,
               route +
                   ": net.ipv4.fib_multipath_hash_policy is unknown (check did not run "
                   "on the node); at the kernel default 0 all traffic between two "
                   "nodes takes one link",
               fix, Severity::info);
  }
}

void check_ecmp_hash(CheckContext& ctx) {
  auto policy = ctx.node.live.fib_multipath_hash_policy;
  if (policy && *policy != 0) return;
  for (auto& i : ctx.node.interfaces.ifaces)
    for (auto& r : i.routes) {
      if (r.devs.size() < 2) continue;
      report_ecmp(ctx, r.where,
                  fmt::format("ECMP route to {} over {}", r.dest.str(), join(r.devs)));
    }
}

// The same for a routed mesh of FRR: OpenFabric, IS-IS and OSPF install the
// paths of equal cost to a destination as one multipath route (FRR docs,
// "OSPFv2": maximum-paths; "OpenFabric"). A node with more links than peers
// reaches some peer over two links of the same cost. With one link per peer
// the detour through the third node costs more: no ECMP, nothing to report.
const char* frr_docs(const pve::FrrInstance& i) {
  if (i.protocol == "openfabric") return "FRR docs, OpenFabric";
  if (i.protocol == "isis") return "FRR docs, IS-IS";
  if (i.protocol == "ospf6") return "FRR docs, OSPFv3";
  return "FRR docs, OSPFv2: maximum-paths";
}

void check_frr_ecmp(CheckContext& ctx) {
  const auto& node = ctx.node;
  auto policy = node.live.fib_multipath_hash_policy;
  if (!node.frr || !node.corosync || node.corosync->nodes.size() < 2) return;
  if (policy && *policy != 0) return;
  size_t peers = node.corosync->nodes.size() - 1;
  for (auto& r : node.frr->routers) {
    if (!node.frr->enabled(r.instance) || (r.maximum_paths && *r.maximum_paths <= 1)) continue;
    std::vector<std::string> names;
    for (auto& l : node.frr->links(r.instance, node.interfaces)) names.push_back(l.iface);
    if (names.size() <= peers) continue;
    report_ecmp(
        ctx, r.where,
        fmt::format("FRR router {} runs on {} links ({}) to {} peers, so it installs an "
                    "ECMP route to a peer reached over two links of equal cost ({}; "
                    "Proxmox wiki, Full Mesh Network for Ceph Server)",
                    r.instance.str(), names.size(), join(names), peers, frr_docs(r.instance)));
  }
}

}  // namespace

void check_mesh(CheckContext& ctx) {
  check_ecmp_hash(ctx);
  check_frr_ecmp(ctx);
}

}  // namespace lw::check
