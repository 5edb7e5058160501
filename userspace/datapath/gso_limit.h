// SPDX-License-Identifier: GPL-2.0-only
// Per-lane GSO limit (`gso_max_segs` on a lane). At low shaped rates one
// 64 KB GSO packet holds the line for milliseconds (11.6 ms at 45 Mbit/s) and
// a Corosync packet behind it waits that long whatever its priority; fewer
// segments per GSO packet bound that wait. lanewarden sets IFLA_GSO_MAX_SEGS
// over rtnetlink and records each interface's own value in a pinned map
// (lw_gso_saved) the first time it changes it, so detach, a failed apply and
// a confirm rollback put back exactly what was there.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "datapath/policy_compiler.h"
#include "lanewarden.h"
#include "policy/policy.h"

namespace lw::datapath {

// ifindex -> segments per GSO packet the policy wants.
using GsoLimits = std::map<uint32_t, uint32_t>;

// The interface's IFLA_GSO_MAX_SEGS. Throws Error naming the interface.
uint32_t read_gso_max_segs(uint32_t ifindex);
// Sets IFLA_GSO_MAX_SEGS; throws Error with the kernel's reason.
void set_gso_max_segs(uint32_t ifindex, uint32_t segs);

// Records the lanes' limits in the policy (lw_policy.gso_max_segs, parallel
// to ifaces[]), so the policy map itself says what it needs; the smallest
// value wins when several lanes of one interface set one.
void bind_gso_limits(lw_policy& p, const policy::Policy& policy,
                     const std::vector<IfaceBinding>& ifaces);
GsoLimits gso_limits_of(const lw_policy& p);

// Makes the interfaces match `wanted`: each named interface gets its limit
// (its own value recorded first, once); each recorded interface that
// `wanted` no longer names gets its own value back and loses its record.
// Idempotent. Throws on the first interface that refuses.
void sync_gso_limits(const std::string& pin_dir, const GsoLimits& wanted);

// ifindex -> the interface's own gso_max_segs, as recorded before lanewarden
// first changed it (empty when it never did). For `status`.
std::map<uint32_t, uint32_t> read_saved_gso_limits(const std::string& pin_dir);

}  // namespace lw::datapath
