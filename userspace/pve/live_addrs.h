// SPDX-License-Identifier: GPL-2.0-only
// Which device carries each address in the running kernel (this network
// namespace). PVE 9's pve-network-interface-pinning renames NICs (nic0,
// nic1, ...), and a copy of /etc/network/interfaces can lag behind: the
// kernel's answer is the one tc attaches to.
#pragma once

#include <map>
#include <string>

#include "common/net.h"

namespace lw::pve {

// Address -> device name, from the kernel's address table (getifaddrs(3),
// an RTM_GETADDR dump over rtnetlink). Throws lw::SystemError when the dump
// fails.
std::map<Address, std::string> read_address_devices();

}  // namespace lw::pve
