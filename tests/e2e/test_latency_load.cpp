// SPDX-License-Identifier: GPL-2.0-only
// Corosync's probes see the queue bulk traffic builds: node A's egress is a
// 20 Mbit/s TBF, `lanewarden probe` measures the link while idle and then
// under a bounded bulk TCP transfer, and the corosync-class histogram's p99
// moves from well under a millisecond to many milliseconds. About 8 s.
#include <thread>

#include "support/traffic.h"
#include "test_latency_support.h"

namespace lw::test::latency {
namespace {

TEST_F(LatencyPair, CorosyncProbeHistogramShiftsUnderBulkTraffic) {
  // Queue up to 100 ms at 20 Mbit/s on A's egress, where the queue forms
  // (docs/testbed.md, "Corosync").
  topo_->node(0).exec_ok("tc qdisc add dev " + topo_->node_if(0) +
                         " root tbf rate 20mbit burst 32kb latency 100ms");
  apply();
  auto idle_run = node_->run("probe " + shell_quote(policy_) + " --count 100 --format json");
  ASSERT_EQ(idle_run.exit_code, 0) << idle_run.out << idle_run.err;
  auto idle = corosync_hist();
  ASSERT_FALSE(idle.is_null());
  ASSERT_GE(idle["count"].get<int>(), 95);
  double idle_p99 = idle["p99_us"].get<double>();

  // Fresh histograms for the loaded phase: detach drops the maps.
  ASSERT_TRUE(node_->run("detach").ok());
  apply();
  TcpSink sink(topo_->node(1), "198.51.100.2", 0);
  std::thread bulk([&] {
    // 20 Mbit/s for 4 s is 10 MB: 12 MB keeps the queue full all along.
    send_tcp(topo_->node(0),
             TcpSendOptions{
                 .dst = "198.51.100.2", .dport = sink.port(), .bytes = 12'000'000, .timeout = 4s});
  });
  std::this_thread::sleep_for(500ms);  // let TCP fill the queue
  auto loaded_run = node_->run("probe " + shell_quote(policy_) + " --duration 2 --format json");
  bulk.join();
  ASSERT_NE(loaded_run.exit_code, 2) << loaded_run.out << loaded_run.err;
  auto loaded = corosync_hist();
  ASSERT_FALSE(loaded.is_null());
  ASSERT_GE(loaded["count"].get<int>(), 50) << loaded.dump();
  double loaded_p99 = loaded["p99_us"].get<double>();
  double loaded_p50 = loaded["p50_us"].get<double>();

  RecordProperty("idle_p99_us", std::to_string(idle_p99));
  RecordProperty("loaded_p50_us", std::to_string(loaded_p50));
  RecordProperty("loaded_p99_us", std::to_string(loaded_p99));
  EXPECT_LT(idle_p99, 2000.0) << "the idle link is not idle";
  EXPECT_GT(loaded_p99, 5000.0) << "no queueing delay seen under load";
  EXPECT_GT(loaded_p99, 10 * idle_p99);
  // The queue is bounded (TBF latency 100 ms): so is what the probes see.
  EXPECT_LT(loaded["max_us"].get<double>(), 1'000'000.0);
  EXPECT_GT(sink.bytes(), 1'000'000u) << "the bulk transfer did not run";
}

}  // namespace
}  // namespace lw::test::latency
