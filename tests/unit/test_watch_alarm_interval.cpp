// SPDX-License-Identifier: GPL-2.0-only
// `watch --alarm-interval`: the value needs a unit and lies in 100ms..3600s,
// a bad one is refused by the command line with the reason, and the alarm
// schedule evaluates once per interval (no burst after a stall).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "cli/commands.h"
#include "telemetry/histogram_alarm.h"

namespace lw::telemetry {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

std::string interval_error(const std::string& text) {
  try {
    parse_alarm_interval(text);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(AlarmInterval, UnitsAndBounds) {
  EXPECT_DOUBLE_EQ(parse_alarm_interval("5s"), 5.0);
  EXPECT_DOUBLE_EQ(parse_alarm_interval("100ms"), 0.1);
  EXPECT_DOUBLE_EQ(parse_alarm_interval("1.5s"), 1.5);
  EXPECT_DOUBLE_EQ(parse_alarm_interval("250000us"), 0.25);
  EXPECT_DOUBLE_EQ(parse_alarm_interval("3600s"), 3600.0);
  EXPECT_EQ(interval_error("99ms"), "'99ms' is out of range: 100ms to 3600s (1 h)");
  EXPECT_EQ(interval_error("3600.001s"), "'3600.001s' is out of range: 100ms to 3600s (1 h)");
  EXPECT_THAT(interval_error("5"), HasSubstr("no unit"));
  EXPECT_THAT(interval_error("5min"), HasSubstr("unknown unit 'min'"));
  EXPECT_THAT(interval_error("0s"), HasSubstr("is zero"));
  EXPECT_NE(interval_error("-1s"), "(accepted)");
}

// What CLI11 prints for a refused value, or "" when the command line parses
// (the callback then fails on the missing pins: nothing is attached).
std::string cli_error(const std::vector<std::string>& args) {
  CLI::App app;
  cli::Context ctx;
  ctx.pin_dir = "/nonexistent/lwt-alarm-interval";
  cli::add_watch_command(app, ctx);
  std::vector<std::string> argv(args.rbegin(), args.rend());  // CLI11 wants them reversed
  try {
    app.parse(argv);
  } catch (const CLI::ParseError& e) {
    return e.what();
  } catch (const Error& e) {
    EXPECT_THAT(e.what(), HasSubstr("nothing is attached"));
  }
  return "";
}

TEST(AlarmInterval, CommandLineRefusesBadValuesWithTheReason) {
  EXPECT_THAT(cli_error({"watch", "--alarm-interval", "50ms"}),
              HasSubstr("'50ms' is out of range: 100ms to 3600s (1 h)"));
  EXPECT_THAT(cli_error({"watch", "--alarm-interval", "2h"}), HasSubstr("unknown unit 'h'"));
  EXPECT_THAT(cli_error({"watch", "--alarm-interval", "5"}), HasSubstr("no unit"));
  EXPECT_EQ(cli_error({"watch", "--alarm-interval", "5s"}), "");
  EXPECT_EQ(cli_error({"watch"}), "");  // default 1s
}

// due() polled at each offset (ms after the start): 'x' where it fired.
std::string polls(double interval_s, const std::vector<int>& at_ms) {
  const auto t0 = AlarmSchedule::Clock::time_point{} + 1000s;
  AlarmSchedule s(t0, interval_s);
  std::string out;
  for (int ms : at_ms) out += s.due(t0 + std::chrono::milliseconds(ms)) ? 'x' : '.';
  return out;
}

TEST(AlarmSchedule, EvaluatesOncePerInterval) {
  // Once at 5 s, not on every poll of that instant; a late poll (10.05 s)
  // does not move the next boundary off the start's grid (15 s).
  EXPECT_EQ(polls(5.0, {0, 1000, 4999, 5000, 5000, 9900, 10050, 14990, 15000}), "...x..x.x");
  EXPECT_DOUBLE_EQ(AlarmSchedule({}, 5.0).interval_s(), 5.0);
}

TEST(AlarmSchedule, AStallGivesOneEvaluationNotABurst) {
  // 7.5 s without a poll at 1 s: one evaluation, the next a full second later.
  EXPECT_EQ(polls(1.0, {7500, 7600, 8400, 8500}), "x..x");
}

TEST(AlarmSchedule, SubSecondIntervals) {
  std::vector<int> every_10ms;
  for (int ms = 0; ms < 1000; ms += 10) every_10ms.push_back(ms);
  const std::string fired = polls(0.1, every_10ms);
  EXPECT_EQ(std::count(fired.begin(), fired.end(), 'x'), 9);  // 100, 200, ..., 900 ms
  EXPECT_EQ(fired.find('x'), 10u);
}

}  // namespace
}  // namespace lw::telemetry
