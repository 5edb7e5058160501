// SPDX-License-Identifier: GPL-2.0-only
// Caps end to end: the real binary on node 0 of a veth pair, iperf3 TCP on
// the migration port through it. These are functional checks that a cap
// holds, with generous tolerances, not performance assertions; the longer
// measurements live in scripts/bench-caps.sh and docs/caps.md.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "support/iperf.h"
#include "support/lanewarden_cli.h"
#include "support/privilege.h"
#include "support/topology.h"

namespace lw::test {
namespace {

constexpr double kCapBits = 50e6;  // 50 Mbit/s
constexpr int kSeconds = 5;

std::string pin_name(const char* what) {
  return std::string("lwt") + what + std::to_string(::getpid());
}

// Migration shares the node subnet and is told apart by port 60000; Corosync
// has a subnet of its own on the same (shared) lane, so the plan also gets
// the priority class.
std::string caps_policy(const std::string& iface, const std::string& class_extra) {
  return R"(mode = "audit"
[networks]
corosync = ["203.0.113.0/26"]
migration = ["198.51.100.0/24"]
[[lane]]
interface = ")" +
         iface + R"("
classes = ["corosync", "migration", "other"]
[class.migration]
cap = "50mbit"
)" + class_extra;
}

class CapsE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    topo_ = std::make_unique<Topology>(Topology::pair({.prefix = "lwtcp"}));
    node_ = std::make_unique<LanewardenNode>(LW_BINARY, topo_->node(0).name(), pin_name("cp"));
  }
  void TearDown() override {
    node_.reset();
    topo_.reset();
  }
  const std::string& if0() const { return topo_->node_if(0); }

  // iperf3 TCP from node 0 to node 1 port 60000 for `seconds`.
  IperfResult iperf(int seconds, int omit = 0) {
    return run_iperf3(topo_->node(0), topo_->node(1),
                      {.server_addr = topo_->addr4(1), .seconds = seconds, .omit = omit});
  }

  std::unique_ptr<Topology> topo_;
  std::unique_ptr<LanewardenNode> node_;
};

TEST_F(CapsE2E, ShapeModeHoldsTheCapAndDetachRemovesTheHtb) {
  node_->apply(caps_policy(if0(), ""));
  const std::string classes = topo_->node(0).exec_ok("tc class show dev " + if0());
  EXPECT_NE(classes.find("class htb 1a4e:10"), std::string::npos) << classes;  // corosync first
  EXPECT_NE(classes.find("class htb 1a4e:22"), std::string::npos) << classes;  // migration cap
  EXPECT_NE(classes.find("class htb 1a4e:ff"), std::string::npos) << classes;  // the rest
  // The cap limits payload: HTB, which counts frames, gets 50 Mbit/s x
  // 1514/1448 (full-size IPv4/TCP segments with timestamps at MTU 1500).
  // 6,534,876 B/s = 52,279,008 bit/s; tc prints HTB classes as text only.
  EXPECT_NE(classes.find("rate 52279Kbit ceil 52279Kbit"), std::string::npos) << classes;

  const IperfResult r = iperf(kSeconds);
  ASSERT_TRUE(r.ok) << r.error;
  const double ratio = r.bits_per_second / kCapBits;
  RecordProperty("goodput_ratio", std::to_string(ratio));
  RecordProperty("retransmits", std::to_string(r.retransmits));
  // Goodput is what the cap promises: within 3 % of it (the issue's target).
  EXPECT_GE(ratio, 0.97) << r.bits_per_second / 1e6 << " Mbit/s";
  EXPECT_LE(ratio, 1.03) << r.bits_per_second / 1e6 << " Mbit/s";
  // The packets went through the capped class, not around it.
  const std::string stats =
      topo_->node(0).exec_ok("tc -s class show dev " + if0() + " classid 1a4e:22");
  EXPECT_EQ(stats.find("Sent 0 bytes"), std::string::npos) << stats;

  const auto d = node_->run("detach");
  ASSERT_TRUE(d.ok()) << d.err;
  EXPECT_EQ(topo_->node(0).exec_ok("tc class show dev " + if0()), "");
  EXPECT_EQ(topo_->node(0).exec_ok("tc qdisc show dev " + if0()).find("htb"), std::string::npos);
}

// A jumbo lane: HTB gets the cap x 9014/8948 (the headers of a full-size
// segment at MTU 9000 are 0.74 %), not the MTU 1500 factor that would let
// 3.8 % too much through.
TEST(CapsJumboE2E, ShapeModeUsesTheLanesMtu) {
  LW_REQUIRE_ROOT_OR_FAIL();
  Topology topo = Topology::pair({.prefix = "lwtcj", .mtu = 9000});
  LanewardenNode node(LW_BINARY, topo.node(0).name(), pin_name("cj"));
  const std::string& if0 = topo.node_if(0);
  ASSERT_NE(topo.node(0).exec_ok("ip link show dev " + if0).find("mtu 9000"), std::string::npos);
  node.apply(caps_policy(if0, ""));
  const std::string classes = topo.node(0).exec_ok("tc class show dev " + if0 + " classid 1a4e:22");
  // 6,250,000 B/s x 9014/8948 = 6,296,099 B/s = 50,368,792 bit/s.
  EXPECT_NE(classes.find("rate 50368Kbit ceil 50368Kbit"), std::string::npos) << classes;

  const IperfResult r =
      run_iperf3(topo.node(0), topo.node(1), {.server_addr = topo.addr4(1), .seconds = kSeconds});
  ASSERT_TRUE(r.ok) << r.error;
  const double ratio = r.bits_per_second / kCapBits;
  RecordProperty("goodput_ratio", std::to_string(ratio));
  EXPECT_GE(ratio, 0.97) << r.bits_per_second / 1e6 << " Mbit/s";
  EXPECT_LE(ratio, 1.03) << r.bits_per_second / 1e6 << " Mbit/s";
}

TEST_F(CapsE2E, PoliceModeStaysUnderTheCap) {
  node_->apply(caps_policy(if0(), "cap_mode = \"police\"\naction = \"enforce\"\n"));
  // Police needs no HTB for the cap (the shared lane still gets Corosync's).
  EXPECT_EQ(topo_->node(0).exec_ok("tc class show dev " + if0()).find("1a4e:22"),
            std::string::npos);
  // The default 4 MiB bucket starts full: over 5 s that alone would add
  // 6.7 Mbit/s, so the first second is left out and the steady state counts.
  const IperfResult r = iperf(kSeconds, 1);
  ASSERT_TRUE(r.ok) << r.error;
  const double ratio = r.bits_per_second / kCapBits;
  RecordProperty("goodput_ratio", std::to_string(ratio));
  RecordProperty("retransmits", std::to_string(r.retransmits));
  EXPECT_LE(ratio, 1.05) << r.bits_per_second / 1e6 << " Mbit/s";
  EXPECT_GE(ratio, 0.85) << r.bits_per_second / 1e6 << " Mbit/s";
  // Drops above the cap are counted as the migration class's.
  EXPECT_GT(node_->packets(if0(), "egress", "migration", "drop"), 0u);
}

TEST_F(CapsE2E, PaceWithoutFqIsRefusedNamingFq) {
  const std::string file = "/tmp/" + pin_name("cpp") + ".toml";
  {
    std::ofstream f(file);
    f << caps_policy(if0(), "cap_mode = \"pace\"\n");
  }
  const auto r = node_->run("apply " + file);
  std::remove(file.c_str());
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE((r.err + r.out).find("fq"), std::string::npos) << r.err;
  EXPECT_EQ(topo_->node(0).exec_ok("tc qdisc show dev " + if0()).find("clsact"), std::string::npos);
}

TEST_F(CapsE2E, ForeignRootQdiscIsRefusedAndNothingAttached) {
  topo_->node(0).exec_ok("tc qdisc add dev " + if0() +
                         " root handle 1: tbf rate 1gbit burst 128k latency 50ms");
  const std::string file = "/tmp/" + pin_name("cpf") + ".toml";
  {
    std::ofstream f(file);
    f << caps_policy(if0(), "");
  }
  const auto r = node_->run("apply " + file);
  std::remove(file.c_str());
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("tbf"), std::string::npos) << r.err;
  const std::string qdiscs = topo_->node(0).exec_ok("tc qdisc show dev " + if0());
  EXPECT_NE(qdiscs.find("qdisc tbf 1: root"), std::string::npos) << qdiscs;
  EXPECT_EQ(qdiscs.find("clsact"), std::string::npos) << qdiscs;
  EXPECT_EQ(qdiscs.find("htb"), std::string::npos) << qdiscs;
}

}  // namespace
}  // namespace lw::test
