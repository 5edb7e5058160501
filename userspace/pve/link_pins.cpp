// SPDX-License-Identifier: GPL-2.0-only
#include "pve/link_pins.h"

#include <algorithm>

namespace lw::pve {

std::optional<LinkPin> parse_link_file(std::string_view text, const std::string& file) {
  LinkPin pin;
  std::string section;
  auto lines = split_lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    auto line = trim(lines[i]);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    Where where{file, static_cast<int>(i + 1)};
    if (line.front() == '[' && line.back() == ']') {
      section = std::string(line.substr(1, line.size() - 2));
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string_view::npos) throw ConfigError(where, "not a systemd.link line");
    auto key = trim(line.substr(0, eq));
    auto value = trim(line.substr(eq + 1));
    if (section == "Match" && key == "MACAddress") pin.mac = lower(value);
    if (section == "Link" && key == "Name") {
      pin.name = std::string(value);
      pin.where = where;
    }
  }
  if (pin.mac.empty() || pin.name.empty()) return std::nullopt;
  return pin;
}

std::vector<LinkPin> read_link_pins(const std::filesystem::path& root) {
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (auto& e : std::filesystem::directory_iterator(root / kLinkPinDir, ec)) {
    auto name = e.path().filename().string();
    if (starts_with(name, "50-pve-") && name.size() > 5 &&
        name.compare(name.size() - 5, 5, ".link") == 0)
      files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<LinkPin> out;
  for (auto& f : files)
    if (auto text = read_optional(f))
      if (auto pin = parse_link_file(*text, f.string())) out.push_back(std::move(*pin));
  return out;
}

}  // namespace lw::pve
