// SPDX-License-Identifier: GPL-2.0-only
// `lanewarden run`: reloads on a changed file and on SIGHUP, keeps the
// running policy when the new one is invalid, leaves enforcement pinned on
// SIGTERM and removes everything with --detach-on-exit.
#include <filesystem>

#include "support/traffic.h"
#include "test_run_support.h"

namespace lw::test::daemon_e2e {
namespace {

class RunDaemon : public RunNode {};

TEST_F(RunDaemon, ReloadsAChangedFileAndKeepsThePolicyWhenTheNewOneIsInvalid) {
  auto& d = start(policy("audit"));
  EXPECT_TRUE(d.wait_for_log("policy generation 1 in force (audit mode)")) << d.log();

  // A broken file: refused with its location, generation 1 stays.
  write_file(policy_file_, policy("enforce") + "classes = [\"nope\"]\n");
  ASSERT_TRUE(d.wait_for_log("reload refused")) << d.log();
  EXPECT_NE(d.log().find(policy_file_ + ":"), std::string::npos) << d.log();
  auto s = scrape();
  EXPECT_EQ(value_or_zero(s, "lanewarden_policy_generation"), 1);
  EXPECT_EQ(value_or_zero(s, "lanewarden_policy_reloads_total{result=\"refused\"}"), 1);
  ASSERT_TRUE(s.count("lanewarden_policy_last_reload_successful"));
  EXPECT_EQ(s.at("lanewarden_policy_last_reload_successful"), 0);  // LanewardenPolicyRefused
  // Enforcement is still the audit policy: the misplaced flow passes.
  TcpSink sink(*b_, "203.0.113.130", 6800);
  auto r = send_tcp(*a_, {.dst = "203.0.113.130", .dport = 6800, .bytes = 1000, .timeout = 3s});
  EXPECT_TRUE(r.connected && r.error.empty()) << r.error;

  // A fixed file: applied without a signal.
  write_file(policy_file_, policy("enforce"));
  ASSERT_TRUE(d.wait_for_log("policy generation 2 in force (enforce mode)")) << d.log();
  r = send_tcp(*a_, {.dst = "203.0.113.130", .dport = 6800, .bytes = 1000, .timeout = 2s});
  EXPECT_FALSE(r.connected && r.error.empty()) << "enforce mode should drop the Ceph flow";

  // SIGHUP re-applies the same file.
  d.signal(SIGHUP);
  ASSERT_TRUE(d.wait_for_log("policy generation 3 in force")) << d.log();
  s = scrape();
  EXPECT_EQ(value_or_zero(s, "lanewarden_policy_reloads_total{result=\"applied\"}"), 2);
  EXPECT_EQ(value_or_zero(s, "lanewarden_policy_generation"), 3);
  EXPECT_EQ(value_or_zero(s, "lanewarden_policy_last_reload_successful"), 1);
}

TEST_F(RunDaemon, SigtermLeavesEnforcementPinned) {
  auto& d = start(policy("enforce"));
  d.signal(SIGTERM);
  ASSERT_EQ(d.wait_exit(), 0) << d.log();
  EXPECT_NE(d.log().find("enforcement stays in place"), std::string::npos) << d.log();
  EXPECT_TRUE(std::filesystem::exists(node_->pin_dir() + "/lw_ingress"));
  auto tc = a_->exec_ok("tc filter show dev " + iface() + " ingress");
  EXPECT_NE(tc.find("direct-action"), std::string::npos) << tc;
  // Still enforcing without the daemon.
  TcpSink sink(*b_, "203.0.113.130", 6800);
  auto r = send_tcp(*a_, {.dst = "203.0.113.130", .dport = 6800, .bytes = 1000, .timeout = 2s});
  EXPECT_FALSE(r.connected && r.error.empty());
  EXPECT_EQ(sink.bytes(), 0u);
}

TEST_F(RunDaemon, DetachOnExitRemovesEverything) {
  auto& d = start(policy("enforce"), "--detach-on-exit");
  d.signal(SIGINT);
  ASSERT_EQ(d.wait_exit(), 0) << d.log();
  EXPECT_FALSE(std::filesystem::exists(node_->pin_dir()));
  auto tc = a_->exec_ok("tc filter show dev " + iface() + " ingress; tc filter show dev " +
                        iface() + " egress");
  EXPECT_EQ(tc, "");
  EXPECT_EQ(a_->exec_ok("tc qdisc show dev " + iface()).find("clsact"), std::string::npos);
}

TEST_F(RunDaemon, InvalidFirstPolicyExitsWithUsageError) {
  write_file(policy_file_, "mode = \"enforce\"\n[[lane]]\ninterface = \"" + iface() +
                               "\"\nclasses = [\"corosync\"]\n");
  auto r = node_->run("run " + policy_file_ + " --metrics off", 10s);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find(policy_file_ + ":4:"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(node_->pin_dir()));
}

}  // namespace
}  // namespace lw::test::daemon_e2e
