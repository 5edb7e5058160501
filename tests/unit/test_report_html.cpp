// SPDX-License-Identifier: GPL-2.0-only
// The audit report generator: escaping of everything that comes from the
// node, cell colours of the lane map, lane rows from counter deltas, and a
// page that references nothing outside itself.
#include <gtest/gtest.h>

#include "report/audit_collect.h"
#include "report/html.h"

namespace lw::report {
namespace {

TEST(ReportHtml, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(html_escape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
  EXPECT_EQ(html_escape(""), "");
  EXPECT_EQ(html_escape("eno1.20"), "eno1.20");
  // Already-escaped text is escaped again, not trusted.
  EXPECT_EQ(html_escape("&amp;"), "&amp;amp;");
}

TEST(ReportHtml, HumanBytesUsesDecimalUnits) {
  EXPECT_EQ(human_bytes(0), "0 B");
  EXPECT_EQ(human_bytes(999), "999 B");
  EXPECT_EQ(human_bytes(1000), "1.0 kB");
  EXPECT_EQ(human_bytes(1'500'000'000), "1.5 GB");
}

ReportData sample() {
  ReportData d;
  d.node = "pve1";
  d.duration_s = 10;
  d.bin_seconds = 5;
  d.mode = "audit";
  LaneRow row;
  row.iface = "<script>alert(1)</script>";  // Linux allows almost any interface name
  row.lane = "corosync (exclusive)";
  row.allowed = LW_CLASS_BIT(LW_CLASS_COROSYNC) | LW_CLASS_BIT(LW_CLASS_MANAGEMENT);
  row.cells[LW_CLASS_COROSYNC] = {.bytes_ok = 2840, .packets_ok = 20};
  row.cells[LW_CLASS_CEPH_PUBLIC] = {.bytes_violating = 1000, .packets_violating = 10};
  row.cells[LW_CLASS_STORAGE] = {.bytes_ok = 5, .bytes_violating = 7};
  d.lanes.push_back(row);
  ViolationBin b0, b1;
  b1.t_seconds = 5;
  b1.by_kind[LW_VIOL_INTRUDER] = 10;
  d.violations = {b0, b1};
  d.latency.push_back({"corosync", {{0.0001, 3}, {0.0002, 5}, {0.0004, 0}}, 8});
  return d;
}

TEST(ReportHtml, InterfaceNamesCannotInjectMarkup) {
  const std::string html = render_html(sample());
  EXPECT_EQ(html.find("<script>alert(1)"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  // Exactly one script element: the report's own.
  size_t scripts = 0;
  for (size_t p = html.find("<script"); p != std::string::npos; p = html.find("<script", p + 1))
    scripts++;
  EXPECT_EQ(scripts, 1u);
}

TEST(ReportHtml, LaneMapCellsAreColouredByWhetherTheTrafficBelongs) {
  const std::string html = render_html(sample());
  auto cell_class = [&](const char* cls) {
    const std::string key = std::string("data-class=\"") + cls + "\"";
    auto at = html.find(key);
    if (at == std::string::npos) return std::string("missing");
    auto td = html.rfind("<td class=\"", at);
    auto start = td + 11;
    return html.substr(start, html.find('"', start) - start);
  };
  EXPECT_EQ(cell_class("corosync"), "ok");
  EXPECT_EQ(cell_class("ceph_public"), "bad");
  EXPECT_EQ(cell_class("storage"), "mixed");
  EXPECT_EQ(cell_class("management"), "allowed");  // allowed, no traffic
  EXPECT_EQ(cell_class("migration"), "none");
  EXPECT_NE(html.find("data-bytes=\"1000\" data-violating=\"1000\""), std::string::npos);
}

TEST(ReportHtml, SelfContainedWithChartsForViolationsAndLatency) {
  const std::string html = render_html(sample());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* external : {"http://", "https://", "src=\"", "href=\"", "@import", "url("})
    EXPECT_EQ(html.find(external), std::string::npos) << external;
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  EXPECT_NE(html.find("<svg id=\"violations-chart\""), std::string::npos);
  EXPECT_NE(html.find("10 intruder"), std::string::npos);  // bar tooltip of bin 2
  EXPECT_NE(html.find("<svg class=\"histogram\" data-class=\"corosync\""), std::string::npos);
  EXPECT_NE(html.find("≤ 200 µs: 5"), std::string::npos);
}

TEST(ReportCollect, LaneRowsAreTheCountersOfTheAuditPeriodOnly) {
  datapath::Status before, after;
  datapath::IfaceStatus i;
  i.name = "eno1";
  i.slot = 1;
  i.lane_allowed = LW_CLASS_BIT(LW_CLASS_COROSYNC);
  i.lane_flags = LW_LANE_PRESENT | LW_LANE_EXCLUSIVE;
  i.counters.c[LW_DIR_EGRESS][LW_CLASS_COROSYNC][LW_VERDICT_PASS] = {.packets = 100, .bytes = 9000};
  before.ifaces.push_back(i);
  i.counters.c[LW_DIR_EGRESS][LW_CLASS_COROSYNC][LW_VERDICT_PASS] = {.packets = 120,
                                                                     .bytes = 10000};
  i.counters.c[LW_DIR_INGRESS][LW_CLASS_CEPH_PUBLIC][LW_VERDICT_DROP] = {.packets = 3,
                                                                         .bytes = 300};
  i.counters.c[LW_DIR_EGRESS][LW_CLASS_CEPH_PUBLIC][LW_VERDICT_AUDIT] = {.packets = 1, .bytes = 50};
  after.ifaces.push_back(i);
  datapath::IfaceStatus fresh;  // attached during the audit: counts from zero
  fresh.name = "eno2";
  fresh.slot = 2;
  fresh.counters.c[LW_DIR_INGRESS][LW_CLASS_STORAGE][LW_VERDICT_PASS] = {.packets = 4,
                                                                         .bytes = 400};
  after.ifaces.push_back(fresh);

  auto rows = lane_rows(before, after);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].iface, "eno1");
  EXPECT_EQ(rows[0].lane, "corosync (exclusive)");
  EXPECT_EQ(rows[0].cells[LW_CLASS_COROSYNC].bytes_ok, 1000u);
  EXPECT_EQ(rows[0].cells[LW_CLASS_COROSYNC].packets_ok, 20u);
  EXPECT_EQ(rows[0].cells[LW_CLASS_CEPH_PUBLIC].bytes_violating, 350u);
  EXPECT_EQ(rows[0].cells[LW_CLASS_CEPH_PUBLIC].packets_violating, 4u);
  EXPECT_EQ(rows[1].lane, "no lane");
  EXPECT_EQ(rows[1].cells[LW_CLASS_STORAGE].bytes_ok, 400u);
}

}  // namespace
}  // namespace lw::report
