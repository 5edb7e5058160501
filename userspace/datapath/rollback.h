// SPDX-License-Identifier: GPL-2.0-only
// `apply --confirm SECONDS`: a remote admin must not lock themselves out. The
// desired state in force before the apply is recorded beside the pins as
// lw_state_prev (policy, attachments, HTB, GSO limits: all of it) and a
// pending token goes into the pinned lw_confirm map; a detached watchdog
// (setsid, it survives the SSH session) reconciles the kernel back to
// lw_state_prev at the deadline unless `lanewarden confirm` removed the
// token first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "datapath/desired_state.h"
#include "datapath/pin_lock.h"

namespace lw::datapath {

// True when an earlier `apply --confirm` still awaits confirmation: its
// recorded state stays the one to come back to (the known-good state is the
// one before the first unconfirmed apply). A confirmation left pending by a
// build before state records saved only a policy map, which cannot describe
// the rest; it is settled here, with a log line, and false is returned.
bool keep_pending_rollback_point(const PinDirLock& lock);

// After a successful apply --confirm: records `previous` (nullopt: nothing
// was attached) as lw_state_prev unless `keep_pending`, records a fresh token
// (superseding any earlier pending one) and returns it.
uint64_t arm_rollback(const PinDirLock& lock, const std::optional<DesiredState>& previous,
                      bool keep_pending, uint64_t generation, unsigned seconds);

// Forks the detached watchdog for `token`; returns in the parent at once.
void spawn_rollback_watchdog(const std::string& pin_dir, uint64_t token, unsigned seconds);

// `lanewarden confirm`: true when a pending apply was confirmed.
bool confirm_pending(const std::string& pin_dir);
// A plain apply settles any pending confirmation: the admin chose this state.
void settle_pending(const PinDirLock& lock);
bool has_pending(const std::string& pin_dir);

// The watchdog's work at the deadline: if `token` is still pending, claims
// it and reconciles to the recorded state before (or detaches everything
// when there was none). Returns true when it rolled back.
bool rollback_if_unconfirmed(const std::string& pin_dir, uint64_t token);

}  // namespace lw::datapath
