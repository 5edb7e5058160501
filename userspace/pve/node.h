// SPDX-License-Identifier: GPL-2.0-only
// Everything lanewarden reads about one Proxmox node, from the real files or
// from a copy under --root DIR (DIR/etc/pve/..., DIR/etc/network/interfaces).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "pve/ceph_conf.h"
#include "pve/corosync_conf.h"
#include "pve/datacenter_cfg.h"
#include "pve/fabrics_cfg.h"
#include "pve/frr_conf.h"
#include "pve/hosts.h"
#include "pve/interfaces.h"
#include "pve/link_pins.h"
#include "pve/live_state.h"
#include "pve/packages.h"
#include "pve/storage_cfg.h"

namespace lw::pve {

struct NodeConfig {
  std::filesystem::path root;
  std::string hostname;                  // short name: corosync nodelist names are short
  Interfaces interfaces;                 // required
  std::optional<CorosyncConf> corosync;  // absent on a standalone node
  std::optional<CephConf> ceph;
  std::optional<DatacenterCfg> datacenter;
  std::optional<StorageCfg> storage;
  std::optional<FabricsCfg> fabrics;  // PVE 9 SDN fabrics
  // /etc/frr/frr.conf (+ daemons): a routed full mesh. Its `ip address`
  // lines are merged into `interfaces` as well (zebra configures them).
  std::optional<FrrConf> frr;
  Hosts hosts;
  std::vector<LinkPin> link_pins;  // pve-network-interface-pinning's .link files
  LiveState live;
  Packages packages;  // corosync and knet versions, when dpkg's status file is there
};

// root "" or "/" = the running system (hostname falls back to gethostname()).
// Missing optional files are absent; malformed ones throw ConfigError. The
// running kernel's address table is read for the running system, and for a
// copy when `kernel` says the copy is this node's (check/derive --live).
NodeConfig load_node(const std::filesystem::path& root, bool kernel = false);

}  // namespace lw::pve
