// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/desired_state.h"

#include <spdlog/spdlog.h>

#include "datapath/datapath.h"
#include "datapath/maps.h"
#include "datapath/pin_names.h"
#include "datapath/pinned_state.h"
#include "datapath/shaping_binding.h"
#include "datapath/state_record.h"
#include "datapath/state_store.h"
#include "shaping/htb.h"

namespace lw::datapath {
namespace {

// For pins of a build before state records: the policy in the policy map
// (only when it is this build's layout), the attachments lw_links records,
// and lanewarden's HTB as the kernel has it.
std::optional<DesiredState> observe_pinned_state(const std::string& pin_dir) {
  PinnedState st = PinnedState::open(pin_dir);
  std::shared_ptr<const lw_policy> policy = read_active_policy(st.policy_outer());
  if (!policy) return std::nullopt;  // programs pinned, no policy ever swapped in
  DesiredState s;
  s.policy = policy;
  s.gso = gso_limits_of(*policy);
  for (const auto& [ifindex, link] : read_links(st.links())) {
    s.ifaces.push_back({link.ifname, ifindex, static_cast<uint16_t>(link.slot)});
    if (auto plan = shaping::read_htb(ifindex, link.ifname))
      s.shaping.interfaces.push_back(std::move(*plan));
  }
  for (int c = 0; c < LW_NR_CLASSES; c++) s.shaping.skb_priority[c] = policy->cls[c].skb_priority;
  s.source = "(read back from the pins of an earlier lanewarden)";
  return s;
}

}  // namespace

DesiredState plan_desired_state(const policy::Policy& policy, const std::string& pin_dir) {
  CompiledPolicy compiled = compile_for_this_node(policy, pin_dir);
  shaping::ShapingPlan plan = shaping::plan_shaping(policy);
  bind_shaping(*compiled.value, plan, compiled.ifaces);
  bind_gso_limits(*compiled.value, policy, compiled.ifaces);
  // Everything that can refuse does so before the kernel changes.
  check_shaping_possible(policy, plan, compiled.ifaces);
  DesiredState s;
  s.gso = gso_limits_of(*compiled.value);
  s.policy = std::move(compiled.value);
  s.ifaces = std::move(compiled.ifaces);
  s.shaping = std::move(plan);
  s.probes.interval_ns = policy.probe.interval_ns;
  for (const auto& peer : policy.probe.peers) s.probes.peers.push_back(peer.str());
  s.source = policy.source;
  return s;
}

std::optional<DesiredState> state_in_force(const std::string& pin_dir) {
  if (!PinnedState::exists(pin_dir)) return std::nullopt;
  if (auto record = read_record(pin_dir, pins::kState))
    return parse_state(*record, pins::path(pin_dir, pins::kState));
  return observe_pinned_state(pin_dir);
}

}  // namespace lw::datapath
