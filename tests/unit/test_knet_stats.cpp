// SPDX-License-Identifier: GPL-2.0-only
// corosync's knet stats keys, folded per (node, link), and their rendering
// labelled corosync-reported.
#include <gtest/gtest.h>

#include "corosync/knet_stats.h"

namespace lw::corosync {
namespace {

TEST(KnetStats, ParsesPerLinkKeys) {
  auto k = parse_knet_key("stats.knet.node12.link3.latency_ave");
  ASSERT_TRUE(k);
  EXPECT_EQ(k->nodeid, 12u);
  EXPECT_EQ(k->link, 3);
  EXPECT_EQ(k->field, "latency_ave");
  EXPECT_FALSE(parse_knet_key("stats.knet.handle.tx_crypt_packets"));
  EXPECT_FALSE(parse_knet_key("stats.knet.node2.latency_ave"));
  EXPECT_FALSE(parse_knet_key("stats.knet.nodeX.link0.latency_ave"));
  EXPECT_FALSE(parse_knet_key("stats.knet.node2.link0."));
  EXPECT_FALSE(parse_knet_key("stats.knet.node2.link0.a.b"));
  EXPECT_FALSE(parse_knet_key("stats.srp.node2.link0.latency_ave"));
}

TEST(KnetStats, FoldsValuesPerNodeAndLink) {
  std::vector<KnetLinkStats> links;
  add_knet_value(links, "stats.knet.node2.link0.latency_ave", 120);
  add_knet_value(links, "stats.knet.node2.link0.latency_max", 900);
  add_knet_value(links, "stats.knet.node2.link0.latency_min", 40);
  add_knet_value(links, "stats.knet.node2.link0.latency_samples", 4);
  add_knet_value(links, "stats.knet.node2.link0.connected", 1);
  add_knet_value(links, "stats.knet.node2.link1.connected", 0);
  add_knet_value(links, "stats.knet.node2.link1.down_count", 3);
  add_knet_value(links, "stats.knet.node2.link0.tx_data_packets", 77);  // ignored field
  add_knet_value(links, "stats.knet.handle.tx_crypt_packets", 5);       // not per link
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].latency_ave_us, 120u);
  EXPECT_EQ(links[0].latency_max_us, 900u);
  EXPECT_EQ(links[0].latency_min_us, 40u);
  EXPECT_EQ(links[0].latency_samples, 4u);
  EXPECT_TRUE(links[0].connected);
  EXPECT_EQ(links[1].link, 1);
  EXPECT_FALSE(links[1].connected);
  EXPECT_EQ(links[1].down_count, 3u);
}

TEST(KnetStats, NotRunningIsAStateLabelled) {
  KnetSnapshot s;
  EXPECT_EQ(knet_text(s), "corosync-reported: corosync not running here\n");
  auto j = knet_json(s);
  EXPECT_EQ(j["source"], "corosync-reported");
  EXPECT_EQ(j["running"], false);
  EXPECT_EQ(j["state"], "corosync not running here");
}

TEST(KnetStats, RendersLinks) {
  KnetSnapshot s;
  s.state = KnetSnapshot::State::ok;
  s.local_nodeid = 1;
  KnetLinkStats up;
  up.nodeid = 2;
  up.link = 0;
  up.peer_addr = "198.51.100.2";
  up.connected = true;
  up.latency_ave_us = 1500;
  up.latency_min_us = 60;
  up.latency_max_us = 17700;
  up.latency_samples = 4;
  KnetLinkStats down;
  down.nodeid = 2;
  down.link = 1;
  down.down_count = 2;
  s.links = {up, down};
  EXPECT_EQ(knet_text(s),
            "corosync-reported: node 2 link 0 198.51.100.2: knet latency ave 1.500 ms, min "
            "0.060 ms, max 17.700 ms (4 samples)\n"
            "corosync-reported: node 2 link 1: not connected (down 2 times)\n");
  auto j = knet_json(s);
  EXPECT_EQ(j["running"], true);
  EXPECT_EQ(j["local_nodeid"], 1);
  ASSERT_EQ(j["links"].size(), 2u);
  EXPECT_EQ(j["links"][0]["latency_max_us"], 17700);
  EXPECT_EQ(j["links"][0]["peer"], "198.51.100.2");
  EXPECT_FALSE(j["links"][1].contains("peer"));
}

TEST(KnetStats, ReaderWithoutCorosyncReportsNotRunning) {
  // The unit-test process runs in a namespace where no corosync listens (the
  // build machine's namespace has none), so libcmap cannot connect.
  auto s = read_knet_stats();
  if (s.running()) GTEST_SKIP() << "a corosync runs in this network namespace";
  EXPECT_TRUE(s.links.empty());
  EXPECT_FALSE(s.detail.empty());
}

}  // namespace
}  // namespace lw::corosync
