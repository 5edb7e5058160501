// SPDX-License-Identifier: GPL-2.0-only
// `lanewarden audit` writes one self-contained HTML page; headless Chromium
// renders it (scripts run, no network) and the lane map in the rendered DOM
// shows the misplaced Ceph traffic on the Corosync lane.
#include <filesystem>
#include <future>

#include "support/packet_builder.h"
#include "support/traffic.h"
#include "test_run_support.h"

namespace lw::test::daemon_e2e {
namespace {

class AuditReport : public RunNode {
 protected:
  void TearDown() override {
    std::error_code ec;
    if (!report_.empty()) std::filesystem::remove(report_, ec);
    if (!profile_.empty()) std::filesystem::remove_all(profile_, ec);
    RunNode::TearDown();
  }
  std::string report_, profile_;
};

TEST_F(AuditReport, LaneMapShowsMisplacedTrafficInChromium) {
  report_ = "/tmp/" + unique_name("lwtaudit", "", 64) + ".html";
  profile_ = "/tmp/" + unique_name("lwtchrome", "", 64);
  write_file(policy_file_, policy("enforce"));
  // The audit runs in the background for 3 s while the test sends traffic.
  auto audit = std::async(std::launch::async, [this] {
    return node_->run(
        "audit --duration 3 --bins 6 --report " + report_ + " --policy " + policy_file_, 30s);
  });
  // Wait until the audit attached (its policy is pinned), then send.
  for (int i = 0; i < 100 && !std::filesystem::exists(node_->pin_dir() + "/lw_links"); i++)
    std::this_thread::sleep_for(50ms);
  UdpSink coro(*b_, "198.51.100.2", 5405);
  ASSERT_EQ(
      send_udp(*a_,
               {.dst = "198.51.100.2", .dport = 5405, .sport = 5405, .size = 100, .count = 20}),
      20u);
  auto ceph =
      PacketBuilder().ipv4("203.0.113.130", "203.0.113.129").tcp(41000, 6800).payload(46).build();
  ASSERT_EQ(send_raw_frame(*b_, link_->name_b(), ceph, 10), 10u);
  auto r = audit.get();
  ASSERT_TRUE(r.ok()) << r.err << r.out;
  EXPECT_NE(r.out.find("wrote " + report_), std::string::npos) << r.out;
  // Audit mode: the Ceph frames passed, and --policy removed what it loaded.
  EXPECT_FALSE(std::filesystem::exists(node_->pin_dir()));

  const std::string html = read_file(report_);
  EXPECT_EQ(html.find("http://"), std::string::npos) << "the report must not load anything";
  EXPECT_EQ(html.find("https://"), std::string::npos);

  auto dom = run("chromium --headless=new --no-sandbox --disable-gpu --user-data-dir=" + profile_ +
                     " --dump-dom file://" + report_ + " 2>/dev/null",
                 60s);
  ASSERT_TRUE(dom.ok()) << dom.err;
  const std::string& d = dom.out;
  const std::string cell = "data-iface=\"" + iface() + "\" data-class=\"ceph_public\"";
  auto at = d.find(cell);
  ASSERT_NE(at, std::string::npos) << d.substr(0, 2000);
  // The Ceph cell is red ("bad") and holds the 10 frames' bytes: 14 + 20 + 20 + 46 = 100 each.
  const std::string td = d.substr(d.rfind("<td", at), 200);
  EXPECT_NE(td.find("class=\"bad\""), std::string::npos) << td;
  EXPECT_NE(d.find(cell + " data-bytes=\"1000\" data-violating=\"1000\""), std::string::npos) << td;
  // Corosync belongs on its lane: green, 20 datagrams of 142 bytes.
  const std::string coro_cell = "data-iface=\"" + iface() + "\" data-class=\"corosync\" " +
                                "data-bytes=\"2840\" data-violating=\"0\"";
  EXPECT_NE(d.find(coro_cell), std::string::npos);
  // The inline script ran in Chromium and summarised the table.
  EXPECT_NE(d.find("data-misplaced-cells=\"1\""), std::string::npos);
  EXPECT_NE(d.find("Misplaced traffic: 1 class/interface pair(s) on 1 interface(s), 1000 bytes"),
            std::string::npos);
  EXPECT_NE(d.find("id=\"violations-chart\""), std::string::npos);
}

TEST_F(AuditReport, WithoutPolicyOrPinsItIsBadUsage) {
  report_ = "/tmp/" + unique_name("lwtaudit", "", 64) + ".html";
  auto r = node_->run("audit --duration 1 --report " + report_, 10s);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("nothing is pinned"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(report_));
}

}  // namespace
}  // namespace lw::test::daemon_e2e
