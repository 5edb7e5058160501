// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/reconcile.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>
#include <set>

#include "common/error.h"
#include "common/iface_name.h"
#include "common/kernel_step.h"
#include "datapath/hist_maps.h"
#include "datapath/maps.h"
#include "datapath/pin_names.h"
#include "datapath/pin_version.h"
#include "datapath/pinned_state.h"
#include "datapath/shaping_binding.h"
#include "datapath/state_record.h"
#include "datapath/state_store.h"
#include "datapath/tc_hooks.h"
#include "datapath/tcx_hooks.h"
#include "shaping/htb.h"

namespace lw::datapath {
namespace {

constexpr uint32_t kAttached = LW_LINK_INGRESS | LW_LINK_EGRESS;

// A record of tcx links alone: no clsact filter or qdisc of lanewarden's can
// be on the interface. Anything else may have clsact parts (a record of a
// switch between mechanisms carries both), which detach_tc removes
// idempotently. tcx links are found by their pins, whatever the record says.
bool tcx_only(uint32_t flags) { return flags == LW_LINK_TCX; }

// Everything lanewarden attached to `ifindex`, by either mechanism.
void detach_all_hooks(const std::string& dir, uint32_t ifindex, uint32_t flags) {
  if (!tcx_only(flags)) detach_tc(ifindex, flags);
  detach_tcx(dir, ifindex);
}

bool interface_exists(uint32_t ifindex) { return iface_name(ifindex).has_value(); }

lw_link make_link(const IfaceBinding& b, uint32_t flags) {
  lw_link link{};
  std::strncpy(link.ifname, b.name.c_str(), sizeof(link.ifname) - 1);
  link.slot = b.slot;
  link.flags = flags;
  return link;
}

// A slot given to an interface that was not attached a moment ago may hold
// the totals of the interface that had it before (slots outlive their
// interfaces): counters, violations and RTT histograms start from zero,
// before the policy swap lets a packet of the new interface count there.
void reset_slot(const PinnedState& st, const std::optional<HistMaps>& hist, uint16_t slot) {
  zero_counters(st.counters(), slot);
  zero_violations(st.violations(), slot);
  if (!hist) return;
  kernel_step("zero the RTT histograms of a slot");
  hist->zero_slot(slot);
}

// An interface that vanished since the state was planned (a restore or
// rollback to a state recorded earlier) is left out, with a warning: it
// must not stop the rest, and the record must not claim it.
DesiredState present_part(const DesiredState& want) {
  DesiredState out = want;
  out.ifaces.clear();
  out.gso.clear();
  for (const auto& b : want.ifaces) {
    if (!interface_exists(b.ifindex)) {
      spdlog::warn("{} (ifindex {}) no longer exists: left out", b.name, b.ifindex);
      continue;
    }
    out.ifaces.push_back(b);
    if (auto it = want.gso.find(b.ifindex); it != want.gso.end()) out.gso.insert(*it);
  }
  return out;
}

// Moves every attached interface to this build's programs: they are loaded
// beside the pinned ones (reusing the pinned maps whose layout allows, so
// counters go on counting in the same map), the desired policy goes into
// their own policy map, and each interface's filters are replaced in place,
// so every packet meets the old programs or the new ones. Undone if any
// interface refuses; committed by renaming the staged pins over the live
// ones, lw_meta last.
PinnedState upgrade_programs(const std::string& dir, const DesiredState& want) {
  const PinnedVersion before = read_pinned_version(dir);
  UniqueFd old_ingress = open_pin(dir, pins::kIngress), old_egress = open_pin(dir, pins::kEgress);
  UniqueFd old_links = open_pin(dir, pins::kLinks);
  if (!old_ingress || !old_egress || !old_links)
    throw SystemError("cannot open the programs pinned under " + dir, errno);
  const auto links = read_links(old_links.get());

  PinnedState next = PinnedState::load_upgrade(dir);
  std::vector<std::pair<uint32_t, uint32_t>> swapped;  // ifindex, flags
  try {
    swap_policy(next.policy_outer(), next.counters(), *want.policy);
    const auto& carried = next.carried();
    if (std::find(carried.begin(), carried.end(), pins::kLinks) == carried.end())
      for (const auto& [ifindex, link] : links) write_link(next.links(), ifindex, link);
    for (const auto& [ifindex, link] : links) {
      if (!(link.flags & (kAttached | LW_LINK_TCX)) || !interface_exists(ifindex)) continue;
      swapped.emplace_back(ifindex, link.flags);
      if (link.flags & kAttached) attach_tc(ifindex, next.ingress(), next.egress(), link.flags);
      if (link.flags & LW_LINK_TCX) attach_tcx(dir, ifindex, next.ingress(), next.egress());
    }
  } catch (...) {
    spdlog::error("upgrade failed: the interfaces go back to the programs pinned before");
    for (const auto& [ifindex, flags] : swapped) {
      try {
        if (flags & kAttached) attach_tc(ifindex, old_ingress.get(), old_egress.get(), flags);
        if (flags & LW_LINK_TCX) attach_tcx(dir, ifindex, old_ingress.get(), old_egress.get());
      } catch (const std::exception& e) {
        spdlog::error("ifindex {}: {}", ifindex, e.what());
      }
    }
    PinnedState::drop_staging(dir);
    throw;
  }
  next.commit_upgrade(dir);
  const std::string versions =
      before.abi == LW_PIN_ABI_VERSION
          ? fmt::format("another build of pinned-state version {}", before.abi)
          : fmt::format("pinned-state version {} -> {}", before.abi, LW_PIN_ABI_VERSION);
  spdlog::info(
      "upgraded the programs pinned under {} ({}) on {} interface(s); carried over: {}", dir,
      versions, swapped.size(),
      next.carried().empty() ? "nothing" : fmt::format("{}", fmt::join(next.carried(), ", ")));
  return next;
}

// Attaches both programs to one interface with `mech` and removes what the
// other mechanism had there, recording each step in lw_links before it is
// made. A switch attaches the new hook before removing the old one: no
// packet passes with neither program, and the few that cross both in
// between are counted twice (tcx runs before cls_bpf). Returns the flags
// to record.
uint32_t attach_with(const std::string& dir, const PinnedState& st, const IfaceBinding& b,
                     Mechanism mech, uint32_t flags) {
  if (mech == Mechanism::tcx) {
    if (!(flags & LW_LINK_TCX)) {
      flags |= LW_LINK_TCX;
      write_link(st.links(), b.ifindex, make_link(b, flags));
    }
    attach_tcx(dir, b.ifindex, st.ingress(), st.egress());
    if (!tcx_only(flags)) {
      detach_tc(b.ifindex, flags);
      write_link(st.links(), b.ifindex, make_link(b, LW_LINK_TCX));
    }
    return LW_LINK_TCX;
  }
  if (flags & LW_LINK_TCX) {
    // Filters may be on the interface from here on: the record says so
    // before the first one is attached.
    flags |= kAttached | attach_intent_flags(b.ifindex);
    write_link(st.links(), b.ifindex, make_link(b, flags));
  }
  uint32_t now = attach_tc(b.ifindex, st.ingress(), st.egress(), flags);
  if (flags & LW_LINK_TCX) {
    write_link(st.links(), b.ifindex, make_link(b, now | LW_LINK_TCX));
    detach_tcx(dir, b.ifindex);
  }
  return now;
}

void converge(const std::string& dir, const PinnedState& st, const DesiredState& want,
              Mechanism mech, ReconcileReport& report) {
  const auto links = read_links(st.links());
  // Pins of a build without RTT histograms have none to reset.
  std::optional<HistMaps> hist;
  if (UniqueFd fd = open_pin(dir, pins::kHist)) hist.emplace(std::move(fd));
  std::map<uint32_t, uint32_t> flags;  // the recorded LW_LINK_* of each wanted interface
  for (const auto& b : want.ifaces) {
    if (auto it = links.find(b.ifindex); it != links.end()) {
      flags[b.ifindex] = it->second.flags;
      continue;
    }
    reset_slot(st, hist, b.slot);
    // Recorded before anything is attached there: a process stopped in the
    // next steps still leaves the record of what is lanewarden's to remove.
    flags[b.ifindex] = mech == Mechanism::tcx ? LW_LINK_TCX : attach_intent_flags(b.ifindex);
    write_link(st.links(), b.ifindex, make_link(b, flags[b.ifindex]));
  }
  sync_gso_limits(dir, want.gso);
  swap_policy(st.policy_outer(), st.counters(), *want.policy);
  // Re-attaching a known interface replaces the filter in place (a no-op for
  // the same program); it also repairs a filter someone removed by hand.
  for (const auto& b : want.ifaces)
    write_link(st.links(), b.ifindex,
               make_link(b, attach_with(dir, st, b, mech, flags[b.ifindex])));
  install_shaping(want.shaping, want.ifaces);
  for (const auto& [ifindex, link] : links) {
    if (flags.count(ifindex)) continue;
    if (interface_exists(ifindex)) shaping::remove_htb(ifindex);
    detach_all_hooks(dir, ifindex, link.flags);
    delete_link(st.links(), ifindex);
    report.detached.emplace_back(link.ifname);
  }
}

// The empty desired state: every filter, qdisc, GSO limit and pin goes.
void remove_everything(const std::string& dir, PinsAre are, ReconcileReport& report) {
  std::map<uint32_t, lw_link> links;
  UniqueFd links_fd;
  if (are != PinsAre::absent) {
    links_fd = open_pin(dir, pins::kLinks);
    if (links_fd) links = read_links(links_fd.get());
  }
  try {
    // Every interface lanewarden gave a GSO limit gets its own value back.
    sync_gso_limits(dir, {});
  } catch (const std::exception& e) {
    // Reported, but it does not stop the rest of the detach.
    spdlog::warn("cannot restore a GSO limit: {}", e.what());
  }
  for (const auto& [ifindex, link] : links) {
    if (interface_exists(ifindex)) shaping::remove_htb(ifindex);
    detach_all_hooks(dir, ifindex, link.flags);
    delete_link(links_fd.get(), ifindex);
    report.detached.emplace_back(link.ifname);
  }
  PinnedState::unpin_all(dir);
}

}  // namespace

ReconcileReport reconcile(const PinDirLock& lock, const DesiredState& want) {
  const std::string& dir = lock.pin_dir();
  ReconcileReport report;
  const PinsAre are = inspect_pins(dir);  // throws for a newer lanewarden's pins
  if (want.empty()) {
    remove_everything(dir, are, report);
    return report;
  }
  // Decided before anything changes: `--attach tcx` where tcx is missing
  // refuses here, with the reason.
  const TcxSupport support = tcx_support();
  const Mechanism mech = choose_mechanism(want.attach, support);
  spdlog::debug("attaching with {} ({})", mechanism_name(mech), describe_support(support));
  const DesiredState here = present_part(want);
  std::optional<PinnedState> st;
  switch (are) {
    case PinsAre::absent:
      st.emplace(PinnedState::load_and_pin(dir));
      report.loaded_programs = true;
      break;
    case PinsAre::current:
      st.emplace(PinnedState::open(dir));
      break;
    case PinsAre::other_programs:
    case PinsAre::older:
      st.emplace(upgrade_programs(dir, here));
      report.upgraded_programs = true;
      break;
    case PinsAre::newer:
      break;  // inspect_pins threw
  }
  converge(dir, *st, here, mech, report);
  write_record(dir, pins::kState, serialize_state(here));
  return report;
}

}  // namespace lw::datapath
