// SPDX-License-Identifier: GPL-2.0-only
#include "metrics/latency_families.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <limits>

#include "datapath/hist_maps.h"
#include "policy/policy.h"

namespace lw::metrics {

prometheus::MetricFamily latency_family(const telemetry::HistMap& hists,
                                        const std::map<uint32_t, std::string>& names) {
  auto f = family("lanewarden_rtt_seconds",
                  "Round-trip times measured in the datapath (TCP timestamps, ICMP echo), by "
                  "interface and class of the outgoing packet",
                  prometheus::MetricType::Histogram);
  for (const auto& [key, h] : hists) {
    auto it = names.find(key.slot);
    const std::string iface = key.slot == LW_IFACE_SLOT_UNKNOWN ? "unlisted"
                              : it != names.end()               ? it->second
                                                                : fmt::format("slot{}", key.slot);
    prometheus::ClientMetric m;
    m.label = {{"iface", iface}, {"class", policy::kClassNames[key.cls]}};
    m.histogram.sample_count = h.count();
    m.histogram.sample_sum = static_cast<double>(h.sum_ns()) / 1e9;
    uint64_t cumulative = 0;
    for (int i = 0; i < telemetry::kHistBuckets; i++) {
      cumulative += h.buckets()[i];
      const uint64_t upper = telemetry::bucket_upper_ns(i);
      // Only power-of-two boundaries (the octaves); the overflow bucket is +Inf below.
      if (i == telemetry::kHistBuckets - 1 || (upper & (upper - 1)) != 0) continue;
      prometheus::ClientMetric::Bucket b;
      b.upper_bound = static_cast<double>(upper) / 1e9;
      b.cumulative_count = cumulative;
      m.histogram.bucket.push_back(b);
    }
    prometheus::ClientMetric::Bucket inf;
    inf.upper_bound = std::numeric_limits<double>::infinity();
    inf.cumulative_count = h.count();
    m.histogram.bucket.push_back(inf);
    f.metric.push_back(std::move(m));
  }
  return f;
}

void add_latency_families(const std::string& pin_dir, Families& out) {
  std::optional<datapath::HistMaps> hist;
  UniqueFd links;
  try {
    hist.emplace(datapath::HistMaps::open(pin_dir));
    links = datapath::open_pinned_map(pin_dir, "lw_links");
  } catch (const std::exception& e) {
    spdlog::debug("metrics: no RTT histograms: {}", e.what());
    return;
  }
  out.push_back(
      latency_family(telemetry::read_histograms(*hist), telemetry::slot_names(links.get())));
}

}  // namespace lw::metrics
