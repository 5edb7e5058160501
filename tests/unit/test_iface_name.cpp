// SPDX-License-Identifier: GPL-2.0-only
#include <gtest/gtest.h>

#include "common/iface_name.h"

namespace lw {
namespace {

// Loopback is ifindex 1 in every network namespace; no interface has index 0.
constexpr uint32_t kLoopback = 1, kNoSuchIndex = 0;

TEST(IfaceName, NamesAnInterfaceThatExists) {
  EXPECT_EQ(iface_name(kLoopback), "lo");
  EXPECT_EQ(iface_label(kLoopback), "lo");
}

TEST(IfaceName, FallsBackToTheIndex) {
  EXPECT_EQ(iface_name(kNoSuchIndex), std::nullopt);
  EXPECT_EQ(iface_label(kNoSuchIndex), "if0");
  EXPECT_EQ(iface_label(4000000000u), "if4000000000");
}

TEST(IfaceName, LabelsResolveAndFallBackAlike) {
  IfaceLabels labels;
  EXPECT_EQ(labels(kLoopback), "lo");
  EXPECT_EQ(labels(kLoopback), "lo");
  EXPECT_EQ(labels(kNoSuchIndex), "if0");
}

}  // namespace
}  // namespace lw
