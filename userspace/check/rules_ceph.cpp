// SPDX-License-Identifier: GPL-2.0-only
// Ceph networks: LW012 LW018 LW024 (Ceph docs, Network Configuration
// Reference; "Proxmox Cluster Network Design", "Configuring the Ceph Network").
#include <fmt/format.h>

#include "check/describe.h"
#include "check/rules.h"

namespace lw::check {

void check_ceph(CheckContext& ctx) {
  if (!ctx.node.ceph) return;
  const auto& c = *ctx.node.ceph;
  for (auto& cl : c.cluster_networks)
    for (auto& pub : c.public_networks)
      if (cl.net.overlaps(pub.net))
        ctx.report("LW012", cl.where,
                   fmt::format("ceph cluster network {} overlaps public network {}: OSD "
                               "replication and client I/O share one network, and lanewarden "
                               "cannot tell them apart (same ports 6800-7300)",
                               cl.net.str(), pub.net.str()),
                   "give cluster_network its own subnet on separate NICs, or remove it");
  if (!c.public_networks.empty() && c.cluster_networks.empty())
    ctx.report(
        "LW024", c.public_networks.front().where,
        fmt::format("no cluster_network: OSD replication and recovery run over the public "
                    "network {}",
                    c.public_networks.front().net.str()),
        "add 'cluster_network = <CIDR>' on dedicated NICs when recovery traffic hurts clients");
  if (c.public_networks.empty()) return;
  for (auto& m : c.mons) {
    if (!m.addr) continue;
    bool inside = false;
    for (auto& p : c.public_networks) inside |= p.net.contains(*m.addr);
    if (!inside)
      ctx.report("LW018", m.where,
                 fmt::format("monitor {} is outside the public network(s) {}: clients and OSDs "
                             "reach monitors on the public network",
                             m.addr->str(),
                             [&] {
                               std::vector<std::string> v;
                               for (auto& p : c.public_networks) v.push_back(p.net.str());
                               return join(v);
                             }()),
                 "move the monitor to an address in public_network, or extend public_network");
  }
}

}  // namespace lw::check
