// SPDX-License-Identifier: GPL-2.0-only
// `status` output for the per-lane GSO limit: the limit in force and the
// interface's own value lanewarden recorded, in text and JSON, and nothing
// for interfaces whose limit it leaves alone.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "telemetry/status_render.h"

namespace lw::telemetry {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

datapath::IfaceStatus iface(const std::string& name, uint32_t ifindex, uint16_t slot) {
  datapath::IfaceStatus i;
  i.name = name;
  i.ifindex = ifindex;
  i.slot = slot;
  i.lane_allowed = LW_CLASS_BIT(LW_CLASS_COROSYNC);
  i.lane_flags = LW_LANE_PRESENT;
  return i;
}

datapath::Status sample() {
  datapath::Status s;
  s.generation = 3;
  auto limited = iface("eno1", 2, 0);
  limited.gso_max_segs = 8;
  limited.gso_max_segs_own = 1000;
  auto plain = iface("eno2", 3, 1);
  // A limit the policy dropped but that could not be put back yet.
  auto pending = iface("eno3", 4, 2);
  pending.gso_max_segs_own = 65535;
  s.ifaces = {limited, plain, pending};
  return s;
}

std::map<std::string, nlohmann::json> json_ifaces(const datapath::Status& s) {
  std::ostringstream out;
  render_status_json(out, s, "/sys/fs/bpf/lwt");
  std::map<std::string, nlohmann::json> by_name;
  std::istringstream in(out.str());
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line);
    if (j.at("type") == "iface") by_name[j.at("iface")] = j;
  }
  return by_name;
}

TEST(StatusRender, JsonCarriesTheGsoLimitAndTheOwnValue) {
  auto j = json_ifaces(sample());
  ASSERT_EQ(j.size(), 3u);
  EXPECT_EQ(j["eno1"].at("gso_max_segs"), 8);
  EXPECT_EQ(j["eno1"].at("gso_max_segs_own"), 1000);
  EXPECT_EQ(j["eno1"].at("slot"), 0);
  EXPECT_TRUE(j["eno2"].at("gso_max_segs").is_null());
  EXPECT_TRUE(j["eno2"].at("gso_max_segs_own").is_null());
  EXPECT_EQ(j["eno2"].at("slot"), 1);
  EXPECT_TRUE(j["eno3"].at("gso_max_segs").is_null());
  EXPECT_EQ(j["eno3"].at("gso_max_segs_own"), 65535);
}

TEST(StatusRender, TextNamesTheLimitOnlyWhereLanewardenSetsOne) {
  std::ostringstream out;
  render_status_text(out, sample(), "/sys/fs/bpf/lwt");
  const std::string text = out.str();
  EXPECT_THAT(text, HasSubstr("eno1 (ifindex 2): corosync; mode audit; hook clsact\n"
                              "    gso_max_segs 8 (own value 1000 comes back on detach)\n"));
  EXPECT_THAT(text, HasSubstr("eno2 (ifindex 3): corosync; mode audit; hook clsact\n"
                              "    (no packets yet)\n"));
  EXPECT_THAT(text, HasSubstr("eno3 (ifindex 4): corosync; mode audit; hook clsact\n"
                              "    gso_max_segs: no limit in the policy, own value 65535 not "
                              "restored yet\n"));
  auto alone = sample();
  alone.ifaces.resize(2);
  alone.ifaces[0].gso_max_segs_own.reset();
  std::ostringstream out2;
  render_status_text(out2, alone, "/sys/fs/bpf/lwt");
  EXPECT_THAT(out2.str(), HasSubstr("    gso_max_segs 8 (own value not recorded)\n"));
  EXPECT_THAT(out2.str(), Not(HasSubstr("65535")));
}

TEST(StatusRender, NamesTheHookOfEachInterfaceAndWhatTheBuildOffers) {
  auto s = sample();
  s.ifaces[0].link_flags = LW_LINK_TCX;
  s.ifaces[1].link_flags = LW_LINK_CREATED_CLSACT | LW_LINK_INGRESS | LW_LINK_EGRESS;
  s.hook_support = "clsact only: built against libbpf 1.1 (tcx needs libbpf >= 1.3)";
  auto j = json_ifaces(s);
  EXPECT_EQ(j["eno1"].at("hook"), "tcx");
  EXPECT_EQ(j["eno2"].at("hook"), "clsact");
  std::ostringstream out;
  render_status_text(out, s, "/sys/fs/bpf/lwt");
  EXPECT_THAT(out.str(), HasSubstr("eno1 (ifindex 2): corosync; mode audit; hook tcx\n"));
  EXPECT_THAT(out.str(), HasSubstr("  tc hooks: clsact only: built against libbpf 1.1"));
  std::ostringstream js;
  render_status_json(js, s, "/sys/fs/bpf/lwt");
  const auto policy = nlohmann::json::parse(js.str().substr(0, js.str().find('\n')));
  EXPECT_EQ(policy.at("hook_support"), s.hook_support);
}

}  // namespace
}  // namespace lw::telemetry
