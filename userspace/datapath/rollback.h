// SPDX-License-Identifier: GPL-2.0-only
// `apply --confirm SECONDS`: a remote admin must not lock themselves out. The
// policy in force before the apply is pinned as lw_policy_prev and a pending
// token goes into the pinned lw_confirm map; a detached watchdog (setsid, it
// survives the SSH session) restores the previous state at the deadline
// unless `lanewarden confirm` removed the token first.
#pragma once

#include <cstdint>
#include <string>

#include "common/fd.h"

namespace lw::datapath {

// The state to come back to, captured before an apply changes anything.
struct RollbackPoint {
  bool pending_kept = false;  // an earlier unconfirmed apply already saved one
  bool had_state = false;     // programs were pinned before this apply
  UniqueFd policy;            // the inner policy map in force (may be invalid)
};

RollbackPoint capture_rollback_point(const std::string& pin_dir);

// After a successful apply: pins the rollback point, records a fresh token
// (superseding any earlier pending one) and returns it.
uint64_t arm_rollback(const std::string& pin_dir, RollbackPoint point, uint64_t generation,
                      unsigned seconds);

// Forks the detached watchdog for `token`; returns in the parent at once.
void spawn_rollback_watchdog(const std::string& pin_dir, uint64_t token, unsigned seconds);

// `lanewarden confirm`: true when a pending apply was confirmed.
bool confirm_pending(const std::string& pin_dir);
// A plain apply settles any pending confirmation: the admin chose this state.
void clear_pending(const std::string& pin_dir);
bool has_pending(const std::string& pin_dir);

// The watchdog's work at the deadline: restores the saved state if `token`
// is still pending. Returns true when it rolled back.
bool rollback_if_unconfirmed(const std::string& pin_dir, uint64_t token);

}  // namespace lw::datapath
