// SPDX-License-Identifier: GPL-2.0-only
#include "pve/text.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace lw::pve {

std::string Where::str() const { return line > 0 ? file + ":" + std::to_string(line) : file; }

ConfigError::ConfigError(const Where& where, const std::string& what)
    : lw::UsageError(where.str() + ": " + what) {}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

std::vector<std::string> split_any(std::string_view s, std::string_view seps) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    auto b = s.find_first_not_of(seps, i);
    if (b == std::string_view::npos) break;
    auto e = s.find_first_of(seps, b);
    if (e == std::string_view::npos) e = s.size();
    out.emplace_back(s.substr(b, e - b));
    i = e;
  }
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::optional<long long> parse_uint(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  long long v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<bool> parse_bool(std::string_view s) {
  auto l = lower(s);
  if (l == "yes" || l == "on" || l == "1" || l == "true") return true;
  if (l == "no" || l == "off" || l == "0" || l == "false") return false;
  return std::nullopt;
}

std::optional<std::string> read_optional(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::nullopt;
  if (std::filesystem::is_directory(path, ec))
    throw ConfigError({path.string(), 0}, "is a directory, expected a file");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw ConfigError({path.string(), 0}, std::string("cannot read: ") + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string read_required(const std::filesystem::path& path) {
  auto text = read_optional(path);
  if (!text) throw ConfigError({path.string(), 0}, "missing");
  return *text;
}

}  // namespace lw::pve
