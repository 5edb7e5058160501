// SPDX-License-Identifier: GPL-2.0-only
// The Prometheus endpoint of `lanewarden run`, scraped with curl: the values
// are the kernel's exact counters for traffic the test sent.
#include "support/packet_builder.h"
#include "support/traffic.h"
#include "test_run_support.h"

namespace lw::test::daemon_e2e {
namespace {

class MetricsScrape : public RunNode {};

TEST_F(MetricsScrape, CountersMatchTheTrafficSent) {
  start(policy("enforce"));
  // 50 Corosync datagrams A -> B: egress on the exclusive Corosync lane, passed.
  UdpSink sink(*b_, "198.51.100.2", 5405);
  ASSERT_EQ(
      send_udp(*a_,
               {.dst = "198.51.100.2", .dport = 5405, .sport = 5405, .size = 100, .count = 50}),
      50u);
  EXPECT_EQ(sink.receive(50, 5s), 50u);
  // 7 Ceph frames B -> A: ingress intruders on the Corosync lane, dropped.
  auto ceph =
      PacketBuilder().ipv4("203.0.113.130", "203.0.113.129").tcp(41000, 6800).payload(10).build();
  ASSERT_EQ(send_raw_frame(*b_, link_->name_b(), ceph, 7), 7u);

  auto s = scrape();
  EXPECT_EQ(
      value_or_zero(s, packets_series("lanewarden_packets_total", "egress", "corosync", "pass")),
      50);
  // skb->len at egress: Ethernet 14 + IPv4 20 + UDP 8 + 100 payload.
  EXPECT_EQ(
      value_or_zero(s, packets_series("lanewarden_bytes_total", "egress", "corosync", "pass")),
      50 * 142);
  EXPECT_EQ(value_or_zero(
                s, packets_series("lanewarden_packets_total", "ingress", "ceph_public", "drop")),
            7);
  const std::string where = "{iface=\"" + iface() + "\",dir=\"ingress\"";
  EXPECT_EQ(
      value_or_zero(s, "lanewarden_dropped_packets_total" + where + ",class=\"ceph_public\"}"), 7);
  EXPECT_EQ(value_or_zero(s, "lanewarden_violations_total" + where +
                                 ",kind=\"intruder\",class=\"ceph_public\"}"),
            7);
  // Flood control folds the repeats of one flow: events + suppressed + the
  // one still pending cover all 7 violations, and nothing was lost.
  EXPECT_GE(value_or_zero(s, "lanewarden_events_total"), 1);
  EXPECT_LE(value_or_zero(s, "lanewarden_events_total") +
                value_or_zero(s, "lanewarden_events_suppressed_total"),
            7);
  EXPECT_EQ(value_or_zero(s, "lanewarden_events_lost_total"), 0);
  EXPECT_EQ(value_or_zero(s, "lanewarden_policy_generation"), 1);
  EXPECT_EQ(value_or_zero(s, "lanewarden_attached_interfaces"), 1);
  EXPECT_EQ(value_or_zero(s, "lanewarden_pinned"), 1);
  EXPECT_EQ(value_or_zero(s, "lanewarden_class_enforced{class=\"ceph_public\"}"), 1);
  // Corosync audits unless its own class section says otherwise.
  EXPECT_EQ(value_or_zero(s, "lanewarden_class_enforced{class=\"corosync\"}"), 0);

  // The same numbers as `status`: both read the same per-CPU counters.
  EXPECT_EQ(node_->packets(iface(), "ingress", "ceph_public", "drop"), 7u);
  // The daemon logged the violation it consumed from the ring buffer.
  EXPECT_TRUE(daemon_->wait_for_log("violation: ")) << daemon_->log();
}

TEST_F(MetricsScrape, EndpointIsOnLoopbackOnlyByDefault) {
  start(policy("audit"));
  auto r = a_->exec("ss -Htln");
  ASSERT_TRUE(r.ok()) << r.err;
  EXPECT_NE(r.out.find("127.0.0.1:9775"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("0.0.0.0:9775"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("*:9775"), std::string::npos) << r.out;
}

TEST_F(MetricsScrape, CustomAddressAndBadAddressRefused) {
  start(policy("audit"), "--metrics 127.0.0.1:9899");
  EXPECT_EQ(value_or_zero(scrape(9899), "lanewarden_pinned"), 1);
  // A host name or a missing port is bad usage, refused before anything loads.
  auto bad = node_->run("run " + policy_file_ + " --metrics localhost:9775", 10s);
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_NE(bad.err.find("not an IP address"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace lw::test::daemon_e2e
