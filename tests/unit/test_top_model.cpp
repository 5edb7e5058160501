// SPDX-License-Identifier: GPL-2.0-only
// The data side of `lanewarden top`: rates between two readings, RTT of the
// interval against the alarm, sorting and filtering, the JSON line, and
// the bonding driver's report with LACP states.
#include <gtest/gtest.h>

#include "common/bonding.h"
#include "telemetry/top_model.h"

namespace lw::telemetry {
namespace {

datapath::IfaceStatus iface(const std::string& name, uint16_t slot, uint8_t lane) {
  datapath::IfaceStatus i;
  i.name = name;
  i.slot = slot;
  i.lane_allowed = lane;
  return i;
}

// Two readings 2 s apart: a Ceph flood on the migration lane (audit:
// violations, no drops), migration on its lane, Corosync with a drop.
std::pair<TopReading, TopReading> readings() {
  TopReading a, b;
  auto migr = iface("lwt-migr", 0, LW_CLASS_BIT(LW_CLASS_MIGRATION));
  auto coro = iface("lwt-coro0", 1, LW_CLASS_BIT(LW_CLASS_COROSYNC));
  coro.lane_flags = LW_LANE_PRESENT | LW_LANE_EXCLUSIVE;
  migr.lane_flags = LW_LANE_PRESENT;
  a.status.ifaces = {migr, coro};
  a.status.constrained = b.status.constrained = LW_CLASS_BIT(LW_CLASS_MIGRATION) |
                                                LW_CLASS_BIT(LW_CLASS_COROSYNC) |
                                                LW_CLASS_BIT(LW_CLASS_CEPH_CLUSTER);
  migr.counters.c[LW_DIR_EGRESS][LW_CLASS_CEPH_CLUSTER][LW_VERDICT_AUDIT] = {.packets = 20000,
                                                                             .bytes = 25'000'000};
  migr.counters.c[LW_DIR_INGRESS][LW_CLASS_CEPH_CLUSTER][LW_VERDICT_AUDIT] = {.packets = 10000,
                                                                              .bytes = 660'000};
  migr.violations.n[LW_DIR_EGRESS][LW_VIOL_WRONG_LANE][LW_CLASS_CEPH_CLUSTER] = 20000;
  migr.violations.n[LW_DIR_INGRESS][LW_VIOL_WRONG_LANE][LW_CLASS_CEPH_CLUSTER] = 10000;
  migr.counters.c[LW_DIR_EGRESS][LW_CLASS_MIGRATION][LW_VERDICT_PASS] = {.packets = 100,
                                                                         .bytes = 1'000'000};
  coro.counters.c[LW_DIR_INGRESS][LW_CLASS_COROSYNC][LW_VERDICT_PASS] = {.packets = 50,
                                                                         .bytes = 10'000};
  coro.counters.c[LW_DIR_INGRESS][LW_CLASS_CEPH_PUBLIC][LW_VERDICT_DROP] = {.packets = 8,
                                                                            .bytes = 800};
  coro.violations.n[LW_DIR_INGRESS][LW_VIOL_INTRUDER][LW_CLASS_CEPH_PUBLIC] = 8;
  // ARP and friends belong everywhere; guest traffic (no lane) on the
  // migration lane is not a violation there.
  migr.counters.c[LW_DIR_INGRESS][LW_CLASS_INFRA][LW_VERDICT_PASS] = {.packets = 2, .bytes = 120};
  migr.counters.c[LW_DIR_INGRESS][LW_CLASS_OTHER][LW_VERDICT_PASS] = {.packets = 2, .bytes = 200};
  // An interface attached between the readings has no rate yet.
  auto fresh = iface("lwt-new", 2, LW_CLASS_BIT(LW_CLASS_MANAGEMENT));
  fresh.counters.c[LW_DIR_EGRESS][LW_CLASS_MANAGEMENT][LW_VERDICT_PASS] = {.packets = 9,
                                                                           .bytes = 900};
  b.status.ifaces = {migr, coro, fresh};
  // Corosync RTT: 99 samples at 400 us, one at 9 ms in the interval.
  Histogram h;
  a.hists[{1, LW_CLASS_COROSYNC}] = h;
  for (int i = 0; i < 99; i++) h.record(400'000);
  h.record(9'000'000);
  b.hists[{1, LW_CLASS_COROSYNC}] = h;
  a.alarm_us[LW_CLASS_COROSYNC] = b.alarm_us[LW_CLASS_COROSYNC] = 5000;
  return {a, b};
}

const TopFlow* find(const std::vector<TopFlow>& rows, const std::string& ifname, int cls) {
  for (const auto& f : rows)
    if (f.iface == ifname && f.cls == cls) return &f;
  return nullptr;
}

TEST(TopModel, RatesPerInterfaceAndClass) {
  auto [a, b] = readings();
  auto s = top_delta(a, b, 2.0);
  ASSERT_EQ(s.flows.size(), 6u);
  const auto* ceph = find(s.flows, "lwt-migr", LW_CLASS_CEPH_CLUSTER);
  ASSERT_TRUE(ceph);
  EXPECT_DOUBLE_EQ(ceph->out_bps, 100e6);  // 25 MB in 2 s
  EXPECT_DOUBLE_EQ(ceph->in_bps, 2.64e6);
  EXPECT_DOUBLE_EQ(ceph->out_pps, 10000);
  EXPECT_DOUBLE_EQ(ceph->violations_per_s, 15000);
  EXPECT_DOUBLE_EQ(ceph->drops_per_s, 0);
  EXPECT_FALSE(ceph->on_lane);
  const auto* migr = find(s.flows, "lwt-migr", LW_CLASS_MIGRATION);
  ASSERT_TRUE(migr);
  EXPECT_TRUE(migr->on_lane);
  EXPECT_DOUBLE_EQ(migr->violations_per_s, 0);
  const auto* intruder = find(s.flows, "lwt-coro0", LW_CLASS_CEPH_PUBLIC);
  ASSERT_TRUE(intruder);
  EXPECT_DOUBLE_EQ(intruder->drops_per_s, 4);
  EXPECT_FALSE(intruder->on_lane);  // exclusive Corosync lane
  EXPECT_TRUE(find(s.flows, "lwt-migr", LW_CLASS_INFRA)->on_lane);
  EXPECT_TRUE(find(s.flows, "lwt-migr", LW_CLASS_OTHER)->on_lane);
  EXPECT_FALSE(find(s.flows, "lwt-new", LW_CLASS_MANAGEMENT));
}

TEST(TopModel, CountersGoingBackwardsAreNoTraffic) {
  auto [a, b] = readings();
  auto s = top_delta(b, a, 1.0);  // every counter smaller than before
  EXPECT_TRUE(s.flows.empty());
}

TEST(TopModel, RttOfTheIntervalAgainstTheAlarm) {
  auto [a, b] = readings();
  auto s = top_delta(a, b, 1.0);
  ASSERT_EQ(s.rtt.size(), 1u);
  EXPECT_EQ(s.rtt[0].cls, LW_CLASS_COROSYNC);
  EXPECT_EQ(s.rtt[0].samples, 100u);
  ASSERT_TRUE(s.rtt[0].p50_ms && s.rtt[0].p99_ms);
  EXPECT_NEAR(*s.rtt[0].p50_ms, 0.4, 0.4 * kQuantileRelativeError);
  EXPECT_NEAR(*s.rtt[0].p99_ms, 0.4, 0.4 * kQuantileRelativeError);  // 99th of 100 is 400 us
  EXPECT_FALSE(s.rtt[0].over());
  // A slow tenth of the samples moves p99 over the 5 ms alarm.
  auto later = b;
  Histogram h = later.hists[{1, LW_CLASS_COROSYNC}];
  for (int i = 0; i < 20; i++) h.record(8'000'000);
  later.hists[{1, LW_CLASS_COROSYNC}] = h;
  auto s2 = top_delta(b, later, 1.0);
  ASSERT_EQ(s2.rtt.size(), 1u);
  EXPECT_EQ(s2.rtt[0].samples, 20u);
  EXPECT_TRUE(s2.rtt[0].over());
  // A class with an alarm but no sample is listed without quantiles.
  auto s3 = top_delta(b, b, 1.0);
  ASSERT_EQ(s3.rtt.size(), 1u);
  EXPECT_FALSE(s3.rtt[0].p99_ms);
  EXPECT_FALSE(s3.rtt[0].over());
}

TEST(TopModel, SortAndFilter) {
  auto [a, b] = readings();
  auto s = top_delta(a, b, 1.0);
  auto by_rate = top_rows(s, TopSort::rate, std::nullopt);
  ASSERT_EQ(by_rate.size(), 6u);
  EXPECT_EQ(by_rate[0].cls, LW_CLASS_CEPH_CLUSTER);
  EXPECT_EQ(by_rate[1].cls, LW_CLASS_MIGRATION);
  auto by_viol = top_rows(s, TopSort::violations, std::nullopt);
  EXPECT_EQ(by_viol[0].cls, LW_CLASS_CEPH_CLUSTER);
  EXPECT_EQ(by_viol[1].cls, LW_CLASS_CEPH_PUBLIC);
  auto by_name = top_rows(s, TopSort::iface, std::nullopt);
  EXPECT_EQ(by_name[0].iface, "lwt-coro0");
  auto only = top_rows(s, TopSort::rate, LW_CLASS_MIGRATION);
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].iface, "lwt-migr");
}

TEST(TopModel, JsonLine) {
  auto [a, b] = readings();
  auto s = top_delta(a, b, 2.0);
  s.ts_ns = 1'700'000'000'000'000'000;
  s.corosync_running = true;
  TopKnet k;
  k.nodeid = 2;
  k.peer = "pve2";
  k.connected = true;
  k.latency_ms = 0.8;
  s.knet = {k};
  auto j = top_json(s);
  EXPECT_EQ(j["type"], "top");
  EXPECT_EQ(j["ts"], "2023-11-14T22:13:20.000000000Z");
  EXPECT_EQ(j["interval_s"], 2.0);
  ASSERT_EQ(j["flows"].size(), 6u);
  const auto& f = j["flows"][4];  // lwt-coro0: 2 rows; lwt-migr: other, migration, ceph_cluster
  EXPECT_EQ(f["iface"], "lwt-migr");
  EXPECT_EQ(f["class"], "ceph_cluster");
  EXPECT_EQ(f["on_lane"], false);
  EXPECT_EQ(f["out_bps"], 100e6);
  EXPECT_EQ(f["violations_per_s"], 15000);
  EXPECT_EQ(j["rtt"][0]["class"], "corosync");
  EXPECT_EQ(j["rtt"][0]["alarm_ms"], 5.0);
  EXPECT_EQ(j["corosync"]["source"], "corosync-reported");
  EXPECT_EQ(j["corosync"]["links"][0]["peer"], "pve2");
  EXPECT_TRUE(j["bonds"].is_array());
}

TEST(TopModel, ProbesFromTheDaemonsMetrics) {
  const char* before =
      "# TYPE lanewarden_probes_answered_total counter\n"
      "lanewarden_probes_answered_total{link=\"0\",local=\"198.51.100.2\",peer=\"198.51.100.1\"} "
      "40\n"
      "lanewarden_probes_lost_total{link=\"0\",local=\"198.51.100.2\",peer=\"198.51.100.1\"} 1\n"
      "lanewarden_probes_sent_total{link=\"0\",local=\"198.51.100.2\",peer=\"198.51.100.1\"} 41\n"
      "lanewarden_probes_answered_total{link=\"1\",local=\"198.51.100.18\",peer=\"198.51.100.17\"} "
      "7\n";
  const char* after =
      "lanewarden_probes_answered_total{link=\"0\",local=\"198.51.100.2\",peer=\"198.51.100.1\"} "
      "44\n"
      "lanewarden_probes_lost_total{link=\"0\",local=\"198.51.100.2\",peer=\"198.51.100.1\"} 2\n"
      "lanewarden_probes_answered_total{link=\"1\",local=\"198.51.100.18\",peer=\"198.51.100.17\"} "
      "7\n"
      "lanewarden_packets_total{iface=\"x\",dir=\"egress\",class=\"other\",verdict=\"pass\"} 9\n";
  auto prev = parse_probe_counts(before), cur = parse_probe_counts(after);
  ASSERT_EQ(cur.size(), 2u);
  EXPECT_EQ(cur.at({0, "198.51.100.1"}).answered, 44u);
  EXPECT_EQ(cur.at({0, "198.51.100.1"}).lost, 2u);
  std::vector<TopKnet> links(3);
  links[0].link = 0;
  links[0].peer_addr = "198.51.100.1";
  links[1].link = 1;
  links[1].peer_addr = "198.51.100.17";
  links[2].link = 0;
  links[2].peer_addr = "198.51.100.3";  // not probed
  add_probe_deltas(links, prev, cur);
  EXPECT_EQ(links[0].probes_answered, 4u);
  EXPECT_EQ(links[0].probes_lost, 1u);
  EXPECT_EQ(links[1].probes_answered, 0u);
  EXPECT_FALSE(links[2].probes_answered);
  TopSnapshot s;
  s.knet = links;
  auto j = top_json(s);
  EXPECT_EQ(j["corosync"]["links"][0]["probes_lost"], 1);
  EXPECT_FALSE(j["corosync"]["links"][2].contains("probes_answered"));
  EXPECT_TRUE(parse_probe_counts("garbage\nlanewarden_probes_lost_total{link=\"x\"} 1\n").empty());
}

constexpr const char* kBond = R"(Ethernet Channel Bonding Driver: v6.1.0-28-amd64

Bonding Mode: IEEE 802.3ad Dynamic link aggregation
Transmit Hash Policy: layer3+4 (1)
MII Status: up
MII Polling Interval (ms): 100

802.3ad info
LACP active: on
LACP rate: fast
Min links: 0
Aggregator selection policy (ad_select): stable
System priority: 65535
System MAC address: 02:00:00:00:00:01
Active Aggregator Info:
	Aggregator ID: 1
	Number of ports: 1
	Actor Key: 15
	Partner Key: 15
	Partner Mac Address: 02:00:00:00:00:02

Slave Interface: ens19f0
MII Status: up
Speed: 10000 Mbps
Duplex: full
Link Failure Count: 0
Permanent HW addr: 02:00:00:00:00:01
Slave queue ID: 0
Aggregator ID: 1
Actor Churn State: none
Partner Churn State: none
Actor Churned Count: 0
Partner Churned Count: 0
details actor lacp pdu:
    system priority: 65535
    system mac address: 02:00:00:00:00:01
    port key: 15
    port priority: 255
    port number: 1
    port state: 63
details partner lacp pdu:
    system priority: 32768
    system mac address: 02:00:00:00:00:02
    oper key: 15
    port priority: 32768
    port number: 1
    port state: 61

Slave Interface: ens19f1
MII Status: up
Speed: 10000 Mbps
Duplex: full
Link Failure Count: 2
Permanent HW addr: 02:00:00:00:00:03
Slave queue ID: 0
Aggregator ID: 2
Actor Churn State: churned
Partner Churn State: churned
Actor Churned Count: 1
Partner Churned Count: 1
details actor lacp pdu:
    system priority: 65535
    system mac address: 02:00:00:00:00:01
    port key: 15
    port priority: 255
    port number: 2
    port state: 71
details partner lacp pdu:
    system priority: 65535
    system mac address: 00:00:00:00:00:00
    oper key: 1
    port priority: 255
    port number: 1
    port state: 1
)";

TEST(Bonding, LacpMembersAndTheirState) {
  auto b = parse_bonding("bond0", kBond);
  EXPECT_EQ(b.name, "bond0");
  EXPECT_TRUE(b.lacp());
  EXPECT_EQ(b.mii_status, "up");
  EXPECT_EQ(b.lacp_rate, "fast");
  EXPECT_EQ(b.active_aggregator, 1);
  EXPECT_EQ(b.active_ports, 1);
  EXPECT_EQ(b.active_partner_mac, "02:00:00:00:00:02");
  ASSERT_EQ(b.members.size(), 2u);
  EXPECT_EQ(b.members[0].partner_mac, "02:00:00:00:00:02");
  EXPECT_EQ(b.members[0].name, "ens19f0");
  EXPECT_EQ(b.members[0].speed, "10000 Mbps");
  EXPECT_EQ(b.members[0].actor_state, 63);
  EXPECT_EQ(b.members[0].partner_state, 61);
  EXPECT_EQ(b.members[0].lacp(), "bundled");
  EXPECT_EQ(b.members[1].link_failures, 2u);
  EXPECT_EQ(b.members[1].aggregator_id, 2);
  EXPECT_EQ(b.members[1].lacp(), "churned");
  b.members[1].actor_churn = b.members[1].partner_churn = "none";
  EXPECT_EQ(b.members[1].lacp(), "standby");  // another aggregator
  b.members[1].aggregator_id = 1;
  EXPECT_EQ(b.members[1].lacp(), "not in sync");  // partner state 1: no sync bits
}

TEST(Bonding, ActiveBackupHasNoLacp) {
  auto b = parse_bonding("bond1",
                         "Bonding Mode: fault-tolerance (active-backup)\nMII Status: up\n\n"
                         "Slave Interface: eno1\nMII Status: down\nLink Failure Count: 1\n");
  EXPECT_FALSE(b.lacp());
  ASSERT_EQ(b.members.size(), 1u);
  EXPECT_EQ(b.members[0].mii_status, "down");
  EXPECT_EQ(b.members[0].lacp(), "");
  TopSnapshot s;
  s.bonds = {b};
  auto j = top_json(s);
  EXPECT_EQ(j["bonds"][0]["members"][0]["mii_status"], "down");
  EXPECT_FALSE(j["bonds"][0]["members"][0].contains("lacp"));
  EXPECT_TRUE(read_bonds("/nonexistent/lwt").empty());
}

}  // namespace
}  // namespace lw::telemetry
