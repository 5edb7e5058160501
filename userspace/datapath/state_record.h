// SPDX-License-Identifier: GPL-2.0-only
// The desired state as a record (JSON, one object): what reconcile needs to
// bring the kernel back to it, readable with `bpftool map dump pinned
// <pin-dir>/lw_state`. The compiled policy travels as its raw bytes
// (base64) together with the pinned-state version whose struct lw_policy
// they are; a build reads them only when that layout is its own.
#pragma once

#include <string>

#include "datapath/desired_state.h"

namespace lw::datapath {

// Bump when the record's fields change meaning; add fields freely.
inline constexpr int kStateRecordSchema = 1;
// The pinned-state version in which struct lw_policy last changed layout.
inline constexpr uint32_t kPolicyLayoutSince = 4;  // 4: services[], sctp_ports[]

std::string serialize_state(const DesiredState& state);

// Throws Error naming `what` for a record this build cannot restore: another
// schema, or a policy of another struct lw_policy layout.
DesiredState parse_state(const std::string& record, const std::string& what);

// The policy generation a record holds (0 when it holds none), whatever
// layout its policy value has.
uint64_t recorded_generation(const std::string& record);

}  // namespace lw::datapath
