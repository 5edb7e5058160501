// SPDX-License-Identifier: GPL-2.0-only
// Corosync's health in metrics: stats.srp keys, the latency histogram fed
// by each read, the families and their labels, and the poller that keeps a
// stuck corosync off the scrape's path.
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <atomic>
#include <future>
#include <optional>
#include <thread>

#include "corosync/health_poller.h"
#include "metrics/corosync_families.h"

namespace lw::corosync {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

KnetLinkStats link(uint32_t nodeid, int link, bool connected, uint64_t ave_us,
                   std::string name = "") {
  KnetLinkStats l;
  l.nodeid = nodeid;
  l.link = link;
  l.connected = connected;
  l.latency_ave_us = ave_us;
  l.latency_samples = connected ? 4 : 0;
  l.peer_name = std::move(name);
  return l;
}

KnetSnapshot running_snapshot() {
  KnetSnapshot s;
  s.state = KnetSnapshot::State::ok;
  s.local_nodeid = 1;
  s.local_name = "pve1";
  s.srp = {.present = true, .operational_token_lost = 2, .mcast_retx = 17};
  s.links = {link(2, 0, true, 800, "pve2"), link(2, 1, false, 0, "pve2"), link(3, 0, true, 4000)};
  s.links[1].down_count = 3;
  return s;
}

std::string serialize(const metrics::Families& f) {
  return prometheus::TextSerializer().Serialize(f);
}

bool has(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(CorosyncMetrics, SrpKeys) {
  SrpStats srp;
  add_srp_value(srp, "stats.srp.mcast_tx", 99);  // not exported
  EXPECT_FALSE(srp.present);
  add_srp_value(srp, "stats.srp.operational_token_lost", 5);
  add_srp_value(srp, "stats.srp.mcast_retx", 8);
  EXPECT_TRUE(srp.present);
  EXPECT_EQ(srp.operational_token_lost, 5u);
  EXPECT_EQ(srp.mcast_retx, 8u);
}

TEST(CorosyncMetrics, HistogramBucketsIncludeTheirUpperBound) {
  LatencyHistogram h;
  h.observe(0.005);   // le="0.005"
  h.observe(0.0051);  // le="0.0075"
  h.observe(3.0);     // +Inf
  EXPECT_EQ(h.buckets[6], 1u);
  EXPECT_EQ(h.buckets[7], 1u);
  EXPECT_EQ(h.buckets.back(), 1u);
  EXPECT_EQ(h.count, 3u);
  EXPECT_DOUBLE_EQ(h.sum_seconds, 3.0101);
}

TEST(CorosyncMetrics, EachReadObservesConnectedLinksOnly) {
  CorosyncHealth h;
  fold_read(h, running_snapshot());
  fold_read(h, running_snapshot());
  ASSERT_EQ(h.latency.size(), 2u);  // (2,0) and (3,0); link 1 to node 2 is down
  EXPECT_EQ(h.latency.at({2, 0}).count, 2u);
  EXPECT_DOUBLE_EQ(h.latency.at({2, 0}).sum_seconds, 0.0016);
  EXPECT_EQ(h.latency.at({3, 0}).buckets[4], 0u);
  EXPECT_EQ(h.latency.at({3, 0}).buckets[6], 2u);  // 4 ms <= 5 ms
  EXPECT_TRUE(h.up());
}

TEST(CorosyncMetrics, FamiliesCarryNodePeerLink) {
  CorosyncHealth h;
  fold_read(h, running_snapshot());
  const std::string text = serialize(metrics::corosync_families(h));
  EXPECT_TRUE(has(text, "lanewarden_corosync_up 1")) << text;
  EXPECT_TRUE(has(text, "lanewarden_corosync_read_stalls_total 0")) << text;
  EXPECT_TRUE(
      has(text, "lanewarden_corosync_knet_link_up{node=\"pve1\",peer=\"pve2\",link=\"0\"} 1"))
      << text;
  EXPECT_TRUE(
      has(text, "lanewarden_corosync_knet_link_up{node=\"pve1\",peer=\"pve2\",link=\"1\"} 0"))
      << text;
  // No name in the nodelist: the node id.
  EXPECT_TRUE(has(text, "lanewarden_corosync_knet_link_up{node=\"pve1\",peer=\"3\",link=\"0\"} 1"))
      << text;
  EXPECT_TRUE(has(
      text, "lanewarden_corosync_knet_link_down_total{node=\"pve1\",peer=\"pve2\",link=\"1\"} 3"))
      << text;
  EXPECT_TRUE(has(text, "# TYPE lanewarden_corosync_knet_latency_seconds histogram")) << text;
  EXPECT_TRUE(has(text,
                  "lanewarden_corosync_knet_latency_seconds_bucket{node=\"pve1\",peer=\"3\",link="
                  "\"0\",le=\"0.003\"} 0"))
      << text;
  EXPECT_TRUE(has(text,
                  "lanewarden_corosync_knet_latency_seconds_bucket{node=\"pve1\",peer=\"3\",link="
                  "\"0\",le=\"0.005\"} 1"))
      << text;
  EXPECT_TRUE(has(text,
                  "lanewarden_corosync_knet_latency_seconds_bucket{node=\"pve1\",peer=\"3\",link="
                  "\"0\",le=\"+Inf\"} 1"))
      << text;
  EXPECT_TRUE(has(text,
                  "lanewarden_corosync_knet_latency_seconds_count{node=\"pve1\",peer=\"pve2\","
                  "link=\"0\"} 1"))
      << text;
  // The down link has no sample, hence no histogram.
  EXPECT_EQ(text.find("lanewarden_corosync_knet_latency_seconds_count{node=\"pve1\",peer=\"pve2\","
                      "link=\"1\"}"),
            std::string::npos)
      << text;
  EXPECT_TRUE(has(text, "lanewarden_corosync_srp_token_lost_total{node=\"pve1\"} 2")) << text;
  EXPECT_TRUE(has(text, "lanewarden_corosync_srp_retransmits_total{node=\"pve1\"} 17")) << text;
}

TEST(CorosyncMetrics, NotRunningOrStalledExportsOnlyUp) {
  CorosyncHealth never;
  std::string text = serialize(metrics::corosync_families(never));
  EXPECT_TRUE(has(text, "lanewarden_corosync_up 0")) << text;
  EXPECT_EQ(text.find("knet"), std::string::npos) << text;

  CorosyncHealth gone;
  fold_read(gone, KnetSnapshot{});  // libcmap could not connect
  text = serialize(metrics::corosync_families(gone));
  EXPECT_TRUE(has(text, "lanewarden_corosync_up 0")) << text;

  CorosyncHealth stuck;
  fold_read(stuck, running_snapshot());
  stuck.stalled = true;
  stuck.stalls = 1;
  text = serialize(metrics::corosync_families(stuck));
  EXPECT_TRUE(has(text, "lanewarden_corosync_up 0")) << text;
  EXPECT_TRUE(has(text, "lanewarden_corosync_read_stalls_total 1")) << text;
  EXPECT_EQ(text.find("lanewarden_corosync_knet_link_up"), std::string::npos) << text;
  EXPECT_EQ(text.find("srp"), std::string::npos) << text;
}

// A reader that hangs like libcmap against a stopped corosync, until released.
struct BlockingReader {
  std::shared_future<void> release;
  std::shared_ptr<std::atomic<int>> reads = std::make_shared<std::atomic<int>>(0);
  std::shared_ptr<std::atomic<bool>> returned = std::make_shared<std::atomic<bool>>(false);
  KnetSnapshot operator()() const {
    if ((*reads)++ > 0) release.wait();
    *returned = true;
    return running_snapshot();
  }
};

template <typename Pred>
bool eventually(Pred p, std::chrono::milliseconds limit = 3s) {
  for (auto end = Clock::now() + limit; Clock::now() < end; std::this_thread::sleep_for(10ms))
    if (p()) return true;
  return false;
}

TEST(CorosyncPoller, StuckReadShowsAsDownWithoutBlocking) {
  std::promise<void> release;
  BlockingReader reader{release.get_future().share()};
  HealthPoller poller(reader, 20ms, 200ms);
  // The first read answers; the second hangs.
  ASSERT_TRUE(eventually([&] { return poller.latest().up(); }));
  ASSERT_TRUE(eventually([&] { return *reader.reads >= 2; }));
  ASSERT_TRUE(eventually([&] { return poller.latest().stalled; }));
  auto t0 = Clock::now();
  auto h = poller.latest();
  EXPECT_LT(Clock::now() - t0, 50ms);
  EXPECT_FALSE(h.up());
  EXPECT_TRUE(h.snapshot.running());  // the last answer is kept, marked stale
  EXPECT_GE(h.age_seconds, 0.2);
  EXPECT_EQ(h.latency.at({2, 0}).count, 1u);
  // Corosync answers again: up, and the long read is counted.
  release.set_value();
  ASSERT_TRUE(eventually([&] {
    auto l = poller.latest();
    return l.up() && l.stalls == 1 && l.latency.at({2, 0}).count >= 2;
  }));
}

TEST(CorosyncPoller, DestructorDoesNotWaitForAStuckRead) {
  std::promise<void> release;
  BlockingReader reader{release.get_future().share()};
  auto returned = reader.returned;
  std::optional<HealthPoller> poller;
  poller.emplace(reader, 10ms, 100ms);
  ASSERT_TRUE(eventually([&] { return *reader.reads >= 2; }));
  *returned = false;
  auto t0 = Clock::now();
  poller.reset();
  EXPECT_LT(Clock::now() - t0, 1s);
  EXPECT_FALSE(returned->load());
  // The detached read ends when corosync answers, touching only its own state.
  release.set_value();
  EXPECT_TRUE(eventually([&] { return returned->load(); }));
}

}  // namespace
}  // namespace lw::corosync
