// SPDX-License-Identifier: GPL-2.0-only
// Phrases findings share, so messages name things the same way everywhere.
#pragma once

#include <string>
#include <vector>

#include "pve/traffic_map.h"

namespace lw::check {

std::string join(const std::vector<std::string>& v, const std::string& sep = ", ");
// "corosync link 0 (10.10.10.1 on vmbr1)"
std::string describe(const pve::ClassUse& u);
// The interfaces line of the use's local address, else the defining line.
pve::Where use_where(const pve::ClassUse& u);
bool shares_nic(const pve::ClassUse& a, const pve::ClassUse& b, std::string* nic = nullptr);

}  // namespace lw::check
