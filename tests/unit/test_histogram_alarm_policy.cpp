// SPDX-License-Identifier: GPL-2.0-only
// Latency alarm thresholds travel in the compiled policy (lw_policy::
// latency_alarm_us) so that `watch` knows the thresholds in force.
#include <gtest/gtest.h>

#include "datapath/policy_compiler.h"
#include "policy/parse.h"

namespace lw {
namespace {

const char* kLane = R"(
[networks]
corosync = ["198.51.100.0/24"]
[[lane]]
interface = "eth1"
classes = ["corosync"]
)";

std::unique_ptr<lw_policy> compile(const std::string& extra) {
  auto p = policy::parse_string(std::string(kLane) + extra, "t.toml");
  auto c = datapath::compile_policy(
      p, [](const std::string&) -> std::optional<uint32_t> { return 7; }, {}, 1);
  return std::move(c.value);
}

TEST(LatencyAlarmPolicy, CorosyncDefaultsToFiveMillisecondsOthersToNone) {
  auto p = compile("");
  for (int c = 0; c < LW_NR_CLASSES; c++)
    EXPECT_EQ(p->latency_alarm_us[c], c == LW_CLASS_COROSYNC ? 5000u : 0u) << c;
}

TEST(LatencyAlarmPolicy, WrittenThresholdsWin) {
  auto p = compile(
      "[class.corosync]\nlatency_alarm = \"2ms\"\n"
      "[class.storage]\nlatency_alarm = \"500us\"\n"
      "[class.migration]\nlatency_alarm = \"1500ns\"\n");
  EXPECT_EQ(p->latency_alarm_us[LW_CLASS_COROSYNC], 2000u);
  EXPECT_EQ(p->latency_alarm_us[LW_CLASS_STORAGE], 500u);
  EXPECT_EQ(p->latency_alarm_us[LW_CLASS_MIGRATION], 2u);  // rounded up, never to "none"
  EXPECT_EQ(p->latency_alarm_us[LW_CLASS_MANAGEMENT], 0u);
}

}  // namespace
}  // namespace lw
