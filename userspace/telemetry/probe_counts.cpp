// SPDX-License-Identifier: GPL-2.0-only
#include "telemetry/probe_counts.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace lw::telemetry {
namespace {

// The value of label `name` inside "{a=\"x\",b=\"y\"}"; "" when absent.
std::string label(std::string_view labels, std::string_view name) {
  const std::string key = std::string(name) + "=\"";
  for (size_t at = labels.find(key); at != std::string_view::npos; at = labels.find(key, at + 1)) {
    if (at != 0 && labels[at - 1] != '{' && labels[at - 1] != ',') continue;
    const size_t start = at + key.size();
    const size_t end = labels.find('"', start);
    if (end == std::string_view::npos) return {};
    return std::string(labels.substr(start, end - start));
  }
  return {};
}

}  // namespace

ProbeCounts parse_probe_counts(std::string_view text) {
  ProbeCounts out;
  constexpr std::string_view kAnswered = "lanewarden_probes_answered_total{";
  constexpr std::string_view kLost = "lanewarden_probes_lost_total{";
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    const bool answered = line.starts_with(kAnswered);
    if (!answered && !line.starts_with(kLost)) continue;
    const size_t close = line.find('}');
    if (close == std::string_view::npos) continue;
    const std::string_view labels = line.substr(0, close + 1);
    const std::string value(line.substr(close + 1));
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (end == value.c_str() || !std::isfinite(v) || v < 0) continue;
    int link = -1;
    const std::string link_text = label(labels, "link");
    std::from_chars(link_text.data(), link_text.data() + link_text.size(), link);
    const std::string peer = label(labels, "peer");
    if (link < 0 || peer.empty()) continue;
    auto& c = out[{link, peer}];
    (answered ? c.answered : c.lost) = static_cast<uint64_t>(v);
  }
  return out;
}

}  // namespace lw::telemetry
