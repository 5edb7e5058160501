// SPDX-License-Identifier: GPL-2.0-only
// The daemon's Corosync probe counters as `top` finds them: the probes run
// inside `lanewarden run`, so top reads lanewarden_probes_answered_total and
// lanewarden_probes_lost_total from the daemon's own metrics text.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace lw::telemetry {

struct ProbeCount {
  uint64_t answered = 0, lost = 0;
};
using ProbeCounts = std::map<std::pair<int, std::string>, ProbeCount>;  // (link, peer address)

// Picks the two probe families out of Prometheus text; other lines are ignored.
ProbeCounts parse_probe_counts(std::string_view metrics_text);

}  // namespace lw::telemetry
