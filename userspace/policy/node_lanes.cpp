// SPDX-License-Identifier: GPL-2.0-only
#include "policy/node_lanes.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <set>

#include "policy/parse.h"

namespace lw::policy {

std::string this_node_name() {
  if (const char* env = std::getenv("LANEWARDEN_NODE"); env && *env) return env;
  char buf[256] = {};
  if (gethostname(buf, sizeof(buf) - 1) != 0) return "";
  std::string name = buf;
  return name.substr(0, name.find('.'));
}

bool valid_node_name(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-')) return false;
  return true;
}

namespace detail {

void keep_lanes_of_node(Policy& p, ParseRecord& record, const std::string& node,
                        const SourceLocation& file_start) {
  std::vector<Lane> lanes;
  std::vector<LaneEntry> entries;
  std::set<std::string> named;
  for (size_t i = 0; i < p.lanes.size(); i++) {
    if (!p.lanes[i].node.empty()) named.insert(p.lanes[i].node);
    if (!p.lanes[i].node.empty() && p.lanes[i].node != node) continue;
    lanes.push_back(std::move(p.lanes[i]));
    entries.push_back(std::move(record.lanes[i]));
  }
  if (lanes.empty() && !p.lanes.empty())
    throw PolicyError(file_start,
                      fmt::format("no [[lane]] applies to node '{}': the lanes name the nodes {} "
                                  "(set LANEWARDEN_NODE if the host name is not the node name)",
                                  node, fmt::join(named, ", ")));
  p.lanes = std::move(lanes);
  record.lanes = std::move(entries);
}

}  // namespace detail
}  // namespace lw::policy
