// SPDX-License-Identifier: GPL-2.0-only
// The audit report as one self-contained HTML page: inline CSS, inline SVG
// charts and a few lines of inline script, no network access to view it.
// Every text that comes from the node (interface names, policy paths) is
// escaped: an interface can be named "<b>" on Linux.
#pragma once

#include <string>
#include <string_view>

#include "report/report_data.h"

namespace lw::report {

// &, <, >, " and ' as entities; safe in element content and in quoted attributes.
std::string html_escape(std::string_view s);
// "1.5 GB", "512 B": decimal units, as link speeds are written.
std::string human_bytes(uint64_t bytes);

std::string render_html(const ReportData& d);

}  // namespace lw::report
