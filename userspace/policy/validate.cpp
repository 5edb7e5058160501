// SPDX-License-Identifier: GPL-2.0-only
// Whole-policy checks: network overlaps, duplicate lanes, lanes naming a
// class that can never be recognised, and the datapath's table limits.
#include "policy/validate.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "policy/gso_advice.h"
#include "policy/parse.h"

namespace lw::policy::detail {
namespace {

std::string lane_name(const Lane& lane) {
  return lane.vlan ? fmt::format("'{}' vlan {}", lane.interface, *lane.vlan)
                   : fmt::format("'{}' (untagged)", lane.interface);
}

bool is_ceph_pair(int a, int b) {
  return (a == LW_CLASS_CEPH_PUBLIC && b == LW_CLASS_CEPH_CLUSTER) ||
         (a == LW_CLASS_CEPH_CLUSTER && b == LW_CLASS_CEPH_PUBLIC);
}

void check_network_limits(const ParseRecord& record) {
  int v4 = 0, v6 = 0;
  for (const auto& n : record.networks) {
    int& count = n.cidr.addr.family == AF_INET ? v4 : v6;
    if (++count > kMaxNetworksPerFamily) {
      throw PolicyError(n.where, fmt::format("too many {} networks: the datapath's address table "
                                             "holds at most {} per family",
                                             n.cidr.addr.family == AF_INET ? "IPv4" : "IPv6",
                                             kMaxNetworksPerFamily));
    }
  }
}

void check_network_overlaps(const ParseRecord& record) {
  const auto& nets = record.networks;
  for (size_t j = 0; j < nets.size(); ++j) {
    for (size_t i = 0; i < j; ++i) {
      const auto& a = nets[i];
      const auto& b = nets[j];
      if (!a.cidr.overlaps(b.cidr)) continue;
      const char* a_name = kClassNames[a.class_id];
      const char* b_name = kClassNames[b.class_id];
      if (a.class_id == b.class_id) {
        throw PolicyError(b.where,
                          fmt::format("{} network {} overlaps {} already listed for {} at "
                                      "{}: list each network once",
                                      b_name, b.cidr.str(), a.cidr.str(), a_name, a.where.str()));
      }
      if (a.class_id == LW_CLASS_COROSYNC || b.class_id == LW_CLASS_COROSYNC) {
        // Corosync must never compete with other traffic on its network, and
        // the datapath could not tell the classes apart by subnet either.
        throw PolicyError(b.where,
                          fmt::format("{} network {} overlaps {} network {} (at {}): "
                                      "Corosync needs networks of its own",
                                      b_name, b.cidr.str(), a_name, a.cidr.str(), a.where.str()));
      }
      if (is_ceph_pair(a.class_id, b.class_id)) {
        // Legal (Ceph without a separate cluster network), but the cluster
        // class can then never be told apart: check reports it as a finding.
        spdlog::warn(
            "{}: {} network {} overlaps {} network {}: OSD traffic on it cannot be told "
            "apart",
            b.where.str(), b_name, b.cidr.str(), a_name, a.cidr.str());
      }
      // Other overlaps are normal: without a dedicated migration network,
      // migration runs on the management network and ports tell them apart.
    }
  }
}

void check_lanes(const Policy& policy, const ParseRecord& record) {
  std::map<std::pair<std::string, int>, size_t> seen;  // (interface, vlan or -1) -> lane index
  std::set<std::string> interfaces;
  int vlan_lanes = 0;
  for (size_t i = 0; i < policy.lanes.size(); ++i) {
    const Lane& lane = policy.lanes[i];
    const LaneEntry& entry = record.lanes[i];
    auto [it, fresh] = seen.emplace(std::pair{lane.interface, lane.vlan ? *lane.vlan : -1}, i);
    if (!fresh) {
      throw PolicyError(
          entry.interface_where,
          fmt::format("duplicate lane {}: already defined at {}; merge the classes "
                      "into one lane",
                      lane_name(lane), record.lanes[it->second].interface_where.str()));
    }
    interfaces.insert(lane.interface);
    if (interfaces.size() > static_cast<size_t>(kMaxLaneInterfaces)) {
      throw PolicyError(entry.interface_where,
                        fmt::format("too many interfaces: lanes name more than {}, the most the "
                                    "datapath can attach to",
                                    kMaxLaneInterfaces));
    }
    if (lane.vlan && ++vlan_lanes > kMaxVlanLanes) {
      throw PolicyError(entry.interface_where,
                        fmt::format("too many VLAN lanes: the datapath's VLAN lane table holds at "
                                    "most {}",
                                    kMaxVlanLanes));
    }
    for (const auto& [c, where] : entry.class_refs) {
      if (c == LW_CLASS_OTHER || c == LW_CLASS_INFRA) continue;  // not recognised by network
      if (policy.networks[c].empty()) {
        throw PolicyError(where, fmt::format("lane {} allows class '{}' but [networks] has no {} "
                                             "entry: the class could never be recognised",
                                             lane_name(lane), kClassNames[c], kClassNames[c]));
      }
    }
  }
}

// A probe peer is another node's Corosync link address: it must sit in one
// of the Corosync networks, which is also what decides the link (and lane) it
// is probed through, and what makes the datapath count its echoes as Corosync.
void check_probe_peers(const Policy& policy) {
  const auto& coro = policy.networks[LW_CLASS_COROSYNC];
  for (size_t i = 0; i < policy.probe.peers.size(); ++i) {
    const Address& peer = policy.probe.peers[i];
    bool in_link =
        std::any_of(coro.begin(), coro.end(), [&](const Cidr& net) { return net.contains(peer); });
    if (!in_link) {
      throw PolicyError(policy.probe.peer_where[i],
                        fmt::format("probe peer {} is in no corosync network of [networks]: "
                                    "peers are other nodes' Corosync link addresses",
                                    peer.str()));
    }
  }
}

// services[] and sctp_ports[] of struct lw_policy are short lists the
// datapath scans: a policy that does not fit is refused where it overflows.
void check_scanned_tables(const Policy& policy) {
  int services = 0, sctp = 0;
  for (const auto& cls : policy.classes) {
    for (const auto& s : cls.services)
      if (++services > kMaxServices)
        throw PolicyError(s.where, fmt::format("too many qnetd entries: the datapath's service "
                                               "table holds at most {}",
                                               kMaxServices));
    sctp += static_cast<int>(cls.sctp_ports.size());
    if (sctp > kMaxSctpPortRanges)
      throw PolicyError(cls.sctp_ports_where,
                        fmt::format("too many SCTP port ranges: the datapath holds at most {} "
                                    "over all classes (write \"5405-5412\" rather than each port)",
                                    kMaxSctpPortRanges));
  }
}

// Not an error: the policy works, but priority cannot overtake a GSO packet
// already on a slow line, so Corosync still waits milliseconds behind bulk.
void warn_gso_on_slow_shared_lanes(const Policy& policy) {
  for (const Lane& lane : policy.lanes) {
    const bool shared = (lane.classes & LW_CLASS_BIT(LW_CLASS_COROSYNC)) &&
                        (lane.classes & ~LW_CLASS_BIT(LW_CLASS_COROSYNC));
    if (!shared || !lane.link_rate || lane.gso_max_segs) continue;
    auto segs = advised_gso_max_segs(lane.link_rate->bytes_per_sec);
    if (!segs) continue;
    spdlog::warn(
        "{}: lane {} shares Corosync at link_rate {}: one 64 KB GSO packet holds that line for "
        "{:.1f} ms, ahead of Corosync whatever its priority; gso_max_segs = {} keeps it under "
        "0.5 ms (docs/caps.md)",
        lane.where.str(), lane_name(lane), lane.link_rate->text,
        65536.0 * 1000 / static_cast<double>(lane.link_rate->bytes_per_sec), *segs);
  }
}

}  // namespace

void validate(const Policy& policy, const ParseRecord& record) {
  check_network_limits(record);
  check_network_overlaps(record);
  check_lanes(policy, record);
  check_probe_peers(policy);
  check_scanned_tables(policy);
  warn_gso_on_slow_shared_lanes(policy);
}

}  // namespace lw::policy::detail
