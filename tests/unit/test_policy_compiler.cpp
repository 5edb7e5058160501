// SPDX-License-Identifier: GPL-2.0-only
// The policy compiler: the tables it builds are what the BPF searches rely
// on (sorted, padded, first-step sized), so they are checked here without
// loading anything into the kernel.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include "common/error.h"
#include "datapath/address_ranges.h"
#include "datapath/policy_compiler.h"
#include "policy/parse.h"

namespace lw::datapath {
namespace {

policy::Policy parse(const std::string& toml) { return policy::parse_string(toml, "t.toml"); }

std::optional<uint32_t> fake_ifindex(const std::string& name) {
  if (name == "eno1") return 2;
  if (name == "eno2") return 3;
  if (name == "bond0") return 7;
  return std::nullopt;
}

uint32_t v4(const char* s) {
  in_addr a{};
  inet_pton(AF_INET, s, &a);
  return ntohl(a.s_addr);
}

// The same search the datapath runs (classify.bpf.h), over the compiled table.
uint32_t v4_classes(const lw_policy& p, uint32_t addr) {
  uint32_t idx = 0;
  for (uint32_t step = p.v4_step; step; step >>= 1)
    if (p.v4[(idx + step) & (LW_MAX_RANGES - 1)].start <= addr)
      idx = (idx + step) & (LW_MAX_RANGES - 1);
  return p.v4[idx].classes;
}

const char* kBase = R"(
[networks]
corosync = ["198.51.100.0/26", "198.51.100.64/26"]
migration = ["198.51.100.128/27"]
ceph_public = ["203.0.113.0/24"]
ceph_cluster = ["203.0.113.128/25"]
management = ["198.51.100.128/25"]
[[lane]]
interface = "eno1"
classes = ["corosync"]
exclusive = true
[[lane]]
interface = "bond0"
vlan = 20
classes = ["ceph_public", "ceph_cluster"]
[[lane]]
interface = "bond0"
classes = ["management", "migration"]
)";

TEST(AddressRanges, OverlapsSplitIntoDisjointRanges) {
  std::vector<TaggedNetwork> nets = {{10, 19, 0x1}, {15, 29, 0x2}};
  auto r = flatten_ranges(nets, 100);
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].start, 0u);
  EXPECT_EQ(r[0].classes, 0u);
  EXPECT_EQ(r[1].start, 10u);
  EXPECT_EQ(r[1].classes, 0x1u);
  EXPECT_EQ(r[2].start, 15u);
  EXPECT_EQ(r[2].classes, 0x3u);
  EXPECT_EQ(r[3].start, 20u);
  EXPECT_EQ(r[3].classes, 0x2u);
  EXPECT_EQ(r[4].start, 30u);
  EXPECT_EQ(r[4].classes, 0u);
}

TEST(AddressRanges, AdjacentEqualRangesMergeAndTopEndsCleanly) {
  std::vector<TaggedNetwork> nets = {{0, 9, 0x4}, {10, 100, 0x4}};
  auto r = flatten_ranges(nets, 100);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].classes, 0x4u);
}

TEST(PolicyCompiler, EveryAddressFindsTheClassesOfItsNetworks) {
  auto c = compile_policy(parse(kBase), fake_ifindex, {}, 1);
  const lw_policy& p = *c.value;
  const uint32_t coro = LW_CLASS_BIT(LW_CLASS_COROSYNC), mgmt = LW_CLASS_BIT(LW_CLASS_MANAGEMENT);
  EXPECT_EQ(v4_classes(p, v4("198.51.100.1")), coro);
  EXPECT_EQ(v4_classes(p, v4("198.51.100.127")), coro);
  EXPECT_EQ(v4_classes(p, v4("198.51.100.128")), mgmt | LW_CLASS_BIT(LW_CLASS_MIGRATION));
  EXPECT_EQ(v4_classes(p, v4("198.51.100.130")), mgmt | LW_CLASS_BIT(LW_CLASS_MIGRATION));
  EXPECT_EQ(v4_classes(p, v4("198.51.100.200")), mgmt);
  EXPECT_EQ(v4_classes(p, v4("203.0.113.1")), LW_CLASS_BIT(LW_CLASS_CEPH_PUBLIC));
  EXPECT_EQ(v4_classes(p, v4("203.0.113.200")),
            LW_CLASS_BIT(LW_CLASS_CEPH_PUBLIC) | LW_CLASS_BIT(LW_CLASS_CEPH_CLUSTER));
  EXPECT_EQ(v4_classes(p, v4("0.0.0.0")), 0u);
  EXPECT_EQ(v4_classes(p, v4("255.255.255.255")), 0u);
  EXPECT_EQ(v4_classes(p, v4("198.51.99.255")), 0u);
  // The search starts at half the next power of two of the used ranges.
  EXPECT_GT(p.v4_step, 0);
  EXPECT_LT(p.v4_step, 16);
}

TEST(PolicyCompiler, PortTablesMarkCandidateClasses) {
  auto c = compile_policy(parse(kBase), fake_ifindex, {}, 1);
  const lw_policy& p = *c.value;
  EXPECT_EQ(p.udp_ports[5405], LW_CLASS_BIT(LW_CLASS_COROSYNC));
  EXPECT_EQ(p.udp_ports[5412], LW_CLASS_BIT(LW_CLASS_COROSYNC));
  EXPECT_EQ(p.udp_ports[5413], 0);
  EXPECT_EQ(p.tcp_ports[22], LW_CLASS_BIT(LW_CLASS_MIGRATION) | LW_CLASS_BIT(LW_CLASS_MANAGEMENT));
  EXPECT_EQ(p.tcp_ports[6800],
            LW_CLASS_BIT(LW_CLASS_CEPH_PUBLIC) | LW_CLASS_BIT(LW_CLASS_CEPH_CLUSTER));
  EXPECT_EQ(p.tcp_ports[443], 0);
  EXPECT_TRUE(p.udp_classes & LW_CLASS_BIT(LW_CLASS_COROSYNC));
  EXPECT_FALSE(p.tcp_classes & LW_CLASS_BIT(LW_CLASS_COROSYNC));
}

TEST(PolicyCompiler, PrecedencePicksTheMoreSpecificClass) {
  auto c = compile_policy(parse(kBase), fake_ifindex, {}, 1);
  const lw_policy& p = *c.value;
  auto bits = [](std::initializer_list<int> cls) {
    int m = 0;
    for (int x : cls) m |= LW_CLASS_BIT(x);
    return m;
  };
  EXPECT_EQ(p.pick[0], LW_CLASS_OTHER);
  EXPECT_EQ(p.pick[bits({LW_CLASS_MIGRATION, LW_CLASS_MANAGEMENT})], LW_CLASS_MIGRATION);
  EXPECT_EQ(p.pick[bits({LW_CLASS_CEPH_PUBLIC, LW_CLASS_CEPH_CLUSTER})], LW_CLASS_CEPH_CLUSTER);
  EXPECT_EQ(p.pick[bits({LW_CLASS_COROSYNC, LW_CLASS_MANAGEMENT})], LW_CLASS_COROSYNC);
}

TEST(PolicyCompiler, LanesBecomeSortedInterfaceAndVlanTables) {
  auto c = compile_policy(parse(kBase), fake_ifindex, {}, 1);
  const lw_policy& p = *c.value;
  ASSERT_EQ(p.n_ifaces, 2u);
  EXPECT_EQ(p.ifaces[0].ifindex, 2u);
  EXPECT_EQ(p.ifaces[0].lane_allowed, LW_CLASS_BIT(LW_CLASS_COROSYNC));
  EXPECT_EQ(p.ifaces[0].lane_flags, LW_LANE_PRESENT | LW_LANE_EXCLUSIVE);
  EXPECT_EQ(p.ifaces[1].ifindex, 7u);
  EXPECT_EQ(p.ifaces[1].lane_allowed,
            LW_CLASS_BIT(LW_CLASS_MANAGEMENT) | LW_CLASS_BIT(LW_CLASS_MIGRATION));
  EXPECT_EQ(p.ifaces[2].ifindex, UINT32_MAX);  // padding
  ASSERT_EQ(p.n_vlan_lanes, 1u);
  EXPECT_EQ(p.vlan_lanes[0].key, (uint64_t{7} << 16) | 20);
  EXPECT_EQ(p.vlan_lanes[1].key, UINT64_MAX);
  EXPECT_EQ(p.constrained, LW_CLASS_BIT(LW_CLASS_COROSYNC) | LW_CLASS_BIT(LW_CLASS_CEPH_PUBLIC) |
                               LW_CLASS_BIT(LW_CLASS_CEPH_CLUSTER) |
                               LW_CLASS_BIT(LW_CLASS_MANAGEMENT) |
                               LW_CLASS_BIT(LW_CLASS_MIGRATION));
}

TEST(PolicyCompiler, SlotsAreKeptAcrossRecompiles) {
  auto first = compile_policy(parse(kBase), fake_ifindex, {{7, 5}}, 1);
  ASSERT_EQ(first.ifaces.size(), 2u);
  EXPECT_EQ(first.ifaces[0].slot, 0);  // eno1: lowest free slot
  EXPECT_EQ(first.ifaces[1].slot, 5);  // bond0 kept its slot
}

TEST(PolicyCompiler, AuditModeEnforcesNothingEnforceSparesCorosyncAndInfra) {
  auto audit = compile_policy(parse(kBase), fake_ifindex, {}, 1);
  EXPECT_EQ(audit.value->enforce, 0);
  auto enforce =
      compile_policy(parse(std::string("mode = \"enforce\"\n") + kBase), fake_ifindex, {}, 1);
  EXPECT_FALSE(enforce.value->enforce & LW_CLASS_BIT(LW_CLASS_COROSYNC));
  EXPECT_FALSE(enforce.value->enforce & LW_CLASS_BIT(LW_CLASS_INFRA));
  EXPECT_TRUE(enforce.value->enforce & LW_CLASS_BIT(LW_CLASS_CEPH_PUBLIC));
  EXPECT_TRUE(enforce.value->enforce & LW_CLASS_BIT(LW_CLASS_OTHER));
}

// The default police bucket: 250 ms at the rate, never below 4 MiB; an explicit
// burst wins. burst_ns is what the datapath keeps (bucket bytes / rate).
TEST(PolicyCompiler, PoliceBucketDefaultsToAQuarterSecondAtTheRate) {
  auto cap = [](const std::string& lines) {
    auto c = compile_policy(
        parse(kBase + std::string("[class.migration]\ncap_mode = \"police\"\n") + lines),
        fake_ifindex, {}, 1);
    return c.value->cls[LW_CLASS_MIGRATION];
  };
  const auto gbit = cap("cap = \"1gbit\"\n");  // 125 MB/s: 31.25 MB, 250 ms
  EXPECT_EQ(gbit.rate, 125'000'000u);
  EXPECT_EQ(gbit.burst_ns, 250'000'000u);
  const auto slow = cap("cap = \"50mbit\"\n");  // 4 MiB at 6.25 MB/s: 671 ms
  EXPECT_EQ(slow.burst_ns, (4ull << 20) * 1'000'000'000 / 6'250'000);
  const auto given = cap("cap = \"1gbit\"\nburst = \"125MB\"\n");
  EXPECT_EQ(given.burst_ns, 1'000'000'000u);
  EXPECT_TRUE(gbit.flags & LW_CLASS_F_POLICE);
}

// v6_hi_only: set exactly when every IPv6 range of the compiled table starts
// on a /64 boundary, so the datapath's 64-bit search is exact.
uint8_t v6_hi_only(const std::string& v6_networks) {
  const std::string toml = "[networks]\n" + v6_networks + R"(
[[lane]]
interface = "eno1"
classes = ["other"]
)";
  return compile_policy(parse(toml), fake_ifindex, {}, 1).value->v6_hi_only;
}

TEST(PolicyCompiler, V6HighHalfSearchOnlyWhenEveryRangeStartsOnASlash64) {
  // No IPv6 network: one range from address 0.
  EXPECT_EQ(v6_hi_only(R"(management = ["198.51.100.0/24"])"), 1);
  EXPECT_EQ(v6_hi_only(R"(management = ["2001:db8:1::/48", "2001:db8:2::/64"]
migration = ["2001:db8:1:5::/64"]
storage = ["2001:db8:40::/63", "2001:db8:100::/56"])"),
            1);
  // Two adjacent /65 of one class merge into one /64 range: no boundary
  // inside a /64 is left, whatever the prefix lengths say.
  EXPECT_EQ(v6_hi_only(R"(storage = ["2001:db8:7::/65", "2001:db8:7:0:8000::/65"])"), 1);

  for (const char* longer : {"2001:db8:7::/65", "2001:db8:7:0:8000::/65", "2001:db8:7::/96",
                             "2001:db8:7::1:0/112", "2001:db8:7::2/127", "2001:db8:7::1/128"}) {
    SCOPED_TRACE(longer);
    EXPECT_EQ(v6_hi_only(std::string(R"(management = ["2001:db8:1::/64"]
storage = [")") + longer +
                         "\"]"),
              0);
  }
  // Network address on a /64 but the end inside one (the cut is at end + 1).
  EXPECT_EQ(v6_hi_only(R"(storage = ["2001:db8:7::/127"])"), 0);
  // A boundary inside a /64 under a longer prefix of another class.
  EXPECT_EQ(v6_hi_only(R"(ceph_public = ["2001:db8:40::/64"]
storage = ["2001:db8:40:0:8000::/65"])"),
            0);
  // The top /128 has no end cut, only its start ends in 0xff..ff.
  EXPECT_EQ(v6_hi_only(R"(storage = ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"])"), 0);
}

TEST(PolicyCompiler, UnknownInterfaceNamesTheLane) {
  const char* toml = R"(
[networks]
corosync = ["198.51.100.0/24"]
[[lane]]
interface = "eno9"
classes = ["corosync"]
)";
  try {
    compile_policy(parse(toml), fake_ifindex, {}, 1);
    FAIL() << "expected an error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("t.toml:4:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("'eno9' does not exist"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lw::datapath
