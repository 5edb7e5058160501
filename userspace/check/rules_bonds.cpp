// SPDX-License-Identifier: GPL-2.0-only
// Corosync over bonds and bond health: LW003 LW004 LW005 LW020 LW021.
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

}  // namespace

void check_bonds(CheckContext& ctx) {
  check_corosync_bonds(ctx);
  check_live_bonds(ctx);
}

}  // namespace lw::check
