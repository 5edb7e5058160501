// SPDX-License-Identifier: GPL-2.0-only
#include "report/html.h"

#include <fmt/format.h>

#include "datapath/names.h"
#include "policy/policy.h"
#include "report/svg_charts.h"

namespace lw::report {
namespace {

constexpr const char* kStyle = R"css(
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
.meta{color:#555}.meta td{padding-right:1.5em}
table.lanes{border-collapse:collapse}
table.lanes th,table.lanes td{border:1px solid #ccc;padding:.35em .6em;text-align:right}
table.lanes th.iface{text-align:left;font-family:monospace}
td.none{background:#fff;color:#bbb}td.allowed{background:#eef8ee;color:#9b9}
td.ok{background:#a6d9a6}td.bad{background:#f28b82;font-weight:bold}
td.mixed{background:#f9c97c;font-weight:bold}
.legend span{display:inline-block;padding:.1em .6em;margin-right:.6em;border:1px solid #ccc}
svg{width:100%;max-width:720px;height:auto;background:#fafafa;border:1px solid #eee}
.axis{stroke:#888}.tick{font-size:11px;fill:#555}.empty{font-size:14px;fill:#999}
#summary{font-size:1.1em;padding:.5em;background:#f4f4f4}
)css";

// Fills #summary from the cells' data attributes, so the numbers a reader
// sees first are computed from the very table below them.
constexpr const char* kScript = R"js(
(function(){
  var bad=0,cells=0,ifaces={};
  document.querySelectorAll('td[data-violating]').forEach(function(td){
    var v=Number(td.getAttribute('data-violating'));
    if(v>0){bad+=v;cells++;ifaces[td.getAttribute('data-iface')]=1;}
  });
  var n=Object.keys(ifaces).length;
  var s=document.getElementById('summary');
  s.textContent=cells?('Misplaced traffic: '+cells+' class/interface pair(s) on '+n+
    ' interface(s), '+bad+' bytes.'):'No misplaced traffic: every class stayed in its lanes.';
  s.setAttribute('data-misplaced-cells',String(cells));
})();
)js";

std::string cell(const LaneRow& row, int c) {
  const LaneCell& k = row.cells[c];
  const bool allowed = (row.allowed & LW_CLASS_BIT(c)) != 0;
  std::string cls, text;
  if (k.bytes_violating && k.bytes_ok) {
    cls = "mixed";
  } else if (k.bytes_violating) {
    cls = "bad";
  } else if (k.bytes_ok) {
    cls = "ok";
  } else {
    cls = allowed ? "allowed" : "none";
  }
  if (k.bytes_ok || k.bytes_violating) {
    text = human_bytes(k.bytes_ok + k.bytes_violating);
    if (k.bytes_violating) text += fmt::format(" ({} misplaced)", human_bytes(k.bytes_violating));
  } else {
    text = allowed ? "allowed" : "–";
  }
  const std::string title =
      fmt::format("{} on {}: {} packets that belong, {} that break a lane", policy::kClassNames[c],
                  row.iface, k.packets_ok, k.packets_violating);
  return fmt::format(
      "<td class=\"{}\" data-iface=\"{}\" data-class=\"{}\" data-bytes=\"{}\" "
      "data-violating=\"{}\" title=\"{}\">{}</td>",
      cls, html_escape(row.iface), policy::kClassNames[c], k.bytes_ok + k.bytes_violating,
      k.bytes_violating, html_escape(title), html_escape(text));
}

std::string lane_map(const ReportData& d) {
  std::string out =
      "<table class=\"lanes\" id=\"lane-map\"><thead><tr><th>interface</th><th>lane</th>";
  for (int c = 0; c < LW_NR_CLASSES; c++) out += fmt::format("<th>{}</th>", policy::kClassNames[c]);
  out += "</tr></thead><tbody>";
  for (const auto& row : d.lanes) {
    out += fmt::format("<tr data-iface=\"{0}\"><th class=\"iface\">{0}</th><td>{1}</td>",
                       html_escape(row.iface), html_escape(row.lane));
    for (int c = 0; c < LW_NR_CLASSES; c++) out += cell(row, c);
    out += "</tr>";
  }
  if (d.lanes.empty())
    out += fmt::format("<tr><td colspan=\"{}\">no interface attached</td></tr>", LW_NR_CLASSES + 2);
  return out + "</tbody></table>";
}

std::string kind_legend() {
  std::string out = "<p class=\"legend\">";
  for (int k = 1; k < LW_NR_VIOLATIONS; k++)
    out += fmt::format("<span style=\"border-left:1em solid {}\">{}</span>", kind_colour(k),
                       datapath::kViolationNames[k]);
  return out + "</p>";
}

}  // namespace

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    switch (ch) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += ch;
    }
  }
  return out;
}

std::string human_bytes(uint64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "kB", "MB", "GB", "TB", "PB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1000 && u < 5) {
    v /= 1000;
    u++;
  }
  return u == 0 ? fmt::format("{} B", bytes) : fmt::format("{:.1f} {}", v, kUnits[u]);
}

std::string render_html(const ReportData& d) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  // No network: a CSP that forbids every fetch makes that checkable.
  out +=
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">";
  out +=
      fmt::format("<title>{}</title><style>{}</style></head><body>", html_escape(d.title), kStyle);
  out += fmt::format("<h1>{}</h1>", html_escape(d.title));
  out += "<table class=\"meta\">";
  out += fmt::format("<tr><td>node</td><td id=\"node\">{}</td></tr>", html_escape(d.node));
  out += fmt::format("<tr><td>period</td><td>{} – {} ({:g} s)</td></tr>", html_escape(d.started),
                     html_escape(d.ended), d.duration_s);
  out += fmt::format("<tr><td>policy</td><td>{}</td></tr>",
                     d.policy_source.empty() ? "live pinned state" : html_escape(d.policy_source));
  out += fmt::format("<tr><td>mode</td><td>{}</td></tr></table>", html_escape(d.mode));
  out += "<p id=\"summary\">(summary needs script)</p>";

  out +=
      "<h2>Lane map</h2><p>Bytes per interface and traffic class during the audit. "
      "<span class=\"legend\"><span style=\"background:#a6d9a6\">belongs there</span>"
      "<span style=\"background:#f28b82\">breaks a lane</span>"
      "<span style=\"background:#f9c97c\">both</span>"
      "<span style=\"background:#eef8ee\">allowed, unused</span></span></p>";
  out += lane_map(d);

  out += fmt::format(
      "<h2>Violations over time</h2><p>Packets that broke the policy, per {:g} s "
      "(exact kernel counters).</p>",
      d.bin_seconds);
  out += kind_legend();
  out += violations_chart(d);

  out += "<h2>Latency per class</h2>";
  if (d.latency.empty()) {
    out += fmt::format("<p id=\"latency-missing\">{}</p>",
                       html_escape(d.latency_note.empty() ? "no latency samples" : d.latency_note));
  }
  for (const auto& h : d.latency) {
    out += fmt::format("<h3>{} ({} samples)</h3>", html_escape(h.cls), h.samples);
    out += histogram_chart(h);
  }
  out += fmt::format("<script>{}</script></body></html>\n", kScript);
  return out;
}

}  // namespace lw::report
