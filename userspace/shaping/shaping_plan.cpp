// SPDX-License-Identifier: GPL-2.0-only
#include "shaping/shaping_plan.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

namespace lw::shaping {
namespace {

bool shaped_cap(const policy::ClassPolicy& c) {
  return c.cap && c.cap_mode == policy::CapMode::shape;
}

// Classes a lane interface may carry (any of its lanes, VLANs included).
std::map<std::string, std::pair<uint8_t, bool>> interface_classes(const policy::Policy& p) {
  std::map<std::string, std::pair<uint8_t, bool>> out;  // classes, any lane shared
  for (const auto& lane : p.lanes) {
    auto& [classes, shared] = out[lane.interface];
    classes |= lane.classes;
    if (!lane.exclusive) shared = true;
  }
  return out;
}

std::optional<uint32_t> lane_gso_max_segs(const policy::Policy& p, const std::string& iface) {
  std::optional<uint32_t> segs;
  for (const auto& lane : p.lanes)
    if (lane.interface == iface && lane.gso_max_segs)
      segs = segs ? std::min(*segs, *lane.gso_max_segs) : *lane.gso_max_segs;
  return segs;
}

std::optional<uint64_t> lane_link_rate(const policy::Policy& p, const std::string& iface) {
  std::optional<uint64_t> rate;
  for (const auto& lane : p.lanes)
    if (lane.interface == iface && lane.link_rate)
      rate = rate ? std::min(*rate, lane.link_rate->bytes_per_sec) : lane.link_rate->bytes_per_sec;
  return rate;
}

}  // namespace

std::optional<uint64_t> nic_speed_from_sysfs(const std::string& interface) {
  std::ifstream f("/sys/class/net/" + interface + "/speed");
  long mbit = -1;
  if (!(f >> mbit) || mbit <= 0) return std::nullopt;  // veth and down links report -1
  return static_cast<uint64_t>(mbit) * 1'000'000 / 8;
}

std::optional<uint32_t> mtu_from_kernel(const std::string& interface) {
  ifreq ifr{};
  if (interface.empty() || interface.size() >= sizeof(ifr.ifr_name)) return std::nullopt;
  interface.copy(ifr.ifr_name, sizeof(ifr.ifr_name) - 1);
  int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return std::nullopt;
  const int rc = ::ioctl(fd, SIOCGIFMTU, &ifr);
  ::close(fd);
  if (rc != 0 || ifr.ifr_mtu <= 0) return std::nullopt;
  return static_cast<uint32_t>(ifr.ifr_mtu);
}

uint64_t frame_rate_for_payload(uint64_t payload_bytes_per_sec, uint32_t mtu) {
  // Below 576 (the IPv4 minimum every host must accept) the ratio would
  // explode; such an MTU on a shaped lane is a misconfiguration anyway.
  const uint64_t m = std::max<uint32_t>(mtu, 576);
  const uint64_t frame = m + kReferenceL2Overhead, payload = m - kReferenceL3L4Headers;
  // 128-bit intermediate: caps go up to 2^64 - 1 bytes/s.
  const unsigned __int128 scaled = static_cast<unsigned __int128>(payload_bytes_per_sec) * frame;
  const unsigned __int128 rate = (scaled + payload - 1) / payload;
  return rate > UINT64_MAX ? UINT64_MAX : static_cast<uint64_t>(rate);
}

uint32_t class_burst(const InterfacePlan& plan, uint64_t ceil) {
  constexpr uint64_t kGsoPacket = 64 * 1024;
  const uint64_t burst =
      plan.max_packet ? std::max(ceil / 1000, plan.max_packet) : std::max(ceil / 100, kGsoPacket);
  return static_cast<uint32_t>(std::min<uint64_t>(burst, UINT32_MAX));
}

ShapingPlan plan_shaping(const policy::Policy& p, SpeedLookup speed, MtuLookup mtu) {
  ShapingPlan plan;
  uint8_t capped = 0, high = 0, constrained = 0;
  for (int c = 0; c < LW_NR_CLASSES; c++) {
    if (shaped_cap(p.classes[c])) capped |= LW_CLASS_BIT(c);
    if (p.classes[c].priority == policy::Priority::high) high |= LW_CLASS_BIT(c);
  }
  for (const auto& lane : p.lanes) constrained |= lane.classes;

  for (const auto& [iface, info] : interface_classes(p)) {
    const auto [classes, shared] = info;
    // A capped class without lanes may show up anywhere: shape it everywhere.
    const uint8_t caps_here = capped & (classes | static_cast<uint8_t>(~constrained));
    const bool priority_here = shared && (high & classes);
    const auto explicit_rate = lane_link_rate(p, iface);
    if (!caps_here && !priority_here && !explicit_rate) continue;

    InterfacePlan ip;
    ip.interface = iface;
    if (mtu) ip.mtu = mtu(iface).value_or(kDefaultMtu);
    if (const auto segs = lane_gso_max_segs(p, iface))
      ip.max_packet = uint64_t{*segs} * (ip.mtu + kReferenceL2Overhead);
    if (explicit_rate)
      ip.link_rate = static_cast<uint64_t>(*explicit_rate * kLinkRateHeadroom);
    else
      ip.link_rate = speed ? speed(iface).value_or(kUnknownLinkRate) : kUnknownLinkRate;

    uint64_t reserved = 0;
    if (priority_here) {
      // Guaranteed a tenth of the line and first to borrow the rest: heartbeats
      // are tiny, so in practice they never wait behind bulk traffic.
      const uint64_t rate = ip.link_rate / 10;
      ip.classes.push_back({kPriorityMinor, rate, ip.link_rate, 0, "priority"});
      reserved += rate;
    }
    for (int c = 0; c < LW_NR_CLASSES; c++) {
      if (!(caps_here & LW_CLASS_BIT(c))) continue;
      const uint64_t cap =
          std::min(frame_rate_for_payload(p.classes[c].cap->bytes_per_sec, ip.mtu), ip.link_rate);
      ip.classes.push_back(
          {capped_minor(c), cap, cap, 1, std::string(policy::kClassNames[c]) + " cap"});
      reserved += cap / 10;  // a capped class rarely needs its full guarantee
    }
    const uint64_t rest = ip.link_rate > reserved ? ip.link_rate - reserved : ip.link_rate / 100;
    ip.classes.push_back(
        {kDefaultMinor, std::max<uint64_t>(rest, ip.link_rate / 100), ip.link_rate, 1, "default"});
    plan.interfaces.push_back(std::move(ip));
  }

  if (plan.interfaces.empty()) return plan;
  for (int c = 0; c < LW_NR_CLASSES; c++) {
    // A cap wins over priority: capped traffic must stay capped.
    if (capped & LW_CLASS_BIT(c))
      plan.skb_priority[c] = class_id(capped_minor(c));
    else if (high & LW_CLASS_BIT(c))
      plan.skb_priority[c] = class_id(kPriorityMinor);
  }
  return plan;
}

}  // namespace lw::shaping
