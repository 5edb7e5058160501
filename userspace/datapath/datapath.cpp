// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/datapath.h"

#include <bpf/bpf.h>
#include <net/if.h>
#include <spdlog/spdlog.h>

#include <optional>

#include "common/error.h"
#include "datapath/desired_state.h"
#include "datapath/gso_limit.h"
#include "datapath/maps.h"
#include "datapath/pin_lock.h"
#include "datapath/pin_names.h"
#include "datapath/pin_version.h"
#include "datapath/pinned_state.h"
#include "datapath/reconcile.h"
#include "datapath/rollback.h"
#include "datapath/slot_plan.h"
#include "datapath/state_record.h"
#include "datapath/state_store.h"

namespace lw::datapath {
namespace {

std::optional<uint32_t> ifindex_of(const std::string& name) {
  unsigned idx = if_nametoindex(name.c_str());
  if (idx == 0) return std::nullopt;
  return idx;
}

// The state an apply starts from: known (nothing pinned, or the state in
// force) or not readable by this build.
struct Before {
  bool known = false;
  std::optional<DesiredState> state;  // nullopt: nothing was pinned
  std::string why_unknown;
};

Before state_before(const std::string& pin_dir) {
  Before b;
  try {
    b.state = state_in_force(pin_dir);
    b.known = true;
  } catch (const Error& e) {
    b.why_unknown = e.what();
  }
  return b;
}

// A failed apply goes back to the state before, through the same reconcile.
void restore_after_failure(const PinDirLock& lock, const Before& before) {
  try {
    const PinsAre are = inspect_pins(lock.pin_dir());
    if (are == PinsAre::older || are == PinsAre::other_programs) {
      spdlog::error("apply failed; the upgrade was undone and nothing else changed");
      return;
    }
    if (!before.known) {
      spdlog::error("apply failed; the state before cannot be restored: {}", before.why_unknown);
      return;
    }
    spdlog::error("apply failed: restoring the previous state");
    reconcile(lock, before.state ? *before.state : DesiredState{});
  } catch (const std::exception& e) {
    spdlog::error("cannot restore the previous state: {}", e.what());
  }
}

// The generation in force: the state record's, or, for pins of a build
// before records, the policy map's when it has this build's layout.
uint64_t pinned_generation(const std::string& pin_dir, int policy_outer) {
  if (auto record = read_record(pin_dir, pins::kState)) return recorded_generation(*record);
  try {
    if (auto active = read_active_policy(policy_outer)) return active->generation;
  } catch (const Error& e) {
    spdlog::warn("generations start over: {}", e.what());
  }
  return 0;
}

}  // namespace

CompiledPolicy compile_for_this_node(const policy::Policy& policy, const std::string& pin_dir) {
  std::map<uint32_t, uint16_t> slots;
  uint64_t generation = 1;
  if (PinnedState::exists(pin_dir)) {
    PinnedState st = PinnedState::open(pin_dir);
    slots = plan_slots(policy, read_links(st.links()), ifindex_of);
    generation = pinned_generation(pin_dir, st.policy_outer()) + 1;
  }
  return compile_policy(policy, ifindex_of, slots, generation);
}

ApplyReport apply_policy(const policy::Policy& policy, const std::string& pin_dir,
                         const ApplyOptions& opts) {
  std::optional<PinDirLock> lock;
  if (!opts.dry_run) lock.emplace(pin_dir);
  DesiredState want = plan_desired_state(policy, pin_dir);
  want.attach = opts.attach;
  ApplyReport report;
  report.generation = want.generation();
  report.ifaces = want.ifaces;
  // Checked here too so that a dry run refuses what the apply would.
  report.mechanism = choose_mechanism(want.attach, tcx_support());
  if (opts.dry_run) return report;

  const Before before = state_before(pin_dir);
  if (opts.confirm_seconds && !before.known)
    throw Error("cannot apply with --confirm: the state in force cannot be read back (" +
                before.why_unknown + "), so it could not be restored");
  const bool keep_pending = opts.confirm_seconds && keep_pending_rollback_point(*lock);
  ReconcileReport r;
  try {
    r = reconcile(*lock, want);
  } catch (...) {
    restore_after_failure(*lock, before);
    throw;
  }
  report.loaded_programs = r.loaded_programs;
  report.upgraded_programs = r.upgraded_programs;
  report.detached = std::move(r.detached);
  if (opts.confirm_seconds)
    report.confirm_token =
        arm_rollback(*lock, before.state, keep_pending, report.generation, opts.confirm_seconds);
  else
    settle_pending(*lock);
  return report;
}

std::vector<std::string> detach_all(const std::string& pin_dir) {
  PinDirLock lock(pin_dir);
  return reconcile(lock, DesiredState{}).detached;
}

std::string_view hook_name(uint32_t link_flags) {
  if (!(link_flags & LW_LINK_TCX)) return "clsact";
  return (link_flags & (LW_LINK_INGRESS | LW_LINK_EGRESS)) ? "tcx+clsact" : "tcx";
}

Status read_status(const std::string& pin_dir) {
  PinnedState st = PinnedState::open(pin_dir);
  Status s;
  auto active = read_active_policy(st.policy_outer());
  if (active) {
    s.generation = active->generation;
    s.enforce = active->enforce;
    s.constrained = active->constrained;
  }
  const auto gso_own = read_saved_gso_limits(pin_dir);
  for (const auto& [ifindex, link] : read_links(st.links())) {
    IfaceStatus is;
    is.name = link.ifname;
    is.ifindex = ifindex;
    is.slot = static_cast<uint16_t>(link.slot);
    is.link_flags = link.flags;
    is.counters = read_counters(st.counters(), link.slot);
    is.violations = read_violations(st.violations(), link.slot);
    add_violations(s.violations, is.violations);
    if (active) {
      for (uint32_t i = 0; i < active->n_ifaces && i < LW_MAX_IFACES; i++)
        if (active->ifaces[i].ifindex == ifindex) {
          is.lane_allowed = active->ifaces[i].lane_allowed;
          is.lane_flags = active->ifaces[i].lane_flags;
          is.gso_max_segs = active->gso_max_segs[i];
        }
      for (uint32_t i = 0; i < active->n_vlan_lanes && i < LW_MAX_VLAN_LANES; i++)
        if ((active->vlan_lanes[i].key >> 16) == ifindex)
          is.vlan_lanes.push_back(active->vlan_lanes[i]);
    }
    if (auto own = gso_own.find(ifindex); own != gso_own.end()) is.gso_max_segs_own = own->second;
    s.ifaces.push_back(std::move(is));
  }
  s.unknown = read_counters(st.counters(), LW_IFACE_SLOT_UNKNOWN);
  s.confirm_pending = has_pending(pin_dir);
  s.hook_support = describe_support(tcx_support());
  auto add_parse = [&s](const lw_iface_counters& c) {
    for (int d = 0; d < LW_NR_DIRS; d++)
      for (int r = 0; r < LW_NR_PARSE_REASONS; r++) s.parse[r][d] += c.parse[d][r];
  };
  for (const auto& i : s.ifaces) add_parse(i.counters);
  add_parse(s.unknown);
  return s;
}

}  // namespace lw::datapath
