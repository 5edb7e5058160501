// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/address_ranges.h"

#include <algorithm>

namespace lw::datapath {

std::vector<Range> flatten_ranges(const std::vector<TaggedNetwork>& nets, u128 max) {
  // Every place where the set of containing networks can change.
  std::vector<u128> cuts{0};
  for (const auto& n : nets) {
    cuts.push_back(n.first);
    if (n.last < max) cuts.push_back(n.last + 1);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());

  std::vector<Range> out;
  for (u128 cut : cuts) {
    uint32_t classes = 0;
    for (const auto& n : nets)
      if (n.first <= cut && cut <= n.last) classes |= n.classes;
    if (!out.empty() && out.back().classes == classes) continue;
    out.push_back({cut, classes});
  }
  return out;
}

}  // namespace lw::datapath
