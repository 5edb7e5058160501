// SPDX-License-Identifier: GPL-2.0-only
// Turns a validated policy into the struct lw_policy the BPF programs read:
// sorted, padded tables for the branch-free searches of classify.bpf.h.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lanewarden.h"
#include "policy/policy.h"

namespace lw::datapath {

struct IfaceBinding {
  std::string name;
  uint32_t ifindex = 0;
  uint16_t slot = 0;
};

struct CompiledPolicy {
  std::unique_ptr<lw_policy> value;
  std::vector<IfaceBinding> ifaces;  // sorted by ifindex
};

// Interface name -> ifindex on this node (std::nullopt: no such interface).
using IfindexResolver = std::function<std::optional<uint32_t>(const std::string&)>;

// Precedence when a packet matches several classes (e.g. TCP 22 on the
// migration network is migration, not management; OSD ports on the cluster
// network are ceph_cluster even where the public network overlaps).
inline constexpr int kClassPrecedence[] = {LW_CLASS_COROSYNC,     LW_CLASS_MIGRATION,
                                           LW_CLASS_CEPH_CLUSTER, LW_CLASS_CEPH_PUBLIC,
                                           LW_CLASS_STORAGE,      LW_CLASS_MANAGEMENT};

// Corosync's latency alarm when the policy sets none: Proxmox's current
// "under 5 ms" (older docs and "Proxmox Cluster Network Design" say 2 ms; a
// policy may write either).
inline constexpr uint64_t kCorosyncDefaultAlarmNs = 5'000'000;

// The alarm of a class in force: the policy's latency_alarm, else the
// default above for Corosync; 0 means none.
inline uint64_t latency_alarm_ns(const policy::Policy& policy, int cls) {
  return policy.classes[cls].latency_alarm_ns.value_or(
      cls == LW_CLASS_COROSYNC ? kCorosyncDefaultAlarmNs : 0);
}

// `slots` keeps the counter slot of interfaces that stay attached; new ones
// get the lowest free slot. Throws UsageError naming the lane's file:line for
// an interface that does not exist or tables that do not fit.
CompiledPolicy compile_policy(const policy::Policy& policy, const IfindexResolver& resolve,
                              const std::map<uint32_t, uint16_t>& slots, uint64_t generation);

}  // namespace lw::datapath
