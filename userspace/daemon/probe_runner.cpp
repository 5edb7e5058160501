// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/probe_runner.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "probe/local_links.h"

namespace lw::daemon {
namespace {

std::string signature_of(const std::vector<probe::Target>& targets, uint64_t interval_ns) {
  std::string s = std::to_string(interval_ns);
  for (auto& t : targets) s += "\n" + t.label() + " lane " + t.lane;
  return s;
}

}  // namespace

ProbeRunner::~ProbeRunner() { stop(); }

void ProbeRunner::reconfigure(const policy::Policy& p) {
  probe::Plan plan;
  if (!p.probe.peers.empty()) plan = probe::plan_probes(p, probe::read_local_network());
  for (auto& r : plan.refused) spdlog::warn("probe: not probing: {}", r);
  const auto sig = signature_of(plan.targets, p.probe.interval_ns);

  std::lock_guard lock(mu_);
  if (sig == signature_ && (prober_ || plan.targets.empty())) return;
  if (prober_) {
    prober_->stop();
    prober_.reset();
  }
  signature_.clear();
  if (plan.targets.empty()) return;
  probe::ProbeOptions o;
  o.interval = std::chrono::nanoseconds(p.probe.interval_ns);
  try {
    prober_ = std::make_unique<probe::Prober>(plan.targets, o);
    prober_->start();
    signature_ = sig;
    for (auto& t : plan.targets)
      spdlog::info("probe: {} every {} ms", t.label(), p.probe.interval_ns / 1'000'000);
  } catch (const std::exception& e) {
    // Enforcement does not depend on probing: say why and carry on.
    spdlog::error("probe: cannot start the Corosync probes: {}", e.what());
    prober_.reset();
  }
}

void ProbeRunner::stop() {
  std::lock_guard lock(mu_);
  if (prober_) prober_->stop();
  prober_.reset();
  signature_.clear();
}

void ProbeRunner::families(metrics::Families& out) const {
  std::vector<probe::PeerStats> stats;
  {
    std::lock_guard lock(mu_);
    if (prober_) stats = prober_->stats();
  }
  using prometheus::MetricType;
  struct Column {
    const char* name;
    const char* help;
    uint64_t probe::PeerStats::*field;
  };
  static const Column columns[] = {
      {"lanewarden_probes_sent_total", "Corosync echo probes sent, per link and peer",
       &probe::PeerStats::sent},
      {"lanewarden_probes_answered_total", "Corosync echo probes answered within the timeout",
       &probe::PeerStats::answered},
      {"lanewarden_probes_lost_total", "Corosync echo probes not answered within the timeout",
       &probe::PeerStats::lost},
      {"lanewarden_probes_send_errors_total", "Corosync echo probes the kernel refused to send",
       &probe::PeerStats::send_errors},
  };
  for (auto& c : columns) {
    auto f = metrics::family(c.name, c.help, MetricType::Counter);
    for (auto& s : stats)
      metrics::add_counter(f,
                           {{"link", std::to_string(s.target.link)},
                            {"local", s.target.local.str()},
                            {"peer", s.target.peer.str()}},
                           static_cast<double>(s.*c.field));
    out.push_back(std::move(f));
  }
}

}  // namespace lw::daemon
