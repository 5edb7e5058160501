// SPDX-License-Identifier: GPL-2.0-only
// shaping/link_properties.h: MTU and speed through the kernel, in the
// caller's network namespace (CapsJumboE2E checks a veth in a namespace of
// its own, entered with --netns, at MTU 9000).
#include <gtest/gtest.h>

#include <fstream>

#include "shaping/link_properties.h"

namespace lw::shaping {
namespace {

TEST(LinkProperties, LoopbackMtuMatchesSysfsInTheRootNamespace) {
  std::ifstream f("/sys/class/net/lo/mtu");
  uint32_t sysfs = 0;
  ASSERT_TRUE(f >> sysfs);
  EXPECT_EQ(link_mtu("lo"), sysfs);
}

TEST(LinkProperties, LoopbackHasNoSpeed) {
  // lo has no link settings: unknown, which plan_shaping turns into its
  // "unknown line rate" default instead of a made-up speed.
  EXPECT_EQ(link_speed_mbit("lo"), std::nullopt);
}

TEST(LinkProperties, MissingOrInvalidNamesAreUnknown) {
  EXPECT_EQ(link_mtu("lwtnosuchif0"), std::nullopt);
  EXPECT_EQ(link_speed_mbit("lwtnosuchif0"), std::nullopt);
  EXPECT_EQ(link_mtu(""), std::nullopt);
  // IFNAMSIZ is 16 with the NUL: a 16-character name cannot exist.
  EXPECT_EQ(link_mtu(std::string(16, 'x')), std::nullopt);
}

}  // namespace
}  // namespace lw::shaping
