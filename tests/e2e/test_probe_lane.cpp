// SPDX-License-Identifier: GPL-2.0-only
// `lanewarden probe` end to end: probes are answered over the Corosync link,
// never leave through another interface even when the routing table points
// there, and a node without an address on the link or with its address on
// no Corosync lane is refused (exit 2) before anything is sent.
//
//   node A  link0 198.51.100.1/24  <->  node B 198.51.100.2/24   (Corosync lane)
//           link1 203.0.113.1/24   <->         203.0.113.2/24   (not a Corosync lane)
//   A routes 198.51.100.2/32 via link1: unbound traffic to B's link address
//   leaves through link1, which a capture at B's end of link1 sees.
#include <gtest/gtest.h>
#include <linux/if_ether.h>
#include <netinet/in.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support/command.h"
#include "support/lanewarden_cli.h"
#include "support/names.h"
#include "support/netns.h"
#include "support/privilege.h"
#include "support/traffic.h"

namespace lw::test {
namespace {

// An ICMP echo request to 198.51.100.2 in an untagged IPv4 frame.
bool is_echo_request_to_b(const CapturedFrame& f) {
  const auto& d = f.data;
  if (d.size() < 14 + 20 + 8 || d[12] != 0x08 || d[13] != 0x00) return false;
  size_t ihl = (d[14] & 0x0f) * 4u;
  if (d[14 + 9] != IPPROTO_ICMP || d.size() < 14 + ihl + 8) return false;
  bool to_b = d[30] == 198 && d[31] == 51 && d[32] == 100 && d[33] == 2;
  return to_b && d[14 + ihl] == 8;
}

class ProbeLane : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    a_ = std::make_unique<NetNs>("lwtpra");
    b_ = std::make_unique<NetNs>("lwtprb");
    link0_ = std::make_unique<VethPair>(
        *a_, *b_,
        VethOptions{
            .prefix = "lwtpz", .addrs_a = {"198.51.100.1/24"}, .addrs_b = {"198.51.100.2/24"}});
    link1_ = std::make_unique<VethPair>(
        *a_, *b_,
        VethOptions{
            .prefix = "lwtpo", .addrs_a = {"203.0.113.1/24"}, .addrs_b = {"203.0.113.2/24"}});
    a_->exec_ok("ip route add 198.51.100.2/32 via 203.0.113.2 dev " + link1_->name_a());
    policy_ = "/tmp/" + unique_name("lwtprp", "", 64) + ".toml";
  }
  void TearDown() override {
    std::error_code ec;
    if (!policy_.empty()) std::filesystem::remove(policy_, ec);
  }

  void write_policy(const std::string& corosync_lane, const std::string& peers) {
    std::ofstream(policy_) << "[networks]\ncorosync = [\"198.51.100.0/24\", \"2001:db8:77::/64\"]\n"
                              "management = [\"203.0.113.0/24\"]\n"
                              "[[lane]]\ninterface = \""
                           << corosync_lane
                           << "\"\nclasses = [\"corosync\"]\n"
                              "[probe]\ninterval = \"20ms\"\npeers = ["
                           << peers << "]\n";
  }
  CommandResult probe(const std::string& args) const {
    return run(shell_quote(LW_BINARY) + " --netns " + a_->name() + " probe " +
                   shell_quote(policy_) + " " + args,
               30s);
  }

  std::unique_ptr<NetNs> a_, b_;
  std::unique_ptr<VethPair> link0_, link1_;
  std::string policy_;
};

TEST_F(ProbeLane, ProbesStayOnTheCorosyncLaneWhateverTheRoute) {
  FrameCapture on_link1(*b_, link1_->name_b());
  // Control: without binding, traffic to B's link address takes link1.
  a_->exec("ping -n -q -c 2 -i 0.05 -W 1 198.51.100.2");  // answered or not: the route is the point
  ASSERT_TRUE(on_link1.next_matching(is_echo_request_to_b, 2s))
      << "the route via link1 is not in effect: the test would prove nothing";
  while (on_link1.next_matching(is_echo_request_to_b, 200ms)) {
  }

  write_policy(link0_->name_a(), "\"198.51.100.2\"");
  auto r = probe("--count 10 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto lines = json_lines(r.out);
  ASSERT_GE(lines.size(), 1u) << r.out;
  const auto& p = lines[0];
  EXPECT_EQ(p["type"], "probe");
  EXPECT_EQ(p["link"], 0);
  EXPECT_EQ(p["local"], "198.51.100.1");
  EXPECT_EQ(p["peer"], "198.51.100.2");
  EXPECT_EQ(p["device"], link0_->name_a());
  EXPECT_EQ(p["lane"], link0_->name_a());
  EXPECT_EQ(p["sent"], 10);
  EXPECT_EQ(p["answered"], 10);  // they left through link0 and came back
  EXPECT_EQ(p["lost"], 0);
  EXPECT_FALSE(on_link1.next_matching(is_echo_request_to_b, 300ms))
      << "a probe left through link1, which is no Corosync lane";
  // No corosync runs in these namespaces: a state, reported as such.
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_EQ(lines[1]["type"], "knet");
  EXPECT_EQ(lines[1]["source"], "corosync-reported");
  EXPECT_EQ(lines[1]["running"], false);
}

TEST_F(ProbeLane, UnansweredProbesAreCountedLost) {
  b_->exec_ok("sysctl -qw net.ipv4.icmp_echo_ignore_all=1");
  write_policy(link0_->name_a(), "\"198.51.100.2\"");
  auto r = probe("--count 5 --interval 10ms --format json");
  EXPECT_EQ(r.exit_code, 1) << "a peer that never answers is a failure, like ping's";
  auto lines = json_lines(r.out);
  ASSERT_GE(lines.size(), 1u) << r.out << r.err;
  EXPECT_EQ(lines[0]["sent"], 5);
  EXPECT_EQ(lines[0]["answered"], 0);
  EXPECT_EQ(lines[0]["lost"], 5);
}

TEST_F(ProbeLane, AddressOnNoCorosyncLaneIsRefused) {
  // The policy makes link1 the Corosync lane, but the link address is on link0.
  write_policy(link1_->name_a(), "\"198.51.100.2\"");
  FrameCapture on_link0(*b_, link0_->name_b());
  auto r = probe("--count 3");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("the local address 198.51.100.1 is on " + link0_->name_a() +
                       ", which is no corosync lane of the policy"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(on_link0.next_matching(is_echo_request_to_b, 300ms)) << "refused, yet sent";
}

TEST_F(ProbeLane, LinkWithoutLocalAddressIsRefused) {
  write_policy(link0_->name_a(), "\"198.51.100.2\", \"2001:db8:77::2\"");
  auto r = probe("--count 3");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("corosync link 1 (2001:db8:77::/64): this node has no address in that "
                       "network, so peer 2001:db8:77::2 cannot be probed over it"),
            std::string::npos)
      << r.err;
}

TEST_F(ProbeLane, Ipv6ProbesAreAnswered) {
  link0_->add_address_a("2001:db8:77::1/64");
  link0_->add_address_b("2001:db8:77::2/64");
  write_policy(link0_->name_a(), "\"2001:db8:77::2\"");
  auto r = probe("--count 5 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto lines = json_lines(r.out);
  ASSERT_GE(lines.size(), 1u);
  EXPECT_EQ(lines[0]["link"], 1);
  EXPECT_EQ(lines[0]["local"], "2001:db8:77::1");
  EXPECT_EQ(lines[0]["answered"], 5);
}

}  // namespace
}  // namespace lw::test
