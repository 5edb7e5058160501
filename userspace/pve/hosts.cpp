// SPDX-License-Identifier: GPL-2.0-only
#include "pve/hosts.h"

#include <arpa/inet.h>

namespace lw::pve {

const HostEntry* Hosts::lookup(std::string_view name) const {
  for (auto& e : entries) {
    bool loopback = (e.addr.family == AF_INET && e.addr.bytes[0] == 127) ||
                    (e.addr.family == AF_INET6 && e.addr == *parse_address("::1"));
    if (loopback) continue;
    for (auto& n : e.names) {
      auto dot = n.find('.');
      if (n == name || (dot != std::string::npos && std::string_view(n).substr(0, dot) == name))
        return &e;
    }
  }
  return nullptr;
}

Hosts parse_hosts(std::string_view text, const std::string& file) {
  Hosts h;
  int lineno = 0;
  for (std::string_view line : split_lines(text)) {
    ++lineno;
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    auto parts = split_any(line, " \t\r");
    if (parts.size() < 2) continue;
    auto a = parse_address(parts[0]);
    if (!a) continue;
    h.entries.push_back({*a, {parts.begin() + 1, parts.end()}, {file, lineno}});
  }
  return h;
}

}  // namespace lw::pve
