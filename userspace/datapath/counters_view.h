// SPDX-License-Identifier: GPL-2.0-only
// Small queries over summed counters, shared by bench, status and tests.
#pragma once

#include <cstdint>
#include <string>

#include "lanewarden.h"

namespace lw::datapath {

uint64_t total_packets(const lw_iface_counters& c);
uint64_t class_packets(const lw_iface_counters& c, int cls);
// The name of the only class with packets, "" when none, "mixed" when several.
std::string single_class_counted(const lw_iface_counters& c);

}  // namespace lw::datapath
