// SPDX-License-Identifier: GPL-2.0-only
// Checks that need the whole policy at once (overlaps, duplicates, table
// limits). Internal to the parser: it records where each item was written
// so these errors point at the file like the per-key ones do.
#pragma once

#include <vector>

#include "policy/policy.h"

namespace lw::policy::detail {

struct NetworkEntry {
  int class_id = 0;
  Cidr cidr;
  SourceLocation where;  // the string in the [networks] array
};

struct LaneEntry {
  SourceLocation interface_where;
  // One per class name in `classes`, same order as written.
  std::vector<std::pair<int, SourceLocation>> class_refs;
};

struct ParseRecord {
  std::vector<NetworkEntry> networks;  // in file order
  std::vector<LaneEntry> lanes;        // parallel to Policy::lanes
};

// Throws PolicyError for the first problem found.
void validate(const Policy& policy, const ParseRecord& record);

}  // namespace lw::policy::detail
