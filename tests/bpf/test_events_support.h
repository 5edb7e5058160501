// SPDX-License-Identifier: GPL-2.0-only
// Shared by the event tests: a policy compiled against the loopback device
// (BPF_PROG_TEST_RUN's default device), frames and event assertions.
#pragma once

#include <gtest/gtest.h>
#include <linux/pkt_cls.h>
#include <netinet/in.h>

#include <memory>
#include <optional>
#include <string>

#include "datapath/policy_compiler.h"
#include "datapath/test_run.h"
#include "lanewarden.h"
#include "policy/parse.h"
#include "support/packet_builder.h"
#include "support/privilege.h"

namespace lw::test::events {

inline constexpr uint32_t kLo = 1;  // the only interface the sandbox's skbs can name
inline constexpr uint32_t kSlot = 0;

inline std::unique_ptr<lw_policy> compile_on_lo(const std::string& toml) {
  auto p = policy::parse_string(toml, "<events test>");
  auto c = datapath::compile_policy(
      p,
      [](const std::string& n) -> std::optional<uint32_t> {
        if (n == "lo") return kLo;
        return std::nullopt;
      },
      {}, 1);
  return std::move(c.value);
}

// Networks of the tests; only the documentation ranges.
inline std::string policy_toml(const std::string& mode, const std::string& lanes,
                               const std::string& extra = "") {
  return "mode = \"" + mode + "\"\n" + R"(
[networks]
corosync = ["198.51.100.0/26", "2001:db8:10::/64"]
management = ["198.51.100.192/27"]
ceph_public = ["203.0.113.0/26"]
storage = ["203.0.113.64/26", "2001:db8:60::/64"]
)" + lanes +
         extra;
}

// Corosync alone (exclusive) on lo; storage and ceph_public on VLAN 30 of lo,
// where fragments are forbidden (a jumbo-frame storage lane).
inline const char* kExclusiveLanes = R"(
[[lane]]
interface = "lo"
classes = ["corosync"]
exclusive = true
[[lane]]
interface = "lo"
vlan = 30
classes = ["storage", "ceph_public"]
no_fragments = true
)";

inline Bytes ceph_tcp(uint16_t sport = 40000, std::optional<uint16_t> vlan = std::nullopt) {
  PacketBuilder b;
  if (vlan) b.vlan(*vlan);
  return b.ipv4("203.0.113.1", "203.0.113.2").tcp(sport, 6800).payload(100).build();
}

inline Bytes corosync_udp(std::optional<uint16_t> vlan = std::nullopt) {
  PacketBuilder b;
  if (vlan) b.vlan(*vlan);
  return b.ipv4("198.51.100.1", "198.51.100.2").udp(5405, 5405).payload(64).build();
}

inline void expect_no_violation(datapath::Sandbox& sb) {
  EXPECT_TRUE(sb.drain_events().empty());
  auto v = sb.violations(kSlot);
  for (int d = 0; d < LW_NR_DIRS; d++)
    for (int k = 0; k < LW_NR_VIOLATIONS; k++)
      for (int c = 0; c < LW_NR_CLASSES; c++) EXPECT_EQ(v.n[d][k][c], 0u);
}

}  // namespace lw::test::events
