// SPDX-License-Identifier: GPL-2.0-only
// A plain C++ model of the datapath's decision for one frame, computed from
// the policy as written (policy::Policy), never from the compiled tables, so
// that comparing it with the BPF programs tests the compiler and the
// datapath together (tests/bpf/test_differential.cpp).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "lanewarden.h"
#include "policy/policy.h"
#include "reference/frame.h"

namespace lw::reference {

struct Decision {
  uint8_t cls = LW_CLASS_OTHER;       // enum lw_class
  uint8_t reason = LW_PARSE_OK;       // enum lw_parse_reason
  uint8_t verdict = LW_VERDICT_PASS;  // enum lw_verdict
  uint8_t violation = LW_VIOL_NONE;   // enum lw_violation
  bool operator==(const Decision&) const = default;
};

// `iface` is the interface name as lanes write it; `dir` is enum lw_dir.
Decision decide(std::span<const uint8_t> frame, uint16_t offloaded_vlan,
                const policy::Policy& policy, std::string_view iface, int dir);

// The lane rules alone, for a frame already parsed and classified.
Decision judge(const Frame& frame, uint8_t cls, const policy::Policy& policy,
               std::string_view iface, int dir);

}  // namespace lw::reference
