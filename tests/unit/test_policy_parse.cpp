// SPDX-License-Identifier: GPL-2.0-only
// Valid policies: what the parser builds, the defaults it fills in, and the
// action each class ends up with.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <cstdio>

#include "policy/defaults.h"
#include "policy/parse.h"
#include "test_policy_util.h"

namespace lw::policy {
namespace {

using ::testing::ElementsAre;
using testing::kMinimal;

constexpr std::string_view kFull = R"(mode = "enforce"
[networks]
corosync = ["10.10.10.0/24", "2001:db8:10::/64"]
migration = ["10.10.30.0/24"]
ceph_public = ["10.10.40.0/24"]
ceph_cluster = ["10.10.50.0/24"]
management = ["10.10.1.0/24"]
storage = ["10.10.60.0/24"]

[[lane]]
interface = "eno1"
vlan = 12
classes = ["corosync"]
exclusive = true
link_rate = "1gbit"

[[lane]]
interface = "bond0"
classes = ["ceph_public", "ceph_cluster", "migration", "other", "infra"]

[class.migration]
action = "audit"
cap = "5gbit"
cap_mode = "police"
burst = "4MiB"
priority = "high"
dscp = "af41"
tcp_ports = ["60000-60050", 22]
udp_ports = []
latency_alarm = "5ms"
)";

TEST(PolicyParse, FullPolicy) {
  Policy p = parse_string(kFull, "full.toml");
  EXPECT_EQ(p.source, "full.toml");
  EXPECT_EQ(p.mode, Mode::enforce);

  ASSERT_EQ(p.networks[LW_CLASS_COROSYNC].size(), 2u);
  EXPECT_EQ(p.networks[LW_CLASS_COROSYNC][0].str(), "10.10.10.0/24");
  EXPECT_EQ(p.networks[LW_CLASS_COROSYNC][1].addr.family, AF_INET6);
  EXPECT_EQ(p.networks[LW_CLASS_COROSYNC][1].str(), "2001:db8:10::/64");
  EXPECT_EQ(p.networks[LW_CLASS_STORAGE][0].str(), "10.10.60.0/24");
  EXPECT_TRUE(p.networks[LW_CLASS_OTHER].empty());

  ASSERT_EQ(p.lanes.size(), 2u);
  const Lane& l0 = p.lanes[0];
  EXPECT_EQ(l0.interface, "eno1");
  EXPECT_EQ(l0.vlan, 12);
  EXPECT_EQ(l0.classes, LW_CLASS_BIT(LW_CLASS_COROSYNC));
  EXPECT_TRUE(l0.exclusive);
  ASSERT_TRUE(l0.link_rate);
  EXPECT_EQ(l0.link_rate->bytes_per_sec, 125'000'000u);
  EXPECT_EQ(l0.link_rate->text, "1gbit");
  EXPECT_EQ(l0.where.str(), "full.toml:10:1");
  const Lane& l1 = p.lanes[1];
  EXPECT_FALSE(l1.vlan);
  EXPECT_FALSE(l1.exclusive);
  EXPECT_FALSE(l1.link_rate);
  EXPECT_EQ(l1.classes, LW_CLASS_BIT(LW_CLASS_CEPH_PUBLIC) | LW_CLASS_BIT(LW_CLASS_CEPH_CLUSTER) |
                            LW_CLASS_BIT(LW_CLASS_MIGRATION) | LW_CLASS_BIT(LW_CLASS_OTHER) |
                            LW_CLASS_BIT(LW_CLASS_INFRA));

  const ClassPolicy& m = p.classes[LW_CLASS_MIGRATION];
  EXPECT_EQ(m.action, Mode::audit);
  ASSERT_TRUE(m.cap);
  EXPECT_EQ(m.cap->bytes_per_sec, 625'000'000u);
  EXPECT_EQ(m.cap->text, "5gbit");
  EXPECT_EQ(m.cap_mode, CapMode::police);
  ASSERT_TRUE(m.cap_burst);
  EXPECT_EQ(m.cap_burst->bytes_per_sec, 4u << 20);
  EXPECT_EQ(m.priority, Priority::high);
  EXPECT_EQ(m.dscp, 34);  // AF41 = 8*4 + 2*1
  EXPECT_THAT(m.tcp_ports, ElementsAre(PortRange{60000, 60050}, PortRange{22, 22}));
  EXPECT_TRUE(m.udp_ports.empty());
  EXPECT_EQ(m.latency_alarm_ns, 5'000'000u);
  EXPECT_EQ(m.where.str(), "full.toml:21:8");
}

TEST(PolicyParse, DefaultPortsFromDesign) {
  Policy p = parse_string(kMinimal, "m.toml");
  auto& c = p.classes;
  EXPECT_THAT(c[LW_CLASS_COROSYNC].udp_ports, ElementsAre(PortRange{5405, 5412}));
  EXPECT_TRUE(c[LW_CLASS_COROSYNC].tcp_ports.empty());
  EXPECT_THAT(c[LW_CLASS_MIGRATION].tcp_ports,
              ElementsAre(PortRange{60000, 60050}, PortRange{22, 22}));
  EXPECT_TRUE(c[LW_CLASS_MIGRATION].udp_ports.empty());
  EXPECT_THAT(c[LW_CLASS_CEPH_PUBLIC].tcp_ports,
              ElementsAre(PortRange{3300, 3300}, PortRange{6789, 6789}, PortRange{6800, 7300}));
  EXPECT_THAT(c[LW_CLASS_CEPH_CLUSTER].tcp_ports, ElementsAre(PortRange{6800, 7300}));
  EXPECT_THAT(c[LW_CLASS_MANAGEMENT].tcp_ports,
              ElementsAre(PortRange{8006, 8006}, PortRange{22, 22}, PortRange{3128, 3128},
                          PortRange{5900, 5999}, PortRange{111, 111}));
  EXPECT_THAT(c[LW_CLASS_MANAGEMENT].udp_ports, ElementsAre(PortRange{111, 111}));
  EXPECT_THAT(c[LW_CLASS_STORAGE].tcp_ports,
              ElementsAre(PortRange{3260, 3260}, PortRange{2049, 2049}));
  EXPECT_THAT(c[LW_CLASS_STORAGE].udp_ports, ElementsAre(PortRange{2049, 2049}));
  for (int id : {LW_CLASS_OTHER, LW_CLASS_INFRA}) {
    EXPECT_TRUE(c[id].tcp_ports.empty()) << id;
    EXPECT_TRUE(c[id].udp_ports.empty()) << id;
  }
}

TEST(PolicyParse, DefaultSettings) {
  Policy p = parse_string(kMinimal, "m.toml");
  EXPECT_EQ(p.mode, Mode::audit);
  for (int id = 0; id < LW_NR_CLASSES; ++id) {
    const ClassPolicy& c = p.classes[id];
    EXPECT_EQ(c.priority, id == LW_CLASS_COROSYNC ? Priority::high : Priority::normal) << id;
    EXPECT_FALSE(c.action) << id;
    EXPECT_FALSE(c.cap) << id;
    EXPECT_EQ(c.cap_mode, CapMode::shape) << id;
    EXPECT_FALSE(c.cap_burst) << id;
    EXPECT_FALSE(c.dscp) << id;
    EXPECT_FALSE(c.latency_alarm_ns) << id;
    EXPECT_EQ(c.where.line, 0) << id;  // not written
  }
  EXPECT_EQ(p.lanes[0].where.str(), "m.toml:3:1");
}

TEST(PolicyParse, WrittenPortsReplaceDefaults) {
  Policy p = parse_string(std::string(kMinimal) +
                              "[class.corosync]\nudp_ports = [5405]\n"
                              "tcp_ports = [\"7000-7001\"]\n",
                          "m.toml");
  EXPECT_THAT(p.classes[LW_CLASS_COROSYNC].udp_ports, ElementsAre(PortRange{5405, 5405}));
  EXPECT_THAT(p.classes[LW_CLASS_COROSYNC].tcp_ports, ElementsAre(PortRange{7000, 7001}));
  // A written class keeps the defaults it does not override.
  EXPECT_EQ(p.classes[LW_CLASS_COROSYNC].priority, Priority::high);
}

TEST(PolicyParse, CorosyncPriorityCanBeLowered) {
  Policy p = parse_string(std::string(kMinimal) + "[class.corosync]\npriority = \"normal\"\n", "m");
  EXPECT_EQ(p.classes[LW_CLASS_COROSYNC].priority, Priority::normal);
}

TEST(PolicyParse, ActionForInAuditMode) {
  Policy p = parse_string(kMinimal, "m.toml");
  for (int id = 0; id < LW_NR_CLASSES; ++id) EXPECT_EQ(p.action_for(id), Mode::audit) << id;
}

TEST(PolicyParse, ActionForInEnforceMode) {
  Policy p = parse_string("mode = \"enforce\"\n" + std::string(kMinimal), "m.toml");
  EXPECT_EQ(p.action_for(LW_CLASS_OTHER), Mode::enforce);
  EXPECT_EQ(p.action_for(LW_CLASS_MIGRATION), Mode::enforce);
  EXPECT_EQ(p.action_for(LW_CLASS_STORAGE), Mode::enforce);
  // Corosync is never dropped because of the policy-wide mode...
  EXPECT_EQ(p.action_for(LW_CLASS_COROSYNC), Mode::audit);
  // ...and infra never at all.
  EXPECT_EQ(p.action_for(LW_CLASS_INFRA), Mode::audit);
  // Out-of-range ids are treated like infra: never a reason to drop.
  EXPECT_EQ(p.action_for(-1), Mode::audit);
  EXPECT_EQ(p.action_for(LW_NR_CLASSES), Mode::audit);
}

TEST(PolicyParse, ClassActionOverridesMode) {
  Policy p = parse_string("mode = \"enforce\"\n" + std::string(kMinimal) +
                              "[class.migration]\naction = \"audit\"\n"
                              "[class.corosync]\naction = \"enforce\"\n"
                              "[class.infra]\naction = \"audit\"\n",
                          "m.toml");
  EXPECT_EQ(p.action_for(LW_CLASS_MIGRATION), Mode::audit);
  EXPECT_EQ(p.action_for(LW_CLASS_COROSYNC), Mode::enforce);  // said explicitly
  EXPECT_EQ(p.action_for(LW_CLASS_CEPH_PUBLIC), Mode::enforce);
  EXPECT_EQ(p.action_for(LW_CLASS_INFRA), Mode::audit);

  Policy q = parse_string(std::string(kMinimal) + "[class.storage]\naction = \"enforce\"\n", "q");
  EXPECT_EQ(q.action_for(LW_CLASS_STORAGE), Mode::enforce);
  EXPECT_EQ(q.action_for(LW_CLASS_MIGRATION), Mode::audit);
}

TEST(PolicyParse, DscpValuesAndNames) {
  auto dscp = [](std::string_view value) {
    Policy p = parse_string(
        std::string(kMinimal) + "[class.corosync]\ndscp = " + std::string(value) + "\n", "d");
    return p.classes[LW_CLASS_COROSYNC].dscp.value_or(255);
  };
  EXPECT_EQ(dscp("0"), 0);
  EXPECT_EQ(dscp("63"), 63);
  EXPECT_EQ(dscp("\"cs0\""), 0);
  EXPECT_EQ(dscp("\"cs6\""), 48);
  EXPECT_EQ(dscp("\"CS7\""), 56);
  EXPECT_EQ(dscp("\"af11\""), 10);
  EXPECT_EQ(dscp("\"af23\""), 22);
  EXPECT_EQ(dscp("\"af43\""), 38);
  EXPECT_EQ(dscp("\"ef\""), 46);
}

TEST(PolicyParse, CapModesAndPaceAccepted) {
  for (auto [text, mode] :
       {std::pair{"shape", CapMode::shape}, {"police", CapMode::police}, {"pace", CapMode::pace}}) {
    Policy p = parse_string(
        std::string(kMinimal) + "[class.other]\ncap = \"1gbit\"\ncap_mode = \"" + text + "\"\n",
        "c");
    EXPECT_EQ(p.classes[LW_CLASS_OTHER].cap_mode, mode) << text;
  }
}

TEST(PolicyParse, AcceptsWhatTheFormatAllows) {
  // Ceph public == cluster is legal (Ceph without a cluster network).
  EXPECT_NO_THROW(parse_string(R"([networks]
ceph_public = ["10.10.40.0/24"]
ceph_cluster = ["10.10.40.0/24"]
[[lane]]
interface = "eth0"
classes = ["ceph_public", "ceph_cluster"]
)",
                               "c"));
  // Migration on the management network (no dedicated migration network).
  EXPECT_NO_THROW(parse_string(R"([networks]
management = ["10.10.1.0/24"]
migration = ["10.10.1.0/24"]
[[lane]]
interface = "vmbr0"
classes = ["management", "migration"]
exclusive = true
)",
                               "m"));
  // Lanes of "other"/"infra" need no network; a 15-character name fits IFNAMSIZ.
  EXPECT_NO_THROW(
      parse_string("[[lane]]\ninterface = \"abcdefghijklmno\"\nclasses = [\"other\", "
                   "\"infra\"]\n",
                   "o"));
  // Inline tables are tables too.
  EXPECT_NO_THROW(parse_string("lane = [{interface = \"eth0\", classes = [\"other\"]}]\n", "i"));
  // The same interface with several VLANs and untagged.
  EXPECT_NO_THROW(
      parse_string("[[lane]]\ninterface = \"eth0\"\nclasses = [\"other\"]\n"
                   "[[lane]]\ninterface = \"eth0\"\nvlan = 1\nclasses = [\"other\"]\n"
                   "[[lane]]\ninterface = \"eth0\"\nvlan = 4094\nclasses = [\"other\"]\n",
                   "v"));
}

TEST(PolicyParse, ExactlyAtTheDatapathLimits) {
  std::string text = "[networks]\ncorosync = [";
  for (int i = 0; i < kMaxNetworksPerFamily; ++i) text += fmt::format("\"10.0.{}.0/24\",", i);
  text += "]\nstorage = [";
  for (int i = 0; i < kMaxNetworksPerFamily; ++i) text += fmt::format("\"2001:db8:{:x}::/48\",", i);
  text += "]\n";
  for (int i = 0; i < kMaxLaneInterfaces; ++i) {
    text += fmt::format("[[lane]]\ninterface = \"eth{}\"\nclasses = [\"corosync\"]\n", i);
  }
  for (int i = 1; i <= kMaxVlanLanes; ++i) {
    text += fmt::format("[[lane]]\ninterface = \"eth0\"\nvlan = {}\nclasses = [\"storage\"]\n", i);
  }
  Policy p = parse_string(text, "big");
  EXPECT_EQ(p.lanes.size(), static_cast<size_t>(kMaxLaneInterfaces + kMaxVlanLanes));
  EXPECT_EQ(p.networks[LW_CLASS_COROSYNC].size(), static_cast<size_t>(kMaxNetworksPerFamily));
}

TEST(PolicyParse, ParseFileReadsFromDisk) {
  std::string path = ::testing::TempDir() + "lw_policy_parse_file.toml";
  {
    FILE* f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs(std::string(kMinimal).c_str(), f);
    std::fclose(f);
  }
  Policy p = parse_file(path);
  EXPECT_EQ(p.source, path);
  EXPECT_EQ(p.lanes[0].where.str(), path + ":3:1");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace lw::policy
