// SPDX-License-Identifier: GPL-2.0-only
// Per-peer probe counts as text (one line per peer, like ping's summary) or
// JSON Lines (one "type":"probe" object per peer).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <vector>

#include "probe/prober.h"

namespace lw::probe {

nlohmann::json stats_json(const PeerStats& s);
void render_stats(std::ostream& out, const std::vector<PeerStats>& stats, bool json);

}  // namespace lw::probe
