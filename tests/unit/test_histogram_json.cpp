// SPDX-License-Identifier: GPL-2.0-only
// `lanewarden hist --format json` snapshots and the latency alarm events
// (telemetry/histogram_report.h, telemetry/histogram_alarm.h).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "telemetry/histogram_alarm.h"
#include "telemetry/histogram_report.h"

namespace lw::telemetry {
namespace {

constexpr int64_t kTs = 1'700'000'000'123'456'789;

HistSnapshot two_intervals() {
  HistSnapshot s;
  s.realtime_ns = kTs;
  s.names = {{0, "eth1"}, {3, "vmbr0"}};
  Histogram coro_before;
  for (int i = 0; i < 10; i++) coro_before.record(9'000'000);  // earlier: 9 ms
  Histogram coro_now = coro_before;
  for (int i = 0; i < 4; i++) coro_now.record(200'000);  // this interval: 0.2 ms
  Histogram ceph_now;
  ceph_now.record(1'500'000);
  s.previous[{0, LW_CLASS_COROSYNC}] = coro_before;
  s.totals[{0, LW_CLASS_COROSYNC}] = coro_now;
  s.totals[{3, LW_CLASS_CEPH_PUBLIC}] = ceph_now;  // new key: all of it is this interval
  s.interval_s = 2.0;
  s.rtt.bad_options = 3;
  return s;
}

TEST(HistogramJson, IntervalSnapshotHasDeltasAndTotals) {
  nlohmann::json j = snapshot_json(two_intervals());
  EXPECT_EQ(j["ts"], "2023-11-14T22:13:20.123456789Z");
  EXPECT_EQ(j["interval_s"], 2.0);
  ASSERT_EQ(j["histograms"].size(), 2u);
  const auto& coro = j["histograms"][0];
  EXPECT_EQ(coro["class"], "corosync");
  EXPECT_EQ(coro["iface"], "eth1");
  EXPECT_EQ(coro["count"], 4);
  EXPECT_DOUBLE_EQ(coro["sum_us"].get<double>(), 800.0);
  EXPECT_NEAR(coro["p99_us"].get<double>(), 200.0, 200.0 * kQuantileRelativeError);
  EXPECT_LT(coro["max_us"].get<double>(), 1000.0);  // the 9 ms samples are not this interval's
  ASSERT_EQ(coro["buckets"].size(), 1u);
  EXPECT_EQ(coro["buckets"][0]["count"], 4);
  EXPECT_LE(coro["buckets"][0]["lo_us"].get<double>(), 200.0);
  EXPECT_GT(coro["buckets"][0]["hi_us"].get<double>(), 200.0);
  EXPECT_EQ(coro["cumulative"]["count"], 14);
  EXPECT_DOUBLE_EQ(coro["cumulative"]["max_us"].get<double>(), 9000.0);
  const auto& ceph = j["histograms"][1];
  EXPECT_EQ(ceph["class"], "ceph_public");
  EXPECT_EQ(ceph["iface"], "vmbr0");
  EXPECT_EQ(ceph["count"], 1);
  EXPECT_DOUBLE_EQ(ceph["max_us"].get<double>(), 1500.0);
  EXPECT_EQ(j["rtt_untracked"]["bad_tcp_options"], 3);
  // JSON Lines: one line per snapshot.
  EXPECT_EQ(j.dump().find('\n'), std::string::npos);
}

TEST(HistogramJson, OneOffSnapshotShowsTotals) {
  HistSnapshot s = two_intervals();
  s.interval_s.reset();
  nlohmann::json j = snapshot_json(s);
  EXPECT_TRUE(j["interval_s"].is_null());
  EXPECT_EQ(j["histograms"][0]["count"], 14);
}

TEST(HistogramJson, EmptyIntervalHasNullQuantiles) {
  HistSnapshot s = two_intervals();
  s.previous = s.totals;  // nothing happened since
  nlohmann::json j = snapshot_json(s);
  EXPECT_EQ(j["histograms"][0]["count"], 0);
  EXPECT_TRUE(j["histograms"][0]["p99_us"].is_null());
  EXPECT_TRUE(j["histograms"][0]["max_us"].is_null());
  EXPECT_EQ(j["histograms"][0]["cumulative"]["count"], 14);
}

TEST(HistogramText, BarsAndQuantiles) {
  std::ostringstream out;
  render_snapshot_text(out, two_intervals());
  const std::string t = out.str();
  EXPECT_NE(t.find("corosync on eth1: 4 samples"), std::string::npos) << t;
  EXPECT_NE(t.find("p99 "), std::string::npos) << t;
  EXPECT_NE(t.find("|****************************************|"), std::string::npos) << t;
  EXPECT_NE(t.find("ceph_public on vmbr0: 1 samples"), std::string::npos) << t;
  EXPECT_NE(t.find("3 malformed TCP option lists"), std::string::npos) << t;
}

TEST(LatencyAlarm, RaisedWhenTheIntervalP99ExceedsTheThreshold) {
  HistMap before, now;
  Histogram slow;
  for (int i = 0; i < 100; i++) slow.record(7'000'000);  // 7 ms
  now[{0, LW_CLASS_COROSYNC}] = slow;
  Histogram fast;
  for (int i = 0; i < 100; i++) fast.record(100'000);
  now[{0, LW_CLASS_STORAGE}] = fast;
  now[{0, LW_CLASS_MIGRATION}] = slow;  // no threshold for migration
  uint32_t thresholds[LW_NR_CLASSES] = {};
  thresholds[LW_CLASS_COROSYNC] = 5000;
  thresholds[LW_CLASS_STORAGE] = 10000;
  auto events = check_latency(before, now, thresholds, {{0, "eth1"}}, kTs, 1.0);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].cls, LW_CLASS_COROSYNC);
  EXPECT_EQ(events[0].samples, 100u);
  nlohmann::json j = latency_event_json(events[0]);
  EXPECT_EQ(j["kind"], "latency");
  EXPECT_EQ(j["class"], "corosync");
  EXPECT_EQ(j["iface"], "eth1");
  EXPECT_EQ(j["threshold_us"], 5000.0);
  EXPECT_NEAR(j["p99_us"].get<double>(), 7000.0, 7000.0 * kQuantileRelativeError);
  EXPECT_EQ(j["samples"], 100);
  EXPECT_EQ(j["ts"], "2023-11-14T22:13:20.123456789Z");
  EXPECT_NE(latency_event_text(events[0]).find("latency class=corosync iface=eth1"),
            std::string::npos);
}

TEST(LatencyAlarm, OnlyTheIntervalCounts) {
  Histogram before;
  for (int i = 0; i < 100; i++) before.record(7'000'000);  // slow, but in the past
  Histogram now = before;
  for (int i = 0; i < 10; i++) now.record(100'000);
  uint32_t thresholds[LW_NR_CLASSES] = {};
  thresholds[LW_CLASS_COROSYNC] = 5000;
  auto events = check_latency({{{0, LW_CLASS_COROSYNC}, before}}, {{{0, LW_CLASS_COROSYNC}, now}},
                              thresholds, {}, kTs, 1.0);
  EXPECT_TRUE(events.empty());
}

}  // namespace
}  // namespace lw::telemetry
