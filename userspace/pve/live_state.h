// SPDX-License-Identifier: GPL-2.0-only
// What the kernel runs right now, where available: /proc/net/bonding/*,
// /sys/class/net/*/{speed,mtu,operstate} and the ECMP hash sysctl. Absent or unreadable files are
// not errors (a container, a down link: sysfs speed then fails with EINVAL).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/net.h"

namespace lw::pve {

struct BondSlaveLive {
  std::string name;
  bool mii_up = false;
  std::optional<int> speed_mbps;
  int aggregator_id = -1;   // 802.3ad only
  std::string partner_mac;  // 802.3ad: the LACP partner's system MAC, zeros when none answered
  std::string perm_mac;     // "Permanent HW addr"
};

struct BondLive {
  std::string file;
  std::string mode;            // kernel name: balance-rr, 802.3ad, ...
  std::string lacp_rate;       // "fast"/"slow" for 802.3ad, else empty
  int active_aggregator = -1;  // 802.3ad only
  std::string partner_mac;     // of the active aggregator; 802.3ad only
  std::vector<BondSlaveLive> slaves;
};

struct LinkLive {
  std::optional<int> speed_mbps;
  std::optional<int> mtu;
  std::string operstate;
};

struct LiveState {
  std::map<std::string, BondLive> bonds;
  std::map<std::string, LinkLive> links;
  // net.ipv4.fib_multipath_hash_policy: 0 hashes ECMP flows on addresses
  // only, 1 on the 5-tuple (kernel docs, ip-sysctl). Unknown off the node.
  std::optional<int> fib_multipath_hash_policy;
  // The device each address is on in the running kernel; filled only when
  // lanewarden runs on the node (pve/live_addrs.h), empty for a copy.
  bool kernel = false;
  std::map<Address, std::string> address_devices;
  // Device -> MAC as udev matches a .link file's MACAddress= against it: a
  // bond member's permanent MAC (the bond may have given it its own), else
  // the device's. From ROOT/sys/class/net/*/address and ROOT/proc/net/bonding
  // for a tree; on the node from the kernel (pve/live_addrs.h).
  std::map<std::string, std::string> link_macs;
  // Device -> the names udev's net_id builtin computed for it
  // (ID_NET_NAME_FROM_DATABASE, _ONBOARD, _SLOT, _PATH in
  // /run/udev/data/n<ifindex>): a NIC renamed by a .link file had one of them
  // before, and keeps them there. From ROOT/sys/class/net/*/ifindex and
  // ROOT/run/udev/data for a tree; on the node from the kernel's ifindexes.
  std::map<std::string, std::vector<std::string>> udev_names;
};

// The predictable names of one udev database entry ("E:ID_NET_NAME_PATH=enp1s0").
std::vector<std::string> parse_udev_net_names(std::string_view text);
BondLive parse_proc_bonding(std::string_view text, const std::string& file);
LiveState read_live_state(const std::filesystem::path& root);

}  // namespace lw::pve
