// SPDX-License-Identifier: GPL-2.0-only
#include "probe/report.h"

#include <fmt/format.h>

namespace lw::probe {
namespace {

double us(uint64_t ns) { return static_cast<double>(ns) / 1000.0; }

}  // namespace

nlohmann::json stats_json(const PeerStats& s) {
  const Target& t = s.target;
  nlohmann::json j = {{"type", "probe"},
                      {"link", t.link},
                      {"network", t.network.str()},
                      {"local", t.local.str()},
                      {"peer", t.peer.str()},
                      {"device", t.device},
                      {"lane", t.lane},
                      {"sent", s.sent},
                      {"answered", s.answered},
                      {"lost", s.lost},
                      {"send_errors", s.send_errors}};
  // Userspace RTT (send to receive in this process): coarser than the
  // datapath's, which `lanewarden hist --class corosync` shows.
  if (s.answered > 0) {
    j["rtt_min_us"] = us(s.rtt_min_ns);
    j["rtt_avg_us"] = us(s.rtt_sum_ns) / static_cast<double>(s.answered);
    j["rtt_max_us"] = us(s.rtt_max_ns);
  }
  return j;
}

void render_stats(std::ostream& out, const std::vector<PeerStats>& stats, bool json) {
  for (const auto& s : stats) {
    if (json) {
      out << stats_json(s).dump() << "\n";
      continue;
    }
    std::string line = fmt::format("{} lane {}: {} sent, {} answered, {} lost", s.target.label(),
                                   s.target.lane, s.sent, s.answered, s.lost);
    if (s.send_errors) line += fmt::format(" ({} send errors)", s.send_errors);
    if (s.answered) {
      line += fmt::format(", rtt min/avg/max {:.3f}/{:.3f}/{:.3f} ms", us(s.rtt_min_ns) / 1000,
                          us(s.rtt_sum_ns) / 1000 / static_cast<double>(s.answered),
                          us(s.rtt_max_ns) / 1000);
    }
    out << line << "\n";
  }
  out.flush();
}

}  // namespace lw::probe
