// SPDX-License-Identifier: GPL-2.0-only
// Typed access to lanewarden's maps from userspace.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "common/fd.h"
#include "lanewarden.h"

namespace lw::datapath {

int possible_cpus();

// Throws Error unless the map behind `fd` has values of `size` bytes (the
// per-CPU size for per-CPU maps): a map pinned by a build with another
// layout is never read as this build's struct.
void require_value_size(int fd, size_t size, const char* what,
                        std::optional<uint32_t> type = std::nullopt);

// Sum over CPUs of one slot of lw_counters.
lw_iface_counters read_counters(int counters_fd, uint32_t slot);
void zero_counters(int counters_fd, uint32_t slot);

// One slot of lw_violations (shared by all CPUs).
lw_violation_counters read_violations(int violations_fd, uint32_t slot);
void zero_violations(int violations_fd, uint32_t slot);
// Adds b into a (every field).
void add_violations(lw_violation_counters& a, const lw_violation_counters& b);

std::map<uint32_t, lw_link> read_links(int links_fd);
void write_link(int links_fd, uint32_t ifindex, const lw_link& link);
void delete_link(int links_fd, uint32_t ifindex);

// The policy in force (nullptr when none was ever swapped in). Throws when
// the inner map holds another layout than this build's struct lw_policy.
std::unique_ptr<lw_policy> read_active_policy(int outer_fd);
// The inner map currently in slot 0 of the outer map (invalid fd if none).
UniqueFd active_policy_map(int outer_fd);
// Creates an inner map holding `p` and swaps it in with one update.
// `object_map_fd` is any map of the loaded object: its BTF describes `p`.
void swap_policy(int outer_fd, int object_map_fd, const lw_policy& p);

}  // namespace lw::datapath
