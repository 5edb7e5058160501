// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/datapath.h"

#include <bpf/bpf.h>
#include <net/if.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <optional>
#include <set>

#include "common/error.h"
#include "datapath/gso_limit.h"
#include "datapath/hist_maps.h"
#include "datapath/maps.h"
#include "datapath/pinned_state.h"
#include "datapath/slot_plan.h"
#include "datapath/shaping_binding.h"
#include "shaping/htb.h"
#include "datapath/rollback.h"
#include "datapath/tc_hooks.h"

namespace lw::datapath {
namespace {

std::optional<uint32_t> ifindex_of(const std::string& name) {
  unsigned idx = if_nametoindex(name.c_str());
  if (idx == 0) return std::nullopt;
  return idx;
}

// A slot given to an interface that was not attached a moment ago may hold
// the totals of the interface that had it before (slots outlive their
// interfaces): counters, violations and RTT histograms start from zero,
// before the policy swap lets a packet of the new interface count there.
void reset_slot(const PinnedState& st, const std::optional<HistMaps>& hist, uint16_t slot) {
  zero_counters(st.counters(), slot);
  zero_violations(st.violations(), slot);
  if (hist) hist->zero_slot(slot);
}

lw_link make_link(const IfaceBinding& b, uint32_t flags) {
  lw_link link{};
  std::strncpy(link.ifname, b.name.c_str(), sizeof(link.ifname) - 1);
  link.slot = b.slot;
  link.flags = flags;
  return link;
}

// Every interface lanewarden gave a GSO limit gets its own value back. A
// refusal is reported but does not stop the rest of the detach.
void restore_gso_limits(const std::string& pin_dir) {
  try {
    sync_gso_limits(pin_dir, {});
  } catch (const std::exception& e) {
    spdlog::warn("cannot restore a GSO limit: {}", e.what());
  }
}

}  // namespace

CompiledPolicy compile_for_this_node(const policy::Policy& policy, const std::string& pin_dir) {
  std::map<uint32_t, uint16_t> slots;
  uint64_t generation = 1;
  if (PinnedState::exists(pin_dir)) {
    PinnedState st = PinnedState::open(pin_dir);
    slots = plan_slots(policy, read_links(st.links()), ifindex_of);
    if (auto active = read_active_policy(st.policy_outer())) generation = active->generation + 1;
  }
  return compile_policy(policy, ifindex_of, slots, generation);
}

ApplyReport apply_policy(const policy::Policy& policy, const std::string& pin_dir, bool dry_run) {
  CompiledPolicy compiled = compile_for_this_node(policy, pin_dir);
  const shaping::ShapingPlan shaping_plan = shaping::plan_shaping(policy);
  bind_shaping(*compiled.value, shaping_plan, compiled.ifaces);
  bind_gso_limits(*compiled.value, policy, compiled.ifaces);
  // Everything that can refuse does so before the kernel changes.
  check_shaping_possible(policy, shaping_plan, compiled.ifaces);
  ApplyReport report;
  report.generation = compiled.value->generation;
  report.ifaces = compiled.ifaces;
  if (dry_run) return report;

  const bool first = !PinnedState::exists(pin_dir);
  PinnedState st = first ? PinnedState::load_and_pin(pin_dir) : PinnedState::open(pin_dir);
  report.loaded_programs = first;

  const auto old_links = read_links(st.links());
  UniqueFd old_policy = active_policy_map(st.policy_outer());
  GsoLimits old_gso;
  if (auto active = read_active_policy(st.policy_outer())) old_gso = gso_limits_of(*active);
  // Pins from a lanewarden without RTT histograms have no lw_hist to reset.
  std::optional<HistMaps> hist;
  try {
    hist.emplace(HistMaps::open(pin_dir));
  } catch (const Error&) {
  }
  std::set<uint32_t> wanted;
  for (const auto& b : compiled.ifaces) {
    wanted.insert(b.ifindex);
    if (!old_links.count(b.ifindex)) reset_slot(st, hist, b.slot);
  }

  std::vector<uint32_t> newly_attached;
  try {
    swap_policy(st.policy_outer(), *compiled.value);
    sync_gso_limits(pin_dir, gso_limits_of(*compiled.value));
    for (const auto& b : compiled.ifaces) {
      auto it = old_links.find(b.ifindex);
      const uint32_t known = it == old_links.end() ? 0 : it->second.flags;
      // Re-attaching a known interface is a no-op replace; it also repairs a
      // filter someone removed by hand.
      uint32_t flags = attach_tc(b.ifindex, st.ingress(), st.egress(), known);
      if (it == old_links.end()) newly_attached.push_back(b.ifindex);
      write_link(st.links(), b.ifindex, make_link(b, flags));
    }
    install_shaping(shaping_plan, compiled.ifaces);
  } catch (...) {
    spdlog::error("apply failed: restoring the previous state");
    try {
      sync_gso_limits(pin_dir, old_gso);
    } catch (const std::exception& e) {
      spdlog::error("cannot restore the previous GSO limits: {}", e.what());
    }
    for (uint32_t ifindex : newly_attached) {
      shaping::remove_htb(ifindex);
      auto links = read_links(st.links());
      detach_tc(ifindex, links.count(ifindex) ? links[ifindex].flags : 0);
      delete_link(st.links(), ifindex);
    }
    if (first) {
      PinnedState::unpin_all(pin_dir);
    } else {
      restore_policy_map(st.policy_outer(), old_policy.get());
    }
    throw;
  }

  // Interfaces the new policy no longer names.
  for (const auto& [ifindex, link] : old_links) {
    if (wanted.count(ifindex)) continue;
    shaping::remove_htb(ifindex);
    detach_tc(ifindex, link.flags);
    delete_link(st.links(), ifindex);
    report.detached.emplace_back(link.ifname);
  }
  return report;
}

std::vector<std::string> detach_all(const std::string& pin_dir) {
  std::vector<std::string> names;
  if (!PinnedState::exists(pin_dir)) {
    restore_gso_limits(pin_dir);
    PinnedState::unpin_all(pin_dir);  // leftovers of an interrupted first apply
    return names;
  }
  {
    PinnedState st = PinnedState::open(pin_dir);
    restore_gso_limits(pin_dir);
    for (const auto& [ifindex, link] : read_links(st.links())) {
      shaping::remove_htb(ifindex);
      detach_tc(ifindex, link.flags);
      names.emplace_back(link.ifname);
    }
  }
  PinnedState::unpin_all(pin_dir);
  return names;
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
  auto add_parse = [&s](const lw_iface_counters& c) {
    for (int d = 0; d < LW_NR_DIRS; d++)
      for (int r = 0; r < LW_NR_PARSE_REASONS; r++) s.parse[r][d] += c.parse[d][r];
  };
  for (const auto& i : s.ifaces) add_parse(i.counters);
  add_parse(s.unknown);
  return s;
}

}  // namespace lw::datapath
