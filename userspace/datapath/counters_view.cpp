// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/counters_view.h"

#include "policy/policy.h"

namespace lw::datapath {

uint64_t class_packets(const lw_iface_counters& c, int cls) {
  uint64_t n = 0;
  for (int d = 0; d < LW_NR_DIRS; d++)
    for (int v = 0; v < LW_NR_VERDICTS; v++) n += c.c[d][cls][v].packets;
  return n;
}

uint64_t total_packets(const lw_iface_counters& c) {
  uint64_t n = 0;
  for (int cls = 0; cls < LW_NR_CLASSES; cls++) n += class_packets(c, cls);
  return n;
}

std::string single_class_counted(const lw_iface_counters& c) {
  std::string found;
  for (int cls = 0; cls < LW_NR_CLASSES; cls++) {
    if (!class_packets(c, cls)) continue;
    if (!found.empty()) return "mixed";
    found = policy::kClassNames[cls];
  }
  return found;
}

}  // namespace lw::datapath
