// SPDX-License-Identifier: GPL-2.0-only
// What the CLI asks of the datapath: apply a policy atomically, report what is
// attached and counted, and detach without a trace.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "datapath/attach_mechanism.h"
#include "datapath/policy_compiler.h"
#include "lanewarden.h"
#include "policy/policy.h"

namespace lw::datapath {

struct ApplyOptions {
  bool dry_run = false;                       // validate and resolve only; the kernel is untouched
  unsigned confirm_seconds = 0;               // apply --confirm: arm a rollback (0: none)
  AttachMode attach = AttachMode::automatic;  // --attach: tcx, clsact or the best there is
};

struct ApplyReport {
  uint64_t generation = 0;
  bool loaded_programs = false;             // first apply: programs loaded and pinned
  bool upgraded_programs = false;           // programs an older build pinned were replaced
  std::vector<IfaceBinding> ifaces;         // attached now
  std::vector<std::string> detached;        // no longer in the policy
  uint64_t confirm_token = 0;               // apply --confirm: the token the watchdog waits on
  Mechanism mechanism = Mechanism::clsact;  // how the programs are attached
};

// Validates and compiles first (nothing in the kernel changes if that fails),
// then reconciles the kernel to the policy (datapath/reconcile.h). On a
// failure the state in force before is reconciled back. A plain apply settles
// a pending confirmation; with confirm_seconds the state before is recorded
// as the one the watchdog restores (spawn_rollback_watchdog, rollback.h).
ApplyReport apply_policy(const policy::Policy& policy, const std::string& pin_dir,
                         const ApplyOptions& opts = {});

// Compiles against this node's interfaces without touching the kernel.
CompiledPolicy compile_for_this_node(const policy::Policy& policy, const std::string& pin_dir);

// Removes every filter, qdisc, GSO limit, map and pin lanewarden created
// under pin_dir (the reconcile of the empty desired state). Returns the names
// of the interfaces it detached from.
std::vector<std::string> detach_all(const std::string& pin_dir);

struct IfaceStatus {
  std::string name;
  uint32_t ifindex = 0;
  uint16_t slot = 0;
  uint32_t link_flags = 0;  // LW_LINK_*: which hook (hook_name) and what lanewarden created
  uint8_t lane_allowed = 0;
  uint8_t lane_flags = 0;
  std::vector<lw_vlan_lane> vlan_lanes;
  uint16_t gso_max_segs = 0;  // the policy's GSO limit here (0: the interface's own value)
  // The interface's own gso_max_segs, recorded when lanewarden changed it
  // (what detach puts back).
  std::optional<uint32_t> gso_max_segs_own;
  lw_iface_counters counters{};
  lw_violation_counters violations{};  // by kind and class, event accounting
};

struct Status {
  uint64_t generation = 0;
  uint8_t enforce = 0;      // classes whose violations are dropped
  uint8_t constrained = 0;  // classes that have lanes
  std::vector<IfaceStatus> ifaces;
  lw_iface_counters unknown{};         // packets on an ifindex the policy does not know
  lw_violation_counters violations{};  // all interfaces together
  bool confirm_pending = false;        // an `apply --confirm` awaits `lanewarden confirm`
  std::string hook_support;            // whether tcx can be used here, or why not
  // Packets by parse reason, all interfaces together: [reason][dir].
  std::array<std::array<uint64_t, LW_NR_DIRS>, LW_NR_PARSE_REASONS> parse{};
};

Status read_status(const std::string& pin_dir);

// The hook lw_links records for an interface: "tcx", "clsact", or
// "tcx+clsact" while a switch between them is under way.
std::string_view hook_name(uint32_t link_flags);

}  // namespace lw::datapath
