// SPDX-License-Identifier: GPL-2.0-only
// Unprivileged pieces of lane enforcement and violation streaming: event
// rendering and the no_fragments lane option.
#include <gtest/gtest.h>
#include <netinet/in.h>

#include "datapath/policy_compiler.h"
#include "policy/parse.h"
#include "telemetry/event_format.h"

namespace lw {
namespace {

lw_event sample_v4() {
  lw_event ev{};
  ev.ts_ns = 5'000'000'123;
  ev.suppressed = 7;
  ev.src_lo = 0xCB007181;  // 203.0.113.129
  ev.dst_lo = 0xCB007182;
  ev.ifindex = 3;
  ev.len = 74;
  ev.sport = 41000;
  ev.dport = 6800;
  ev.kind = LW_VIOL_INTRUDER;
  ev.cls = LW_CLASS_CEPH_PUBLIC;
  ev.dir = LW_DIR_EGRESS;
  ev.verdict = LW_VERDICT_DROP;
  ev.family = 4;
  ev.l4 = IPPROTO_TCP;
  return ev;
}

std::string namer(uint32_t i) { return i == 3 ? "ens18f1" : "if" + std::to_string(i); }

TEST(EventFormat, Rfc3339WithNanoseconds) {
  EXPECT_EQ(telemetry::rfc3339_ns(0), "1970-01-01T00:00:00.000000000Z");
  EXPECT_EQ(telemetry::rfc3339_ns(1'700'000'000'000'000'042), "2023-11-14T22:13:20.000000042Z");
}

TEST(EventFormat, JsonCarriesEveryDesignField) {
  auto j = telemetry::event_json(sample_v4(), namer, 1'700'000'000'000'000'000);
  EXPECT_EQ(j.at("ts"), "2023-11-14T22:13:25.000000123Z");
  EXPECT_EQ(j.at("kind"), "intruder");
  EXPECT_EQ(j.at("class"), "ceph_public");
  EXPECT_EQ(j.at("iface"), "ens18f1");
  EXPECT_EQ(j.at("dir"), "egress");
  EXPECT_EQ(j.at("action"), "drop");
  EXPECT_EQ(j.at("proto"), "tcp");
  EXPECT_EQ(j.at("src"), "203.0.113.129");
  EXPECT_EQ(j.at("dst"), "203.0.113.130");
  EXPECT_EQ(j.at("sport"), 41000);
  EXPECT_EQ(j.at("dport"), 6800);
  EXPECT_EQ(j.at("vlan"), 0);
  EXPECT_EQ(j.at("len"), 74);
  EXPECT_EQ(j.at("suppressed"), 7);
}

TEST(EventFormat, Ipv6AndMtuEvents) {
  lw_event ev{};
  ev.family = 6;
  ev.l4 = IPPROTO_ICMPV6;
  ev.src_hi = 0x20010db800600000;
  ev.src_lo = 0xff;
  ev.dst_hi = 0x20010db800600000;
  ev.dst_lo = 1;
  ev.kind = LW_VIOL_MTU;
  ev.cls = LW_CLASS_INFRA;
  ev.verdict = LW_VERDICT_AUDIT;
  ev.vlan = 30;
  auto j = telemetry::event_json(ev, namer, 0);
  EXPECT_EQ(j.at("src"), "2001:db8:60::ff");
  EXPECT_EQ(j.at("dst"), "2001:db8:60::1");
  EXPECT_EQ(j.at("proto"), "icmpv6");
  EXPECT_EQ(j.at("kind"), "mtu");
  EXPECT_EQ(j.at("action"), "pass");
  EXPECT_EQ(j.at("vlan"), 30);
}

TEST(EventFormat, TextLineReadsLikeALog) {
  auto line = telemetry::event_text(sample_v4(), namer, 0);
  EXPECT_NE(line.find("] [error] intruder class=ceph_public iface=ens18f1 dir=egress action=drop "
                      "tcp 203.0.113.129:41000 -> 203.0.113.130:6800 len=74 (+7 suppressed)"),
            std::string::npos)
      << line;
}

TEST(LaneOptions, NoFragmentsParsesValidatesAndCompilesToALaneFlag) {
  const std::string base = R"(
[networks]
storage = ["203.0.113.0/25"]
[[lane]]
interface = "lo"
vlan = 20
classes = ["storage"]
)";
  auto p = policy::parse_string(base + "no_fragments = true\n", "t.toml");
  ASSERT_EQ(p.lanes.size(), 1u);
  EXPECT_TRUE(p.lanes[0].no_fragments);
  EXPECT_FALSE(policy::parse_string(base, "t.toml").lanes[0].no_fragments);
  try {
    policy::parse_string(base + "no_fragments = \"yes\"\n", "t.toml");
    FAIL() << "a string was accepted";
  } catch (const policy::PolicyError& e) {
    EXPECT_EQ(e.where().line, 8);
    EXPECT_NE(std::string(e.what()).find("no_fragments"), std::string::npos) << e.what();
  }
  auto c = datapath::compile_policy(
      p, [](const std::string&) -> std::optional<uint32_t> { return 1; }, {}, 1);
  ASSERT_EQ(c.value->n_vlan_lanes, 1u);
  EXPECT_EQ(c.value->vlan_lanes[0].flags, LW_LANE_PRESENT | LW_LANE_NO_FRAGMENTS);
}

}  // namespace
}  // namespace lw
