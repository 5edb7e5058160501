// SPDX-License-Identifier: GPL-2.0-only
// /etc/pve/datacenter.cfg: "key: value" lines whose values are Proxmox
// property strings ("secure,network=10.1.2.0/24": the default key may be
// written without "key=").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "common/net.h"
#include "pve/text.h"

namespace lw::pve {

struct DatacenterCfg {
  std::string file;
  std::map<std::string, Value> keys;
  // migration: [type=]secure|insecure,network=CIDR
  std::optional<Value> migration;         // the whole line
  std::string migration_type = "secure";  // Proxmox default
  std::optional<Cidr> migration_network;
  // replication: [type=]secure|insecure,network=CIDR (PVE 8.x datacenter.cfg);
  // storage replication then sends over SSH to the target's address there.
  std::optional<Value> replication;
  std::optional<Cidr> replication_network;
  // bwlimit: migration=N,default=N; N in KiB/s (pve docs, datacenter.cfg(5)).
  std::optional<Value> bwlimit;
  std::optional<uint64_t> bwlimit_migration_kib;  // migration=, else default=
  bool bwlimit_from_default = false;
};

// "secure,network=10.1.2.0/24" with default key "type" -> {type: secure, network: ...}.
// Throws ConfigError at `where` for an empty key or a repeated key.
std::map<std::string, std::string> parse_property_string(std::string_view text,
                                                         std::string_view default_key,
                                                         const Where& where);

// "512000 KiB/s = 500 MiB/s (4.19 Gbit/s)": bwlimit values are KiB/s and are
// misread often enough (datacenter.cfg(5): bwlimit is KiB/s) to always spell them out.
std::string describe_kib_per_sec(uint64_t kib);

DatacenterCfg parse_datacenter_cfg(std::string_view text, const std::string& file);

}  // namespace lw::pve
