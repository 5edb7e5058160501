// SPDX-License-Identifier: GPL-2.0-only
// Devices /etc/network/interfaces names that the kernel calls something else
// because of pve-network-interface-pinning (pve/link_pins.h), found by MAC:
// bond members and bridge ports hold no address, so the kernel's address
// table (pve/live_addrs.h) cannot tell where they went.
#pragma once

#include <string>
#include <vector>

#include "pve/node.h"

namespace lw::pve {

struct Rename {
  std::string file_name;    // as /etc/network/interfaces names it
  std::string kernel_name;  // the device the kernel has now (tc attaches there)
  std::string pinned_name;  // the .link file's Name=
  std::string mac;
  Where pin_where;  // the .link file's Name= line
  Where where;      // the stanza, or the line that names the device
  enum class How {
    // The kernel still has the files' name; the pin renames it at the next
    // boot: right today, wrong after the reboot.
    pending,
    // The files use the pinned name, the kernel still has the MAC under
    // another one.
    by_mac,
    // The files predate the rename: the kernel lacks their name, and udev
    // lists it among the predictable names of the device that now has
    // another (LiveState::udev_names).
    by_udev,
  } how = How::by_mac;
  // How it was resolved, naming the .link file as `pin_file` (a caller may
  // shorten the path).
  std::string why(const std::string& pin_file) const;
};

// Needs the node's MACs and udev names (LiveState); none without them.
// Devices that hold an address are left to the address table.
std::vector<Rename> resolve_renames(const NodeConfig& node);

}  // namespace lw::pve
