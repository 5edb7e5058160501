// SPDX-License-Identifier: GPL-2.0-only
#include "telemetry/status_render.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "datapath/names.h"
#include "policy/policy.h"

namespace lw::telemetry {
namespace {

using datapath::class_list;
using datapath::kDirNames;
using datapath::kParseReasonNames;
using datapath::kVerdictNames;
using datapath::kViolationNames;
using nlohmann::json;

json class_array(uint32_t mask) {
  json a = json::array();
  for (int c = 0; c < LW_NR_CLASSES; c++)
    if (mask & LW_CLASS_BIT(c)) a.push_back(policy::kClassNames[c]);
  return a;
}

json counters_json(const lw_iface_counters& ic) {
  json a = json::array();
  for (int d = 0; d < LW_NR_DIRS; d++)
    for (int c = 0; c < LW_NR_CLASSES; c++)
      for (int v = 0; v < LW_NR_VERDICTS; v++) {
        const lw_counter& k = ic.c[d][c][v];
        if (!k.packets && !k.bytes) continue;
        a.push_back({{"dir", kDirNames[d]},
                     {"class", policy::kClassNames[c]},
                     {"verdict", kVerdictNames[v]},
                     {"packets", k.packets},
                     {"bytes", k.bytes}});
      }
  return a;
}

std::string lane_text(uint8_t allowed, uint8_t flags) {
  if (!(flags & LW_LANE_PRESENT)) return "no lane";
  return class_list(allowed) + ((flags & LW_LANE_EXCLUSIVE) ? " (exclusive)" : "") +
         ((flags & LW_LANE_NO_FRAGMENTS) ? " (no fragments)" : "");
}

void counters_text(std::ostream& out, const lw_iface_counters& ic) {
  bool any = false;
  for (int d = 0; d < LW_NR_DIRS; d++)
    for (int c = 0; c < LW_NR_CLASSES; c++) {
      const auto& v = ic.c[d][c];
      uint64_t total = v[0].packets + v[1].packets + v[2].packets;
      if (!total) continue;
      any = true;
      out << fmt::format("    {:<8} {:<13} {:>12} pkts {:>15} B", kDirNames[d],
                         policy::kClassNames[c], total, v[0].bytes + v[1].bytes + v[2].bytes);
      if (v[LW_VERDICT_AUDIT].packets)
        out << fmt::format("  violations passed {}", v[LW_VERDICT_AUDIT].packets);
      if (v[LW_VERDICT_DROP].packets)
        out << fmt::format("  dropped {}", v[LW_VERDICT_DROP].packets);
      out << "\n";
    }
  if (!any) out << "    (no packets yet)\n";
}

// What happens to violations of the classes that can break a lane here:
// "enforce", "audit", or "enforce (corosync: audit)" when they differ.
std::string iface_mode(uint8_t enforce) {
  // infra is never a lane violation; corosync audits unless the policy says so.
  const uint8_t lane_classes = static_cast<uint8_t>(~LW_CLASS_BIT(LW_CLASS_INFRA));
  const uint8_t enforced = enforce & lane_classes;
  if (!enforced) return "audit";
  if (enforced == lane_classes) return "enforce";
  return "enforce " + class_list(enforced) + ", audit " +
         class_list(lane_classes & static_cast<uint8_t>(~enforced));
}

json violations_json(const lw_violation_counters& v) {
  json a = json::array();
  for (int d = 0; d < LW_NR_DIRS; d++)
    for (int k = 1; k < LW_NR_VIOLATIONS; k++)
      for (int c = 0; c < LW_NR_CLASSES; c++)
        if (v.n[d][k][c])
          a.push_back({{"dir", kDirNames[d]},
                       {"kind", kViolationNames[k]},
                       {"class", policy::kClassNames[c]},
                       {"packets", v.n[d][k][c]}});
  return a;
}

json events_json(const lw_violation_counters& v) {
  return {{"emitted", v.events}, {"suppressed", v.suppressed}, {"lost", v.lost}};
}

uint64_t drops(const lw_iface_counters& ic) {
  uint64_t n = 0;
  for (int d = 0; d < LW_NR_DIRS; d++)
    for (int c = 0; c < LW_NR_CLASSES; c++) n += ic.c[d][c][LW_VERDICT_DROP].packets;
  return n;
}

// Only for interfaces whose GSO limit lanewarden sets, or set and could not
// put back yet: the others keep their own value and need no line.
void gso_text(std::ostream& out, const datapath::IfaceStatus& i) {
  if (i.gso_max_segs && i.gso_max_segs_own)
    out << fmt::format("    gso_max_segs {} (own value {} comes back on detach)\n", i.gso_max_segs,
                       *i.gso_max_segs_own);
  else if (i.gso_max_segs)
    out << fmt::format("    gso_max_segs {} (own value not recorded)\n", i.gso_max_segs);
  else if (i.gso_max_segs_own)
    out << fmt::format("    gso_max_segs: no limit in the policy, own value {} not restored yet\n",
                       *i.gso_max_segs_own);
}

void violations_text(std::ostream& out, const datapath::IfaceStatus& i) {
  const lw_violation_counters& v = i.violations;
  std::string line;
  for (int k = 1; k < LW_NR_VIOLATIONS; k++)
    for (int c = 0; c < LW_NR_CLASSES; c++) {
      uint64_t n = v.n[0][k][c] + v.n[1][k][c];
      if (n)
        line += fmt::format("{}{} {} {}", line.empty() ? "" : ", ", kViolationNames[k],
                            policy::kClassNames[c], n);
    }
  out << fmt::format("    violations: {}\n", line.empty() ? "none" : line);
  out << fmt::format("    dropped {}, events {} emitted, {} suppressed, {} lost\n",
                     drops(i.counters), v.events, v.suppressed, v.lost);
}

}  // namespace

void render_status_text(std::ostream& out, const datapath::Status& s, const std::string& pin_dir) {
  out << fmt::format("policy generation {} pinned at {}\n", s.generation, pin_dir);
  out << fmt::format("  enforced (violations dropped): {}\n", class_list(s.enforce));
  out << fmt::format("  classes with lanes: {}\n", class_list(s.constrained));
  if (!s.hook_support.empty()) out << fmt::format("  tc hooks: {}\n", s.hook_support);
  if (s.confirm_pending)
    out << "  an apply --confirm is pending: run 'lanewarden confirm' or it is rolled back\n";
  for (const auto& i : s.ifaces) {
    out << fmt::format("{} (ifindex {}): {}; mode {}; hook {}\n", i.name, i.ifindex,
                       lane_text(i.lane_allowed, i.lane_flags), iface_mode(s.enforce),
                       datapath::hook_name(i.link_flags));
    for (const auto& vl : i.vlan_lanes)
      out << fmt::format("  vlan {}: {}\n", vl.key & 0xFFFF, lane_text(vl.allowed, vl.flags));
    gso_text(out, i);
    counters_text(out, i.counters);
    violations_text(out, i);
  }
  std::string parse;
  for (int r = 1; r < LW_NR_PARSE_REASONS; r++) {
    uint64_t n = s.parse[r][0] + s.parse[r][1];
    if (n) parse += fmt::format(" {} {}", kParseReasonNames[r], n);
  }
  out << "parser notes:" << (parse.empty() ? " none" : parse) << "\n";
  out << fmt::format(
      "events: {} emitted, {} suppressed by flood control, {} lost (ring buffer full)\n",
      s.violations.events, s.violations.suppressed, s.violations.lost);
}

void render_status_json(std::ostream& out, const datapath::Status& s, const std::string& pin_dir) {
  out << json{{"type", "policy"},
              {"generation", s.generation},
              {"pin_dir", pin_dir},
              {"enforce", class_array(s.enforce)},
              {"constrained", class_array(s.constrained)},
              {"confirm_pending", s.confirm_pending},
              {"hook_support", s.hook_support},
              {"events", events_json(s.violations)}}
             .dump()
      << "\n";
  for (const auto& i : s.ifaces) {
    json vlans = json::array();
    for (const auto& vl : i.vlan_lanes)
      vlans.push_back({{"vlan", vl.key & 0xFFFF},
                       {"classes", class_array(vl.allowed)},
                       {"exclusive", (vl.flags & LW_LANE_EXCLUSIVE) != 0},
                       {"no_fragments", (vl.flags & LW_LANE_NO_FRAGMENTS) != 0}});
    json lane = nullptr;
    if (i.lane_flags & LW_LANE_PRESENT)
      lane = {{"classes", class_array(i.lane_allowed)},
              {"exclusive", (i.lane_flags & LW_LANE_EXCLUSIVE) != 0},
              {"no_fragments", (i.lane_flags & LW_LANE_NO_FRAGMENTS) != 0}};
    // null: lanewarden leaves the interface's GSO limit alone.
    json gso = i.gso_max_segs ? json(i.gso_max_segs) : json(nullptr);
    json gso_own = i.gso_max_segs_own ? json(*i.gso_max_segs_own) : json(nullptr);
    out << json{{"type", "iface"},
                {"iface", i.name},
                {"ifindex", i.ifindex},
                {"slot", i.slot},
                {"lane", lane},
                {"vlan_lanes", vlans},
                {"gso_max_segs", gso},
                {"gso_max_segs_own", gso_own},
                {"mode", iface_mode(s.enforce)},
                {"hook", datapath::hook_name(i.link_flags)},
                {"counters", counters_json(i.counters)},
                {"violations", violations_json(i.violations)},
                {"dropped", drops(i.counters)},
                {"events", events_json(i.violations)}}
               .dump()
        << "\n";
  }
  json reasons = json::object();
  for (int r = 0; r < LW_NR_PARSE_REASONS; r++)
    reasons[kParseReasonNames[r]] = {{"ingress", s.parse[r][0]}, {"egress", s.parse[r][1]}};
  out << json{{"type", "parse"}, {"reasons", reasons}, {"unknown_iface", counters_json(s.unknown)}}
             .dump()
      << "\n";
}

}  // namespace lw::telemetry
