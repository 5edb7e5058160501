// SPDX-License-Identifier: GPL-2.0-only
#include "pve/storage_cfg.h"

namespace lw::pve {
namespace {

bool network_storage(std::string_view type) {
  return type == "nfs" || type == "cifs" || type == "iscsi" || type == "iscsidirect" ||
         type == "pbs";
}

// "10.0.0.5:3260" or "[fd00::5]:3260" -> the address part.
std::string strip_port(std::string_view s) {
  if (!s.empty() && s.front() == '[') return std::string(s.substr(1, s.find(']') - 1));
  auto c = s.find(':');
  if (c != std::string_view::npos && c == s.rfind(':')) return std::string(s.substr(0, c));
  return std::string(s);
}

constexpr int kPbsPort = 8007;

}  // namespace

StorageCfg parse_storage_cfg(std::string_view text, const std::string& file) {
  StorageCfg cfg;
  cfg.file = file;
  std::string type, id;
  std::optional<int> section_port;
  int lineno = 0;
  for (std::string_view raw : split_lines(text)) {
    ++lineno;
    Where here{file, lineno};
    auto line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    bool indented = raw.front() == ' ' || raw.front() == '\t';
    if (!indented) {
      auto colon = line.find(':');
      if (colon == std::string_view::npos)
        throw ConfigError(here, "expected 'type: id', got '" + std::string(line) + "'");
      type = std::string(trim(line.substr(0, colon)));
      id = std::string(trim(line.substr(colon + 1)));
      section_port.reset();
      continue;
    }
    if (type.empty()) throw ConfigError(here, "option outside of a storage section");
    auto parts = split_any(line, " \t");
    if (parts.size() < 2 || !network_storage(type)) continue;
    if (parts[0] == "server" || parts[0] == "portal") {
      auto host = strip_port(parts[1]);
      std::optional<int> port;
      if (type == "pbs") port = section_port.value_or(kPbsPort);
      cfg.targets.push_back({type, id, host, parse_address(host), port, here});
    } else if (parts[0] == "port" && type == "pbs") {
      auto p = parse_uint(parts[1]);
      if (!p || *p < 1 || *p > 65535)
        throw ConfigError(here, "port '" + parts[1] + "' is not 1..65535");
      // `port` may come before or after `server`: it belongs to this section's target.
      section_port = static_cast<int>(*p);
      for (auto& t : cfg.targets)
        if (t.id == id && t.type == type) t.port = section_port;
    }
  }
  return cfg;
}

}  // namespace lw::pve
