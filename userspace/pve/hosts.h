// SPDX-License-Identifier: GPL-2.0-only
// /etc/hosts: Proxmox requires the node name to resolve to the node's
// management address there (pve docs, "Hostname"), and corosync.conf may name
// hosts instead of addresses in ringN_addr.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/net.h"
#include "pve/text.h"

namespace lw::pve {

struct HostEntry {
  Address addr;
  std::vector<std::string> names;
  Where where;
};

struct Hosts {
  std::vector<HostEntry> entries;
  // First non-loopback address for `name` (short or full name).
  const HostEntry* lookup(std::string_view name) const;
};

// Lines that do not start with an address are skipped, as the resolver does.
Hosts parse_hosts(std::string_view text, const std::string& file);

}  // namespace lw::pve
