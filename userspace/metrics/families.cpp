// SPDX-License-Identifier: GPL-2.0-only
#include "metrics/families.h"

#include "datapath/names.h"
#include "datapath/policy_compiler.h"

namespace lw::metrics {
namespace {

using datapath::kDirNames;
using datapath::kParseReasonNames;
using datapath::kVerdictNames;
using datapath::kViolationNames;
using policy::kClassNames;
using prometheus::MetricType;

const char* cap_mode_name(policy::CapMode m) {
  switch (m) {
    case policy::CapMode::shape:
      return "shape";
    case policy::CapMode::police:
      return "police";
    case policy::CapMode::pace:
      return "pace";
  }
  return "shape";
}

}  // namespace

prometheus::MetricFamily family(std::string name, std::string help, MetricType type) {
  prometheus::MetricFamily f;
  f.name = std::move(name);
  f.help = std::move(help);
  f.type = type;
  return f;
}

void add_counter(prometheus::MetricFamily& f, Labels labels, double value) {
  prometheus::ClientMetric m;
  m.label = std::move(labels);
  m.counter.value = value;
  f.metric.push_back(std::move(m));
}

void add_gauge(prometheus::MetricFamily& f, Labels labels, double value) {
  prometheus::ClientMetric m;
  m.label = std::move(labels);
  m.gauge.value = value;
  f.metric.push_back(std::move(m));
}

Families status_families(const datapath::Status& s) {
  auto packets = family("lanewarden_packets_total",
                        "Packets seen by lanewarden's tc programs, by interface, direction, "
                        "traffic class and verdict (pass, audit = violation let through, drop)",
                        MetricType::Counter);
  auto bytes =
      family("lanewarden_bytes_total", "Bytes (skb->len) of those packets", MetricType::Counter);
  auto drops = family("lanewarden_dropped_packets_total",
                      "Packets dropped because they broke an enforced lane", MetricType::Counter);
  auto violations = family("lanewarden_violations_total",
                           "Packets that broke the policy, by kind (counted exactly, whatever "
                           "flood control does to the events)",
                           MetricType::Counter);
  for (const auto& i : s.ifaces) {
    for (int d = 0; d < LW_NR_DIRS; d++)
      for (int c = 0; c < LW_NR_CLASSES; c++) {
        for (int v = 0; v < LW_NR_VERDICTS; v++) {
          const lw_counter& k = i.counters.c[d][c][v];
          if (!k.packets) continue;
          Labels l{{"iface", i.name},
                   {"dir", kDirNames[d]},
                   {"class", kClassNames[c]},
                   {"verdict", kVerdictNames[v]}};
          add_counter(packets, l, static_cast<double>(k.packets));
          add_counter(bytes, l, static_cast<double>(k.bytes));
        }
        // Always present per interface and direction for classes with a
        // lane, so rate() alerts see the series before the first drop.
        const uint64_t dropped = i.counters.c[d][c][LW_VERDICT_DROP].packets;
        if (dropped || (s.constrained & LW_CLASS_BIT(c)))
          add_counter(drops, {{"iface", i.name}, {"dir", kDirNames[d]}, {"class", kClassNames[c]}},
                      static_cast<double>(dropped));
        for (int k = 1; k < LW_NR_VIOLATIONS; k++) {
          const uint64_t n = i.violations.n[d][k][c];
          if (!n) continue;
          add_counter(violations,
                      {{"iface", i.name},
                       {"dir", kDirNames[d]},
                       {"kind", kViolationNames[k]},
                       {"class", kClassNames[c]}},
                      static_cast<double>(n));
        }
      }
  }

  auto unlisted = family("lanewarden_unlisted_packets_total",
                         "Packets on interfaces the policy does not list (filters left on an "
                         "interface that was renamed or re-created)",
                         MetricType::Counter);
  for (int d = 0; d < LW_NR_DIRS; d++)
    for (int c = 0; c < LW_NR_CLASSES; c++) {
      uint64_t n = 0;
      for (int v = 0; v < LW_NR_VERDICTS; v++) n += s.unknown.c[d][c][v].packets;
      if (n)
        add_counter(unlisted, {{"dir", kDirNames[d]}, {"class", kClassNames[c]}},
                    static_cast<double>(n));
    }

  auto events = family("lanewarden_events_total", "Violation events written to the ring buffer",
                       MetricType::Counter);
  add_counter(events, {}, static_cast<double>(s.violations.events));
  auto suppressed =
      family("lanewarden_events_suppressed_total",
             "Violations folded into a later event by flood control", MetricType::Counter);
  add_counter(suppressed, {}, static_cast<double>(s.violations.suppressed));
  auto lost = family("lanewarden_events_lost_total",
                     "Violation events lost because the ring buffer was full", MetricType::Counter);
  add_counter(lost, {}, static_cast<double>(s.violations.lost));

  auto parse = family("lanewarden_parse_errors_total",
                      "Packets whose headers were classified only as far as they were valid, by "
                      "the reason the parser stopped (all interfaces)",
                      MetricType::Counter);
  for (int r = 1; r < LW_NR_PARSE_REASONS; r++)
    for (int d = 0; d < LW_NR_DIRS; d++)
      if (s.parse[r][d])
        add_counter(parse, {{"dir", kDirNames[d]}, {"reason", kParseReasonNames[r]}},
                    static_cast<double>(s.parse[r][d]));

  auto generation =
      family("lanewarden_policy_generation",
             "Generation of the policy in force (grows with every apply)", MetricType::Gauge);
  add_gauge(generation, {}, static_cast<double>(s.generation));
  auto attached = family("lanewarden_attached_interfaces",
                         "Interfaces lanewarden's programs are attached to", MetricType::Gauge);
  add_gauge(attached, {}, static_cast<double>(s.ifaces.size()));
  auto pending =
      family("lanewarden_confirm_pending",
             "1 while an 'apply --confirm' waits for 'lanewarden confirm'", MetricType::Gauge);
  add_gauge(pending, {}, s.confirm_pending ? 1 : 0);

  return {std::move(packets),  std::move(bytes),      std::move(drops),      std::move(violations),
          std::move(unlisted), std::move(events),     std::move(suppressed), std::move(lost),
          std::move(parse),    std::move(generation), std::move(attached),   std::move(pending)};
}

Families policy_families(const policy::Policy& p) {
  auto cap = family("lanewarden_class_cap_bytes_per_second",
                    "Bandwidth cap of a traffic class, per interface it crosses, and how it is "
                    "enforced (shape: HTB, police: token bucket, pace: EDT)",
                    MetricType::Gauge);
  auto enforced =
      family("lanewarden_class_enforced",
             "1 when violations of the class are dropped, 0 when only reported", MetricType::Gauge);
  auto alarm = family("lanewarden_class_latency_alarm_seconds",
                      "Round-trip time above which the class's p99 is an alarm (the policy's "
                      "latency_alarm; Corosync defaults to 5 ms)",
                      MetricType::Gauge);
  for (int c = 0; c < LW_NR_CLASSES; c++) {
    const auto& cp = p.classes[c];
    if (uint64_t ns = datapath::latency_alarm_ns(p, c))
      add_gauge(alarm, {{"class", kClassNames[c]}}, static_cast<double>(ns) / 1e9);
    if (cp.cap)
      add_gauge(cap, {{"class", kClassNames[c]}, {"mode", cap_mode_name(cp.cap_mode)}},
                static_cast<double>(cp.cap->bytes_per_sec));
    add_gauge(enforced, {{"class", kClassNames[c]}},
              p.action_for(c) == policy::Mode::enforce ? 1 : 0);
  }
  return {std::move(cap), std::move(enforced), std::move(alarm)};
}

}  // namespace lw::metrics
