// SPDX-License-Identifier: GPL-2.0-only
#include "common/bonding.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace lw {
namespace {

// LACP port state bits (IEEE 802.1AX-2014, 6.4.2.3).
constexpr int kSync = 0x08, kCollecting = 0x10, kDistributing = 0x20;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

template <typename T>
T number(std::string_view s, T fallback) {
  T v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return ec == std::errc() ? v : fallback;
}

}  // namespace

std::string BondMember::lacp() const {
  if (aggregator_id < 0) return "";
  if (actor_churn == "churned" || partner_churn == "churned") return "churned";
  if (active_aggregator >= 0 && aggregator_id != active_aggregator) return "standby";
  const int want = kSync | kCollecting | kDistributing;
  if (actor_state >= 0 && (actor_state & want) == want && partner_state >= 0 &&
      (partner_state & want) == want)
    return "bundled";
  return "not in sync";
}

Bond parse_bonding(std::string_view name, std::string_view text) {
  Bond b;
  b.name = std::string(name);
  BondMember* m = nullptr;
  // Port state lines follow "details actor lacp pdu:" or "details partner lacp pdu:".
  enum { kNone, kActor, kPartner } details = kNone;
  bool in_active_aggregator = false;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    const size_t colon = line.find(':');
    const std::string_view key = trim(line.substr(0, colon));
    const std::string_view value =
        colon == std::string_view::npos ? std::string_view{} : trim(line.substr(colon + 1));
    if (key == "details actor lacp pdu") {
      details = kActor;
      continue;
    }
    if (key == "details partner lacp pdu") {
      details = kPartner;
      continue;
    }
    if (key == "Active Aggregator Info") {
      in_active_aggregator = true;
      continue;
    }
    if (key == "Slave Interface") {
      b.members.push_back({});
      m = &b.members.back();
      m->name = std::string(value);
      details = kNone;
      in_active_aggregator = false;
      continue;
    }
    if (!m) {
      if (key == "Bonding Mode") b.mode = std::string(value);
      if (key == "MII Status") b.mii_status = std::string(value);
      if (key == "LACP rate") b.lacp_rate = std::string(value);
      if (key == "Aggregator ID" && in_active_aggregator) b.active_aggregator = number(value, -1);
      if (key == "Number of ports" && in_active_aggregator) b.active_ports = number(value, -1);
      if (key == "Partner Mac Address" && in_active_aggregator)
        b.active_partner_mac = std::string(value);
      continue;
    }
    if (key == "MII Status") m->mii_status = std::string(value);
    if (key == "Speed") m->speed = std::string(value);
    if (key == "Permanent HW addr") m->perm_mac = std::string(value);
    if (key == "Link Failure Count") m->link_failures = number<uint64_t>(value, 0);
    if (key == "Aggregator ID") m->aggregator_id = number(value, -1);
    if (key == "Actor Churn State") m->actor_churn = std::string(value);
    if (key == "Partner Churn State") m->partner_churn = std::string(value);
    if (key == "system mac address" && details == kPartner) m->partner_mac = std::string(value);
    if (key == "port state") {
      if (details == kActor) m->actor_state = number(value, -1);
      if (details == kPartner) m->partner_state = number(value, -1);
    }
  }
  for (auto& member : b.members) member.active_aggregator = b.active_aggregator;
  return b;
}

std::vector<Bond> read_bonds(const std::string& dir) {
  std::vector<Bond> out;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    std::ifstream in(e.path());
    std::ostringstream ss;
    ss << in.rdbuf();
    out.push_back(parse_bonding(e.path().filename().string(), ss.str()));
  }
  std::sort(out.begin(), out.end(), [](const Bond& a, const Bond& b) { return a.name < b.name; });
  return out;
}

}  // namespace lw
