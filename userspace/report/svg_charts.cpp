// SPDX-License-Identifier: GPL-2.0-only
#include "report/svg_charts.h"

#include <fmt/format.h>

#include <algorithm>

#include "datapath/names.h"
#include "report/html.h"

namespace lw::report {
namespace {

constexpr int kWidth = 720, kHeight = 220, kLeft = 56, kBottom = 28, kTop = 10;

std::string seconds_label(double s) {
  if (s < 1e-3) return fmt::format("{:g} µs", s * 1e6);
  if (s < 1) return fmt::format("{:g} ms", s * 1e3);
  return fmt::format("{:g} s", s);
}

// Axis with 0 and the maximum on the left.
std::string y_axis(uint64_t max, const char* unit) {
  return fmt::format(
      "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" class=\"axis\"/>"
      "<line x1=\"{0}\" y1=\"{2}\" x2=\"{3}\" y2=\"{2}\" class=\"axis\"/>"
      "<text x=\"{4}\" y=\"{5}\" class=\"tick\" text-anchor=\"end\">{6}</text>"
      "<text x=\"{4}\" y=\"{2}\" class=\"tick\" text-anchor=\"end\">0</text>"
      "<text x=\"4\" y=\"{1}\" class=\"tick\">{7}</text>",
      kLeft, kTop, kHeight - kBottom, kWidth - 4, kLeft - 4, kTop + 10, max, unit);
}

}  // namespace

const char* kind_colour(int kind) {
  static constexpr const char* kColours[LW_NR_VIOLATIONS] = {"#999999", "#d95f02", "#c0392b",
                                                             "#7570b3", "#e7298a", "#1b9e77"};
  return kColours[std::clamp(kind, 0, LW_NR_VIOLATIONS - 1)];
}

std::string violations_chart(const ReportData& d) {
  uint64_t max = 0;
  for (const auto& b : d.violations) {
    uint64_t sum = 0;
    for (auto n : b.by_kind) sum += n;
    max = std::max(max, sum);
  }
  std::string svg = fmt::format(
      "<svg id=\"violations-chart\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-label=\"violations over time\">",
      kWidth, kHeight);
  svg += y_axis(max, "packets");
  const size_t n = d.violations.size();
  const double plot_w = kWidth - kLeft - 8, plot_h = kHeight - kTop - kBottom;
  const double bar_w = n ? plot_w / static_cast<double>(n) : plot_w;
  for (size_t i = 0; i < n; i++) {
    const auto& b = d.violations[i];
    double y = kHeight - kBottom;
    for (int k = 1; k < LW_NR_VIOLATIONS; k++) {
      if (!b.by_kind[k] || !max) continue;
      const double h = plot_h * static_cast<double>(b.by_kind[k]) / static_cast<double>(max);
      y -= h;
      svg += fmt::format(
          "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"{}\">"
          "<title>{:g}-{:g} s: {} {}</title></rect>",
          kLeft + bar_w * static_cast<double>(i) + 1, y, std::max(bar_w - 2, 1.0), h,
          kind_colour(k), b.t_seconds, b.t_seconds + d.bin_seconds, b.by_kind[k],
          datapath::kViolationNames[k]);
    }
  }
  svg += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\">0 s</text>", kLeft, kHeight - 8);
  svg += fmt::format("<text x=\"{}\" y=\"{}\" class=\"tick\" text-anchor=\"end\">{:g} s</text>",
                     kWidth - 8, kHeight - 8, d.duration_s);
  if (!max)
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" class=\"empty\" text-anchor=\"middle\">no "
        "violations</text>",
        kWidth / 2, kHeight / 2);
  return svg + "</svg>";
}

std::string histogram_chart(const ClassHistogram& h) {
  uint64_t max = 0;
  size_t first = h.buckets.size(), last = 0;
  for (size_t i = 0; i < h.buckets.size(); i++) {
    max = std::max(max, h.buckets[i].count);
    if (h.buckets[i].count) {
      first = std::min(first, i);
      last = i;
    }
  }
  // Empty buckets on either side say nothing; keep one each side for scale.
  const size_t skip = first == h.buckets.size() || first == 0 ? 0 : first - 1;
  const size_t n = std::min(h.buckets.size(), last + 2) - skip;
  std::string svg = fmt::format(
      "<svg class=\"histogram\" data-class=\"{}\" viewBox=\"0 0 {} {}\" role=\"img\" "
      "aria-label=\"latency of {}\">",
      html_escape(h.cls), kWidth, kHeight, html_escape(h.cls));
  svg += y_axis(max, "samples");
  const double plot_w = kWidth - kLeft - 8, plot_h = kHeight - kTop - kBottom;
  const double bar_w = n ? plot_w / static_cast<double>(n) : plot_w;
  for (size_t i = 0; i < n; i++) {
    const auto& b = h.buckets[skip + i];
    const double bh = max ? plot_h * static_cast<double>(b.count) / static_cast<double>(max) : 0;
    const double x = kLeft + bar_w * static_cast<double>(i);
    svg += fmt::format(
        "<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" fill=\"#3b75af\">"
        "<title>≤ {}: {}</title></rect>",
        x + 1, kHeight - kBottom - bh, std::max(bar_w - 2, 1.0), bh, seconds_label(b.le_seconds),
        b.count);
    // Label every few buckets so the labels do not overlap.
    if (i % std::max<size_t>(1, n / 8) == 0)
      svg += fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"tick\">{}</text>", x, kHeight - 8,
                         seconds_label(b.le_seconds));
  }
  return svg + "</svg>";
}

}  // namespace lw::report
