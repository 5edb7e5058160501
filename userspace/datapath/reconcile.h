// SPDX-License-Identifier: GPL-2.0-only
// The one code path that changes kernel state: reconcile(desired) makes the
// programs, maps, tc filters, qdiscs, HTB trees and GSO limits under one pin
// directory match a desired state, then records that state beside the pins
// (lw_state). apply, a failed apply's restore, the `apply --confirm`
// rollback, the daemon's reloads and detach (the empty desired state) all
// come through here.
//
// Every step is idempotent and the attachments are recorded (lw_links)
// before they are made, so a process stopped anywhere leaves a state from
// which any later reconcile converges: run again, lanewarden ends in the
// desired state (or, asked for it, the previous one), never in a mix.
// Pins of an older build are upgraded on the way (docs/state.md); pins of a
// newer build are refused before anything changes.
#pragma once

#include <string>
#include <vector>

#include "datapath/desired_state.h"
#include "datapath/pin_lock.h"

namespace lw::datapath {

struct ReconcileReport {
  bool loaded_programs = false;       // nothing was pinned: programs loaded and pinned
  bool upgraded_programs = false;     // programs pinned by another build were replaced
  std::vector<std::string> detached;  // interfaces lanewarden no longer holds
};

// Throws on the first step that fails, with the kernel partway between the
// state before and `want`; the caller reconciles the state before.
ReconcileReport reconcile(const PinDirLock& lock, const DesiredState& want);

}  // namespace lw::datapath
