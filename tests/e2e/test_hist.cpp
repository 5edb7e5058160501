// SPDX-License-Identifier: GPL-2.0-only
// RTT histograms with real traffic: ping between Corosync link addresses
// lands under corosync on the right interface, one sample per reply; TCP
// between management addresses gives management samples from timestamps;
// a latency alarm below the link's RTT shows up in `watch`, as often as
// --alarm-interval says.
#include <gtest/gtest.h>
#include <unistd.h>

#include <future>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <vector>

#include "support/lanewarden_cli.h"
#include "support/netns.h"
#include "support/privilege.h"
#include "support/traffic.h"

namespace lw::test {
namespace {

using namespace std::chrono_literals;

class Hist : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    a_ = std::make_unique<NetNs>("lwthia");
    b_ = std::make_unique<NetNs>("lwthib");
    link_ =
        std::make_unique<VethPair>(*a_, *b_,
                                   VethOptions{.prefix = "lwth",
                                               .addrs_a = {"198.51.100.1/24", "203.0.113.1/24"},
                                               .addrs_b = {"198.51.100.2/24", "203.0.113.2/24"}});
    node_ = std::make_unique<LanewardenNode>(LW_BINARY, a_->name(),
                                             "lwthist" + std::to_string(::getpid()));
  }
  void TearDown() override {
    node_.reset();
    link_.reset();
    b_.reset();
    a_.reset();
  }

  std::string policy(const std::string& corosync_extra = "") const {
    return R"(mode = "audit"
[networks]
corosync = ["198.51.100.0/24"]
management = ["203.0.113.0/24"]
[[lane]]
interface = ")" +
           link_->name_a() + R"("
classes = ["corosync", "management"]
)" + corosync_extra;
  }

  // The one-off `hist --format json` snapshot.
  nlohmann::json snapshot(const std::string& args = "") const {
    auto r = node_->run("hist --format json " + args);
    EXPECT_TRUE(r.ok()) << r.err;
    return nlohmann::json::parse(r.out);
  }

  static const nlohmann::json* entry(const nlohmann::json& snap, const std::string& cls,
                                     const std::string& iface) {
    for (const auto& h : snap.at("histograms"))
      if (h.at("class") == cls && h.at("iface") == iface) return &h;
    return nullptr;
  }

  // Replies `ping` reports as received.
  static int received(const std::string& ping_out) {
    std::smatch m;
    if (!std::regex_search(ping_out, m, std::regex(R"((\d+) received)"))) return -1;
    return std::stoi(m[1]);
  }

  struct WatchedAlarms {
    std::string out;                      // all of watch's output
    std::vector<nlohmann::json> latency;  // its kind=latency events
  };
  // With a 1 us Corosync alarm (below any veth round trip, so every interval
  // with pings alarms): `pings` pings at 20/s while `watch --format json
  // watch_args` runs.
  WatchedAlarms watch_alarms_while_pinging(int pings, const std::string& watch_args) {
    node_->apply(policy("[class.corosync]\nlatency_alarm = \"1us\"\n"));
    auto ping = std::async(std::launch::async, [this, pings] {
      return a_->exec("ping -n -q -c " + std::to_string(pings) + " -i 0.05 -W 1 198.51.100.2", 20s);
    });
    auto w = node_->run("watch --format json " + watch_args, 20s);
    ping.get();
    EXPECT_TRUE(w.ok()) << w.err;
    WatchedAlarms out{w.out, {}};
    std::istringstream in(w.out);
    for (std::string line; std::getline(in, line);) {
      auto j = nlohmann::json::parse(line);
      if (j.value("kind", "") == "latency") out.latency.push_back(std::move(j));
    }
    return out;
  }

  std::unique_ptr<NetNs> a_, b_;
  std::unique_ptr<VethPair> link_;
  std::unique_ptr<LanewardenNode> node_;
};

TEST_F(Hist, PingBetweenCorosyncAddressesIsOneCorosyncSamplePerReply) {
  node_->apply(policy());
  auto ping = a_->exec("ping -n -q -c 20 -i 0.02 -W 1 198.51.100.2", 20s);
  ASSERT_TRUE(ping.ok()) << ping.out << ping.err;
  const int replies = received(ping.out);
  ASSERT_GT(replies, 0) << ping.out;

  auto snap = snapshot();
  EXPECT_TRUE(snap.at("interval_s").is_null());
  const auto* coro = entry(snap, "corosync", link_->name_a());
  ASSERT_NE(coro, nullptr) << snap.dump();
  EXPECT_EQ(coro->at("count"), replies);
  // Measured between tc egress and tc ingress: never more than ping's own
  // round trip, which adds the socket path on both ends.
  std::smatch m;
  ASSERT_TRUE(std::regex_search(ping.out, m, std::regex(R"(= [\d.]+/[\d.]+/([\d.]+)/)")));
  const double ping_max_us = std::stod(m[1]) * 1000;
  EXPECT_GT(coro->at("p50_us").get<double>(), 0.0);
  EXPECT_LE(coro->at("max_us").get<double>(), ping_max_us);
  EXPECT_LE(coro->at("p50_us").get<double>(), coro->at("max_us").get<double>());
  EXPECT_EQ(entry(snap, "management", link_->name_a()), nullptr);

  // --class filters, text output renders bars.
  auto only = snapshot("--class management");
  EXPECT_TRUE(only.at("histograms").empty()) << only.dump();
  auto text = node_->run("hist");
  ASSERT_TRUE(text.ok()) << text.err;
  EXPECT_NE(text.out.find("corosync on " + link_->name_a()), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("|*"), std::string::npos) << text.out;
}

TEST_F(Hist, TcpTimestampsGiveManagementSamples) {
  node_->apply(policy());
  TcpSink sink(*b_, "203.0.113.2", 8006);
  auto r = send_tcp(*a_, {.dst = "203.0.113.2", .dport = 8006, .bytes = 200000, .timeout = 5s});
  ASSERT_TRUE(r.connected) << r.error;
  EXPECT_EQ(sink.wait_for_bytes(200000, 5s), 200000u);
  auto snap = snapshot();
  const auto* mgmt = entry(snap, "management", link_->name_a());
  ASSERT_NE(mgmt, nullptr) << snap.dump();
  EXPECT_GT(mgmt->at("count").get<uint64_t>(), 0u);
  EXPECT_GT(mgmt->at("p99_us").get<double>(), 0.0);
  EXPECT_LT(mgmt->at("p99_us").get<double>(), 1e6);  // a veth round trip, not seconds
}

TEST_F(Hist, IntervalSnapshotsAreBoundedByCount) {
  node_->apply(policy());
  auto ping = std::async(std::launch::async, [this] {
    return a_->exec("ping -n -q -c 30 -i 0.05 -W 1 198.51.100.2", 20s);
  });
  auto r = node_->run("hist --format json --interval 0.5 --count 2", 20s);
  ping.get();
  ASSERT_TRUE(r.ok()) << r.err;
  std::istringstream in(r.out);
  int lines = 0;
  uint64_t interval_samples = 0;
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j.at("interval_s"), 0.5);
    for (const auto& h : j.at("histograms")) {
      EXPECT_LE(h.at("count").get<uint64_t>(), h.at("cumulative").at("count").get<uint64_t>());
      interval_samples += h.at("count").get<uint64_t>();
    }
    lines++;
  }
  EXPECT_EQ(lines, 2);
  EXPECT_GT(interval_samples, 0u);
}

TEST_F(Hist, CorosyncAboveItsAlarmIsALatencyEventInWatch) {
  auto w = watch_alarms_while_pinging(40, "--duration 2.5");
  for (const auto& j : w.latency) {
    EXPECT_EQ(j.at("class"), "corosync");
    EXPECT_EQ(j.at("iface"), link_->name_a());
    EXPECT_EQ(j.at("threshold_us"), 1.0);
    EXPECT_GT(j.at("p99_us").get<double>(), 1.0);
    EXPECT_GT(j.at("samples").get<uint64_t>(), 0u);
    EXPECT_EQ(j.at("ts").get<std::string>().size(), 30u);
  }
  EXPECT_GE(w.latency.size(), 1u) << w.out;
}

// --alarm-interval sets how often alarms are evaluated: over 3.2 s of pings
// a 1.5 s interval evaluates twice (at 1.5 and 3.0 s), each event says 1.5 s.
TEST_F(Hist, AlarmIntervalSetsHowOftenWatchEvaluates) {
  auto w = watch_alarms_while_pinging(80, "--duration 3.2 --alarm-interval 1500ms");
  for (const auto& j : w.latency) {
    EXPECT_EQ(j.at("interval_s"), 1.5) << j.dump();
    // 20 pings a second: about 30 samples per interval, not 20 (1 s).
    EXPECT_GT(j.at("samples").get<uint64_t>(), 20u) << j.dump();
  }
  EXPECT_EQ(w.latency.size(), 2u) << w.out;

  auto bad = node_->run("watch --duration 1 --alarm-interval 50ms");
  EXPECT_EQ(bad.exit_code, 2) << bad.out << bad.err;
  EXPECT_NE((bad.out + bad.err).find("out of range: 100ms to 3600s"), std::string::npos)
      << bad.out << bad.err;
}

}  // namespace
}  // namespace lw::test
