// SPDX-License-Identifier: GPL-2.0-only
#include "pve/ceph_conf.h"

#include <algorithm>

namespace lw::pve {
namespace {

// Ceph allows '#' and ';' comments, also after a value.
std::string_view strip_comment(std::string_view line) {
  auto p = line.find_first_of("#;");
  return trim(p == std::string_view::npos ? line : line.substr(0, p));
}

// "v2:10.0.0.1:3300/0" -> "10.0.0.1"; "[::1]:3300" -> "::1".
std::string mon_address(std::string_view e) {
  if (starts_with(e, "v2:") || starts_with(e, "v1:")) e.remove_prefix(3);
  if (auto slash = e.find('/'); slash != std::string_view::npos) e = e.substr(0, slash);
  if (!e.empty() && e.front() == '[') {
    auto close = e.find(']');
    return std::string(e.substr(1, close == std::string_view::npos ? e.npos : close - 1));
  }
  auto first = e.find(':');
  if (first != std::string_view::npos && first == e.rfind(':'))
    e = e.substr(0, first);  // host:port
  return std::string(e);
}

std::vector<CephNetwork> read_networks(const Value& v) {
  std::vector<CephNetwork> out;
  for (auto& part : split_any(v.text, ", \t")) {
    auto n = parse_network(part);
    if (!n) throw ConfigError(v.where, "'" + part + "' is not a network (CIDR)");
    out.push_back({*n, v.where});
  }
  return out;
}

}  // namespace

std::string normalize_ceph_key(std::string_view key) {
  std::string out;
  for (char c : trim(key)) {
    if (c == ' ' || c == '\t' || c == '-' || c == '_') {
      if (out.empty() || out.back() != '_') out += '_';
    } else {
      out += c;
    }
  }
  return out;
}

std::vector<std::string> split_mon_host(std::string_view value) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < value.size()) {
    char c = value[i];
    if (c == ' ' || c == ',' || c == ';' || c == '\t') {
      ++i;
      continue;
    }
    size_t end;
    std::string_view item;
    bool vector = c == '[' && (value.substr(i + 1, 3) == "v2:" || value.substr(i + 1, 3) == "v1:");
    if (vector) {     // an address vector: one mon, several protocols
      int depth = 0;  // IPv6 entries nest brackets: [v2:[fd00::1]:3300/0,...]
      for (end = i; end < value.size(); ++end) {
        if (value[end] == '[') ++depth;
        if (value[end] == ']' && --depth == 0) break;
      }
      item = value.substr(i + 1, end - i - 1);
      auto parts = split_any(item, ",");
      if (!parts.empty()) out.push_back(mon_address(parts.front()));
      i = end + 1;
      continue;
    }
    if (c == '[') {  // "[::1]:3300"
      end = value.find(']', i);
      end = end == std::string_view::npos ? value.size() : value.find_first_of(" ,;", end);
    } else {
      end = value.find_first_of(" ,;\t", i);
    }
    if (end == std::string_view::npos) end = value.size();
    out.push_back(mon_address(value.substr(i, end - i)));
    i = end;
  }
  return out;
}

const Value* CephConf::get(std::string_view section, std::string_view key) const {
  auto s = sections.find(std::string(section));
  if (s == sections.end()) return nullptr;
  auto k = s->second.find(normalize_ceph_key(key));
  return k == s->second.end() ? nullptr : &k->second;
}

CephConf parse_ceph_conf(std::string_view text, const std::string& file) {
  CephConf c;
  c.file = file;
  std::string section;
  int lineno = 0;
  for (std::string_view raw_line : split_lines(text)) {
    auto line = strip_comment(raw_line);
    ++lineno;
    Where here{file, lineno};
    if (line.empty()) continue;
    if (line.front() == '[') {
      if (line.back() != ']') throw ConfigError(here, "section header without ']'");
      section = std::string(trim(line.substr(1, line.size() - 2)));
      if (section.empty()) throw ConfigError(here, "empty section name");
      c.sections[section];
      continue;
    }
    auto eq = line.find('=');
    if (eq == std::string_view::npos)
      throw ConfigError(here, "expected 'key = value', got '" + std::string(line) + "'");
    if (section.empty()) throw ConfigError(here, "'key = value' before any [section]");
    auto key = normalize_ceph_key(line.substr(0, eq));
    if (key.empty()) throw ConfigError(here, "empty key");
    c.sections[section][key] = Value{std::string(trim(line.substr(eq + 1))), here};
  }

  // Networks are global options; Ceph also reads them from [osd]/[mon], but
  // Proxmox (pveceph init) writes them to [global].
  if (auto* v = c.get("global", "public_network")) c.public_networks = read_networks(*v);
  if (auto* v = c.get("global", "cluster_network")) c.cluster_networks = read_networks(*v);
  auto add_mons = [&](const Value& v) {
    for (auto& host : split_mon_host(v.text)) {
      bool seen =
          std::any_of(c.mons.begin(), c.mons.end(), [&](auto& m) { return m.host == host; });
      if (!seen) c.mons.push_back({host, parse_address(host), v.where});
    }
  };
  if (auto* v = c.get("global", "mon_host")) add_mons(*v);
  for (auto& [name, keys] : c.sections) {
    if (!starts_with(name, "mon.")) continue;
    for (auto key : {"public_addr", "mon_addr"}) {
      auto k = keys.find(key);
      if (k != keys.end()) add_mons(k->second);
    }
  }
  return c;
}

}  // namespace lw::pve
