// SPDX-License-Identifier: GPL-2.0-only
// `lanewarden status` output: a table for people, JSON Lines for scripts.
#pragma once

#include <ostream>
#include <string>

#include "datapath/datapath.h"

namespace lw::telemetry {

void render_status_text(std::ostream& out, const datapath::Status& s, const std::string& pin_dir);
// One object per line: {"type":"policy",...}, one {"type":"iface",...} per
// interface with its non-zero counters, {"type":"parse",...}.
void render_status_json(std::ostream& out, const datapath::Status& s, const std::string& pin_dir);

}  // namespace lw::telemetry
