// SPDX-License-Identifier: GPL-2.0-only
#include "corosync/knet_stats.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace lw::corosync {
namespace {

// "node12" with prefix "node" -> 12.
template <typename T>
std::optional<T> number_after(std::string_view part, std::string_view prefix) {
  if (!part.starts_with(prefix) || part.size() == prefix.size()) return std::nullopt;
  T v{};
  auto [end, ec] = std::from_chars(part.data() + prefix.size(), part.data() + part.size(), v);
  if (ec != std::errc() || end != part.data() + part.size()) return std::nullopt;
  return v;
}

double ms(uint64_t us) { return static_cast<double>(us) / 1000.0; }

}  // namespace

std::optional<KnetKey> parse_knet_key(std::string_view key) {
  constexpr std::string_view kPrefix = "stats.knet.";
  if (!key.starts_with(kPrefix)) return std::nullopt;
  key.remove_prefix(kPrefix.size());
  size_t a = key.find('.');
  if (a == std::string_view::npos) return std::nullopt;
  size_t b = key.find('.', a + 1);
  if (b == std::string_view::npos) return std::nullopt;
  auto node = number_after<uint32_t>(key.substr(0, a), "node");
  auto link = number_after<int>(key.substr(a + 1, b - a - 1), "link");
  std::string_view field = key.substr(b + 1);
  if (!node || !link || field.empty() || field.find('.') != std::string_view::npos)
    return std::nullopt;
  return KnetKey{*node, *link, std::string(field)};
}

void add_knet_value(std::vector<KnetLinkStats>& links, std::string_view key, uint64_t value) {
  auto k = parse_knet_key(key);
  if (!k) return;
  auto it = std::find_if(links.begin(), links.end(), [&](const KnetLinkStats& l) {
    return l.nodeid == k->nodeid && l.link == k->link;
  });
  if (it == links.end()) {
    links.push_back({});
    it = links.end() - 1;
    it->nodeid = k->nodeid;
    it->link = k->link;
  }
  if (k->field == "latency_ave")
    it->latency_ave_us = value;
  else if (k->field == "latency_max")
    it->latency_max_us = value;
  else if (k->field == "latency_min")
    it->latency_min_us = value;
  else if (k->field == "latency_samples")
    it->latency_samples = value;
  else if (k->field == "connected")
    it->connected = value != 0;
  else if (k->field == "down_count")
    it->down_count = value;
}

void add_srp_value(SrpStats& srp, std::string_view key, uint64_t value) {
  if (key == "stats.srp.operational_token_lost") {
    srp.operational_token_lost = value;
    srp.present = true;
  } else if (key == "stats.srp.mcast_retx") {
    srp.mcast_retx = value;
    srp.present = true;
  }
}

nlohmann::json knet_json(const KnetSnapshot& s) {
  nlohmann::json j = {{"source", "corosync-reported"}, {"running", s.running()}};
  if (!s.running()) {
    j["state"] = "corosync not running here";
    if (!s.detail.empty()) j["detail"] = s.detail;
    return j;
  }
  j["local_nodeid"] = s.local_nodeid;
  auto& links = j["links"] = nlohmann::json::array();
  for (const auto& l : s.links) {
    nlohmann::json o = {{"nodeid", l.nodeid},
                        {"link", l.link},
                        {"connected", l.connected},
                        {"latency_ave_us", l.latency_ave_us},
                        {"latency_max_us", l.latency_max_us},
                        {"latency_min_us", l.latency_min_us},
                        {"latency_samples", l.latency_samples},
                        {"down_count", l.down_count}};
    if (!l.peer_addr.empty()) o["peer"] = l.peer_addr;
    links.push_back(std::move(o));
  }
  return j;
}

std::string knet_text(const KnetSnapshot& s) {
  if (!s.running()) return "corosync-reported: corosync not running here\n";
  std::string out;
  for (const auto& l : s.links) {
    std::string peer = l.peer_addr.empty() ? "" : " " + l.peer_addr;
    if (!l.connected) {
      out += fmt::format("corosync-reported: node {} link {}{}: not connected (down {} times)\n",
                         l.nodeid, l.link, peer, l.down_count);
      continue;
    }
    out += fmt::format(
        "corosync-reported: node {} link {}{}: knet latency ave {:.3f} ms, min {:.3f} ms, max "
        "{:.3f} ms ({} samples)\n",
        l.nodeid, l.link, peer, ms(l.latency_ave_us), ms(l.latency_min_us), ms(l.latency_max_us),
        l.latency_samples);
  }
  if (out.empty()) out = "corosync-reported: corosync runs, but reports no peer link\n";
  return out;
}

}  // namespace lw::corosync
