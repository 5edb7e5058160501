// SPDX-License-Identifier: GPL-2.0-only
// Traffic class of a parsed frame, straight from the policy model (networks
// and per-class ports of policy::Policy) and docs/architecture.md "Traffic classes".
#pragma once

#include <cstdint>

#include "policy/policy.h"
#include "reference/frame.h"

namespace lw::reference {

// When a packet fits several classes, the first of these wins
// (docs/architecture.md "Traffic classes"): SSH in the migration network is migration, not
// management; OSD ports in the cluster network are ceph_cluster even where
// the public network overlaps it; Corosync is the most specific of all.
inline constexpr int kPrecedence[] = {LW_CLASS_COROSYNC,     LW_CLASS_MIGRATION,
                                      LW_CLASS_CEPH_CLUSTER, LW_CLASS_CEPH_PUBLIC,
                                      LW_CLASS_STORAGE,      LW_CLASS_MANAGEMENT};

uint8_t classify(const Frame& frame, const policy::Policy& policy);

}  // namespace lw::reference
