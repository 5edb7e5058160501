// SPDX-License-Identifier: GPL-2.0-only
// The names PVE 9's `pve-network-interface-pinning generate` pins: one
// systemd.link(5) file per NIC, /usr/local/lib/systemd/network/50-pve-NAME.link,
//   [Match]
//   MACAddress=aa:bb:cc:dd:ee:ff
//   Type=ether
//   [Link]
//   Name=nic0
// (pve-manager, PVE/CLI/proxmox_network_interface_pinning.pm). udev renames
// the NIC with that MAC (a bond member's own, permanent MAC) at boot; the
// tool rewrites /etc/network/interfaces.new, so until that is in force the
// files and the kernel name the NIC differently.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pve/text.h"

namespace lw::pve {

inline constexpr const char* kLinkPinDir = "usr/local/lib/systemd/network";

struct LinkPin {
  std::string mac;   // lower case, as the kernel prints MACs
  std::string name;  // [Link] Name=
  Where where;       // the Name= line
};

// One .link file; std::nullopt for a file without both MACAddress= and
// Name= (not a pin of the tool). Throws ConfigError on a line that is
// neither a section, a key=value pair, a comment nor blank.
std::optional<LinkPin> parse_link_file(std::string_view text, const std::string& file);
// Every ROOT/usr/local/lib/systemd/network/50-pve-*.link, in file name order.
std::vector<LinkPin> read_link_pins(const std::filesystem::path& root);

}  // namespace lw::pve
