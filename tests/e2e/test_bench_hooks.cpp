// SPDX-License-Identifier: GPL-2.0-only
// `lanewarden bench --hooks` (docs/bench.md), a short slice: one round of a
// few hundred frames, so it proves the measurement runs and reports every
// mechanism this build and kernel have, not how fast they are. Built into
// the e2e tests (bookworm: clsact, tcx reported unavailable with the reason)
// and into the tcx tests (trixie: both mechanisms measured).
#include <gtest/gtest.h>
#include <sys/utsname.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/command.h"
#include "support/privilege.h"

namespace lw::test {
namespace {

bool kernel_has_tcx() {
  utsname u{};
  if (uname(&u) != 0) return false;
  int major = 0, minor = 0;
  if (std::sscanf(u.release, "%d.%d", &major, &minor) != 2) return false;
  return major > 6 || (major == 6 && minor >= 6);
}

std::map<std::string, nlohmann::json> hook_rows(const std::string& out) {
  std::map<std::string, nlohmann::json> rows;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    auto j = nlohmann::json::parse(line);
    EXPECT_EQ(j.value("bench", ""), "hook") << line;
    rows[j.at("hook").get<std::string>()] = j;
  }
  return rows;
}

void expect_measured(const nlohmann::json& row) {
  SCOPED_TRACE(row.dump());
  ASSERT_FALSE(row.contains("unavailable"));
  // A frame through loopback costs something with or without a program;
  // the costs are differences of best-of timings and may come out at or
  // below zero on a disturbed machine, but never be absent or absurd.
  EXPECT_GT(row.at("ns_per_frame_none").get<double>(), 0.0);
  EXPECT_GT(row.at("ns_per_frame_empty").get<double>(), 0.0);
  EXPECT_GT(row.at("ns_per_frame_lanewarden").get<double>(), 0.0);
  EXPECT_LT(row.at("ns_per_frame_lanewarden").get<double>(), 1e6);
  const double cost = row.at("lanewarden_cost_ns").get<double>();
  EXPECT_DOUBLE_EQ(cost, row.at("ns_per_frame_lanewarden").get<double>() -
                             row.at("ns_per_frame_none").get<double>());
  EXPECT_TRUE(row.contains("ratio"));
}

TEST(BenchHooks, MeasuresEveryMechanismTheBuildAndKernelHave) {
  LW_REQUIRE_ROOT_OR_FAIL();
  auto r =
      run(std::string(LW_BINARY) + " bench --hooks --hook-rounds 1 --hook-frames 300 --format json",
          120s);
  ASSERT_TRUE(r.ok()) << r.out << r.err;
  auto rows = hook_rows(r.out);
  ASSERT_TRUE(rows.count("clsact")) << r.out;
  expect_measured(rows["clsact"]);
  ASSERT_TRUE(rows.count("tcx")) << "tcx is neither measured nor explained:\n" << r.out;
  if (LW_HAVE_TCX && kernel_has_tcx()) {
    expect_measured(rows["tcx"]);
  } else {
    const auto why = rows["tcx"].value("unavailable", "");
    EXPECT_NE(why.find(LW_HAVE_TCX ? "kernel" : "libbpf"), std::string::npos) << why;
  }
  EXPECT_EQ(rows.size(), 2u) << r.out;
}

}  // namespace
}  // namespace lw::test
