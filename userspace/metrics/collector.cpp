// SPDX-License-Identifier: GPL-2.0-only
#include "metrics/collector.h"

#include <spdlog/spdlog.h>

#include "datapath/pinned_state.h"
#include "metrics/latency_families.h"

namespace lw::metrics {

Collector::Collector(std::string pin_dir) : pin_dir_(std::move(pin_dir)) {}

void Collector::add_source(Source s) {
  std::lock_guard lock(mu_);
  sources_.push_back(std::move(s));
}

std::vector<prometheus::MetricFamily> Collector::Collect() const {
  Families out;
  // 1 while the programs are pinned: an alert on 0 catches a detach by hand.
  auto pinned = family("lanewarden_pinned", "1 when lanewarden's programs and maps are pinned",
                       prometheus::MetricType::Gauge);
  bool have_state = false;
  try {
    if (datapath::PinnedState::exists(pin_dir_)) {
      auto fams = status_families(datapath::read_status(pin_dir_));
      out.insert(out.end(), std::make_move_iterator(fams.begin()),
                 std::make_move_iterator(fams.end()));
      add_latency_families(pin_dir_, out);
      have_state = true;
    }
  } catch (const std::exception& e) {
    spdlog::warn("metrics: cannot read the pinned counters: {}", e.what());
  }
  add_gauge(pinned, {}, have_state ? 1 : 0);
  out.push_back(std::move(pinned));

  std::lock_guard lock(mu_);
  for (const auto& s : sources_) {
    try {
      s(out);
    } catch (const std::exception& e) {
      spdlog::warn("metrics: a source failed: {}", e.what());
    }
  }
  // A family without samples would only print HELP and TYPE lines.
  std::erase_if(out, [](const prometheus::MetricFamily& f) { return f.metric.empty(); });
  return out;
}

}  // namespace lw::metrics
