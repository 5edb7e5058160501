// SPDX-License-Identifier: GPL-2.0-only
// Crash and restart (issue #8): kill -9 of `lanewarden run` while traffic
// flows leaves enforcement running from the pins; a new `run` adopts the
// pinned programs without detaching (same tc filter, same program id) and
// the counters keep growing from where they were; `detach` afterwards leaves
// no filter, qdisc, pin or map behind.
#include <filesystem>
#include <regex>

#include "support/packet_builder.h"
#include "support/traffic.h"
#include "test_run_support.h"

namespace lw::test::daemon_e2e {
namespace {

// "... direct-action ... id 123 ..." of lanewarden's filter on one hook.
std::string filter_prog_id(const NetNs& ns, const std::string& dev, const char* hook) {
  const std::string out = ns.exec_ok("tc filter show dev " + dev + " " + hook);
  std::smatch m;
  if (std::regex_search(out, m, std::regex("lw_\\w+.* id (\\d+)"))) return m[1];
  return "";
}

// Program ids of lanewarden's pinned programs as bpftool lists them.
bool bpftool_lists_prog(const std::string& id) {
  return run("bpftool prog show id " + id + " >/dev/null 2>&1").ok();
}

class RestartCrash : public RunNode {
 protected:
  uint64_t ceph_drops(const Scrape& s) const {
    return static_cast<uint64_t>(value_or_zero(
        s, packets_series("lanewarden_packets_total", "ingress", "ceph_public", "drop")));
  }
  // N misplaced Ceph frames from the peer, dropped at A's ingress.
  void send_ceph(size_t n) const {
    auto frame =
        PacketBuilder().ipv4("203.0.113.130", "203.0.113.129").tcp(41000, 6800).payload(10).build();
    ASSERT_EQ(send_raw_frame(*b_, link_->name_b(), frame, n), n);
  }
};

TEST_F(RestartCrash, KillNineKeepsEnforcingAndANewDaemonAdoptsWithoutDetaching) {
  auto& first = start(policy("enforce"));
  const std::string ingress_id = filter_prog_id(*a_, iface(), "ingress");
  const std::string egress_id = filter_prog_id(*a_, iface(), "egress");
  ASSERT_FALSE(ingress_id.empty());
  ASSERT_FALSE(egress_id.empty());

  // Corosync flows before, during and after the crash.
  UdpSink coro(*b_, "198.51.100.2", 5405);
  send_ceph(5);
  ASSERT_EQ(send_udp(*a_, {.dst = "198.51.100.2", .dport = 5405, .sport = 5405, .count = 100}),
            100u);
  first.signal(SIGKILL);
  ASSERT_EQ(first.wait_exit(), 128 + SIGKILL);

  // No daemon: the pinned programs still count and drop.
  send_ceph(5);
  ASSERT_EQ(send_udp(*a_, {.dst = "198.51.100.2", .dport = 5405, .sport = 5405, .count = 100}),
            100u);
  EXPECT_EQ(coro.receive(200, 5s), 200u);
  EXPECT_EQ(node_->packets(iface(), "ingress", "ceph_public", "drop"), 10u);
  EXPECT_EQ(node_->packets(iface(), "egress", "corosync", "pass"), 200u);
  TcpSink sink(*b_, "203.0.113.130", 6800);
  auto r = send_tcp(*a_, {.dst = "203.0.113.130", .dport = 6800, .bytes = 1000, .timeout = 2s});
  EXPECT_FALSE(r.connected && r.error.empty()) << "enforcement stopped with the daemon";
  EXPECT_EQ(sink.bytes(), 0u);

  // A new daemon adopts: the same programs stay attached, counters carry on.
  auto& second = start(policy("enforce"));
  EXPECT_NE(second.log().find("adopting the enforcement pinned"), std::string::npos)
      << second.log();
  EXPECT_EQ(second.log().find("loaded BPF programs"), std::string::npos) << second.log();
  EXPECT_EQ(filter_prog_id(*a_, iface(), "ingress"), ingress_id);
  EXPECT_EQ(filter_prog_id(*a_, iface(), "egress"), egress_id);
  const uint64_t before = ceph_drops(scrape());
  EXPECT_GE(before, 10u);
  send_ceph(3);
  EXPECT_EQ(ceph_drops(scrape()), before + 3);
  ASSERT_EQ(send_udp(*a_, {.dst = "198.51.100.2", .dport = 5405, .sport = 5405, .count = 50}), 50u);
  EXPECT_EQ(coro.receive(50, 5s), 50u);

  // Stop it, detach, and nothing of lanewarden is left.
  second.signal(SIGTERM);
  ASSERT_EQ(second.wait_exit(), 0);
  auto d = node_->run("detach");
  ASSERT_TRUE(d.ok()) << d.err;
  EXPECT_FALSE(std::filesystem::exists(node_->pin_dir()));
  EXPECT_EQ(a_->exec_ok("tc filter show dev " + iface() + " ingress"), "");
  EXPECT_EQ(a_->exec_ok("tc filter show dev " + iface() + " egress"), "");
  EXPECT_EQ(a_->exec_ok("tc qdisc show dev " + iface()).find("clsact"), std::string::npos);
  // The programs and maps are gone from the kernel, not only unpinned.
  EXPECT_FALSE(bpftool_lists_prog(ingress_id));
  EXPECT_FALSE(bpftool_lists_prog(egress_id));
  const std::string maps = run_ok("bpftool map show");
  EXPECT_EQ(maps.find("lw_counters"), std::string::npos) << "a lanewarden map outlived detach";
}

}  // namespace
}  // namespace lw::test::daemon_e2e
