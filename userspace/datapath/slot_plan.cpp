// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/slot_plan.h"

#include <set>

namespace lw::datapath {

std::map<uint32_t, uint16_t> plan_slots(const policy::Policy& policy,
                                        const std::map<uint32_t, lw_link>& links,
                                        const IfindexResolver& resolve) {
  std::map<uint32_t, uint16_t> slots;
  std::set<uint16_t> taken;
  for (const auto& [ifindex, link] : links) {
    slots[ifindex] = static_cast<uint16_t>(link.slot);
    taken.insert(static_cast<uint16_t>(link.slot));
  }
  uint16_t next = 0;
  for (const auto& lane : policy.lanes) {
    auto ifindex = resolve(lane.interface);
    if (!ifindex || slots.count(*ifindex)) continue;  // compile_policy reports unknown names
    while (next < LW_MAX_IFACES && taken.count(next)) next++;
    if (next == LW_MAX_IFACES) break;
    slots[*ifindex] = next;
    taken.insert(next);
  }
  return slots;
}

}  // namespace lw::datapath
