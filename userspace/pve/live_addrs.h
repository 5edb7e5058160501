// SPDX-License-Identifier: GPL-2.0-only
// Which device carries each address in the running kernel (this network
// namespace). PVE 9's pve-network-interface-pinning renames NICs (nic0,
// nic1, ...), and a copy of /etc/network/interfaces can lag behind: the
// kernel's answer is the one tc attaches to.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "common/net.h"

namespace lw::pve {

// Address -> device name, from the kernel's address table (getifaddrs(3),
// an RTM_GETADDR dump over rtnetlink). Throws lw::SystemError when the dump
// fails.
std::map<Address, std::string> read_address_devices();
// Device name -> MAC as udev matches it (LiveState::link_macs): the
// kernel's link table (getifaddrs' AF_PACKET entries: this namespace,
// where sysfs would show the one it was mounted in) and the permanent MAC
// of bond members from /proc/net/bonding.
std::map<std::string, std::string> read_link_macs();
// Device name -> udev's predictable names for it (LiveState::udev_names),
// from /run/udev/data by ifindex. Empty outside the initial network
// namespace: udev's database describes that one's ifindexes only.
std::map<std::string, std::vector<std::string>> read_udev_names();

}  // namespace lw::pve
