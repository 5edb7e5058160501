// SPDX-License-Identifier: GPL-2.0-only
#include "pve/datacenter_cfg.h"

#include <fmt/format.h>

namespace lw::pve {

std::map<std::string, std::string> parse_property_string(std::string_view text,
                                                         std::string_view default_key,
                                                         const Where& where) {
  std::map<std::string, std::string> out;
  for (auto& part : split_any(text, ",")) {
    auto item = trim(part);
    auto eq = item.find('=');
    std::string key = eq == std::string_view::npos ? std::string(default_key)
                                                   : std::string(trim(item.substr(0, eq)));
    std::string val(eq == std::string_view::npos ? item : trim(item.substr(eq + 1)));
    if (key.empty()) throw ConfigError(where, "'" + std::string(item) + "': missing key");
    if (out.count(key)) throw ConfigError(where, "'" + key + "' given twice");
    out[key] = val;
  }
  return out;
}

namespace {

// migration: and replication: share one format: [type=]secure|insecure and
// network=CIDR (pve-cluster's DataCenterConfig.pm).
std::map<std::string, std::string> read_transfer_setting(const Value& v, std::string_view what) {
  auto props = parse_property_string(v.text, "type", v.where);
  if (props.count("type") && props["type"] != "secure" && props["type"] != "insecure")
    throw ConfigError(v.where, std::string(what) + " type '" + props["type"] +
                                   "' is neither secure nor insecure");
  return props;
}

std::optional<Cidr> transfer_network(const Value& v, std::map<std::string, std::string>& props,
                                     std::string_view what) {
  if (!props.count("network")) return std::nullopt;
  std::optional<Cidr> net;
  // Proxmox's format for it is 'CIDR': the prefix is required.
  if (props["network"].find('/') != std::string::npos) net = parse_network(props["network"]);
  if (!net)
    throw ConfigError(v.where,
                      std::string(what) + " network '" + props["network"] + "' is not a CIDR");
  return net;
}

}  // namespace

std::string describe_kib_per_sec(uint64_t kib) {
  double mib = kib / 1024.0;
  double mbit = kib * 1024.0 * 8 / 1e6;
  std::string bits =
      mbit >= 1000 ? fmt::format("{:.3g} Gbit/s", mbit / 1000) : fmt::format("{:.3g} Mbit/s", mbit);
  return fmt::format("{} KiB/s = {:.4g} MiB/s ({})", kib, mib, bits);
}

DatacenterCfg parse_datacenter_cfg(std::string_view text, const std::string& file) {
  DatacenterCfg d;
  d.file = file;
  int lineno = 0;
  for (std::string_view raw_line : split_lines(text)) {
    auto line = trim(raw_line);
    ++lineno;
    Where here{file, lineno};
    if (line.empty() || line.front() == '#') continue;
    auto colon = line.find(':');
    if (colon == std::string_view::npos)
      throw ConfigError(here, "expected 'key: value', got '" + std::string(line) + "'");
    auto key = std::string(trim(line.substr(0, colon)));
    d.keys[key] = Value{std::string(trim(line.substr(colon + 1))), here};
  }

  if (auto it = d.keys.find("migration"); it != d.keys.end()) {
    d.migration = it->second;
    auto props = read_transfer_setting(it->second, "migration");
    if (props.count("type")) d.migration_type = props["type"];
    d.migration_network = transfer_network(it->second, props, "migration");
  } else if (auto old = d.keys.find("migration_unsecure"); old != d.keys.end()) {
    // Pre-5.0 spelling, still honoured by Proxmox.
    if (parse_bool(old->second.text).value_or(false)) d.migration_type = "insecure";
  }

  if (auto it = d.keys.find("replication"); it != d.keys.end()) {
    d.replication = it->second;
    auto props = read_transfer_setting(it->second, "replication");
    d.replication_network = transfer_network(it->second, props, "replication");
  }

  if (auto it = d.keys.find("bwlimit"); it != d.keys.end()) {
    d.bwlimit = it->second;
    auto props = parse_property_string(it->second.text, "default", it->second.where);
    for (auto key : {"migration", "default"}) {
      if (!props.count(key)) continue;
      auto n = parse_uint(props[key]);
      if (!n)
        throw ConfigError(it->second.where, std::string("bwlimit ") + key + "='" + props[key] +
                                                "' is not a number (KiB/s)");
      if (!d.bwlimit_migration_kib) {
        d.bwlimit_migration_kib = static_cast<uint64_t>(*n);
        d.bwlimit_from_default = std::string_view(key) == "default";
      }
    }
  }
  return d;
}

}  // namespace lw::pve
