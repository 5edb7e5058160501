// SPDX-License-Identifier: GPL-2.0-only
// check's output formats, exit codes, and the check/derive subcommands as
// main() wires them (called in-process, not spawned).
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "check/check.h"
#include "check/json_lines.h"
#include "cli/commands.h"
#include "pve/text.h"

namespace {

// Only the fields a test sets: designated initializers that leave fields out
// warn with -Wextra.
lw::check::CheckOptions options(std::string root, std::string format) {
  lw::check::CheckOptions o;
  o.root = std::move(root);
  o.format = std::move(format);
  return o;
}

std::string fixture(const std::string& rel) {
  return std::string(LW_TEST_DATA) + "/fixtures/pve/" + rel;
}

TEST(CheckOutput, JsonStringEscapes) {
  using lw::check::json_string;
  EXPECT_EQ(json_string("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(json_string("x\ny\t\x01"), R"("x\ny\t\u0001")");
  EXPECT_EQ(json_string("grüß"), "\"grüß\"");
  EXPECT_EQ(lw::check::json_object({{"id", std::string("LW001")}, {"line", int64_t{7}}}),
            R"({"id":"LW001","line":7})");
}

TEST(CheckOutput, JsonLinesOneObjectPerFindingWithSnakeCaseKeys) {
  std::ostringstream out;
  int rc = lw::check::run_check(options(fixture("broken/lw004-corosync-bond-mode"), "json"), out);
  EXPECT_EQ(rc, 1);  // LW004 is an error
  std::istringstream in(out.str());
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    EXPECT_EQ(line.front(), '{');
    EXPECT_EQ(line.back(), '}');
    for (auto key : {"\"id\":", "\"severity\":", "\"file\":", "\"line\":", "\"message\":",
                     "\"fix\":", "\"source\":"})
      EXPECT_NE(line.find(key), std::string::npos) << key << " in " << line;
  }
  EXPECT_EQ(n, 2);  // LW004 (error) first, then LW003
  EXPECT_NE(out.str().find("\"severity\":\"error\""), std::string::npos);
}

TEST(CheckOutput, TextNamesFileLineAndSummary) {
  std::ostringstream out;
  int rc = lw::check::run_check(options(fixture("broken/lw006-bridge-stp-on"), "text"), out);
  EXPECT_EQ(rc, 0);  // warnings only
  EXPECT_NE(out.str().find("etc/network/interfaces:12: warning LW006 bridge-stp-on"),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("fix: set 'bridge-stp off'"), std::string::npos);
  EXPECT_NE(out.str().find("pve1: 0 error(s), 1 warning(s), 0 info"), std::string::npos);
}

TEST(CheckOutput, CleanTreeExitsZeroAndJsonIsEmpty) {
  std::ostringstream out;
  EXPECT_EQ(lw::check::run_check(options(fixture("3node-pve1"), "json"), out), 0);
  EXPECT_TRUE(out.str().empty()) << out.str();
}

TEST(CheckOutput, MalformedConfigIsExitTwoWithFileLine) {
  auto root = std::filesystem::temp_directory_path() / ("lw-check-bad-" + std::to_string(getpid()));
  std::filesystem::copy(fixture("3node-pve1"), root, std::filesystem::copy_options::recursive);
  {
    std::ofstream f(root / "etc/pve/corosync.conf", std::ios::app);
    f << "totem {\n  token: soon\n}\n";
  }
  std::ostringstream out;
  try {
    lw::check::run_check(options(root.string(), "text"), out);
    ADD_FAILURE() << "no error";
  } catch (const lw::Error& e) {
    EXPECT_EQ(e.exit_code(), 2);
    EXPECT_NE(std::string(e.what()).find("etc/pve/corosync.conf:"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(root);
  EXPECT_THROW(lw::check::run_check(options("/nonexistent/lanewarden-root", "text"), out),
               lw::UsageError);
  EXPECT_THROW(lw::check::run_check(options(fixture("3node-pve1"), "yaml"), out), lw::UsageError);
}

TEST(CheckOutput, MissingInterfacesFileIsExitTwo) {
  auto root =
      std::filesystem::temp_directory_path() / ("lw-check-empty-" + std::to_string(getpid()));
  std::filesystem::create_directories(root / "etc");
  { std::ofstream(root / "etc/hostname") << "pve1\n"; }
  std::ostringstream out;
  try {
    lw::check::run_check(options(root.string(), "text"), out);
    ADD_FAILURE() << "no error";
  } catch (const lw::pve::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("etc/network/interfaces: missing"), std::string::npos)
        << e.what();
  }
  std::filesystem::remove_all(root);
}

int run_cli(const std::vector<std::string>& args) {
  CLI::App app;
  lw::cli::Context ctx;
  lw::cli::add_check_command(app, ctx);
  lw::cli::add_derive_command(app, ctx);
  std::vector<const char*> argv{"lanewarden"};
  for (auto& a : args) argv.push_back(a.c_str());
  app.parse(static_cast<int>(argv.size()), const_cast<char**>(argv.data()));
  return ctx.exit_code;
}

TEST(CheckOutput, SubcommandsSetExitCodes) {
  testing::internal::CaptureStdout();
  EXPECT_EQ(run_cli({"check", "--root", fixture("broken/lw001-corosync-shares-nic")}), 1);
  EXPECT_EQ(run_cli({"check", "--root", fixture("2node-pve1"), "--format", "json"}), 0);
  auto out = std::filesystem::temp_directory_path() /
             ("lw-cli-derive-" + std::to_string(getpid()) + ".toml");
  EXPECT_EQ(run_cli({"derive", "--root", fixture("3node-pve1"), "-o", out.string()}), 0);
  std::string printed = testing::internal::GetCapturedStdout();
  EXPECT_NE(printed.find("LW001"), std::string::npos);
  EXPECT_NE(printed.find("\"id\":\"LW023\""), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(out));
  std::filesystem::remove(out);
  EXPECT_THROW(run_cli({"check", "--format", "xml"}), CLI::ValidationError);
}

}  // namespace
