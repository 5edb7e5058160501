// SPDX-License-Identifier: GPL-2.0-only
// Which interfaces need an HTB qdisc and with which classes: Corosync (and
// any class with priority = "high") goes first on shared lanes, and classes
// with a `cap` in shape mode get a ceiling. Pure computation, no kernel.
//
// The egress program steers a packet into its HTB class by writing
// skb->priority = kHtbHandle:minor; HTB looks at skb->priority before any
// filter. clsact egress runs before the root qdisc, so the steering holds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lanewarden.h"
#include "policy/policy.h"

namespace lw::shaping {

inline constexpr uint32_t kHtbMajor = LW_TC_HANDLE;  // handle 1a4e: marks the qdisc as ours
inline constexpr uint32_t kRootMinor = 0x1;
inline constexpr uint32_t kPriorityMinor = 0x10;
inline constexpr uint32_t kDefaultMinor = 0xff;
inline constexpr uint32_t capped_minor(int cls) { return 0x20 + static_cast<uint32_t>(cls); }
inline constexpr uint32_t class_id(uint32_t minor) { return (kHtbMajor << 16) | minor; }

// Without a link_rate or a known NIC speed, shaping assumes this line rate:
// high enough never to limit a real NIC, so only caps and priority act.
inline constexpr uint64_t kUnknownLinkRate = 100'000'000'000ULL / 8;  // 100 Gbit/s in B/s
// With an explicit link_rate the total is shaped slightly below it, so the
// queue forms here, where Corosync can overtake it, and not in the switch.
inline constexpr double kLinkRateHeadroom = 0.95;

struct HtbClass {
  uint32_t minor = 0;
  uint64_t rate = 0;  // bytes/s guaranteed
  uint64_t ceil = 0;  // bytes/s at most
  uint32_t prio = 1;  // HTB prio: lower is served first when borrowing
  std::string what;   // for logs and status: "corosync (priority)", "migration cap"
};

struct InterfacePlan {
  std::string interface;
  uint64_t link_rate = 0;  // bytes/s of the root class
  std::vector<HtbClass> classes;
};

struct ShapingPlan {
  std::vector<InterfacePlan> interfaces;
  // skb->priority the egress program writes per class; 0 leaves it alone.
  uint32_t skb_priority[LW_NR_CLASSES] = {};
};

// NIC speed in bytes/s (from /sys/class/net/IF/speed), if known.
using SpeedLookup = std::optional<uint64_t> (*)(const std::string& interface);
std::optional<uint64_t> nic_speed_from_sysfs(const std::string& interface);

// Throws UsageError (with the policy location) for a cap mode this kernel
// cannot serve, e.g. pace without the fq qdisc.
ShapingPlan plan_shaping(const policy::Policy& policy, SpeedLookup speed = nic_speed_from_sysfs);

}  // namespace lw::shaping
