// SPDX-License-Identifier: GPL-2.0-only
// Slot plan on apply (datapath/slot_plan.h) through compile_policy: attached
// interfaces keep their slots, a newcomer avoids the slot of an interface the
// same apply detaches, a slot freed by an earlier apply is reused, and a full
// table falls back to the slot the apply frees.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "common/error.h"
#include "datapath/slot_plan.h"
#include "policy/parse.h"

namespace lw::datapath {
namespace {

// "ethN" has ifindex 100 + N; anything else does not exist.
std::optional<uint32_t> fake_ifindex(const std::string& name) {
  if (name.rfind("eth", 0) != 0) return std::nullopt;
  return 100 + static_cast<uint32_t>(std::stoul(name.substr(3)));
}

policy::Policy lanes_on(const std::vector<std::string>& ifaces) {
  std::string toml = "[networks]\ncorosync = [\"198.51.100.0/24\"]\n";
  for (const auto& i : ifaces)
    toml += "[[lane]]\ninterface = \"" + i + "\"\nclasses = [\"corosync\"]\n";
  return policy::parse_string(toml, "t.toml");
}

std::map<uint32_t, lw_link> attached(const std::map<std::string, uint32_t>& slot_by_name) {
  std::map<uint32_t, lw_link> links;
  for (const auto& [name, slot] : slot_by_name) {
    lw_link l{};
    l.slot = slot;
    links[*fake_ifindex(name)] = l;
  }
  return links;
}

// The slot of each interface as compile_policy assigns it with the plan.
std::map<std::string, uint16_t> slots_after(const std::vector<std::string>& ifaces,
                                            const std::map<uint32_t, lw_link>& links) {
  const auto p = lanes_on(ifaces);
  const auto c = compile_policy(p, fake_ifindex, plan_slots(p, links, fake_ifindex), 2);
  std::map<std::string, uint16_t> out;
  for (const auto& b : c.ifaces) out[b.name] = b.slot;
  return out;
}

TEST(SlotPlan, FirstApplyNumbersFromZero) {
  EXPECT_EQ(slots_after({"eth0", "eth1"}, {}),
            (std::map<std::string, uint16_t>{{"eth0", 0}, {"eth1", 1}}));
}

TEST(SlotPlan, AttachedInterfacesKeepTheirSlots) {
  EXPECT_EQ(slots_after({"eth1", "eth2"}, attached({{"eth1", 5}, {"eth2", 0}})),
            (std::map<std::string, uint16_t>{{"eth1", 5}, {"eth2", 0}}));
}

TEST(SlotPlan, ANewcomerDoesNotTakeTheSlotOfAnInterfaceLeavingInTheSameApply) {
  // eth0 leaves while eth1 arrives: eth0 still counts into slot 0 until the swap.
  EXPECT_EQ(slots_after({"eth1"}, attached({{"eth0", 0}})),
            (std::map<std::string, uint16_t>{{"eth1", 1}}));
}

TEST(SlotPlan, ASlotFreedByAnEarlierApplyIsReused) {
  EXPECT_EQ(slots_after({"eth1", "eth2"}, attached({{"eth1", 1}})),
            (std::map<std::string, uint16_t>{{"eth1", 1}, {"eth2", 0}}));
}

TEST(SlotPlan, AFullTableFallsBackToTheSlotTheApplyFrees) {
  std::map<std::string, uint32_t> all;
  std::vector<std::string> next;
  for (uint32_t i = 0; i < LW_MAX_IFACES; i++) all["eth" + std::to_string(i)] = i;
  for (uint32_t i = 1; i <= LW_MAX_IFACES; i++) next.push_back("eth" + std::to_string(i));
  const auto links = attached(all);
  const auto p = lanes_on(next);
  const std::string newcomer = "eth" + std::to_string(LW_MAX_IFACES);
  const std::string last_kept = "eth" + std::to_string(LW_MAX_IFACES - 1);
  EXPECT_FALSE(plan_slots(p, links, fake_ifindex).count(*fake_ifindex(newcomer)));
  const auto slots = slots_after(next, links);
  EXPECT_EQ(slots.at(newcomer), 0);  // eth0's, freed by this apply
  EXPECT_EQ(slots.at(last_kept), LW_MAX_IFACES - 1);
}

TEST(SlotPlan, UnknownInterfacesAreLeftToCompilePolicyToReport) {
  const auto p = lanes_on({"eth0", "bogus0"});
  const auto plan = plan_slots(p, {}, fake_ifindex);
  EXPECT_EQ(plan, (std::map<uint32_t, uint16_t>{{100, 0}}));
  EXPECT_THROW(compile_policy(p, fake_ifindex, plan, 1), UsageError);
}

}  // namespace
}  // namespace lw::datapath
