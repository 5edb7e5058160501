// SPDX-License-Identifier: GPL-2.0-only
// The command runner must report status and output exactly and never hang:
// every e2e test's setup and teardown goes through it.
#include <gtest/gtest.h>

#include <chrono>

#include "support/command.h"

namespace lw::test {
namespace {

TEST(SupportCommand, CapturesStdoutStderrAndStatus) {
  auto r = run("echo out; echo err >&2; exit 3");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_FALSE(r.timed_out);
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(run("true").ok());
}

TEST(SupportCommand, LargeOutputDoesNotDeadlock) {
  // More than a pipe buffer on both streams at once.
  auto r = run("head -c 300000 /dev/zero; head -c 300000 /dev/zero >&2");
  EXPECT_EQ(r.out.size(), 300000u);
  EXPECT_EQ(r.err.size(), 300000u);
}

TEST(SupportCommand, StdinIsEmpty) { EXPECT_EQ(run("cat").out, ""); }

TEST(SupportCommand, TimeoutKillsTheProcessGroup) {
  auto start = std::chrono::steady_clock::now();
  auto r = run("sleep 20 & sleep 20", std::chrono::milliseconds(300));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.ok());
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(SupportCommand, BackgroundChildDoesNotHoldTheCallerHostage) {
  // The shell exits at once; its background child keeps the pipes open.
  auto start = std::chrono::steady_clock::now();
  // (It ends by itself 3 s later.)
  auto r = run("(sleep 3; echo late) & echo now", std::chrono::seconds(10));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "now\n");
}

TEST(SupportCommand, RunOkThrowsWithOutput) {
  EXPECT_EQ(run_ok("printf hello"), "hello");
  try {
    run_ok("echo boom >&2; exit 7");
    FAIL() << "expected CommandError";
  } catch (const CommandError& e) {
    EXPECT_EQ(e.result().exit_code, 7);
    std::string what = e.what();
    EXPECT_NE(what.find("exit 7"), std::string::npos) << what;
    EXPECT_NE(what.find("boom"), std::string::npos) << what;
  }
}

TEST(SupportCommand, ShellQuoteSurvivesTheShell) {
  std::string nasty = "it's a \"test\" $HOME `x` \\ ;|&";
  EXPECT_EQ(run_ok("printf %s " + shell_quote(nasty)), nasty);
}

}  // namespace
}  // namespace lw::test
