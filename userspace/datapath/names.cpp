// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/names.h"

#include "policy/policy.h"

namespace lw::datapath {

std::string class_list(uint32_t mask) {
  std::string out = policy::class_names(mask);
  return out.empty() ? "-" : out;
}

}  // namespace lw::datapath
