// SPDX-License-Identifier: GPL-2.0-only
// Corosync's DSCP marking: LW032. knet marks its sockets TOS 0x10 unless
// totem ip_dscp says otherwise (corosync >= 3.1.10, knet >= 1.32; Proxmox's
// build from 3.1.10-pve3). The TOS also sets the socket's skb priority, and
// the "better" code points give a lower one than 0x10 (check/dscp.h). With a
// lanewarden policy the egress program rewrites the DSCP and sets the
// priority from the class, so what reaches the wire and what the node's
// queue does both follow the policy.
#include <fmt/format.h>

#include "check/dscp.h"
#include "check/rules.h"

namespace lw::check {
namespace {

constexpr uint8_t kKnetTos = 0x10;  // IPTOS_LOWDELAY, knet's default

std::string tos_effect(uint8_t tos) {
  return fmt::format("TOS {:#04x}, skb priority {}", tos, skb_priority_from_tos(tos));
}

}  // namespace

void check_dscp(CheckContext& ctx) {
  if (!ctx.node.corosync) return;
  const auto& cs = *ctx.node.corosync;
  const auto& policy_dscp = ctx.policy.corosync_dscp;
  if (!cs.ip_dscp && !policy_dscp) return;  // knet's default, nothing to explain

  pve::Where where = cs.ip_dscp ? cs.ip_dscp->where : pve::Where{cs.file, 0};
  auto support = corosync_ip_dscp_support(ctx.node.packages);
  std::optional<uint8_t> asked = cs.ip_dscp ? parse_dscp(cs.ip_dscp->text) : std::nullopt;
  const uint8_t knet_dscp = kKnetTos >> 2;
  std::string msg, fix;
  auto severity = Severity::info;

  // What corosync's own sockets carry.
  std::optional<uint8_t> socket_dscp;  // known marking of corosync's sockets
  if (!cs.ip_dscp) {
    socket_dscp = knet_dscp;
    msg = fmt::format("corosync marks its packets with knet's default {} (DSCP {})",
                      tos_effect(kKnetTos), knet_dscp);
  } else if (!asked) {
    msg = fmt::format(
        "totem ip_dscp '{}' is neither 0..63 nor a DSCP name (cs0..cs7, af11..af43, "
        "ef)",
        cs.ip_dscp->text);
    severity = Severity::warning;
    fix = "set ip_dscp to a number or a name such as cs6";
  } else {
    uint8_t tos = static_cast<uint8_t>(*asked << 2);
    std::string effect = fmt::format(
        "DSCP {}: {}, lower than the {} of knet's default TOS {:#04x}, so a node "
        "qdisc that sorts by priority (pfifo_fast, prio) queues Corosync with bulk "
        "traffic",
        dscp_name(*asked), tos_effect(tos), skb_priority_from_tos(kKnetTos), kKnetTos);
    if (skb_priority_from_tos(tos) >= skb_priority_from_tos(kKnetTos))
      effect = fmt::format("DSCP {}: {}", dscp_name(*asked), tos_effect(tos));
    switch (support.support) {
      case Support::yes:
        socket_dscp = *asked;
        msg = fmt::format("{} applies totem ip_dscp: corosync sends {}", support.why, effect);
        break;
      case Support::no:
        socket_dscp = knet_dscp;
        severity = policy_dscp ? Severity::info : Severity::warning;
        msg = fmt::format(
            "totem ip_dscp {} has no effect: {} (ip_dscp needs corosync 3.1.10 "
            "with knet 1.32, Proxmox's build 3.1.10-pve3); knet keeps its default "
            "{} (DSCP {})",
            cs.ip_dscp->text, support.why, tos_effect(kKnetTos), knet_dscp);
        fix = policy_dscp ? "nothing while lanewarden marks the wire; for corosync's own marking "
                            "upgrade it (pve: 3.1.10-pve3 or later) and restart it"
                          : "upgrade corosync (pve: 3.1.10-pve3 or later) and restart it, or let "
                            "lanewarden mark Corosync: [class.corosync] dscp = \"cs6\"";
        break;
      case Support::unknown:
        msg = fmt::format(
            "{}: with corosync 3.1.10 (Proxmox: 3.1.10-pve3) and knet 1.32 or "
            "later corosync sends {}; older ones keep knet's default {} (DSCP {})",
            support.why, effect, tos_effect(kKnetTos), knet_dscp);
        break;
    }
  }

  if (policy_dscp) {
    msg += fmt::format(
        "; lanewarden's policy ({}) marks Corosync {}: its egress program rewrites the DSCP on "
        "the lanes it runs on, so the wire carries {}{}",
        ctx.policy.file, dscp_name(*policy_dscp), dscp_name(*policy_dscp),
        socket_dscp && *socket_dscp != *policy_dscp
            ? fmt::format(", not corosync's {}", dscp_name(*socket_dscp))
            : "");
  }
  msg +=
      "; with lanewarden on the Corosync lanes its class priority, not the skb priority "
      "the TOS gives, keeps Corosync first in the node's queue";
  if (fix.empty())
    fix = policy_dscp ? "nothing on the node; have the switches trust the DSCP and queue it first "
                        "(docs/switch.md)"
                      : "run lanewarden on the Corosync lanes (its priority does not depend on "
                        "the TOS); have the switches trust the DSCP and queue it first";
  ctx.report("LW032", where, std::move(msg), std::move(fix), severity);
}

}  // namespace lw::check
