// SPDX-License-Identifier: GPL-2.0-only
// Unit parsing for rates, sizes and durations. Arithmetic is exact (decimal
// mantissa in 128 bits) so "2.5gbit" is 312500000 B/s, not a float's guess.
#include "policy/rate.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>

#include "common/text.h"

namespace lw::policy {
namespace {

using u128 = unsigned __int128;

// value = mantissa / 10^scale
struct Decimal {
  u128 mantissa = 0;
  int scale = 0;
};

struct Unit {
  std::string_view name;
  uint64_t num;  // value in base units = number * num / den
  uint64_t den;
};

constexpr uint64_t kKi = 1024, kMi = kKi * 1024, kGi = kMi * 1024, kTi = kGi * 1024;
constexpr uint64_t kK = 1000, kM = kK * 1000, kG = kM * 1000, kT = kG * 1000;

// Bit units (matched case-insensitively, after stripping "/s" or "ps").
constexpr std::array<Unit, 5> kBitUnits = {
    {{"bit", 1, 8}, {"kbit", kK, 8}, {"mbit", kM, 8}, {"gbit", kG, 8}, {"tbit", kT, 8}}};

// Byte units are case-sensitive: "mb" could be millibit, megabit or megabyte.
constexpr std::array<Unit, 10> kByteUnits = {{{"B", 1, 1},
                                              {"kB", kK, 1},
                                              {"KB", kK, 1},
                                              {"MB", kM, 1},
                                              {"GB", kG, 1},
                                              {"TB", kT, 1},
                                              {"KiB", kKi, 1},
                                              {"MiB", kMi, 1},
                                              {"GiB", kGi, 1},
                                              {"TiB", kTi, 1}}};

constexpr std::array<Unit, 5> kDurationUnits = {
    {{"ns", 1, 1}, {"us", kK, 1}, {"µs", kK, 1}, {"ms", kM, 1}, {"s", kG, 1}}};

void set_error(std::string* error, std::string message) {
  if (error) *error = std::move(message);
}

// Splits "2.5gbit" into the number and the unit. Returns nullopt with an
// error for a missing number, a sign, or more digits than we can scale.
std::optional<Decimal> split_number(std::string_view text, std::string_view what,
                                    std::string_view* unit, std::string* error) {
  if (text.empty()) {
    set_error(error, fmt::format("empty {}", what));
    return std::nullopt;
  }
  if (text.front() == '-') {
    set_error(error, fmt::format("{} '{}' is negative: it must be greater than zero", what, text));
    return std::nullopt;
  }
  if (text.front() == '+') text.remove_prefix(1);
  Decimal d;
  size_t i = 0, digits = 0;
  bool dot = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !dot) {
      dot = true;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(c))) break;
    // 20 significant digits (all of UINT64_MAX) keep mantissa * 10^12 well
    // inside 128 bits.
    if (d.mantissa == 0 && c == '0' && !dot) continue;
    if (++digits > 20) {
      set_error(error, fmt::format("{} '{}' has too many digits", what, text));
      return std::nullopt;
    }
    d.mantissa = d.mantissa * 10 + static_cast<unsigned>(c - '0');
    if (dot) ++d.scale;
  }
  std::string_view number = text.substr(0, i);
  if (number.empty() || number == ".") {
    set_error(error, fmt::format("{} '{}' does not start with a number", what, text));
    return std::nullopt;
  }
  *unit = trim(text.substr(i));
  return d;
}

// number * unit, rounded to the nearest integer; errors on zero and overflow.
std::optional<uint64_t> scale(const Decimal& d, const Unit& u, std::string_view text,
                              std::string_view what, std::string_view base, std::string* error) {
  if (d.mantissa == 0) {
    set_error(error, fmt::format("{} '{}' is zero: it must be greater than zero", what, text));
    return std::nullopt;
  }
  u128 den = u.den;
  for (int i = 0; i < d.scale; ++i) den *= 10;
  u128 value = (d.mantissa * u.num + den / 2) / den;
  if (value == 0) {
    set_error(error, fmt::format("{} '{}' rounds to zero {}", what, text, base));
    return std::nullopt;
  }
  if (value > std::numeric_limits<uint64_t>::max()) {
    set_error(error, fmt::format("{} '{}' is too large", what, text));
    return std::nullopt;
  }
  return static_cast<uint64_t>(value);
}

template <size_t N>
const Unit* find_exact(const std::array<Unit, N>& units, std::string_view name) {
  auto it = std::find_if(units.begin(), units.end(), [&](const Unit& u) { return u.name == name; });
  return it == units.end() ? nullptr : &*it;
}

std::string format_exact(uint64_t value,
                         std::initializer_list<std::pair<uint64_t, const char*>> units,
                         const char* fallback) {
  // Units are listed largest first: the first exact divisor is the most readable.
  for (auto [size, name] : units) {
    if (value >= size && value % size == 0) return fmt::format("{}{}", value / size, name);
  }
  return fmt::format("{}{}", value, fallback);
}

}  // namespace

std::string bare_rate_message(std::string_view number) {
  std::string bwlimit;
  uint64_t n = 0;
  bool numeric = !number.empty() && number.size() < 15 &&
                 std::all_of(number.begin(), number.end(),
                             [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (numeric) {
    for (char c : number) n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  if (numeric && n > 0) {
    bwlimit = fmt::format("{} would be {} in bwlimit terms, not {} MiB/s", number,
                          format_rate(n * 1024), number);
  } else {
    bwlimit = "5120 would be 5MiB/s in bwlimit terms, not 5120 MiB/s";
  }
  return fmt::format(
      "rate '{}' has no unit: write one, e.g. \"5gbit\" or \"600MiB/s\"; units are required "
      "because Proxmox's bwlimit is in KiB/s and is commonly misread ({})",
      number, bwlimit);
}

std::optional<uint64_t> parse_rate(std::string_view text, std::string* error) {
  text = trim(text);
  std::string_view unit;
  auto d = split_number(text, "rate", &unit, error);
  if (!d) return std::nullopt;
  if (unit.empty()) {
    set_error(error, bare_rate_message(text));
    return std::nullopt;
  }
  std::string low = lower(unit);
  if (low.ends_with("bps")) {
    // tc reads "mbps" as megabytes/s, most people as megabits/s: refuse to guess.
    std::string prefix = low.substr(0, low.size() - 3);
    std::string upper_prefix =
        prefix.empty() ? "" : std::string(1, static_cast<char>(std::toupper(prefix[0])));
    set_error(error,
              fmt::format("rate '{}': '{}' is ambiguous (tc reads it as bytes/s, most people "
                          "as bits/s): write '{}bit' for bits or '{}B/s' for bytes",
                          text, unit, prefix, upper_prefix));
    return std::nullopt;
  }
  std::string bit_name = low;
  if (bit_name.ends_with("/s")) {
    bit_name.resize(bit_name.size() - 2);
  } else if (bit_name.ends_with("ps")) {
    bit_name.resize(bit_name.size() - 2);
  }
  const Unit* u = find_exact(kBitUnits, bit_name);
  if (!u && unit.ends_with("/s")) u = find_exact(kByteUnits, unit.substr(0, unit.size() - 2));
  if (!u) {
    std::string hint;
    if (find_exact(kByteUnits, unit)) hint = fmt::format(" (a size; did you mean '{}/s'?)", text);
    set_error(error,
              fmt::format("rate '{}' has an unknown unit '{}'{}: use bit/s units (kbit, mbit, "
                          "gbit) or byte/s units (KB/s, MB/s, KiB/s, MiB/s, GiB/s)",
                          text, unit, hint));
    return std::nullopt;
  }
  return scale(*d, *u, text, "rate", "bytes/s", error);
}

std::optional<uint64_t> parse_size(std::string_view text, std::string* error) {
  text = trim(text);
  std::string_view unit;
  auto d = split_number(text, "size", &unit, error);
  if (!d) return std::nullopt;
  if (unit.empty()) {
    set_error(error, fmt::format("size '{}' has no unit: write one, e.g. \"64KiB\" or \"4MiB\" "
                                 "(bytes: B, KB, MB, GB, KiB, MiB, GiB; bits: kbit, mbit)",
                                 text));
    return std::nullopt;
  }
  const Unit* u = find_exact(kByteUnits, unit);
  if (!u) u = find_exact(kBitUnits, lower(unit));
  if (!u) {
    set_error(error, fmt::format("size '{}' has an unknown unit '{}': use B, KB, MB, GB, KiB, MiB, "
                                 "GiB, kbit or mbit",
                                 text, unit));
    return std::nullopt;
  }
  return scale(*d, *u, text, "size", "bytes", error);
}

std::optional<uint64_t> parse_duration(std::string_view text, std::string* error) {
  text = trim(text);
  std::string_view unit;
  auto d = split_number(text, "duration", &unit, error);
  if (!d) return std::nullopt;
  if (unit.empty()) {
    set_error(error,
              fmt::format("duration '{}' has no unit: write one, e.g. \"5ms\" or \"500us\"", text));
    return std::nullopt;
  }
  const Unit* u = find_exact(kDurationUnits, unit);
  if (!u) {
    set_error(error, fmt::format("duration '{}' has an unknown unit '{}': use ns, us, ms or s",
                                 text, unit));
    return std::nullopt;
  }
  return scale(*d, *u, text, "duration", "nanoseconds", error);
}

std::string format_rate(uint64_t bytes_per_sec) {
  if (bytes_per_sec == 0) return "0B/s";
  return format_exact(bytes_per_sec,
                      {{kTi, "TiB/s"},
                       {kT / 8, "tbit"},
                       {kGi, "GiB/s"},
                       {kG / 8, "gbit"},
                       {kMi, "MiB/s"},
                       {kM / 8, "mbit"},
                       {kKi, "KiB/s"},
                       {kK / 8, "kbit"}},
                      "B/s");
}

std::string format_size(uint64_t bytes) {
  if (bytes == 0) return "0B";
  return format_exact(bytes, {{kTi, "TiB"}, {kGi, "GiB"}, {kMi, "MiB"}, {kKi, "KiB"}}, "B");
}

}  // namespace lw::policy
