// SPDX-License-Identifier: GPL-2.0-only
#include "telemetry/histogram_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "datapath/hist_maps.h"
#include "datapath/maps.h"
#include "policy/policy.h"
#include "telemetry/event_format.h"

namespace lw::telemetry {
namespace {

constexpr int kBarWidth = 40;  // as bcc's print_log2_hist

double us(uint64_t ns) { return static_cast<double>(ns) / 1000.0; }

nlohmann::json us_or_null(std::optional<uint64_t> ns) {
  return ns ? nlohmann::json(us(*ns)) : nlohmann::json(nullptr);
}

// "61.4 us", "5.21 ms", "1.20 s"
std::string human(uint64_t ns) {
  if (ns < 1'000'000) return fmt::format("{:.1f} us", ns / 1e3);
  if (ns < 1'000'000'000) return fmt::format("{:.2f} ms", ns / 1e6);
  return fmt::format("{:.2f} s", ns / 1e9);
}

std::string bound_us(uint64_t ns) {
  if (ns == std::numeric_limits<uint64_t>::max()) return "inf";
  return fmt::format("{:.4g}", ns / 1e3);
}

std::string iface_of(const HistSnapshot& s, uint32_t slot) {
  if (slot == LW_IFACE_SLOT_UNKNOWN) return "unknown";
  auto it = s.names.find(slot);
  return it != s.names.end() ? it->second : fmt::format("slot{}", slot);
}

// What a snapshot shows for one key: the interval when there is one.
Histogram shown(const HistSnapshot& s, const HistKey& k, const Histogram& total) {
  if (!s.interval_s) return total;
  auto it = s.previous.find(k);
  return it == s.previous.end() ? total : total.since(it->second);
}

nlohmann::json buckets_json(const Histogram& h) {
  auto out = nlohmann::json::array();
  for (int i = 0; i < kHistBuckets; i++) {
    if (!h.buckets()[i]) continue;
    const uint64_t hi = bucket_upper_ns(i);
    out.push_back({{"lo_us", us(bucket_lower_ns(i))},
                   {"hi_us", hi == std::numeric_limits<uint64_t>::max() ? nlohmann::json(nullptr)
                                                                        : nlohmann::json(us(hi))},
                   {"count", h.buckets()[i]}});
  }
  return out;
}

}  // namespace

HistMap read_histograms(const datapath::HistMaps& maps, std::optional<int> cls) {
  HistMap out;
  for (uint32_t slot = 0; slot <= LW_IFACE_SLOT_UNKNOWN; slot++)
    for (int c = 0; c < LW_NR_CLASSES; c++) {
      if (cls && c != *cls) continue;
      Histogram h;
      h.add(maps.read(slot, c));
      if (h.count()) out.emplace(HistKey{slot, c}, h);
    }
  return out;
}

std::map<uint32_t, std::string> slot_names(int links_fd) {
  std::map<uint32_t, std::string> out;
  for (const auto& [ifindex, link] : datapath::read_links(links_fd))
    out[link.slot] = std::string(link.ifname, strnlen(link.ifname, sizeof(link.ifname)));
  return out;
}

nlohmann::json quantiles_json(const Histogram& h) {
  return {{"count", h.count()},
          {"sum_us", us(h.sum_ns())},
          {"mean_us", h.count() ? nlohmann::json(us(static_cast<uint64_t>(h.mean_ns())))
                                : nlohmann::json(nullptr)},
          {"p50_us", us_or_null(h.quantile_ns(0.50))},
          {"p90_us", us_or_null(h.quantile_ns(0.90))},
          {"p99_us", us_or_null(h.quantile_ns(0.99))},
          {"max_us", h.count() ? nlohmann::json(us(h.max_ns())) : nlohmann::json(nullptr)}};
}

nlohmann::json snapshot_json(const HistSnapshot& s) {
  auto list = nlohmann::json::array();
  for (const auto& [k, total] : s.totals) {
    Histogram h = shown(s, k, total);
    nlohmann::json e = {{"class", policy::kClassNames[k.cls]}, {"iface", iface_of(s, k.slot)}};
    e.update(quantiles_json(h));
    e["buckets"] = buckets_json(h);
    e["cumulative"] = quantiles_json(total);
    list.push_back(std::move(e));
  }
  return {{"ts", rfc3339_ns(s.realtime_ns)},
          {"interval_s", s.interval_s ? nlohmann::json(*s.interval_s) : nlohmann::json(nullptr)},
          {"histograms", std::move(list)},
          {"rtt_untracked",
           {{"bad_tcp_options", s.rtt.bad_options},
            {"expired", s.rtt.expired},
            {"arm_failed", s.rtt.arm_failed}}}};
}

void render_snapshot_text(std::ostream& out, const HistSnapshot& s) {
  out << fmt::format("{}  {}\n", rfc3339_ns(s.realtime_ns),
                     s.interval_s ? fmt::format("last {:g} s", *s.interval_s)
                                  : std::string("since the programs were loaded"));
  if (s.totals.empty()) out << "no RTT samples yet\n";
  for (const auto& [k, total] : s.totals) {
    Histogram h = shown(s, k, total);
    out << fmt::format("\n{} on {}: {} samples", policy::kClassNames[k.cls], iface_of(s, k.slot),
                       h.count());
    if (!h.count()) {
      out << fmt::format(" ({} since load)\n", total.count());
      continue;
    }
    out << fmt::format(", mean {}, p50 {}, p90 {}, p99 {}, max {}\n",
                       human(static_cast<uint64_t>(h.mean_ns())), human(*h.quantile_ns(0.5)),
                       human(*h.quantile_ns(0.9)), human(*h.quantile_ns(0.99)), human(h.max_ns()));
    int first = -1, last = -1;
    uint64_t peak = 0;
    for (int i = 0; i < kHistBuckets; i++) {
      if (!h.buckets()[i]) continue;
      if (first < 0) first = i;
      last = i;
      peak = std::max(peak, h.buckets()[i]);
    }
    out << fmt::format("{:>22} : {:<8} {}\n", "usecs", "count", "distribution");
    for (int i = first; i <= last; i++) {
      const uint64_t n = h.buckets()[i];
      const int stars = static_cast<int>(n * kBarWidth / peak);
      out << fmt::format("{:>10} -> {:<9} : {:<8} |{:<{}}|\n", bound_us(bucket_lower_ns(i)),
                         bound_us(bucket_upper_ns(i)), n, std::string(stars, '*'), kBarWidth);
    }
  }
  if (s.rtt.bad_options || s.rtt.expired || s.rtt.arm_failed)
    out << fmt::format(
        "\nnot measured since load: {} malformed TCP option lists, {} expired, {} "
        "not stored\n",
        s.rtt.bad_options, s.rtt.expired, s.rtt.arm_failed);
  out.flush();
}

}  // namespace lw::telemetry
