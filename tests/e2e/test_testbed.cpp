// SPDX-License-Identifier: GPL-2.0-only
// The simulated cluster itself (scripts/testbed.sh): `up` builds the three
// nodes and six switches and a real Corosync cluster that reaches quorum,
// `status` reports it, lanewarden applies the testbed policy on every node
// and sees knet's traffic as `corosync`, and `down` leaves nothing behind,
// twice in a row. About 20 s, mostly Corosync forming its membership.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <thread>

#include "support/command.h"
#include "support/lanewarden_cli.h"
#include "support/privilege.h"

namespace lw::test {
namespace {

const std::string kTestbed = std::string(LW_SOURCE_DIR) + "/scripts/testbed.sh";

std::string testbed(const std::string& args) {
  return "LW_BINARY=" + shell_quote(LW_BINARY) + " " + shell_quote(kTestbed) + " " + args;
}

// The names testbed.sh creates (nodes lwtn1..3, switches lwts-<lane>), matched
// exactly: tests running in parallel may use names with the same prefix.
std::vector<std::string> testbed_namespaces() {
  static const std::regex kName(
      "lwtn[1-3]|lwts-(coro0|coro1|cephpub|cephclu|migr|mgmt|shared|bond)");
  std::vector<std::string> out;
  std::istringstream in(run_ok("ip netns list"));
  for (std::string line; std::getline(in, line);) {
    const std::string name = line.substr(0, line.find(' '));
    if (std::regex_match(name, kName)) out.push_back(name);
  }
  return out;
}

// Tears the testbed down whatever the test's outcome.
struct TestbedGuard {
  ~TestbedGuard() { run(testbed("down"), 60s); }
};

TEST(TestbedE2E, UpQuorumStatusLanewardenAndCleanDown) {
  LW_REQUIRE_ROOT_OR_FAIL();
  ASSERT_TRUE(testbed_namespaces().empty())
      << "a testbed is already up (scripts/testbed.sh down removes it); not touching it";
  TestbedGuard guard;

  auto up = run(testbed("up --variant full --rate 1gbit"), 90s);
  ASSERT_TRUE(up.ok()) << up.err << up.out;
  EXPECT_EQ(testbed_namespaces().size(), 3u + 6u);  // three nodes, six switches

  auto status = run(testbed("status"), 30s);
  EXPECT_TRUE(status.ok()) << status.err;
  EXPECT_NE(status.out.find("Quorate:          Yes"), std::string::npos) << status.out;
  EXPECT_NE(status.out.find("Nodes:            3"), std::string::npos) << status.out;

  // Every node sees both links to both peers connected.
  auto knet = json_lines(run_ok(testbed("knet"), 30s));
  ASSERT_EQ(knet.size(), 3u * 2u * 2u);
  for (const auto& l : knet) EXPECT_EQ(l.at("connected"), 1) << l.dump();

  // The testbed policy applies on every node, and lanewarden sees knet's
  // (encrypted) traffic as corosync on both Corosync links, with no
  // violation: the topology is correct.
  std::vector<std::unique_ptr<LanewardenNode>> nodes;
  for (int n = 1; n <= 3; n++) {
    const std::string node = "lwtn" + std::to_string(n);
    nodes.push_back(std::make_unique<LanewardenNode>(LW_BINARY, node, "lwttb" + std::to_string(n)));
    auto r = nodes.back()->run("apply /tmp/lwttestbed/" + node + ".toml --mode enforce");
    ASSERT_TRUE(r.ok()) << r.err << r.out;
  }
  std::this_thread::sleep_for(1500ms);  // knet pings every 250 ms on both links
  for (const auto& node : nodes) {
    for (const char* iface : {"lwt-coro0", "lwt-coro1"}) {
      EXPECT_GT(node->packets(iface, "ingress", "corosync", "pass"), 0u) << iface;
      EXPECT_GT(node->packets(iface, "egress", "corosync", "pass"), 0u) << iface;
      EXPECT_EQ(node->packets(iface, "ingress", "corosync", "drop"), 0u) << iface;
    }
  }
  status = run(testbed("status"), 30s);
  EXPECT_TRUE(status.ok()) << "quorum lost under lanewarden: " << status.out;
  nodes.clear();  // detach, as an administrator would before `down`

  auto down = run(testbed("down"), 60s);
  EXPECT_TRUE(down.ok()) << down.err;
  EXPECT_TRUE(testbed_namespaces().empty());
  EXPECT_FALSE(std::filesystem::exists("/tmp/lwttestbed"));
  for (int n = 1; n <= 3; n++)
    EXPECT_FALSE(std::filesystem::exists("/sys/fs/bpf/lwttb" + std::to_string(n)));
  EXPECT_FALSE(run("pgrep -f '[/]tmp/lwttestbed/'").ok()) << "a testbed corosync survived down";

  // down is idempotent, and status says the testbed is not up.
  EXPECT_TRUE(run(testbed("down"), 60s).ok());
  EXPECT_EQ(run(testbed("status"), 30s).exit_code, 1);
}

}  // namespace
}  // namespace lw::test
