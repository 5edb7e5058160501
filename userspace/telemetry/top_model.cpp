// SPDX-License-Identifier: GPL-2.0-only
#include "telemetry/top_model.h"

#include <algorithm>
#include <map>

#include "policy/policy.h"
#include "telemetry/event_format.h"

namespace lw::telemetry {
namespace {

double delta(uint64_t now, uint64_t before) {
  return now >= before ? static_cast<double>(now - before) : 0.0;
}

struct DirTotals {
  uint64_t packets = 0, bytes = 0, drops = 0, violations = 0;
};

DirTotals totals(const datapath::IfaceStatus& i, int dir, int cls) {
  DirTotals t;
  for (int v = 0; v < LW_NR_VERDICTS; v++) {
    t.packets += i.counters.c[dir][cls][v].packets;
    t.bytes += i.counters.c[dir][cls][v].bytes;
  }
  t.drops = i.counters.c[dir][cls][LW_VERDICT_DROP].packets;
  for (int k = 1; k < LW_NR_VIOLATIONS; k++) t.violations += i.violations.n[dir][k][cls];
  return t;
}

// The datapath's lane_violation() (bpf/classify.bpf.h) for the interface's
// own lane: infra and allowed classes belong; on an exclusive lane nothing
// else does; elsewhere a class with lanes of its own does not.
bool belongs(const datapath::IfaceStatus& i, uint8_t constrained, int cls) {
  const uint8_t bit = LW_CLASS_BIT(cls);
  if (cls == LW_CLASS_INFRA || (i.lane_allowed & bit)) return true;
  if (i.lane_flags & LW_LANE_EXCLUSIVE) return false;
  return !(constrained & bit);
}

std::optional<double> quantile_ms(const Histogram& h, double q) {
  auto ns = h.quantile_ns(q);
  if (!ns) return std::nullopt;
  return static_cast<double>(*ns) / 1e6;
}

nlohmann::json optional_number(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

TopSnapshot top_delta(const TopReading& prev, const TopReading& cur, double interval_s) {
  TopSnapshot s;
  s.interval_s = interval_s;
  const double per_s = interval_s > 0 ? 1.0 / interval_s : 0.0;
  for (const auto& i : cur.status.ifaces) {
    auto before = std::find_if(prev.status.ifaces.begin(), prev.status.ifaces.end(),
                               [&](const auto& p) { return p.name == i.name && p.slot == i.slot; });
    if (before == prev.status.ifaces.end()) continue;
    for (int c = 0; c < LW_NR_CLASSES; c++) {
      TopFlow f;
      f.iface = i.name;
      f.cls = c;
      f.on_lane = belongs(i, cur.status.constrained, c);
      const DirTotals in_now = totals(i, LW_DIR_INGRESS, c),
                      in_was = totals(*before, LW_DIR_INGRESS, c);
      const DirTotals out_now = totals(i, LW_DIR_EGRESS, c),
                      out_was = totals(*before, LW_DIR_EGRESS, c);
      f.in_bps = delta(in_now.bytes, in_was.bytes) * 8 * per_s;
      f.out_bps = delta(out_now.bytes, out_was.bytes) * 8 * per_s;
      f.in_pps = delta(in_now.packets, in_was.packets) * per_s;
      f.out_pps = delta(out_now.packets, out_was.packets) * per_s;
      f.violations_per_s = (delta(in_now.violations, in_was.violations) +
                            delta(out_now.violations, out_was.violations)) *
                           per_s;
      f.drops_per_s =
          (delta(in_now.drops, in_was.drops) + delta(out_now.drops, out_was.drops)) * per_s;
      if (f.in_pps > 0 || f.out_pps > 0 || f.violations_per_s > 0 || f.drops_per_s > 0)
        s.flows.push_back(std::move(f));
    }
  }

  // RTT per class over the interval, every interface together.
  std::array<Histogram, LW_NR_CLASSES> interval{};
  std::array<bool, LW_NR_CLASSES> seen{};
  for (const auto& [key, h] : cur.hists) {
    auto it = prev.hists.find(key);
    Histogram d = it == prev.hists.end() ? h : h.since(it->second);
    if (d.count() == 0) continue;
    interval[key.cls].merge(d);
    seen[key.cls] = true;
  }
  for (int c = 0; c < LW_NR_CLASSES; c++) {
    if (!seen[c] && cur.alarm_us[c] == 0) continue;
    TopRtt r;
    r.cls = c;
    r.alarm_ms = cur.alarm_us[c] / 1000.0;
    if (seen[c]) {
      r.samples = interval[c].count();
      r.p50_ms = quantile_ms(interval[c], 0.50);
      r.p99_ms = quantile_ms(interval[c], 0.99);
    }
    s.rtt.push_back(r);
  }
  return s;
}

void add_probe_deltas(std::vector<TopKnet>& links, const ProbeCounts& prev,
                      const ProbeCounts& cur) {
  for (auto& l : links) {
    auto now = cur.find({l.link, l.peer_addr});
    auto was = prev.find({l.link, l.peer_addr});
    if (now == cur.end() || was == prev.end()) continue;
    l.probes_answered = static_cast<uint64_t>(delta(now->second.answered, was->second.answered));
    l.probes_lost = static_cast<uint64_t>(delta(now->second.lost, was->second.lost));
  }
}

const char* sort_name(TopSort s) {
  switch (s) {
    case TopSort::rate:
      return "rate";
    case TopSort::violations:
      return "violations";
    case TopSort::iface:
      return "iface";
  }
  return "rate";
}

std::vector<TopFlow> top_rows(const TopSnapshot& s, TopSort sort, std::optional<int> cls) {
  std::vector<TopFlow> rows;
  for (const auto& f : s.flows)
    if (!cls || f.cls == *cls) rows.push_back(f);
  auto by_name = [](const TopFlow& a, const TopFlow& b) {
    return std::tie(a.iface, a.cls) < std::tie(b.iface, b.cls);
  };
  std::stable_sort(rows.begin(), rows.end(), [&](const TopFlow& a, const TopFlow& b) {
    switch (sort) {
      case TopSort::rate:
        if (a.bps() != b.bps()) return a.bps() > b.bps();
        break;
      case TopSort::violations: {
        const double va = a.violations_per_s + a.drops_per_s,
                     vb = b.violations_per_s + b.drops_per_s;
        if (va != vb) return va > vb;
        if (a.bps() != b.bps()) return a.bps() > b.bps();
        break;
      }
      case TopSort::iface:
        break;
    }
    return by_name(a, b);
  });
  return rows;
}

nlohmann::json top_json(const TopSnapshot& s) {
  nlohmann::json j = {{"type", "top"}, {"ts", rfc3339_ns(s.ts_ns)}, {"interval_s", s.interval_s}};
  auto& flows = j["flows"] = nlohmann::json::array();
  for (const auto& f : top_rows(s, TopSort::iface, std::nullopt))
    flows.push_back({{"iface", f.iface},
                     {"class", policy::kClassNames[f.cls]},
                     {"on_lane", f.on_lane},
                     {"in_bps", f.in_bps},
                     {"out_bps", f.out_bps},
                     {"in_pps", f.in_pps},
                     {"out_pps", f.out_pps},
                     {"violations_per_s", f.violations_per_s},
                     {"drops_per_s", f.drops_per_s}});
  auto& rtt = j["rtt"] = nlohmann::json::array();
  for (const auto& r : s.rtt)
    rtt.push_back({{"class", policy::kClassNames[r.cls]},
                   {"samples", r.samples},
                   {"p50_ms", optional_number(r.p50_ms)},
                   {"p99_ms", optional_number(r.p99_ms)},
                   {"alarm_ms", r.alarm_ms},
                   {"over_alarm", r.over()}});
  nlohmann::json coro = {{"source", "corosync-reported"}, {"running", s.corosync_running}};
  auto& links = coro["links"] = nlohmann::json::array();
  for (const auto& k : s.knet) {
    nlohmann::json o = {{"nodeid", k.nodeid},
                        {"peer", k.peer},
                        {"link", k.link},
                        {"connected", k.connected},
                        {"latency_ms", k.latency_ms},
                        {"down_count", k.down_count}};
    if (!k.peer_addr.empty()) o["peer_addr"] = k.peer_addr;
    if (k.probes_answered) o["probes_answered"] = *k.probes_answered;
    if (k.probes_lost) o["probes_lost"] = *k.probes_lost;
    links.push_back(std::move(o));
  }
  j["corosync"] = std::move(coro);
  auto& bonds = j["bonds"] = nlohmann::json::array();
  for (const auto& b : s.bonds) {
    nlohmann::json o = {{"name", b.name}, {"mode", b.mode}, {"mii_status", b.mii_status}};
    if (b.lacp()) o["lacp_rate"] = b.lacp_rate;
    auto& members = o["members"] = nlohmann::json::array();
    for (const auto& m : b.members) {
      nlohmann::json mo = {{"name", m.name},
                           {"mii_status", m.mii_status},
                           {"speed", m.speed},
                           {"link_failures", m.link_failures}};
      if (b.lacp()) mo["lacp"] = m.lacp();
      members.push_back(std::move(mo));
    }
    bonds.push_back(std::move(o));
  }
  return j;
}

}  // namespace lw::telemetry
