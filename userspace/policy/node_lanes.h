// SPDX-License-Identifier: GPL-2.0-only
// One cluster-wide policy for every node: /etc/pve/lanewarden.toml is
// distributed by pmxcfs, and a lane that says `node = "pve1"` applies only on
// the node of that name (lanes without `node` apply everywhere). Each node
// keeps its own lanes before the whole-policy checks run, so two nodes may
// use the same interface name with different classes.
#pragma once

#include <string>
#include <string_view>

#include "policy/policy.h"
#include "policy/validate.h"

namespace lw::policy {

// The Proxmox node name: $LANEWARDEN_NODE if set, else the host name up to
// its first dot (what pve-cluster uses for /etc/pve/nodes/NAME).
std::string this_node_name();

// A host name label: letters, digits and '-', 1 to 63 characters.
bool valid_node_name(std::string_view name);

namespace detail {
// Drops the lanes of other nodes (and their parse records). Throws a
// PolicyError at `file_start` when no lane is left for `node`.
void keep_lanes_of_node(Policy& p, ParseRecord& record, const std::string& node,
                        const SourceLocation& file_start);
}  // namespace detail

}  // namespace lw::policy
