// SPDX-License-Identifier: GPL-2.0-only
#include "metrics/corosync_families.h"

#include <limits>
#include <string>

namespace lw::metrics {
namespace {

using prometheus::MetricType;

std::string name_or_id(const std::string& name, uint32_t nodeid) {
  return name.empty() ? std::to_string(nodeid) : name;
}

prometheus::ClientMetric histogram_metric(Labels labels, const corosync::LatencyHistogram& h) {
  prometheus::ClientMetric m;
  m.label = std::move(labels);
  m.histogram.sample_count = h.count;
  m.histogram.sample_sum = h.sum_seconds;
  uint64_t cumulative = 0;
  for (size_t i = 0; i < h.buckets.size(); i++) {
    cumulative += h.buckets[i];
    prometheus::ClientMetric::Bucket b;
    b.upper_bound = i < corosync::kLatencyBounds.size() ? corosync::kLatencyBounds[i]
                                                        : std::numeric_limits<double>::infinity();
    b.cumulative_count = cumulative;
    m.histogram.bucket.push_back(b);
  }
  return m;
}

}  // namespace

Families corosync_families(const corosync::CorosyncHealth& h) {
  auto up = family("lanewarden_corosync_up",
                   "1 when corosync answered the last read of its statistics through libcmap "
                   "and no read has been waiting longer than the timeout",
                   MetricType::Gauge);
  add_gauge(up, {}, h.up() ? 1 : 0);
  auto stalls = family("lanewarden_corosync_read_stalls_total",
                       "Reads of corosync's statistics that took longer than the timeout "
                       "(corosync stopped or stuck)",
                       MetricType::Counter);
  add_counter(stalls, {}, static_cast<double>(h.stalls));
  Families out;
  out.push_back(std::move(up));
  out.push_back(std::move(stalls));
  // Old numbers are worse than none: only a live corosync gets link series.
  if (!h.up()) return out;

  const auto& s = h.snapshot;
  const std::string node = name_or_id(s.local_name, s.local_nodeid);
  auto link_up = family("lanewarden_corosync_knet_link_up",
                        "1 when knet reports the link to the peer connected", MetricType::Gauge);
  auto downs = family("lanewarden_corosync_knet_link_down_total",
                      "Times knet declared the link to the peer down since corosync started",
                      MetricType::Counter);
  auto latency = family("lanewarden_corosync_knet_latency_seconds",
                        "knet's own latency of the link (its moving average, latency_ave), one "
                        "observation per read while the link is connected",
                        MetricType::Histogram);
  for (const auto& l : s.links) {
    Labels labels{{"node", node},
                  {"peer", name_or_id(l.peer_name, l.nodeid)},
                  {"link", std::to_string(l.link)}};
    add_gauge(link_up, labels, l.connected ? 1 : 0);
    add_counter(downs, labels, static_cast<double>(l.down_count));
    if (auto it = h.latency.find({l.nodeid, l.link}); it != h.latency.end())
      latency.metric.push_back(histogram_metric(labels, it->second));
  }
  out.push_back(std::move(link_up));
  out.push_back(std::move(downs));
  out.push_back(std::move(latency));

  if (s.srp.present) {
    auto lost = family("lanewarden_corosync_srp_token_lost_total",
                       "Totem tokens lost in the operational state (stats.srp."
                       "operational_token_lost): each one starts a membership change",
                       MetricType::Counter);
    add_counter(lost, {{"node", node}}, static_cast<double>(s.srp.operational_token_lost));
    auto retx = family("lanewarden_corosync_srp_retransmits_total",
                       "Multicast messages Totem retransmitted (stats.srp.mcast_retx)",
                       MetricType::Counter);
    add_counter(retx, {{"node", node}}, static_cast<double>(s.srp.mcast_retx));
    out.push_back(std::move(lost));
    out.push_back(std::move(retx));
  }
  return out;
}

}  // namespace lw::metrics
