// SPDX-License-Identifier: GPL-2.0-only
// Which counter slot each interface gets when a policy is applied. Counters,
// violations and RTT histograms are indexed by slot, and slots outlive their
// interfaces: the plan keeps an attached interface's slot and keeps a
// newcomer off the slots of interfaces that are still attached.
#pragma once

#include <cstdint>
#include <map>

#include "datapath/policy_compiler.h"
#include "lanewarden.h"
#include "policy/policy.h"

namespace lw::datapath {

// The `slots` argument of compile_policy. Every attached interface (`links`,
// ifindex -> what lanewarden attached) keeps its own slot; a lane interface
// that is not attached gets the lowest slot no attached interface holds. An
// interface the apply detaches still counts into its slot until the policy
// swap, so giving that slot away in the same apply would mix its last packets
// and RTT samples into the newcomer's freshly zeroed slot. Only when attached
// and new interfaces together exceed LW_MAX_IFACES is a newcomer left out,
// and compile_policy gives it a slot the apply frees.
std::map<uint32_t, uint16_t> plan_slots(const policy::Policy& policy,
                                        const std::map<uint32_t, lw_link>& links,
                                        const IfindexResolver& resolve);

}  // namespace lw::datapath
