// SPDX-License-Identifier: GPL-2.0-only
// Pinned-state versions and names: what a build does with the pins it finds
// (datapath/pin_version.h), and one list of pin names that matches the BPF
// object this build embeds.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>

#include "datapath/hist_maps.h"
#include "datapath/pin_names.h"
#include "datapath/pin_version.h"
#include "lanewarden.h"
#include "lanewarden.skel.h"

namespace lw::datapath {
namespace {

TEST(PinVersion, DecidesFromTheVersionAndTheProgramsPinned) {
  constexpr uint64_t kOurs = 0x1234;
  EXPECT_EQ(compare_pins({}, 1, kOurs), PinsAre::absent);
  EXPECT_EQ(compare_pins({true, 1, kOurs}, 1, kOurs), PinsAre::current);
  // Same layouts, programs of another build: replaced (a datapath fix).
  EXPECT_EQ(compare_pins({true, 1, 0x9999}, 1, kOurs), PinsAre::other_programs);
  // No lw_meta: pinned before versioning.
  EXPECT_EQ(compare_pins({true, 0, 0}, 1, kOurs), PinsAre::older);
  EXPECT_EQ(compare_pins({true, 1, kOurs}, 2, kOurs), PinsAre::older);
  EXPECT_EQ(compare_pins({true, 3, 0x1}, 2, kOurs), PinsAre::newer);
}

TEST(PinVersion, TheProgramHashIdentifiesTheEmbeddedObject) {
  EXPECT_NE(this_program_hash(), 0u);
  EXPECT_EQ(this_program_hash(), this_program_hash());
}

TEST(PinVersion, MetaKeepsItsVersionAtOffsetZero) {
  static_assert(offsetof(lw_pin_meta, abi_version) == 0);
  static_assert(offsetof(lw_pin_meta, program_hash) == 8);
  EXPECT_GE(LW_PIN_ABI_VERSION, 1);
}

// Every map the pin list names exists in the embedded object, no name is
// spelled twice, and the telemetry's own constants agree with the list.
TEST(PinNames, MatchTheEmbeddedObject) {
  lanewarden* skel = lanewarden__open();
  ASSERT_NE(skel, nullptr);
  std::set<std::string_view> seen;
  for (const auto& m : pins::kObjectMaps) {
    EXPECT_NE(bpf_object__find_map_by_name(skel->obj, m.name), nullptr) << m.name;
    EXPECT_TRUE(seen.insert(m.name).second) << m.name;
    EXPECT_LE(m.layout_since, static_cast<uint32_t>(LW_PIN_ABI_VERSION)) << m.name;
  }
  for (const char* n : {pins::kIngress, pins::kEgress, pins::kMeta, pins::kState, pins::kStatePrev,
                        pins::kConfirm, pins::kGsoSaved, pins::kStaging})
    EXPECT_TRUE(seen.insert(n).second) << n;
  for (std::string_view n : seen) EXPECT_EQ(n.find('.'), std::string_view::npos) << n;  // bpffs
  EXPECT_EQ(std::string_view(kHistPin), pins::kHist);
  EXPECT_EQ(std::string_view(kRttStatsPin), pins::kRttStats);
  lanewarden__destroy(skel);
}

}  // namespace
}  // namespace lw::datapath
