// SPDX-License-Identifier: GPL-2.0-only
#include "report/audit_collect.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

#include "common/clock.h"
#include "datapath/hist_maps.h"
#include "datapath/names.h"
#include "policy/policy.h"
#include "telemetry/event_format.h"
#include "telemetry/histogram_report.h"

namespace lw::report {
namespace {

using Clock = std::chrono::steady_clock;

std::string lane_text(const datapath::IfaceStatus& i) {
  std::string s;
  if (i.lane_flags & LW_LANE_PRESENT) {
    s = datapath::class_list(i.lane_allowed);
    if (i.lane_flags & LW_LANE_EXCLUSIVE) s += " (exclusive)";
  }
  for (const auto& v : i.vlan_lanes) {
    if (!s.empty()) s += "; ";
    s += fmt::format("vlan {}: {}", v.key & 0xffff, datapath::class_list(v.allowed));
    if (v.flags & LW_LANE_EXCLUSIVE) s += " (exclusive)";
  }
  return s.empty() ? "no lane" : s;
}

std::array<uint64_t, LW_NR_VIOLATIONS> violations_by_kind(const datapath::Status& s) {
  std::array<uint64_t, LW_NR_VIOLATIONS> k{};
  for (int d = 0; d < LW_NR_DIRS; d++)
    for (int v = 0; v < LW_NR_VIOLATIONS; v++)
      for (int c = 0; c < LW_NR_CLASSES; c++) k[v] += s.violations.n[d][v][c];
  return k;
}

std::string now_rfc3339() { return telemetry::rfc3339_ns(realtime_now_ns()); }

std::string host_name() {
  char buf[256] = {};
  gethostname(buf, sizeof(buf) - 1);
  return buf;
}

// Sleeps until `until` or a stop request, waking every 100 ms to notice it.
void sleep_until(Clock::time_point until, const std::atomic<bool>* stop) {
  while (Clock::now() < until && !(stop && stop->load()))
    std::this_thread::sleep_for(
        std::min<Clock::duration>(until - Clock::now(), std::chrono::milliseconds(100)));
}

// Totals since load, or nothing when the pins predate RTT histograms.
std::optional<telemetry::HistMap> read_latency(const std::string& pin_dir) {
  try {
    return telemetry::read_histograms(datapath::HistMaps::open(pin_dir));
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

// Per class, all interfaces together: what was measured during the audit.
std::vector<ClassHistogram> latency_by_class(const telemetry::HistMap& before,
                                             const telemetry::HistMap& after) {
  std::vector<ClassHistogram> out;
  for (int c = 0; c < LW_NR_CLASSES; c++) {
    ClassHistogram ch;
    ch.cls = policy::kClassNames[c];
    std::vector<uint64_t> counts(telemetry::kHistBuckets, 0);
    for (const auto& [key, h] : after) {
      if (key.cls != c) continue;
      auto it = before.find(key);
      const telemetry::Histogram d = it == before.end() ? h : h.since(it->second);
      for (int i = 0; i < telemetry::kHistBuckets; i++) counts[i] += d.buckets()[i];
      ch.samples += d.count();
    }
    if (!ch.samples) continue;
    for (int i = 0; i < telemetry::kHistBuckets; i++)
      ch.buckets.push_back({static_cast<double>(telemetry::bucket_upper_ns(i)) / 1e9, counts[i]});
    out.push_back(std::move(ch));
  }
  return out;
}

}  // namespace

std::vector<LaneRow> lane_rows(const datapath::Status& before, const datapath::Status& after) {
  std::vector<LaneRow> rows;
  for (const auto& i : after.ifaces) {
    const lw_iface_counters* base = nullptr;
    for (const auto& b : before.ifaces)
      if (b.name == i.name && b.slot == i.slot) base = &b.counters;
    LaneRow row;
    row.iface = i.name;
    row.lane = lane_text(i);
    row.allowed = i.lane_allowed;
    for (const auto& v : i.vlan_lanes) row.allowed |= v.allowed;
    for (int d = 0; d < LW_NR_DIRS; d++)
      for (int c = 0; c < LW_NR_CLASSES; c++)
        for (int v = 0; v < LW_NR_VERDICTS; v++) {
          const lw_counter& now = i.counters.c[d][c][v];
          const lw_counter then = base ? base->c[d][c][v] : lw_counter{};
          // A counter below its earlier value means the slot was reused: count from zero.
          const uint64_t p = now.packets >= then.packets ? now.packets - then.packets : now.packets;
          const uint64_t b = now.bytes >= then.bytes ? now.bytes - then.bytes : now.bytes;
          LaneCell& cell = row.cells[c];
          if (v == LW_VERDICT_PASS) {
            cell.packets_ok += p;
            cell.bytes_ok += b;
          } else {
            cell.packets_violating += p;
            cell.bytes_violating += b;
          }
        }
    rows.push_back(std::move(row));
  }
  return rows;
}

ReportData collect_audit(const AuditOptions& o) {
  ReportData d;
  d.node = host_name();
  d.title = "lanewarden audit of " + d.node;
  d.started = now_rfc3339();
  const int bins = std::max(1, o.bins);
  d.bin_seconds = o.duration_s / bins;
  const datapath::Status first = datapath::read_status(o.pin_dir);
  const auto latency_before = read_latency(o.pin_dir);
  d.mode =
      first.enforce ? fmt::format("enforce ({})", datapath::class_list(first.enforce)) : "audit";
  datapath::Status prev = first;
  const auto start = Clock::now();
  for (int i = 0; i < bins; i++) {
    sleep_until(start + std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>(d.bin_seconds * (i + 1))),
                o.stop);
    datapath::Status now = datapath::read_status(o.pin_dir);
    ViolationBin bin;
    bin.t_seconds = d.bin_seconds * i;
    const auto a = violations_by_kind(prev), b = violations_by_kind(now);
    for (int k = 0; k < LW_NR_VIOLATIONS; k++) bin.by_kind[k] = b[k] >= a[k] ? b[k] - a[k] : b[k];
    d.violations.push_back(bin);
    prev = std::move(now);
    if (o.stop && o.stop->load()) break;
  }
  d.duration_s = std::chrono::duration<double>(Clock::now() - start).count();
  d.ended = now_rfc3339();
  d.lanes = lane_rows(first, prev);
  if (auto latency_after = read_latency(o.pin_dir); latency_before && latency_after) {
    d.latency = latency_by_class(*latency_before, *latency_after);
    if (d.latency.empty()) d.latency_note = "No round trips were measured during the audit.";
  } else {
    d.latency_note =
        "Latency histograms are not available: the pinned state predates them "
        "(detach and apply again).";
  }
  return d;
}

}  // namespace lw::report
