// SPDX-License-Identifier: GPL-2.0-only
// The Grafana dashboard the package ships (packaging/grafana/), checked for
// structure: valid JSON, unique panel ids, a layout inside Grafana's 24
// columns without overlaps, a Prometheus query in every panel with only
// defined variables, the panels the issue asks for, and metric names that
// lanewarden really exports (taken from the sources that define them). The
// alerting rules get the same metric-name check. The e2e test
// tests/e2e/test_observe_testbed.cpp runs every query against Prometheus.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

namespace {

const std::string kSource = LW_SOURCE_DIR;

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::set<std::string> matches(const std::string& text, const std::regex& re, int group = 0) {
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it)
    out.insert((*it)[group].str());
  return out;
}

// Family names as the C++ sources define them ("lanewarden_..." literals).
std::set<std::string> exported_metrics() {
  std::set<std::string> names;
  const std::regex literal("\"(lanewarden_[a-z_]+)\"");
  for (const char* dir : {"userspace/metrics", "userspace/daemon"})
    for (const auto& e : std::filesystem::directory_iterator(kSource + "/" + dir))
      for (const auto& n : matches(slurp(e.path()), literal, 1)) names.insert(n);
  return names;
}

// A series name in a query, histogram and summary suffixes removed.
std::string family_of(std::string name) {
  for (const char* suffix : {"_bucket", "_count", "_sum"})
    if (name.ends_with(suffix) && !name.ends_with("_total")) {
      std::string base = name.substr(0, name.size() - std::strlen(suffix));
      if (base.ends_with("_seconds")) return base;
    }
  return name;
}

std::vector<std::string> unknown_metrics(const std::string& text) {
  static const auto known = exported_metrics();
  std::vector<std::string> out;
  for (const auto& m : matches(text, std::regex("lanewarden_[a-z_]+")))
    if (!known.count(family_of(m))) out.push_back(m);
  return out;
}

nlohmann::json dashboard() {
  return nlohmann::json::parse(slurp(kSource + "/packaging/grafana/lanewarden-dashboard.json"));
}

TEST(GrafanaDashboard, ExportedMetricsAreFound) {
  auto known = exported_metrics();
  EXPECT_TRUE(known.count("lanewarden_bytes_total"));
  EXPECT_TRUE(known.count("lanewarden_corosync_knet_latency_seconds"));
  EXPECT_TRUE(known.count("lanewarden_policy_last_reload_successful"));
  EXPECT_FALSE(known.count("lanewarden_no_such_metric"));
}

TEST(GrafanaDashboard, Structure) {
  const auto d = dashboard();
  EXPECT_EQ(d.at("uid"), "lanewarden");
  EXPECT_FALSE(d.at("title").get<std::string>().empty());
  EXPECT_GE(d.at("schemaVersion").get<int>(), 36);

  std::set<std::string> vars = {"__rate_interval", "__interval", "__range"};
  for (const auto& v : d.at("templating").at("list")) vars.insert(v.at("name"));
  EXPECT_TRUE(vars.count("datasource") && vars.count("instance") && vars.count("class"));

  std::set<int> ids;
  struct Box {
    int x, y, w, h;
  };
  std::vector<Box> boxes;
  for (const auto& p : d.at("panels")) {
    const std::string title = p.at("title");
    EXPECT_TRUE(ids.insert(p.at("id").get<int>()).second) << "duplicate id in " << title;
    const auto& g = p.at("gridPos");
    Box b{g.at("x"), g.at("y"), g.at("w"), g.at("h")};
    EXPECT_GE(b.x, 0) << title;
    EXPECT_LE(b.x + b.w, 24) << title;
    EXPECT_GT(b.w, 0) << title;
    EXPECT_GT(b.h, 0) << title;
    for (const auto& o : boxes)
      EXPECT_FALSE(b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h)
          << title << " overlaps another panel";
    boxes.push_back(b);
    if (p.at("type") == "row") continue;
    EXPECT_EQ(p.at("datasource").at("uid"), "${datasource}") << title;
    ASSERT_FALSE(p.at("targets").empty()) << title;
    std::set<std::string> refs;
    for (const auto& t : p.at("targets")) {
      const std::string expr = t.at("expr");
      EXPECT_FALSE(expr.empty()) << title;
      EXPECT_TRUE(refs.insert(t.at("refId")).second) << title;
      for (const auto& v : matches(expr + " " + title, std::regex("\\$\\{?([a-z_]+)"), 1))
        EXPECT_TRUE(vars.count(v)) << title << " uses undefined $" << v;
      EXPECT_EQ(unknown_metrics(expr), std::vector<std::string>{}) << title << ": " << expr;
    }
  }
}

TEST(GrafanaDashboard, PanelsTheIssueAsksFor) {
  const auto d = dashboard();
  bool per_class = false, knet_per_link = false, violations = false;
  for (const auto& p : d.at("panels")) {
    if (p.at("type") == "row") continue;
    std::string exprs;
    for (const auto& t : p.at("targets")) exprs += t.at("expr").get<std::string>() + "\n";
    // A panel repeated per class, split by interface (the lane).
    if (p.value("repeat", "") == "class" && exprs.find("class=~\"$class\"") != std::string::npos &&
        exprs.find("iface") != std::string::npos)
      per_class = true;
    if (exprs.find("lanewarden_corosync_knet_latency_seconds_bucket") != std::string::npos &&
        exprs.find("peer, link") != std::string::npos)
      knet_per_link = true;
    if (p.at("type") == "timeseries" &&
        exprs.find("rate(lanewarden_violations_total") != std::string::npos)
      violations = true;
  }
  EXPECT_TRUE(per_class);
  EXPECT_TRUE(knet_per_link);
  EXPECT_TRUE(violations);
}

TEST(PrometheusRules, UseOnlyExportedMetrics) {
  const std::string rules = slurp(kSource + "/packaging/prometheus/lanewarden-rules.yml");
  ASSERT_FALSE(rules.empty());
  EXPECT_EQ(unknown_metrics(rules), std::vector<std::string>{});
}

}  // namespace
