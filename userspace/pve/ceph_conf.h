// SPDX-License-Identifier: GPL-2.0-only
// /etc/pve/ceph.conf: INI as Ceph reads it. Key names with spaces, dashes or
// underscores are the same key ("public network" == "public_network", Ceph
// docs "Configuring Ceph": config names). Values keep their line.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/net.h"
#include "pve/text.h"

namespace lw::pve {

struct CephNetwork {
  Cidr net;
  Where where;
};

struct CephMon {
  std::string host;             // address as written (or a name)
  std::optional<Address> addr;  // when it is an address
  Where where;
};

struct CephConf {
  std::string file;
  // section -> normalized key -> value
  std::map<std::string, std::map<std::string, Value>> sections;
  std::vector<CephNetwork> public_networks;   // public_network, comma-separated
  std::vector<CephNetwork> cluster_networks;  // cluster_network; empty = public
  std::vector<CephMon> mons;                  // mon_host and [mon.X] addresses

  const Value* get(std::string_view section, std::string_view key) const;
};

// "public network" -> "public_network".
std::string normalize_ceph_key(std::string_view key);
// One mon_host entry: "10.0.0.1", "10.0.0.1:6789", "[v2:10.0.0.1:3300/0,v1:10.0.0.1:6789/0]",
// "[::1]:3300"; returns the address part of each (v2 and v1 of one mon
// collapse to one address).
std::vector<std::string> split_mon_host(std::string_view value);

CephConf parse_ceph_conf(std::string_view text, const std::string& file);

}  // namespace lw::pve
