// SPDX-License-Identifier: GPL-2.0-only
#include "reference/classify.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>

namespace lw::reference {
namespace {

bool in_ports(const std::vector<lw::PortRange>& ranges, uint16_t port) {
  return std::any_of(ranges.begin(), ranges.end(),
                     [port](const auto& r) { return r.first <= port && port <= r.last; });
}

bool in_networks(const std::vector<lw::Cidr>& nets, const lw::Address& a) {
  return std::any_of(nets.begin(), nets.end(), [&a](const auto& n) { return n.contains(a); });
}

// RFC 1122 3.2.2 error messages: unreachable, source quench, redirect, time
// exceeded, parameter problem.
bool icmp4_infra(uint8_t type) {
  return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

// RFC 4443: types below 128 are errors. RFC 4861 neighbour discovery is
// 133-137; MLD (130-132, v2 report 143) is what lets ND's multicast through
// snooping switches, so it keeps the network working too.
bool icmp6_infra(uint8_t type) { return type < 128 || (type >= 130 && type <= 137) || type == 143; }

bool is_echo(const Frame& f) {
  return f.family == AF_INET ? (f.icmp_type == 8 || f.icmp_type == 0)
                             : (f.icmp_type == 128 || f.icmp_type == 129);
}

// Classes the transport alone allows, before the addresses decide.
uint32_t candidates(const Frame& f, const policy::Policy& p, bool* infra) {
  const bool icmp = (f.family == AF_INET && f.l4 == IPPROTO_ICMP) ||
                    (f.family == AF_INET6 && f.l4 == IPPROTO_ICMPV6);
  uint32_t cand = 0;
  if (f.l4 == IPPROTO_TCP || f.l4 == IPPROTO_UDP || f.l4 == IPPROTO_SCTP) {
    for (int c = 0; c < LW_NR_CLASSES; ++c) {
      const auto& ports = f.l4 == IPPROTO_TCP   ? p.classes[c].tcp_ports
                          : f.l4 == IPPROTO_UDP ? p.classes[c].udp_ports
                                                : p.classes[c].sctp_ports;
      // No ports to read (non-first fragment, truncated header): attribute
      // by addresses, so every class of this transport is in.
      bool match =
          f.transport_read ? in_ports(ports, f.sport) || in_ports(ports, f.dport) : !ports.empty();
      if (match) cand |= LW_CLASS_BIT(c);
    }
  } else if (icmp) {
    if (f.transport_read) {
      if (f.family == AF_INET ? icmp4_infra(f.icmp_type) : icmp6_infra(f.icmp_type)) {
        *infra = true;
        return 0;
      }
      if (is_echo(f)) cand = LW_CLASS_BIT(LW_CLASS_COROSYNC);
    } else {
      // No type to read: by addresses, like TCP/UDP without ports. Echo
      // between link addresses is the only ICMP a class claims (Corosync).
      cand = LW_CLASS_BIT(LW_CLASS_COROSYNC);
    }
  }
  return cand;
}

// A qnetd entry is TCP to its port on its address: the end that has the
// port has the address, the other end may be anywhere.
uint32_t one_ended(const Frame& f, const policy::Policy& p) {
  if (f.l4 != IPPROTO_TCP || !f.transport_read) return 0;
  uint32_t out = 0;
  for (int c = 0; c < LW_NR_CLASSES; ++c)
    for (const auto& s : p.classes[c].services)
      if ((f.sport == s.port && s.net.contains(f.src)) ||
          (f.dport == s.port && s.net.contains(f.dst)))
        out |= LW_CLASS_BIT(c);
  return out;
}

}  // namespace

uint8_t classify(const Frame& f, const policy::Policy& p) {
  if (f.link_control) return LW_CLASS_INFRA;
  if (!f.family) return LW_CLASS_OTHER;
  bool infra = false;
  const uint32_t cand = candidates(f, p, &infra);
  if (infra) return LW_CLASS_INFRA;
  const uint32_t services = one_ended(f, p);
  for (int c : kPrecedence) {
    if (services & LW_CLASS_BIT(c)) return static_cast<uint8_t>(c);
    if (!(cand & LW_CLASS_BIT(c))) continue;
    const bool src = in_networks(p.networks[c], f.src), dst = in_networks(p.networks[c], f.dst);
    // Corosync runs between addresses of link networks; the others need one
    // end in their network (the peer may be a client anywhere).
    if (c == LW_CLASS_COROSYNC ? (src && dst) : (src || dst)) return static_cast<uint8_t>(c);
  }
  return LW_CLASS_OTHER;
}

}  // namespace lw::reference
