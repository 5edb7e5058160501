// SPDX-License-Identifier: GPL-2.0-only
// Small text helpers shared by the Proxmox readers, and the file:line every
// parsed value remembers so findings and errors can point at it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/text.h"

namespace lw::pve {

// Where a value was written. line 0 = the file as a whole.
struct Where {
  std::string file;
  int line = 0;
  std::string str() const;  // "file:line" or "file"
};

// A malformed or unreadable configuration file: exit code 2 with file:line.
class ConfigError : public lw::UsageError {
 public:
  ConfigError(const Where& where, const std::string& what);
};

// A value and the line it came from.
struct Value {
  std::string text;
  Where where;
};

using lw::lower;
using lw::trim;
// The lines of `text` without their '\n', numbered from 1 by position; a final
// '\n' leaves one empty last line. The views point into `text`.
std::vector<std::string_view> split_lines(std::string_view text);
// Splits on any run of the characters in `seps`; never returns empty parts.
std::vector<std::string> split_any(std::string_view s, std::string_view seps);
bool starts_with(std::string_view s, std::string_view prefix);
// Whole string as a non-negative decimal integer (no sign, no suffix).
std::optional<long long> parse_uint(std::string_view s);
// "yes/no/on/off/1/0/true/false" -> bool.
std::optional<bool> parse_bool(std::string_view s);

// The file's text; std::nullopt when it does not exist. A file that exists but
// cannot be read is a ConfigError (exit 2), never silently skipped.
std::optional<std::string> read_optional(const std::filesystem::path& path);
std::string read_required(const std::filesystem::path& path);

}  // namespace lw::pve
