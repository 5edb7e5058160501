// SPDX-License-Identifier: GPL-2.0-only
// corosync-reported latency from a real Corosync: two nodes in namespaces
// (knet, secauth, one link), read by lanewarden through libcmap inside the
// node's namespace and printed next to its own probe counts. About 8 s,
// mostly Corosync forming its membership.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "support/command.h"
#include "support/corosync_cluster.h"
#include "support/lanewarden_cli.h"
#include "support/names.h"
#include "support/privilege.h"
#include "support/topology.h"

namespace lw::test {
namespace {

TEST(LatencyKnet, CorosyncReportedLatencyNextToProbes) {
  LW_REQUIRE_ROOT_OR_FAIL();
  if (!run("command -v corosync && command -v corosync-keygen").ok())
    GTEST_FAIL() << "corosync is not installed (scripts/install-deps.sh installs it)";
  auto topo = Topology::pair(TopologyOptions{.prefix = "lwtkn"});
  CorosyncCluster cluster({{&topo.node(0), topo.addr4(0)}, {&topo.node(1), topo.addr4(1)}});
  ASSERT_TRUE(cluster.wait_quorate(20s)) << "no quorum; node 1 says:\n" << cluster.knet_stats(0);

  std::string policy = "/tmp/" + unique_name("lwtknp", "", 64) + ".toml";
  std::ofstream(policy) << "[networks]\ncorosync = [\"198.51.100.0/24\"]\n"
                           "[[lane]]\ninterface = \""
                        << topo.node_if(0)
                        << "\"\nclasses = [\"corosync\"]\n"
                           "[probe]\npeers = [\"198.51.100.2\"]\n";
  // knet pings every 100 ms: let a few samples in after the reset.
  cluster.clear_knet_stats();
  std::this_thread::sleep_for(1s);
  auto r = run(shell_quote(LW_BINARY) + " --netns " + topo.node(0).name() + " probe " +
                   shell_quote(policy) + " --count 10 --interval 50ms --format json",
               30s);
  std::filesystem::remove(policy);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  auto lines = json_lines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_EQ(lines[0]["answered"], 10);

  const auto& knet = lines[1];
  EXPECT_EQ(knet["type"], "knet");
  EXPECT_EQ(knet["source"], "corosync-reported");
  ASSERT_EQ(knet["running"], true) << knet.dump();
  EXPECT_EQ(knet["local_nodeid"], 1);
  ASSERT_EQ(knet["links"].size(), 1u) << knet.dump();  // the peer's link 0, not node 1 itself
  const auto& link = knet["links"][0];
  EXPECT_EQ(link["nodeid"], 2);
  EXPECT_EQ(link["link"], 0);
  EXPECT_EQ(link["peer"], "198.51.100.2");
  EXPECT_EQ(link["connected"], true);
  EXPECT_GT(link["latency_samples"].get<uint64_t>(), 0u);
  EXPECT_LE(link["latency_min_us"].get<uint64_t>(), link["latency_ave_us"].get<uint64_t>());
  EXPECT_LE(link["latency_ave_us"].get<uint64_t>(), link["latency_max_us"].get<uint64_t>());

  // The same values corosync-cmapctl shows (libcmap reads the same map).
  std::string cmapctl = cluster.knet_stats(0);
  EXPECT_NE(cmapctl.find("stats.knet.node2.link0.latency_ave"), std::string::npos) << cmapctl;

  // hist shows it next to lanewarden's own histograms, in text and JSON.
  LanewardenNode node(LW_BINARY, topo.node(0).name(), unique_name("lwtknpin", "", 64));
  node.apply("[networks]\ncorosync = [\"198.51.100.0/24\"]\n[[lane]]\ninterface = \"" +
             topo.node_if(0) + "\"\nclasses = [\"corosync\"]\n");
  auto hist_json = node.run("hist --format json");
  ASSERT_TRUE(hist_json.ok()) << hist_json.err;
  auto snaps = json_lines(hist_json.out);
  ASSERT_EQ(snaps.size(), 1u) << hist_json.out;
  const auto& reported = snaps[0]["corosync_reported"];
  EXPECT_EQ(reported["source"], "corosync-reported");
  EXPECT_EQ(reported["running"], true) << reported.dump();
  ASSERT_EQ(reported["links"].size(), 1u) << reported.dump();
  EXPECT_EQ(reported["links"][0]["peer"], "198.51.100.2");
  auto hist_text = node.run("hist");
  ASSERT_TRUE(hist_text.ok()) << hist_text.err;
  EXPECT_NE(hist_text.out.find("corosync-reported: node 2 link 0 198.51.100.2: knet latency ave"),
            std::string::npos)
      << hist_text.out;
}

TEST(LatencyKnet, HistSaysWhenCorosyncIsNotRunning) {
  LW_REQUIRE_ROOT_OR_FAIL();
  auto topo = Topology::pair(TopologyOptions{.prefix = "lwtkm"});
  LanewardenNode node(LW_BINARY, topo.node(0).name(), unique_name("lwtkmpin", "", 64));
  node.apply("[networks]\ncorosync = [\"198.51.100.0/24\"]\n[[lane]]\ninterface = \"" +
             topo.node_if(0) + "\"\nclasses = [\"corosync\"]\n");
  auto r = node.run("hist --format json");
  ASSERT_TRUE(r.ok()) << r.err;  // a state, not an error
  auto snaps = json_lines(r.out);
  ASSERT_EQ(snaps.size(), 1u) << r.out;
  EXPECT_EQ(snaps[0]["corosync_reported"]["running"], false);
  EXPECT_EQ(snaps[0]["corosync_reported"]["state"], "corosync not running here");
  auto text = node.run("hist");
  EXPECT_NE(text.out.find("corosync-reported: corosync not running here"), std::string::npos)
      << text.out;
}

}  // namespace
}  // namespace lw::test
