// SPDX-License-Identifier: GPL-2.0-only
// Flattens possibly overlapping networks into disjoint, sorted address ranges,
// each with the set of classes whose networks contain it, so that the datapath
// answers "which classes contain this address" with one binary search.
#pragma once

#include <cstdint>
#include <vector>

namespace lw::datapath {

using u128 = unsigned __int128;

struct TaggedNetwork {
  u128 first = 0;  // host order, IPv4 in the low 32 bits
  u128 last = 0;
  uint32_t classes = 0;
};

struct Range {
  u128 start = 0;
  uint32_t classes = 0;
};

// Ranges cover [0, max] completely: the first starts at 0. Adjacent ranges
// with the same classes are merged.
std::vector<Range> flatten_ranges(const std::vector<TaggedNetwork>& nets, u128 max);

}  // namespace lw::datapath
