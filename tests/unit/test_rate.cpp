// SPDX-License-Identifier: GPL-2.0-only
// Rates, sizes and durations: every unit, exact arithmetic, and the refusal
// of bare numbers (Proxmox's bwlimit is KiB/s and routinely misread).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policy/rate.h"

namespace lw::policy {
namespace {

using ::testing::HasSubstr;

uint64_t rate(std::string_view text) {
  std::string err;
  auto r = parse_rate(text, &err);
  EXPECT_TRUE(r) << text << ": " << err;
  return r.value_or(0);
}

std::string rate_error(std::string_view text) {
  std::string err;
  EXPECT_FALSE(parse_rate(text, &err)) << text;
  return err;
}

TEST(Rate, BitUnitsAreDecimalAndCaseInsensitive) {
  EXPECT_EQ(rate("8bit"), 1u);
  EXPECT_EQ(rate("1kbit"), 125u);
  EXPECT_EQ(rate("100mbit"), 12'500'000u);
  EXPECT_EQ(rate("5gbit"), 625'000'000u);
  EXPECT_EQ(rate("1tbit"), 125'000'000'000u);
  EXPECT_EQ(rate("5Gbit"), 625'000'000u);
  EXPECT_EQ(rate("5GBIT"), 625'000'000u);
  EXPECT_EQ(rate("5gbit/s"), 625'000'000u);
  EXPECT_EQ(rate("5Gbit/s"), 625'000'000u);
  EXPECT_EQ(rate("5gbitps"), 625'000'000u);
  EXPECT_EQ(rate("50 mbit"), 6'250'000u);  // a space before the unit is fine
}

TEST(Rate, ByteUnits) {
  EXPECT_EQ(rate("1B/s"), 1u);
  EXPECT_EQ(rate("1kB/s"), 1000u);
  EXPECT_EQ(rate("1KB/s"), 1000u);
  EXPECT_EQ(rate("125MB/s"), 125'000'000u);
  EXPECT_EQ(rate("2GB/s"), 2'000'000'000u);
  EXPECT_EQ(rate("1TB/s"), 1'000'000'000'000u);
  EXPECT_EQ(rate("1KiB/s"), 1024u);
  EXPECT_EQ(rate("600MiB/s"), 629'145'600u);
  EXPECT_EQ(rate("5MiB/s"), 5'242'880u);
  EXPECT_EQ(rate("1GiB/s"), 1'073'741'824u);
  EXPECT_EQ(rate("1TiB/s"), 1'099'511'627'776u);
}

TEST(Rate, DecimalsAreExact) {
  EXPECT_EQ(rate("2.5gbit"), 312'500'000u);
  EXPECT_EQ(rate("0.5mbit"), 62'500u);
  EXPECT_EQ(rate(".5mbit"), 62'500u);
  EXPECT_EQ(rate("1.5MiB/s"), 1'572'864u);
  EXPECT_EQ(rate("0.008kbit"), 1u);
  EXPECT_EQ(rate("0.012kbit"), 2u);  // 1.5 B/s rounds to nearest
}

TEST(Rate, RejectsBareNumbersWithTheBwlimitExplanation) {
  auto err = rate_error("5120");
  EXPECT_THAT(err, HasSubstr("rate '5120' has no unit"));
  EXPECT_THAT(err, HasSubstr("bwlimit is in KiB/s"));
  EXPECT_THAT(err, HasSubstr("5120 would be 5MiB/s in bwlimit terms"));
  EXPECT_THAT(err, HasSubstr("\"5gbit\""));
  // The example follows the number that was written.
  EXPECT_THAT(rate_error("512000"), HasSubstr("512000 would be 500MiB/s in bwlimit terms"));
  EXPECT_THAT(rate_error("2.5"), HasSubstr("has no unit"));
}

TEST(Rate, RejectsAmbiguousBps) {
  auto err = rate_error("100mbps");
  EXPECT_THAT(err, HasSubstr("ambiguous"));
  EXPECT_THAT(err, HasSubstr("'mbit'"));
  EXPECT_THAT(err, HasSubstr("'MB/s'"));
  EXPECT_THAT(rate_error("10Gbps"), HasSubstr("'gbit'"));
  EXPECT_THAT(rate_error("10kbps"), HasSubstr("'KB/s'"));
  EXPECT_THAT(rate_error("10bps"), HasSubstr("ambiguous"));
}

TEST(Rate, RejectsZeroNegativeOverflowAndJunk) {
  EXPECT_THAT(rate_error("0gbit"), HasSubstr("is zero"));
  EXPECT_THAT(rate_error("0.0mbit"), HasSubstr("is zero"));
  EXPECT_THAT(rate_error("-5gbit"), HasSubstr("negative"));
  EXPECT_THAT(rate_error("1bit"), HasSubstr("rounds to zero"));  // 1/8 byte per second
  EXPECT_THAT(rate_error("99999999999999999tbit"), HasSubstr("too large"));
  EXPECT_THAT(rate_error("1234567890123456789012gbit"), HasSubstr("too many digits"));
  EXPECT_THAT(rate_error(""), HasSubstr("empty rate"));
  EXPECT_THAT(rate_error("gbit"), HasSubstr("does not start with a number"));
  EXPECT_THAT(rate_error("5 furlongs"), HasSubstr("unknown unit 'furlongs'"));
  EXPECT_THAT(rate_error("5mb/s"), HasSubstr("unknown unit"));  // case matters for bytes
  EXPECT_THAT(rate_error("600MiB"), HasSubstr("did you mean '600MiB/s'?"));  // a size, not a rate
  EXPECT_THAT(rate_error("1e9bit"), HasSubstr("unknown unit"));
}

TEST(Rate, LargestValueThatFits) {
  EXPECT_EQ(rate("18446744073709551615B/s"), UINT64_MAX);
  EXPECT_THAT(rate_error("18446744073709551616B/s"), HasSubstr("too large"));
}

TEST(Rate, FormatPicksTheLargestExactUnitAndRoundTrips) {
  EXPECT_EQ(format_rate(625'000'000), "5gbit");
  EXPECT_EQ(format_rate(629'145'600), "600MiB/s");
  EXPECT_EQ(format_rate(5'242'880), "5MiB/s");
  EXPECT_EQ(format_rate(125), "1kbit");
  EXPECT_EQ(format_rate(128'000), "125KiB/s");
  EXPECT_EQ(format_rate(7), "7B/s");
  EXPECT_EQ(format_rate(0), "0B/s");
  for (uint64_t v : std::initializer_list<uint64_t>{1, 7, 125, 1000, 1024, 128000, 312'500'000,
                                                    625'000'001, 1ull << 40, UINT64_MAX}) {
    EXPECT_EQ(parse_rate(format_rate(v)), v) << format_rate(v);
  }
}

TEST(Rate, ProxmoxBwlimitArithmetic) {
  // bwlimit is KiB/s: the example policy's "5gbit" is 610351.5625 KiB/s, and
  // bwlimit 655360 KiB/s is 640 MiB/s (5 Gibit/s), a different number.
  EXPECT_EQ(rate("5gbit") * 10000 / 1024, 6'103'515'625u);
  EXPECT_EQ(rate("640MiB/s"), 655'360u * 1024);
  EXPECT_EQ(format_rate(655'360u * 1024), "640MiB/s");
}

TEST(Size, Units) {
  std::string err;
  EXPECT_EQ(parse_size("1500B"), 1500u);
  EXPECT_EQ(parse_size("64KiB"), 65536u);
  EXPECT_EQ(parse_size("4MiB"), 4'194'304u);
  EXPECT_EQ(parse_size("1GiB"), 1'073'741'824u);
  EXPECT_EQ(parse_size("10KB"), 10'000u);
  EXPECT_EQ(parse_size("10kB"), 10'000u);
  EXPECT_EQ(parse_size("2MB"), 2'000'000u);
  EXPECT_EQ(parse_size("1GB"), 1'000'000'000u);
  EXPECT_EQ(parse_size("512kbit"), 64'000u);
  EXPECT_EQ(parse_size("8mbit"), 1'000'000u);
  EXPECT_EQ(parse_size("1.5KiB"), 1536u);
  EXPECT_FALSE(parse_size("4096", &err));
  EXPECT_THAT(err, HasSubstr("size '4096' has no unit"));
  EXPECT_FALSE(parse_size("4MiB/s", &err));
  EXPECT_THAT(err, HasSubstr("unknown unit"));
  EXPECT_FALSE(parse_size("0KiB", &err));
  EXPECT_THAT(err, HasSubstr("is zero"));
  EXPECT_EQ(format_size(4'194'304), "4MiB");
  EXPECT_EQ(format_size(1500), "1500B");
}

TEST(Duration, Units) {
  std::string err;
  EXPECT_EQ(parse_duration("5ms"), 5'000'000u);
  EXPECT_EQ(parse_duration("250us"), 250'000u);
  EXPECT_EQ(parse_duration("250µs"), 250'000u);
  EXPECT_EQ(parse_duration("1.5s"), 1'500'000'000u);
  EXPECT_EQ(parse_duration("800ns"), 800u);
  EXPECT_FALSE(parse_duration("5", &err));
  EXPECT_THAT(err, HasSubstr("no unit"));
  EXPECT_FALSE(parse_duration("5min", &err));
  EXPECT_THAT(err, HasSubstr("unknown unit 'min'"));
  EXPECT_FALSE(parse_duration("0ms", &err));
  EXPECT_THAT(err, HasSubstr("is zero"));
}

}  // namespace
}  // namespace lw::policy
