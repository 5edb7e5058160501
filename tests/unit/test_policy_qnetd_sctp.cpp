// SPDX-License-Identifier: GPL-2.0-only
// [class.corosync] qnetd and sctp_ports: how they are written, what a bad
// entry reports (file:line:column), and the tables the compiler makes of them
// (struct lw_service, struct lw_port_range).
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include "datapath/policy_compiler.h"
#include "policy/parse.h"
#include "policy/service.h"
#include "test_policy_util.h"

namespace lw::policy {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::kMinimal;
using testing::policy_error;
using ::testing::StartsWith;

// kMinimal is 5 lines: the class section starts on line 6, its first key on 7.
using testing::with;

Policy parse(std::string_view tail) { return parse_string(with(tail), "t.toml"); }

std::string endpoint(std::string_view text) {
  std::string error;
  auto e = parse_service_endpoint(text, kQnetdDefaultPort, &error);
  if (!e) return "error: " + error;
  return e->net.str() + " port " + std::to_string(e->port);
}

TEST(ServiceEndpoint, Spellings) {
  EXPECT_EQ(endpoint("203.0.113.9"), "203.0.113.9/32 port 5403");
  EXPECT_EQ(endpoint("203.0.113.9:15403"), "203.0.113.9/32 port 15403");
  EXPECT_EQ(endpoint("203.0.113.8/29:5403"), "203.0.113.8/29 port 5403");
  EXPECT_EQ(endpoint("2001:db8::9"), "2001:db8::9/128 port 5403");
  EXPECT_EQ(endpoint("[2001:db8::9]"), "2001:db8::9/128 port 5403");
  EXPECT_EQ(endpoint("[2001:db8::9]:6000"), "2001:db8::9/128 port 6000");
  EXPECT_EQ(endpoint("[2001:db8:fe::/120]:5403"), "2001:db8:fe::/120 port 5403");
}

TEST(ServiceEndpoint, Mistakes) {
  EXPECT_THAT(endpoint("203.0.113.9:"), HasSubstr("has ':' but no port"));
  EXPECT_THAT(endpoint("203.0.113.9:70000"), HasSubstr("out of range 1..65535"));
  EXPECT_THAT(endpoint("203.0.113.9:5403-5404"), HasSubstr("one port, not a range"));
  EXPECT_THAT(endpoint("[2001:db8::9"), HasSubstr("'[' without ']'"));
  EXPECT_THAT(endpoint("[2001:db8::9]5403"), HasSubstr("only ':PORT' may follow"));
  EXPECT_THAT(endpoint("203.0.113.9/24"), StartsWith("error: "));  // host bits set
  EXPECT_THAT(endpoint("qnetd.example"), StartsWith("error: "));   // names do not resolve here
}

TEST(PolicyQnetd, StringOrArray) {
  auto one = parse("[class.corosync]\nqnetd = \"203.0.113.9\"\n");
  ASSERT_EQ(one.classes[LW_CLASS_COROSYNC].services.size(), 1u);
  EXPECT_EQ(one.classes[LW_CLASS_COROSYNC].services[0].net.str(), "203.0.113.9/32");
  EXPECT_EQ(one.classes[LW_CLASS_COROSYNC].services[0].port, 5403);
  EXPECT_EQ(one.classes[LW_CLASS_COROSYNC].services[0].where.str(), "t.toml:7:9");
  auto two = parse("[class.corosync]\nqnetd = [\"203.0.113.9\", \"[2001:db8::9]:5404\"]\n");
  ASSERT_EQ(two.classes[LW_CLASS_COROSYNC].services.size(), 2u);
  EXPECT_EQ(two.classes[LW_CLASS_COROSYNC].services[1].port, 5404);
  // Nothing by default: no policy claims a qnetd host it was not told about.
  EXPECT_TRUE(parse("").classes[LW_CLASS_COROSYNC].services.empty());
}

TEST(PolicyQnetd, Errors) {
  EXPECT_EQ(policy_error(with("[class.corosync]\nqnetd = \"203.0.113.9:0\"\n")),
            "t.toml:7:9: bad qnetd address: '203.0.113.9:0': port 0 in '0' is out of range "
            "1..65535");
  EXPECT_THAT(policy_error(with("[class.corosync]\nqnetd = 5403\n")),
              StartsWith("t.toml:7:9: 'qnetd' must be a string such as"));
  EXPECT_THAT(policy_error(with("[class.corosync]\nqnetd = []\n")),
              StartsWith("t.toml:7:9: 'qnetd' is empty"));
  EXPECT_EQ(policy_error(with("[class.corosync]\nqnetd = [\"203.0.113.9\", "
                              "\"203.0.113.9:5403\"]\n")),
            "t.toml:7:25: qnetd 203.0.113.9/32 port 5403 is listed twice");
  EXPECT_THAT(policy_error(with("[class.management]\nqnetd = \"203.0.113.9\"\n")),
              StartsWith("t.toml:7:9: 'qnetd' belongs in [class.corosync], not "
                         "[class.management]"));
  std::string nine = "[class.corosync]\nqnetd = [";
  for (int i = 1; i <= 9; ++i) nine += fmt::format("{}\"203.0.113.{}\"", i > 1 ? ", " : "", i);
  nine += "]\n";
  EXPECT_THAT(
      policy_error(with(nine)),
      AllOf(StartsWith("t.toml:7:"), HasSubstr("too many qnetd entries"), HasSubstr("at most 8")));
}

TEST(PolicySctpPorts, NoneByDefaultAndWrittenLikeOtherPorts) {
  EXPECT_TRUE(parse("").classes[LW_CLASS_COROSYNC].sctp_ports.empty());
  auto p = parse("[class.corosync]\nsctp_ports = [\"5405-5412\", 6000]\n");
  const auto& s = p.classes[LW_CLASS_COROSYNC].sctp_ports;
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0], (PortRange{5405, 5412}));
  EXPECT_EQ(s[1], (PortRange{6000, 6000}));
  // The UDP defaults stay: sctp_ports adds a transport, it replaces nothing.
  EXPECT_EQ(p.classes[LW_CLASS_COROSYNC].udp_ports, (std::vector<PortRange>{{5405, 5412}}));
}

TEST(PolicySctpPorts, Errors) {
  EXPECT_EQ(policy_error(with("[class.corosync]\nsctp_ports = [\"5412-5405\"]\n")),
            "t.toml:7:15: bad port in 'sctp_ports': port range '5412-5405' is reversed: did you "
            "mean '5405-5412'?");
  EXPECT_THAT(policy_error(with("[class.infra]\nsctp_ports = [1]\n")),
              StartsWith("t.toml:7:14: class 'infra' has no ports"));
  std::string many = "[class.corosync]\nsctp_ports = [";
  for (int i = 0; i < 17; ++i) many += fmt::format("{}{}", i ? ", " : "", 6000 + 2 * i);
  many += "]\n";
  EXPECT_THAT(policy_error(with(many)),
              AllOf(StartsWith("t.toml:7:14: "), HasSubstr("too many SCTP port ranges"),
                    HasSubstr("at most 16")));
}

std::optional<uint32_t> eth0(const std::string& name) {
  if (name == "eth0") return 2;
  return std::nullopt;
}

TEST(PolicyCompilerServices, QnetdBecomesMaskedServiceEntries) {
  auto policy = parse(
      "[class.corosync]\nqnetd = [\"203.0.113.9\", \"[2001:db8:fe::/120]:6000\", "
      "\"203.0.113.0/28:5404\"]\nsctp_ports = [\"5405-5412\"]\n");
  auto c = datapath::compile_policy(policy, eth0, {}, 1);
  const lw_policy& p = *c.value;
  ASSERT_EQ(p.n_services, 3);
  const lw_service& v4 = p.services[0];
  EXPECT_EQ(v4.family, 4);
  EXPECT_EQ(v4.l4, IPPROTO_TCP);
  EXPECT_EQ(v4.port, 5403);
  EXPECT_EQ(v4.cls, LW_CLASS_COROSYNC);
  EXPECT_EQ(v4.addr_hi, 0u);
  EXPECT_EQ(v4.addr_lo, 0xCB007109u);  // 203.0.113.9
  EXPECT_EQ(v4.mask_hi, 0u);
  EXPECT_EQ(v4.mask_lo, 0xFFFFFFFFu);
  const lw_service& v6 = p.services[1];
  EXPECT_EQ(v6.family, 6);
  EXPECT_EQ(v6.port, 6000);
  EXPECT_EQ(v6.addr_hi, 0x20010db800fe0000u);
  EXPECT_EQ(v6.addr_lo, 0u);
  EXPECT_EQ(v6.mask_hi, ~0ull);
  EXPECT_EQ(v6.mask_lo, 0xFFFFFFFFFFFFFF00u);
  EXPECT_EQ(p.services[2].mask_lo, 0xFFFFFFF0u);
  // SCTP: one range, and the class is known to use SCTP (non-first fragments).
  ASSERT_EQ(p.n_sctp_port_ranges, 1);
  EXPECT_EQ(p.sctp_ports[0].first, 5405);
  EXPECT_EQ(p.sctp_ports[0].last, 5412);
  EXPECT_EQ(p.sctp_ports[0].classes, LW_CLASS_BIT(LW_CLASS_COROSYNC));
  EXPECT_EQ(p.sctp_classes, LW_CLASS_BIT(LW_CLASS_COROSYNC));
  // qnetd adds no network: the link networks stay what [networks] says.
  EXPECT_FALSE(p.tcp_classes & LW_CLASS_BIT(LW_CLASS_COROSYNC));
}

TEST(PolicyCompilerServices, NothingWrittenNothingScanned) {
  auto c = datapath::compile_policy(parse(""), eth0, {}, 1);
  EXPECT_EQ(c.value->n_services, 0);
  EXPECT_EQ(c.value->n_sctp_port_ranges, 0);
  EXPECT_EQ(c.value->sctp_classes, 0);
}

}  // namespace
}  // namespace lw::policy
