// SPDX-License-Identifier: GPL-2.0-only
// Inline SVG charts for the audit report (no script, no external assets).
#pragma once

#include <string>

#include "report/report_data.h"

namespace lw::report {

// Stacked bars: violations per time bin, one colour per kind.
std::string violations_chart(const ReportData& d);
// Bars per latency bucket of one class, labelled with the bucket's bound.
std::string histogram_chart(const ClassHistogram& h);
// Colour of a violation kind in the charts and their legend.
const char* kind_colour(int kind);

}  // namespace lw::report
