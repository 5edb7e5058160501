// SPDX-License-Identifier: GPL-2.0-only
// Installed versions of the packages whose behaviour `check` explains, from
// dpkg's own database (<root>/var/lib/dpkg/status): on the node that is the
// running system's, in a copied tree whatever the copy holds. Asking dpkg's
// file instead of running `corosync -v` keeps `check --root` side-effect free
// and gives the Debian revision (3.1.10-pve3), which Proxmox's fixes follow.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace lw::pve {

struct Packages {
  std::string file;                     // the status file read, "" when there was none
  std::optional<std::string> corosync;  // "3.1.9-pve1"
  std::optional<std::string> knet;      // libknet1 / libknet1t64: "1.30-pve2"
};

// Only packages whose Status ends in "installed" count.
Packages parse_dpkg_status(std::string_view text, const std::string& file);
Packages read_packages(const std::filesystem::path& root);

// dpkg's ordering (deb-version(7)): epoch, then upstream version and Debian
// revision compared part by part, '~' before everything, letters before
// other characters, digit runs as numbers. <0, 0, >0 like strcmp.
int compare_debian_versions(std::string_view a, std::string_view b);

}  // namespace lw::pve
