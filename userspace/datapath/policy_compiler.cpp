// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/policy_compiler.h"

#include <netinet/in.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "common/error.h"
#include "datapath/address_ranges.h"

namespace lw::datapath {
namespace {

u128 address_value(const lw::Address& a) {
  u128 v = 0;
  const int n = a.family == AF_INET ? 4 : 16;
  for (int i = 0; i < n; i++) v = (v << 8) | a.bytes[i];
  return v;
}

TaggedNetwork tag(const lw::Cidr& c, int cls) {
  const int bits = c.addr.family == AF_INET ? 32 : 128;
  const u128 first = address_value(c.addr);
  const int host_bits = bits - c.prefix;
  const u128 span = host_bits >= 128 ? ~u128{0} : ((u128{1} << host_bits) - 1);
  return {first, first + span, LW_CLASS_BIT(cls)};
}

void fill_v4(lw_policy& p, const std::vector<Range>& ranges) {
  for (size_t i = 0; i < LW_MAX_RANGES; i++) {
    const Range& r = i < ranges.size() ? ranges[i] : ranges.back();
    // Padding repeats the last range from the top address down, so the search
    // can run its fixed number of steps over the whole table.
    p.v4[i].start = i < ranges.size() ? static_cast<uint32_t>(r.start) : UINT32_MAX;
    p.v4[i].classes = r.classes;
  }
}

void fill_v6(lw_policy& p, const std::vector<Range>& ranges) {
  for (size_t i = 0; i < LW_MAX_RANGES; i++) {
    const Range& r = i < ranges.size() ? ranges[i] : ranges.back();
    const u128 start = i < ranges.size() ? r.start : ~u128{0};
    p.v6[i].start_hi = static_cast<uint64_t>(start >> 64);
    p.v6[i].start_lo = static_cast<uint64_t>(start);
    p.v6[i].classes = r.classes;
  }
}

// First step of the datapath's binary search over `n` used entries: half the
// next power of two, so that the steps together reach index n - 1.
uint8_t first_step(size_t n) {
  size_t pow2 = 1;
  while (pow2 < n) pow2 <<= 1;
  return static_cast<uint8_t>(pow2 / 2);
}

// Whether every IPv6 range starts on a /64 boundary: the datapath then
// compares only the high 64 bits (lw_v6_hi_classes). Padding starts at
// all-ones but repeats the last range, so only the used ranges matter.
bool v6_starts_on_64(const std::vector<Range>& ranges) {
  return std::all_of(ranges.begin(), ranges.end(),
                     [](const Range& r) { return static_cast<uint64_t>(r.start) == 0; });
}

void fill_networks(lw_policy& p, const policy::Policy& policy) {
  std::vector<TaggedNetwork> v4, v6;
  for (int cls = 0; cls < LW_NR_CLASSES; cls++)
    for (const auto& net : policy.networks[cls])
      (net.addr.family == AF_INET ? v4 : v6).push_back(tag(net, cls));
  auto r4 = flatten_ranges(v4, u128{UINT32_MAX});
  auto r6 = flatten_ranges(v6, ~u128{0});
  if (r4.size() > LW_MAX_RANGES || r6.size() > LW_MAX_RANGES)
    throw UsageError(policy.source + ": too many distinct networks for the datapath table (" +
                     std::to_string(LW_MAX_RANGES) + " address ranges per family)");
  fill_v4(p, r4);
  fill_v6(p, r6);
  p.v4_step = first_step(r4.size());
  p.v6_step = first_step(r6.size());
  p.v6_hi_only = v6_starts_on_64(r6) ? 1 : 0;
}

void fill_ports(lw_policy& p, const policy::Policy& policy) {
  for (int cls = 0; cls < LW_NR_CLASSES; cls++) {
    const uint8_t bit = LW_CLASS_BIT(cls);
    for (const auto& r : policy.classes[cls].tcp_ports) {
      for (uint32_t port = r.first; port <= r.last; port++) p.tcp_ports[port] |= bit;
      p.tcp_classes |= bit;
    }
    for (const auto& r : policy.classes[cls].udp_ports) {
      for (uint32_t port = r.first; port <= r.last; port++) p.udp_ports[port] |= bit;
      p.udp_classes |= bit;
    }
  }
}

void fill_sctp_ports(lw_policy& p, const policy::Policy& policy) {
  size_t n = 0;
  for (int cls = 0; cls < LW_NR_CLASSES; cls++) {
    for (const auto& r : policy.classes[cls].sctp_ports) {
      if (n == LW_MAX_SCTP_PORT_RANGES)
        throw UsageError(policy.source + ": more than " + std::to_string(LW_MAX_SCTP_PORT_RANGES) +
                         " SCTP port ranges");
      p.sctp_ports[n++] = {r.first, r.last, static_cast<uint8_t>(LW_CLASS_BIT(cls)), {}};
      p.sctp_classes |= LW_CLASS_BIT(cls);
    }
  }
  p.n_sctp_port_ranges = static_cast<uint8_t>(n);
}

// The prefix of `net` as a mask over the address's bits, in the layout of
// struct lw_service (IPv4 in the low 32 bits of the low half).
void fill_service(lw_service& s, const policy::Service& svc, int cls) {
  const bool v4 = svc.net.addr.family == AF_INET;
  const int bits = v4 ? 32 : 128;
  const u128 addr = address_value(svc.net.addr);
  const u128 mask = svc.net.prefix == 0 ? 0 : ~u128{0} << (bits - svc.net.prefix);
  const u128 used = v4 ? u128{UINT32_MAX} : ~u128{0};
  s.addr_hi = static_cast<uint64_t>(addr >> 64);
  s.addr_lo = static_cast<uint64_t>(addr);
  s.mask_hi = static_cast<uint64_t>((mask & used) >> 64);
  s.mask_lo = static_cast<uint64_t>(mask & used);
  s.port = svc.port;
  s.l4 = IPPROTO_TCP;
  s.family = v4 ? 4 : 6;
  s.cls = static_cast<uint8_t>(cls);
}

void fill_services(lw_policy& p, const policy::Policy& policy) {
  size_t n = 0;
  for (int cls = 0; cls < LW_NR_CLASSES; cls++) {
    for (const auto& svc : policy.classes[cls].services) {
      if (n == LW_MAX_SERVICES)
        throw UsageError(svc.where.str() + ": more than " + std::to_string(LW_MAX_SERVICES) +
                         " one-ended services");
      fill_service(p.services[n++], svc, cls);
    }
  }
  p.n_services = static_cast<uint8_t>(n);
}

void fill_precedence(lw_policy& p) {
  for (int mask = 0; mask < 256; mask++) {
    p.pick[mask] = LW_CLASS_OTHER;
    for (int cls : kClassPrecedence) {
      if (mask & LW_CLASS_BIT(cls)) {
        p.pick[mask] = static_cast<uint8_t>(cls);
        break;
      }
    }
  }
}

// Default police bucket: a quarter of a second at the rate, and never less than
// 4 MiB. TCP over a policer needs a bucket that holds many 64 KB GSO packets and
// grows with the rate. Measured with iperf3 over veth, 20 s, BBR and cubic:
//   50 Mbit/s:  64 KB -> 0.08 of the cap, 4 MiB -> 1.02-1.03
//   200 Mbit/s: 4 MiB -> 0.81-0.82, 6 MiB -> 1.00, 8 MiB -> 1.01
//   1 Gbit/s:   4 MiB -> 0.18-0.22, 12.5 MB (the old rate/10) -> 0.51-0.53, 32 MiB -> 1.01
constexpr uint64_t kMinPoliceBurst = 4ull << 20;
constexpr uint64_t kPoliceBurstDivisor = 4;  // bytes per second / 4 = 250 ms

void fill_rates(lw_policy& p, const policy::Policy& policy) {
  for (int cls = 0; cls < LW_NR_CLASSES; cls++) {
    const auto& c = policy.classes[cls];
    lw_class_cfg& cfg = p.cls[cls];
    if (c.dscp) {
      cfg.dscp = *c.dscp;
      cfg.flags |= LW_CLASS_F_DSCP;
    }
    if (!c.cap || c.cap_mode == policy::CapMode::shape) continue;
    cfg.flags |= c.cap_mode == policy::CapMode::police ? LW_CLASS_F_POLICE : LW_CLASS_F_PACE;
    cfg.rate = c.cap->bytes_per_sec;
    const uint64_t burst =
        c.cap_burst ? c.cap_burst->bytes_per_sec
                    : std::max<uint64_t>(kMinPoliceBurst, cfg.rate / kPoliceBurstDivisor);
    cfg.burst_ns =
        static_cast<uint64_t>(static_cast<unsigned __int128>(burst) * 1'000'000'000 / cfg.rate);
  }
}

// `watch` reads the thresholds from the policy in force, not from the file.
void fill_latency_alarms(lw_policy& p, const policy::Policy& policy) {
  for (int cls = 0; cls < LW_NR_CLASSES; cls++) {
    uint64_t ns = latency_alarm_ns(policy, cls);
    // Microseconds in 32 bits: up to 71 minutes; a sub-microsecond alarm rounds up.
    uint64_t us = (ns + 999) / 1000;
    p.latency_alarm_us[cls] = static_cast<uint32_t>(std::min<uint64_t>(us, UINT32_MAX));
  }
}

void fill_actions(lw_policy& p, const policy::Policy& policy) {
  for (int cls = 0; cls < LW_NR_CLASSES; cls++)
    if (cls != LW_CLASS_INFRA && policy.action_for(cls) == policy::Mode::enforce)
      p.enforce |= LW_CLASS_BIT(cls);
}

uint16_t pick_slot(uint32_t ifindex, const std::map<uint32_t, uint16_t>& kept,
                   std::set<uint16_t>& used) {
  if (auto it = kept.find(ifindex); it != kept.end()) return it->second;
  for (uint16_t s = 0; s < LW_MAX_IFACES; s++)
    if (!used.count(s)) return s;
  throw UsageError("more than " + std::to_string(LW_MAX_IFACES) + " interfaces");
}

}  // namespace

CompiledPolicy compile_policy(const policy::Policy& policy, const IfindexResolver& resolve,
                              const std::map<uint32_t, uint16_t>& slots, uint64_t generation) {
  CompiledPolicy out;
  out.value = std::make_unique<lw_policy>();
  lw_policy& p = *out.value;
  std::memset(&p, 0, sizeof(p));
  p.generation = generation;

  // Interfaces: resolve every lane's interface before anything else fails late.
  std::map<uint32_t, std::string> names;
  std::vector<uint32_t> lane_ifindex;  // by lane, resolved once
  for (const auto& lane : policy.lanes) {
    auto ifindex = resolve(lane.interface);
    if (!ifindex)
      throw UsageError(lane.where.str() + ": interface '" + lane.interface +
                       "' does not exist on this node");
    names.emplace(*ifindex, lane.interface);
    lane_ifindex.push_back(*ifindex);
    for (int cls = 0; cls < LW_NR_CLASSES; cls++)
      if (lane.classes & LW_CLASS_BIT(cls)) p.constrained |= LW_CLASS_BIT(cls);
  }
  if (names.size() > LW_MAX_IFACES)
    throw UsageError(policy.source + ": more than " + std::to_string(LW_MAX_IFACES) +
                     " interfaces");

  std::set<uint16_t> used;
  for (const auto& [ifindex, name] : names)
    if (auto it = slots.find(ifindex); it != slots.end()) used.insert(it->second);
  for (const auto& [ifindex, name] : names) {
    uint16_t slot = pick_slot(ifindex, slots, used);
    used.insert(slot);
    out.ifaces.push_back({name, ifindex, slot});
  }

  // Interface table, sorted by ifindex (std::map order), padded for the search.
  std::vector<lw_vlan_lane> vlan_lanes;
  for (size_t i = 0; i < LW_MAX_IFACES; i++) {
    lw_iface& e = p.ifaces[i];
    if (i >= out.ifaces.size()) {
      e.ifindex = UINT32_MAX;
      e.slot = LW_IFACE_SLOT_UNKNOWN;
      continue;
    }
    e.ifindex = out.ifaces[i].ifindex;
    e.slot = out.ifaces[i].slot;
    for (size_t l = 0; l < policy.lanes.size(); l++) {
      const auto& lane = policy.lanes[l];
      if (lane_ifindex[l] != e.ifindex) continue;
      uint8_t flags = LW_LANE_PRESENT | (lane.exclusive ? LW_LANE_EXCLUSIVE : 0) |
                      (lane.no_fragments ? LW_LANE_NO_FRAGMENTS : 0);
      if (lane.vlan) {
        lw_vlan_lane vl{};
        vl.key = (uint64_t{e.ifindex} << 16) | *lane.vlan;
        vl.allowed = lane.classes;
        vl.flags = flags;
        vlan_lanes.push_back(vl);
      } else {
        e.lane_allowed = lane.classes;
        e.lane_flags = flags;
      }
    }
  }
  p.n_ifaces = static_cast<uint32_t>(out.ifaces.size());
  p.iface_step = first_step(out.ifaces.size());

  if (vlan_lanes.size() > LW_MAX_VLAN_LANES)
    throw UsageError(policy.source + ": more than " + std::to_string(LW_MAX_VLAN_LANES) +
                     " VLAN lanes");
  std::sort(vlan_lanes.begin(), vlan_lanes.end(),
            [](const lw_vlan_lane& a, const lw_vlan_lane& b) { return a.key < b.key; });
  for (size_t i = 0; i < LW_MAX_VLAN_LANES; i++) {
    if (i < vlan_lanes.size()) {
      p.vlan_lanes[i] = vlan_lanes[i];
    } else {
      p.vlan_lanes[i] = {};
      p.vlan_lanes[i].key = UINT64_MAX;
    }
  }
  p.n_vlan_lanes = static_cast<uint32_t>(vlan_lanes.size());
  p.vlan_step = first_step(vlan_lanes.size());

  fill_networks(p, policy);
  fill_ports(p, policy);
  fill_sctp_ports(p, policy);
  fill_services(p, policy);
  fill_precedence(p);
  fill_actions(p, policy);
  fill_rates(p, policy);
  fill_latency_alarms(p, policy);
  return out;
}

}  // namespace lw::datapath
