// SPDX-License-Identifier: GPL-2.0-only
// Corosync placement and settings: LW001 LW002 LW009 LW014 LW015 LW016 LW017
// LW022 LW023 LW028. Bond-specific Corosync rules live in rules_bonds.cpp.
#include <fmt/format.h>

#include <set>

#include "check/describe.h"
#include "check/rules.h"

namespace lw::check {
namespace {

bool heavy(int cls) {
  return cls == LW_CLASS_MIGRATION || cls == LW_CLASS_CEPH_PUBLIC || cls == LW_CLASS_CEPH_CLUSTER ||
         cls == LW_CLASS_STORAGE;
}

// LW001/LW023: the golden rule of the article
// "Proxmox Cluster Network Design" (DATAZONE): Corosync never competes
// with storage or migration. Error unless another link stays clean, because
// knet then fails over to it (pvecm docs, Cluster Network).
void check_sharing(CheckContext& ctx, const std::vector<const pve::ClassUse*>& links) {
  std::set<int> clean_links;
  for (auto* c : links) {
    bool dirty = false;
    for (auto& u : ctx.traffic.uses)
      if (heavy(u.cls) && u.local() && shares_nic(*c, u)) dirty = true;
    if (!dirty) clean_links.insert(c->link);
  }
  for (auto* c : links) {
    std::set<std::string> seen;
    for (auto& u : ctx.traffic.uses) {
      std::string nic;
      if (!u.local() || u.cls == LW_CLASS_COROSYNC || !shares_nic(*c, u, &nic)) continue;
      if (!seen.insert(u.label + nic).second) continue;
      if (heavy(u.cls)) {
        auto sev = clean_links.empty() ? Severity::error : Severity::warning;
        ctx.report("LW001", use_where(*c),
                   fmt::format("{} shares physical NIC {} with {}: a Ceph recovery or a live "
                               "migration saturates it, the heartbeat is delayed and nodes get "
                               "fenced{}",
                               describe(*c), nic, describe(u),
                               clean_links.empty() ? "" : " (another Corosync link stays clean)"),
                   fmt::format("move corosync link {} to a NIC that carries no storage or "
                               "migration traffic",
                               c->link),
                   sev);
      } else if (u.cls == LW_CLASS_MANAGEMENT) {
        ctx.report("LW023", use_where(*c),
                   fmt::format("{} shares physical NIC {} with {}: fine while management "
                               "traffic stays small",
                               describe(*c), nic, describe(u)),
                   "keep bulk transfers (backups, ISO uploads) off this NIC, or give Corosync "
                   "priority with lanewarden");
      }
    }
    for (auto& a : c->attach)
      if (ctx.topo.carries_guests(a.iface) && !seen.count("guests" + a.iface)) {
        seen.insert("guests" + a.iface);
        ctx.report("LW023", use_where(*c),
                   fmt::format("{} leaves through {}, which is also a bridge port: guest "
                               "traffic can compete with the heartbeat",
                               describe(*c), a.iface),
                   "keep guest bridges off the Corosync NIC, or give Corosync priority with "
                   "lanewarden");
      }
  }
}

void check_links(CheckContext& ctx, const pve::CorosyncConf& cs, const pve::CorosyncNode& self,
                 const std::vector<const pve::ClassUse*>& links) {
  auto ring_links = cs.links();
  if (ring_links.size() == 1) {
    const auto& v = self.ring_addr.begin()->second;
    bool bonded = false;
    for (auto* c : links) bonded |= c->nics.size() > 1;
    ctx.report("LW002", v.where,
               fmt::format("corosync has only link {} ({}): a single link is a single point of "
                           "failure, a cable wobble or switch reboot costs quorum{}",
                           ring_links.front(), v.text,
                           bonded ? "; a bond under it is not enough (pvecm docs: a single link "
                                    "backed by a bond is not Corosync redundancy)"
                                  : ""),
               "add a second link on a separate NIC and switch: ring1_addr for every node and "
               "totem interface { linknumber: 1 } (pvecm docs, Adding Redundant Links)");
  }
  for (auto& [link, v] : self.ring_addr) {
    if (lw::parse_address(v.text)) continue;
    ctx.report("LW017", v.where,
               fmt::format("ring{}_addr '{}' is a host name: corosync resolves it once at start, a "
                           "changed or missing /etc/hosts entry breaks the link",
                           link, v.text),
               "write the link address itself, e.g. ring" + std::to_string(link) + "_addr: <IP>");
  }
  for (auto* c : links)
    if (!c->local())
      ctx.report("LW014", c->where,
                 fmt::format("{}: this node has no interface with that address, corosync cannot "
                             "bind link {}",
                             describe(*c), c->link),
                 "configure the address on the link's interface in /etc/network/interfaces, or "
                 "correct ring" +
                     std::to_string(c->link) + "_addr");
  for (size_t i = 0; i < links.size(); ++i)
    for (size_t j = i + 1; j < links.size(); ++j) {
      std::string nic;
      if (!shares_nic(*links[i], *links[j], &nic)) continue;
      ctx.report("LW015", use_where(*links[j]),
                 fmt::format("corosync links {} and {} both run over NIC {}: one NIC or cable "
                             "failure takes both, the second link adds no redundancy",
                             links[i]->link, links[j]->link, nic),
                 "put each Corosync link on its own NIC, ideally through separate switches");
    }
}

// corosync.conf(5): "The minimum value for consensus must be 1.2 * token";
// with 3+ nodes the token timeout corosync uses is token + (nodes - 2) *
// token_coefficient (default 650 ms), and consensus is measured against that.
// That article's "must be > 1.2 * token" overstates it: equal is the default.
void check_timing(CheckContext& ctx, const pve::CorosyncConf& cs) {
  if (!cs.consensus) return;
  long long token = cs.int_value(cs.token).value_or(3000);  // corosync 3 default
  long long consensus = *cs.int_value(cs.consensus);
  long long coef = cs.int_value(cs.token_coefficient).value_or(650);
  long long nodes = static_cast<long long>(cs.nodes.size());
  long long effective = nodes >= 3 ? token + (nodes - 2) * coef : token;
  if (consensus * 10 < token * 12) {
    ctx.report("LW009", cs.consensus->where,
               fmt::format("consensus {} ms is below 1.2 x token ({} ms x 1.2 = {} ms): corosync "
                           "rejects this configuration",
                           consensus, token, token * 12 / 10),
               fmt::format("set consensus to at least {} or remove it (default 1.2 x token)",
                           effective * 12 / 10));
  } else if (consensus * 10 < effective * 12) {
    ctx.report("LW009", cs.consensus->where,
               fmt::format("consensus {} ms is below 1.2 x the effective token timeout: with {} "
                           "nodes corosync uses token + (nodes-2) x token_coefficient = {} ms, "
                           "x 1.2 = {} ms",
                           consensus, nodes, effective, effective * 12 / 10),
               fmt::format("set consensus to at least {} or remove it", effective * 12 / 10),
               Severity::warning);
  }
}

// Proxmox creates clusters with secauth on (knet: aes256 + sha256); turning
// it off leaves cluster messages unauthenticated (corosync.conf(5)).
void check_crypto(CheckContext& ctx, const pve::CorosyncConf& cs) {
  bool secauth = cs.secauth && pve::parse_bool(cs.secauth->text).value_or(false);
  auto eff = [&](const std::optional<pve::Value>& v) {
    return v ? pve::lower(v->text) : std::string(secauth ? "on" : "none");
  };
  std::string cipher = eff(cs.crypto_cipher), hash = eff(cs.crypto_hash);
  if (cipher != "none" && hash != "none") return;
  const auto& where = cs.crypto_cipher ? cs.crypto_cipher->where
                      : cs.secauth     ? cs.secauth->where
                                       : pve::Where{cs.file, 0};
  ctx.report("LW016", where,
             fmt::format("corosync runs with crypto_cipher {} / crypto_hash {}: anyone on the "
                         "link network can inject cluster messages",
                         cipher == "on" ? "aes256" : cipher, hash == "on" ? "sha256" : hash),
             "set secauth: on (Proxmox default) or crypto_cipher: aes256 and crypto_hash: sha256");
}

// LW028: knet over SCTP (IP protocol 132) uses knet's port numbers, but a
// policy claims no SCTP ports unless [class.corosync] sctp_ports lists them.
void check_sctp(CheckContext& ctx, const pve::CorosyncConf& cs) {
  for (int link : ctx.traffic.sctp_links) {
    const auto* i = cs.interface(link);
    ctx.report("LW028", i->knet_transport->where,
               fmt::format("corosync link {} uses knet_transport sctp: lanewarden recognises "
                           "Corosync over SCTP only by the ports in [class.corosync] sctp_ports, "
                           "and the defaults list none; without them this link's packets count "
                           "as `other`",
                           link),
               "derive writes sctp_ports = [\"5405-5412\"] for such a link; in a policy of "
               "your own, add it to [class.corosync]");
  }
}

}  // namespace

void check_corosync(CheckContext& ctx) {
  if (!ctx.node.corosync) return;
  const auto& cs = *ctx.node.corosync;
  check_timing(ctx, cs);
  check_crypto(ctx, cs);
  const auto* self = cs.node(ctx.node.hostname);
  if (!self) {
    pve::Where w{cs.file, cs.nodes.empty() ? 0 : cs.nodes.front().where.line};
    ctx.report(
        "LW022", w,
        fmt::format("node '{}' (etc/hostname) is not in the corosync nodelist", ctx.node.hostname),
        "check the host name, or join the node with pvecm add");
    return;
  }
  auto links = ctx.traffic.of_class(LW_CLASS_COROSYNC);
  check_links(ctx, cs, *self, links);
  check_sharing(ctx, links);
  check_sctp(ctx, cs);
}

}  // namespace lw::check
