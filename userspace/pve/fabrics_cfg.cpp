// SPDX-License-Identifier: GPL-2.0-only
#include "pve/fabrics_cfg.h"

#include "pve/datacenter_cfg.h"

namespace lw::pve {
namespace {

std::optional<Address> read_address(const std::string& text, const Where& where) {
  auto a = parse_address(text);
  if (!a) throw ConfigError(where, "'" + text + "' is not an address");
  return a;
}

std::optional<Cidr> read_prefix(const std::string& text, const Where& where) {
  auto n = text.find('/') == std::string::npos ? std::nullopt : parse_network(text);
  if (!n) throw ConfigError(where, "'" + text + "' is not a CIDR");
  return n;
}

}  // namespace

const Fabric* FabricsCfg::fabric(std::string_view id) const {
  for (auto& f : fabrics)
    if (f.id == id) return &f;
  return nullptr;
}

const FabricNode* FabricsCfg::node(std::string_view fabric, std::string_view node) const {
  for (auto& n : nodes)
    if (n.fabric == fabric && n.node == node) return &n;
  return nullptr;
}

FabricsCfg parse_fabrics_cfg(std::string_view text, const std::string& file) {
  FabricsCfg cfg;
  cfg.file = file;
  Fabric* fabric = nullptr;
  FabricNode* node = nullptr;
  int lineno = 0;
  for (std::string_view raw : split_lines(text)) {
    ++lineno;
    Where here{file, lineno};
    auto line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    if (raw.front() != ' ' && raw.front() != '\t') {
      auto colon = line.find(':');
      if (colon == std::string_view::npos)
        throw ConfigError(here, "expected 'type: id', got '" + std::string(line) + "'");
      std::string type(trim(line.substr(0, colon)));
      std::string id(trim(line.substr(colon + 1)));
      fabric = nullptr;
      node = nullptr;
      if (type.ends_with("_fabric")) {
        cfg.fabrics.push_back({id, type.substr(0, type.size() - 7), {}, {}, here});
        fabric = &cfg.fabrics.back();
      } else if (type.ends_with("_node")) {
        // The section id is FABRIC_NODE; fabric ids have no '_'.
        auto us = id.find('_');
        if (us == std::string::npos || us == 0 || us + 1 == id.size())
          throw ConfigError(here, "node section '" + id + "' is not FABRIC_NODE");
        cfg.nodes.push_back({id.substr(0, us), id.substr(us + 1), {}, {}, {}, here});
        node = &cfg.nodes.back();
      }
      continue;
    }
    auto parts = split_any(line, " \t");
    if (parts.size() < 2) continue;
    if (fabric) {
      if (parts[0] == "ip_prefix") fabric->ip_prefix = read_prefix(parts[1], here);
      if (parts[0] == "ip6_prefix") fabric->ip6_prefix = read_prefix(parts[1], here);
    } else if (node) {
      if (parts[0] == "ip") node->ip = read_address(parts[1], here);
      if (parts[0] == "ip6") node->ip6 = read_address(parts[1], here);
      if (parts[0] == "interfaces") {
        auto props = parse_property_string(parts[1], "name", here);
        if (props.count("name")) node->interfaces.push_back(props["name"]);
      }
    } else {
      throw ConfigError(here, "option outside of a fabric or node section");
    }
  }
  return cfg;
}

}  // namespace lw::pve
