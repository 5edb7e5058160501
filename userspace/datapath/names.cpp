// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/names.h"

#include "policy/policy.h"

namespace lw::datapath {

std::string class_list(uint32_t mask) {
  std::string out;
  for (int c = 0; c < LW_NR_CLASSES; c++) {
    if (!(mask & LW_CLASS_BIT(c))) continue;
    if (!out.empty()) out += ", ";
    out += policy::kClassNames[c];
  }
  return out.empty() ? "-" : out;
}

}  // namespace lw::datapath
