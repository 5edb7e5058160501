// SPDX-License-Identifier: GPL-2.0-only
// Metric families from a Status, the listen address parser, and the text
// the endpoint serves (prometheus-cpp's serializer over our families).
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include "common/error.h"
#include "metrics/families.h"
#include "metrics/server.h"
#include "policy/parse.h"

namespace lw::metrics {
namespace {

datapath::Status sample_status() {
  datapath::Status s;
  s.generation = 4;
  s.constrained = LW_CLASS_BIT(LW_CLASS_COROSYNC);
  datapath::IfaceStatus i;
  i.name = "eno1";
  i.counters.c[LW_DIR_EGRESS][LW_CLASS_COROSYNC][LW_VERDICT_PASS] = {.packets = 50, .bytes = 7100};
  i.counters.c[LW_DIR_INGRESS][LW_CLASS_CEPH_PUBLIC][LW_VERDICT_DROP] = {.packets = 7,
                                                                         .bytes = 700};
  i.violations.n[LW_DIR_INGRESS][LW_VIOL_INTRUDER][LW_CLASS_CEPH_PUBLIC] = 7;
  s.ifaces.push_back(i);
  s.violations.events = 1;
  s.violations.suppressed = 5;
  s.parse[LW_PARSE_TRUNC_TCP][LW_DIR_INGRESS] = 3;
  s.parse[LW_PARSE_OK][LW_DIR_INGRESS] = 1000;  // not an error: not exported
  return s;
}

std::string serialize(const Families& f) { return prometheus::TextSerializer().Serialize(f); }

TEST(MetricsFamilies, StatusBecomesConventionalSeries) {
  const std::string text = serialize(status_families(sample_status()));
  EXPECT_NE(text.find("# TYPE lanewarden_packets_total counter"), std::string::npos);
  EXPECT_NE(text.find("lanewarden_packets_total{iface=\"eno1\",dir=\"egress\",class=\"corosync\","
                      "verdict=\"pass\"} 50"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("lanewarden_bytes_total{iface=\"eno1\",dir=\"egress\",class=\"corosync\","
                      "verdict=\"pass\"} 7100"),
            std::string::npos);
  EXPECT_NE(text.find("lanewarden_dropped_packets_total{iface=\"eno1\",dir=\"ingress\",class="
                      "\"ceph_public\"} 7"),
            std::string::npos);
  // A constrained class gets its drop series even at zero, for rate() alerts.
  EXPECT_NE(text.find("lanewarden_dropped_packets_total{iface=\"eno1\",dir=\"egress\",class="
                      "\"corosync\"} 0"),
            std::string::npos);
  EXPECT_NE(text.find("lanewarden_violations_total{iface=\"eno1\",dir=\"ingress\",kind="
                      "\"intruder\",class=\"ceph_public\"} 7"),
            std::string::npos);
  EXPECT_NE(text.find("lanewarden_events_suppressed_total 5"), std::string::npos);
  EXPECT_NE(text.find("lanewarden_parse_errors_total{dir=\"ingress\",reason=\"trunc_tcp\"} 3"),
            std::string::npos);
  EXPECT_EQ(text.find("reason=\"ok\""), std::string::npos);
  EXPECT_NE(text.find("lanewarden_policy_generation 4"), std::string::npos);
  // Zero packet counters are left out: no series per class and verdict that never saw traffic.
  EXPECT_EQ(text.find("class=\"migration\""), std::string::npos);
}

TEST(MetricsFamilies, EveryNameFollowsPrometheusConventions) {
  auto fams = status_families(sample_status());
  auto p = policy::parse_string(R"(mode = "enforce"
[networks]
migration = ["198.51.100.0/24"]
[[lane]]
interface = "eno1"
classes = ["migration"]
[class.migration]
cap = "100mbit"
cap_mode = "police"
)",
                                "policy.toml");
  for (auto& f : policy_families(p)) fams.push_back(std::move(f));
  for (const auto& f : fams) {
    EXPECT_EQ(f.name.rfind("lanewarden_", 0), 0u) << f.name;
    const bool total = f.name.size() > 6 && f.name.ends_with("_total");
    EXPECT_EQ(total, f.type == prometheus::MetricType::Counter) << f.name;
    EXPECT_FALSE(f.help.empty()) << f.name;
  }
  const std::string text = serialize(policy_families(p));
  // 100 Mbit/s = 12.5 MB/s.
  EXPECT_NE(text.find("lanewarden_class_cap_bytes_per_second{class=\"migration\",mode=\"police\"} "
                      "12500000"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("lanewarden_class_enforced{class=\"migration\"} 1"), std::string::npos);
  EXPECT_NE(text.find("lanewarden_class_enforced{class=\"infra\"} 0"), std::string::npos);
  // Corosync's default alarm; classes without one have no series.
  EXPECT_NE(text.find("lanewarden_class_latency_alarm_seconds{class=\"corosync\"} 0.005"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("lanewarden_class_latency_alarm_seconds{class=\"migration\"}"),
            std::string::npos)
      << text;
}

TEST(MetricsListenAddress, ParsesIpv4AndBracketedIpv6) {
  auto a = parse_listen_address("127.0.0.1:9775");
  EXPECT_EQ(a.host, "127.0.0.1");
  EXPECT_EQ(a.port, 9775);
  EXPECT_TRUE(a.loopback());
  EXPECT_EQ(a.civetweb(), "127.0.0.1:9775");
  auto b = parse_listen_address("[::1]:80");
  EXPECT_EQ(b.host, "::1");
  EXPECT_TRUE(b.loopback());
  EXPECT_EQ(b.civetweb(), "[::1]:80");
  EXPECT_FALSE(parse_listen_address("198.51.100.7:9775").loopback());
  EXPECT_FALSE(parse_listen_address("[2001:db8::1]:9775").loopback());
}

TEST(MetricsListenAddress, RefusesWhatIsNotAnAddressAndPort) {
  for (const char* bad : {"", "9775", "localhost:9775", "127.0.0.1:", "127.0.0.1:70000",
                          "127.0.0.1:97x5", "::1:9775", "[::1]9775", "[::1", "1.2.3:9775"}) {
    try {
      parse_listen_address(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("--metrics"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace lw::metrics
