// SPDX-License-Identifier: GPL-2.0-only
// Migration network and bandwidth limit: LW010 LW011 LW019.
#include <fmt/format.h>

#include "check/describe.h"
#include "check/rules.h"

namespace lw::check {
namespace {

// Below this a KiB/s limit is suspicious: 100 MiB/s (~840 Mbit/s) is less
// than one 1 GbE link, while the numbers people mean in MiB/s (1024, 5120,
// 10240) all land far below it when read as KiB/s.
constexpr uint64_t kSuspiciousKib = 100 * 1024;

pve::Where dc_where(const CheckContext& ctx, const std::optional<pve::Value>& v) {
  if (v) return v->where;
  if (ctx.node.datacenter) return {ctx.node.datacenter->file, 0};
  return {(ctx.node.root / "etc/pve/datacenter.cfg").string(), 0};
}

void check_network(CheckContext& ctx) {
  const auto* dc = ctx.node.datacenter ? &*ctx.node.datacenter : nullptr;
  std::optional<pve::Value> line = dc ? dc->migration : std::nullopt;
  auto mgmt = ctx.traffic.of_class(LW_CLASS_MANAGEMENT);
  if (!dc || !dc->migration_network) {
    if (!ctx.node.corosync) return;  // a single node does not migrate
    // Proxmox then migrates to the target's ring0_addr (pvecm docs,
    // "Migration Network"): name that network and NIC, not a guess.
    std::string message = fmt::format(
        "no migration network is set: live migrations copy guest RAM over the management "
        "network{} at full speed",
        mgmt.empty() ? "" : " (" + mgmt.front()->net.str() + ")");
    if (ctx.traffic.implicit_migration) {
      const auto& m = *ctx.traffic.implicit_migration;
      message = fmt::format(
          "no migration network is set: live migrations copy guest RAM at full speed over SSH "
          "to the target's ring0_addr, in corosync link 0's network {}{}",
          m.net.str(), m.local() ? " on " + m.iface->name : "");
    }
    ctx.report("LW010", dc_where(ctx, line), message,
               "set 'migration: secure,network=<CIDR>' in datacenter.cfg (Datacenter > Options > "
               "Migration Settings) on a dedicated network");
    return;
  }
  const auto& net = *dc->migration_network;
  auto uses = ctx.traffic.of_class(LW_CLASS_MIGRATION);
  if (uses.empty() || !uses.front()->local())
    ctx.report(
        "LW019", line->where,
        fmt::format("migration network {} has no address on this node: migrations to "
                    "and from it fail ('could not get migration ip')",
                    net.str()),
        "configure an address in " + net.str() + " on the migration NIC, or correct the network");
  for (auto& u : ctx.traffic.uses) {
    if ((u.cls != LW_CLASS_MANAGEMENT && u.cls != LW_CLASS_COROSYNC) || !u.net.overlaps(net))
      continue;
    ctx.report(
        "LW010", line->where,
        fmt::format("migration network {} is also the {} network: a migration competes "
                    "with {} traffic",
                    net.str(), u.label, u.cls == LW_CLASS_COROSYNC ? "Corosync" : "management"),
        "use a network of its own for migration (\"Proxmox Cluster Network Design\" "
        "uses 10.10.30.0/24, or the storage bond in its 2-node layout)");
    break;
  }
}

// datacenter.cfg(5): bwlimit is KiB/s; the article "Proxmox Cluster Network Design"'s
// "bandwidth_limit":5120 = "5120 MiB/s" is wrong twice (no such property,
// and 5120 KiB/s = 5 MiB/s).
void check_bwlimit(CheckContext& ctx) {
  const auto* dc = ctx.node.datacenter ? &*ctx.node.datacenter : nullptr;
  if (!dc || !dc->bwlimit_migration_kib || *dc->bwlimit_migration_kib == 0) return;
  uint64_t kib = *dc->bwlimit_migration_kib;
  if (kib >= kSuspiciousKib) return;
  const char* key = dc->bwlimit_from_default ? "default" : "migration";
  ctx.report("LW011", dc->bwlimit->where,
             fmt::format("bwlimit {}={} caps migration at {}: Proxmox reads KiB/s; if {} MiB/s "
                         "was meant, this is 1024 times too low",
                         key, kib, pve::describe_kib_per_sec(kib), kib),
             fmt::format("for {} MiB/s write 'bwlimit: {}={}' (KiB/s)", kib, key, kib * 1024));
}

}  // namespace

void check_migration(CheckContext& ctx) {
  check_network(ctx);
  check_bwlimit(ctx);
}

}  // namespace lw::check
