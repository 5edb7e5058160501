// SPDX-License-Identifier: GPL-2.0-only
// Quantities the policy writes with a unit: rates, sizes and durations.
// A unit is never optional (docs/architecture.md "Contracts"): Proxmox's own bwlimit is in
// KiB/s and is routinely misread as MiB/s, so a bare number means nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lw::policy {

// "5gbit", "2.5 gbit/s", "600MiB/s", "125MB/s" -> bytes per second.
// Bit units are tc-style and case-insensitive (bit, kbit, mbit, gbit, tbit,
// decimal, optional "/s" or "ps"); byte units are B/s, kB/s, KB/s, MB/s, GB/s,
// TB/s (decimal) and KiB/s, MiB/s, GiB/s, TiB/s (binary). "mbps" and friends
// are rejected as ambiguous (tc reads them as bytes, people as bits).
std::optional<uint64_t> parse_rate(std::string_view text, std::string* error = nullptr);

// "4MiB", "64KiB", "1500B", "10MB", "512kbit" -> bytes.
std::optional<uint64_t> parse_size(std::string_view text, std::string* error = nullptr);

// "5ms", "250us", "1.5s", "800ns" -> nanoseconds.
std::optional<uint64_t> parse_duration(std::string_view text, std::string* error = nullptr);

// The largest unit that represents the value exactly, so the result parses
// back to the same number: 625000000 -> "5gbit", 629145600 -> "600MiB/s".
std::string format_rate(uint64_t bytes_per_sec);
std::string format_size(uint64_t bytes);

// The explanation for a rate written without a unit (`cap = 5120`), shared by
// the string and the TOML-integer paths so both read the same.
std::string bare_rate_message(std::string_view number);

}  // namespace lw::policy
