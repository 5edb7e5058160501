// SPDX-License-Identifier: GPL-2.0-only
// Corosync over bonds and bond health: LW003 LW004 LW005 LW020 LW021 LW031.
// Source: pvecm docs "Corosync over Bonds", added in the pve-devel thread
// "[PATCH docs] pvecm, network: add section on corosync over bonds".
#include <fmt/format.h>

#include <set>

#include "check/describe.h"
#include "check/rules.h"

namespace lw::check {
namespace {

bool asymmetric_mode(const std::string& m) {
  // These modes spread one peer's packets over slaves: a slave that stops
  // sending while its link stays up gives asymmetric connectivity.
  return m == "balance-rr" || m == "balance-xor" || m == "balance-tlb" || m == "balance-alb";
}

pve::Where option_where(const pve::Iface& i, const char* opt) {
  auto* v = i.option(opt);
  return v ? v->where : i.where;
}

void check_corosync_bonds(CheckContext& ctx) {
  if (!ctx.node.corosync) return;
  const auto& cs = *ctx.node.corosync;
  int primary = cs.primary_link();
  bool only = cs.links().size() == 1;
  std::set<std::string> done;
  for (auto* c : ctx.traffic.of_class(LW_CLASS_COROSYNC)) {
    if (!c->local()) continue;
    bool main_link = c->link == primary || only;
    // The failure these modes cause fences nodes when Corosync has nowhere
    // else to go; as an extra link behind a clean primary it is a warning.
    auto sev = main_link ? Severity::error : Severity::warning;
    for (auto* i : ctx.topo.chain(c->iface->name)) {
      if (i->kind != pve::IfaceKind::bond) continue;
      auto slaves = join(i->slaves);
      auto key = [&](const char* id) {
        return std::string(id) + i->name + std::to_string(c->link);
      };
      if (c->link == primary && done.insert(key("LW003")).second)
        ctx.report("LW003", i->where,
                   fmt::format("{} is the primary Corosync link and runs over bond {} ({}): the "
                               "docs recommend a dedicated physical NIC for it, bonds only as "
                               "additional links",
                               describe(*c), i->name, slaves),
                   fmt::format("give corosync link {} its own NIC; keep {} as an additional link",
                               c->link, i->name));
      if (asymmetric_mode(i->bond_mode) && done.insert(key("LW004")).second)
        ctx.report("LW004", option_where(*i, "bond-mode"),
                   fmt::format("corosync link {} ({}) runs over {} in {} mode{}: a slave that "
                               "stops sending with its link up gives asymmetric connectivity, "
                               "which can fence the node (or the whole cluster)",
                               c->link, c->addr->addr.addr.str(), i->name, i->bond_mode,
                               i->option("bond-mode") ? "" : " (bond-mode unset: kernel default)"),
                   main_link ? fmt::format("use a dedicated NIC for link {}, or bond-mode "
                                           "active-backup / 802.3ad with bond-lacp-rate fast",
                                           c->link)
                             : fmt::format("use bond-mode active-backup, or 802.3ad with "
                                           "bond-lacp-rate fast, on {}",
                                           i->name),
                   sev);
      if (i->bond_mode == "802.3ad" && i->lacp_rate != "fast" && done.insert(key("LW005")).second)
        ctx.report("LW005",
                   option_where(*i, i->option("bond-lacp-rate") ? "bond-lacp-rate" : "bond-mode"),
                   fmt::format("corosync link {} ({}) runs over 802.3ad bond {} with slow LACP "
                               "rate: a failed slave is dropped only after 3 missed LACPDUs sent "
                               "every 30 s (90 s), but HA nodes fence after about 60 s",
                               c->link, c->addr->addr.addr.str(), i->name),
                   fmt::format("set 'bond-lacp-rate fast' on {} and on the switch ports (3 s "
                               "failover)",
                               i->name),
                   sev);
    }
  }
}

void check_live_bonds(CheckContext& ctx) {
  for (auto& [name, live] : ctx.node.live.bonds) {
    for (auto& s : live.slaves)
      if (!s.mii_up)
        ctx.report("LW020", {live.file, 0},
                   fmt::format("bond {}: slave {} is down (MII status)", name, s.name),
                   fmt::format("check cable, switch port and 'ip link show {}'", s.name));
    const pve::Iface* cfg = ctx.node.interfaces.find(name);
    if (!cfg || cfg->kind != pve::IfaceKind::bond) continue;
    if (!live.mode.empty() && live.mode != cfg->bond_mode)
      ctx.report("LW021", option_where(*cfg, "bond-mode"),
                 fmt::format("bond {} runs in {} mode but /etc/network/interfaces says {}", name,
                             live.mode, cfg->bond_mode),
                 "apply the configuration with 'ifreload -a' (or fix the file)");
    else if (live.mode == "802.3ad" && !live.lacp_rate.empty() && live.lacp_rate != cfg->lacp_rate)
      ctx.report("LW021",
                 option_where(*cfg, cfg->option("bond-lacp-rate") ? "bond-lacp-rate" : "bond-mode"),
                 fmt::format("bond {} runs with LACP rate {} but /etc/network/interfaces says {}",
                             name, live.lacp_rate, cfg->lacp_rate),
                 "apply the configuration with 'ifreload -a' (or fix the file)");
  }
}

bool zero_mac(const std::string& mac) {
  return !mac.empty() && mac.find_first_not_of("0:") == std::string::npos;
}

// An 802.3ad bond only bundles ports whose LACPDUs a partner answers. When the
// switch ports run no LACP (partner MAC all zeros) or only some of them are in
// one group, the kernel picks one aggregator and the other ports carry nothing:
// the bond looks up and healthy while it runs on one link ("Proxmox Cluster
// Network Design", Common Mistakes: bond without LACP counterpart).
void check_lacp_partner(CheckContext& ctx) {
  for (auto& [name, live] : ctx.node.live.bonds) {
    if (live.mode != "802.3ad") continue;
    std::vector<std::string> up, active;
    bool any_partner = false;
    for (auto& s : live.slaves) {
      if (!s.mii_up) continue;  // LW020 reports it
      up.push_back(s.name);
      if (live.active_aggregator >= 0 && s.aggregator_id == live.active_aggregator)
        active.push_back(s.name);
      if (!s.partner_mac.empty() && !zero_mac(s.partner_mac)) any_partner = true;
    }
    if (up.empty()) continue;
    bool no_partner = live.partner_mac.empty() ? !any_partner : zero_mac(live.partner_mac);
    if (no_partner) {
      ctx.report("LW031", {live.file, 0},
                 fmt::format("bond {} (802.3ad, {} up) has no LACP partner: partner MAC "
                             "00:00:00:00:00:00, no LACPDU came back from the switch, so only one "
                             "link is active",
                             name, join(up)),
                 fmt::format("configure the switch ports of {} as one LACP (802.3ad) group with "
                             "fast rate, or use bond-mode active-backup; then check "
                             "'cat /proc/net/bonding/{}' shows the switch's MAC as partner",
                             join(up), name));
      continue;
    }
    if (live.active_aggregator >= 0 && up.size() >= 2 && active.size() < up.size())
      ctx.report("LW031", {live.file, 0},
                 fmt::format("bond {} (802.3ad): {} of its {} links that are up ({}) {} in the "
                             "active aggregator {}{}: the others joined another aggregator (their "
                             "switch ports are in another LACP group, or on a second switch "
                             "without MLAG)",
                             name, active.size(), up.size(), join(up),
                             active.size() == 1 ? "is" : "are", live.active_aggregator,
                             active.size() == 1 ? ", so only one link is active" : ""),
                 fmt::format("put the switch ports of {} in one LACP group (one switch, or an "
                             "MLAG pair)",
                             join(up)));
  }
}

}  // namespace

void check_bonds(CheckContext& ctx) {
  check_corosync_bonds(ctx);
  check_live_bonds(ctx);
  check_lacp_partner(ctx);
}

}  // namespace lw::check
