// SPDX-License-Identifier: GPL-2.0-only
// Lane rules (docs/architecture.md "Data path", lw_violation in lanewarden.h): which
// lane a packet travels on, whether its class may, and what the policy's
// action makes of a violation.
#include "reference/reference.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include "reference/classify.h"

namespace lw::reference {
namespace {

struct LaneView {
  bool governed = false;  // some lane names the interface: lanewarden is attached
  uint8_t allowed = 0;
  bool exclusive = false;
  bool no_fragments = false;
};

// The VLAN's own lane, else the interface-wide (untagged) lane. An interface
// with VLAN lanes only allows nothing on its other VLANs.
LaneView find_lane(const policy::Policy& p, std::string_view iface, uint16_t vlan) {
  LaneView view;
  const policy::Lane* wide = nullptr;
  const policy::Lane* own = nullptr;
  for (const auto& lane : p.lanes) {
    if (lane.interface != iface) continue;
    view.governed = true;
    if (!lane.vlan)
      wide = &lane;
    else if (vlan && *lane.vlan == vlan)
      own = &lane;
  }
  if (const policy::Lane* l = own ? own : wide) {
    view.allowed = l->classes;
    view.exclusive = l->exclusive;
    view.no_fragments = l->no_fragments;
  }
  return view;
}

bool constrained(const policy::Policy& p, uint8_t cls) {
  for (const auto& lane : p.lanes)
    if (lane.classes & LW_CLASS_BIT(cls)) return true;
  return false;
}

// ICMP "fragmentation needed" / ICMPv6 "packet too big" (RFC 792, RFC 4443).
bool mtu_signal(const Frame& f) {
  if (!f.transport_read) return false;
  if (f.family == AF_INET && f.l4 == IPPROTO_ICMP) return f.icmp_type == 3 && f.icmp_code == 4;
  if (f.family == AF_INET6 && f.l4 == IPPROTO_ICMPV6) return f.icmp_type == 2;
  return false;
}

uint8_t violation_of(const Frame& f, uint8_t cls, const policy::Policy& p, const LaneView& lane,
                     int dir) {
  // infra keeps the node reachable: never a violation of any lane.
  if (cls != LW_CLASS_INFRA && !(lane.allowed & LW_CLASS_BIT(cls))) {
    if (lane.exclusive) return LW_VIOL_INTRUDER;
    if (constrained(p, cls)) return LW_VIOL_WRONG_LANE;
  }
  if (cls != LW_CLASS_INFRA && f.fragment != Fragment::none && lane.no_fragments)
    return LW_VIOL_FRAGMENT;
  if (dir == LW_DIR_INGRESS && mtu_signal(f)) return LW_VIOL_MTU;
  return LW_VIOL_NONE;
}

}  // namespace

Decision judge(const Frame& f, uint8_t cls, const policy::Policy& p, std::string_view iface,
               int dir) {
  Decision d{cls, f.reason, LW_VERDICT_PASS, LW_VIOL_NONE};
  const LaneView lane = find_lane(p, iface, f.vlan);
  if (!lane.governed) return d;  // no lane names it: lanewarden is not attached there
  d.violation = violation_of(f, cls, p, lane, dir);
  if (d.violation == LW_VIOL_NONE) return d;
  // An MTU signal is news for the admin, never a reason to drop.
  const bool drop = d.violation != LW_VIOL_MTU && p.action_for(cls) == policy::Mode::enforce;
  d.verdict = drop ? LW_VERDICT_DROP : LW_VERDICT_AUDIT;
  return d;
}

Decision decide(std::span<const uint8_t> frame, uint16_t offloaded_vlan,
                const policy::Policy& policy, std::string_view iface, int dir) {
  const Frame f = parse_frame(frame, offloaded_vlan);
  return judge(f, classify(f, policy), policy, iface, dir);
}

}  // namespace lw::reference
