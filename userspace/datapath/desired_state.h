// SPDX-License-Identifier: GPL-2.0-only
// Everything lanewarden owns on a node, as one value: the compiled policy
// (with its GSO limits and latency alarms), where the programs are attached,
// lanewarden's HTB trees and the daemon's probe configuration. reconcile()
// makes the kernel match one; the one in force is recorded beside the pins
// (lw_state), and the one before an `apply --confirm` too (lw_state_prev),
// so a rollback restores all of it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "datapath/attach_mechanism.h"
#include "datapath/gso_limit.h"
#include "datapath/policy_compiler.h"
#include "lanewarden.h"
#include "policy/policy.h"
#include "shaping/shaping_plan.h"

namespace lw::datapath {

// The daemon's Corosync echo probes (not kernel state: recorded so that the
// record says all the policy asked for).
struct ProbeConfig {
  uint64_t interval_ns = 0;
  std::vector<std::string> peers;
};

struct DesiredState {
  std::shared_ptr<const lw_policy> policy;  // nullptr: nothing at all (detach)
  std::vector<IfaceBinding> ifaces;         // attachments and their counter slots
  shaping::ShapingPlan shaping;             // lanewarden's HTB, by interface name
  GsoLimits gso;                            // ifindex -> gso_max_segs (from policy)
  ProbeConfig probes;
  AttachMode attach = AttachMode::automatic;  // tcx or clsact (attach_mechanism.h)
  std::string source;                         // the policy file, for messages

  bool empty() const { return !policy; }
  uint64_t generation() const { return policy ? policy->generation : 0; }
};

// Compiles `policy` against this node: its interfaces, the counter slots of
// interfaces already attached under `pin_dir`, the next generation. Throws
// (and the kernel is untouched) for anything that would refuse later: an
// unknown interface, tables that do not fit, a foreign root qdisc where the
// HTB must go.
DesiredState plan_desired_state(const policy::Policy& policy, const std::string& pin_dir);

// The desired state in force under `pin_dir`: the lw_state record, or, for
// pins of a build before records, what the pins and the kernel show.
// nullopt when nothing is pinned.
std::optional<DesiredState> state_in_force(const std::string& pin_dir);

}  // namespace lw::datapath
