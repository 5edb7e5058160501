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

// A cap limits payload (what iperf3 and Proxmox's bwlimit measure), but HTB
// counts whole frames. The reference segment is a full-size IPv4/TCP segment
// with timestamps: frame = Ethernet 14 + MTU, payload = MTU - 20 - 32. So the
// HTB rate for a payload cap is cap x (MTU + 14) / (MTU - 52): x 1.0456 at
// MTU 1500, x 1.0074 at 9000. Smaller packets carry relatively more headers
// and get less payload through (see docs/caps.md for the error).
inline constexpr uint32_t kDefaultMtu = 1500;
inline constexpr uint32_t kReferenceL2Overhead = 14;        // Ethernet header, no VLAN tag
inline constexpr uint32_t kReferenceL3L4Headers = 20 + 32;  // IPv4 + TCP with timestamps
uint64_t frame_rate_for_payload(uint64_t payload_bytes_per_sec, uint32_t mtu);

struct HtbClass {
  uint32_t minor = 0;
  uint64_t rate = 0;   // bytes/s guaranteed
  uint64_t ceil = 0;   // bytes/s at most
  uint32_t prio = 1;   // HTB prio: lower is served first when borrowing
  std::string what;    // for logs and status: "corosync (priority)", "migration cap"
  uint32_t burst = 0;  // bytes; 0: class_burst() of the plan (read_htb() sets it)
};

struct InterfacePlan {
  std::string interface;
  uint64_t link_rate = 0;      // bytes/s of the root class
  uint32_t mtu = kDefaultMtu;  // the interface's MTU, for payload caps
  // Largest packet HTB sees when the lane limits GSO (gso_max_segs x frame);
  // 0: unlimited (64 KB GSO packets). See class_burst().
  uint64_t max_packet = 0;
  uint32_t root_burst = 0;  // bytes of the root class; 0: class_burst() (read_htb() sets it)
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

// Interface MTU as the kernel has it in the calling thread's network
// namespace (SIOCGIFMTU), if known. Not /sys/class/net: sysfs shows the
// namespace it was mounted in, not the one `--netns` entered.
using MtuLookup = std::optional<uint32_t> (*)(const std::string& interface);
std::optional<uint32_t> mtu_from_kernel(const std::string& interface);

// HTB burst (and cburst) of a class: how many bytes it may send back to back
// at line speed. Without a GSO limit it must hold a 64 KB GSO packet and
// 10 ms at the ceiling. A lane that limits GSO asks for low latency: the
// burst shrinks to 1 ms at the ceiling, but never below one packet, so a
// bulk class cannot push more than that ahead of Corosync into a queue
// further down the path (the switch, when link_rate is set).
uint32_t class_burst(const InterfacePlan& plan, uint64_t ceil);

// Throws UsageError (with the policy location) for a cap mode this kernel
// cannot serve, e.g. pace without the fq qdisc.
ShapingPlan plan_shaping(const policy::Policy& policy, SpeedLookup speed = nic_speed_from_sysfs,
                         MtuLookup mtu = mtu_from_kernel);

}  // namespace lw::shaping
