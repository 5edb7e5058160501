// SPDX-License-Identifier: GPL-2.0-only
// `lanewarden run` sends the policy's Corosync echo probes, the datapath
// times them as Corosync echo, and both show on the metrics endpoint.
#include "test_run_support.h"

namespace lw::test::daemon_e2e {
namespace {

using namespace std::chrono_literals;

class RunProbes : public RunNode {};

TEST_F(RunProbes, ProbesRunAndTheirEchoIsTimedAsCorosync) {
  start(policy("audit") + "[probe]\ninterval = \"20ms\"\npeers = [\"198.51.100.2\"]\n");
  const std::string peer = "{link=\"0\",local=\"198.51.100.1\",peer=\"198.51.100.2\"}";
  const std::string rtt =
      "lanewarden_rtt_seconds_count{iface=\"" + iface() + "\",class=\"corosync\"}";

  // Bounded wait for a handful of answered probes (about 0.2 s at 20 ms).
  Scrape s;
  for (auto deadline = Clock::now() + 10s; Clock::now() < deadline;
       std::this_thread::sleep_for(100ms)) {
    s = scrape();
    if (value_or_zero(s, "lanewarden_probes_answered_total" + peer) >= 10 &&
        value_or_zero(s, rtt) >= 10)
      break;
  }
  const double sent = value_or_zero(s, "lanewarden_probes_sent_total" + peer);
  const double answered = value_or_zero(s, "lanewarden_probes_answered_total" + peer);
  EXPECT_GE(answered, 10) << daemon_->log();
  EXPECT_GE(sent, answered);
  EXPECT_EQ(value_or_zero(s, "lanewarden_probes_send_errors_total" + peer), 0);
  // Every timed echo came from a probe: the test sends no other ping.
  EXPECT_GE(value_or_zero(s, rtt), 10);
  EXPECT_LE(value_or_zero(s, rtt), sent);
  EXPECT_TRUE(daemon_->wait_for_log("probe: link 0 198.51.100.1 -> 198.51.100.2"))
      << daemon_->log();
}

TEST_F(RunProbes, AReloadWithoutPeersStopsTheProbes) {
  auto& d = start(policy("audit") + "[probe]\ninterval = \"20ms\"\npeers = [\"198.51.100.2\"]\n");
  EXPECT_TRUE(d.wait_for_log("probe: link 0")) << d.log();
  write_file(policy_file_, policy("audit"));
  EXPECT_TRUE(d.wait_for_log("policy generation 2")) << d.log();
  auto s = scrape();
  for (auto& [series, value] : s)
    EXPECT_EQ(series.rfind("lanewarden_probes_sent_total", 0), std::string::npos) << series;
}

}  // namespace
}  // namespace lw::test::daemon_e2e
