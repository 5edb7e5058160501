// SPDX-License-Identifier: GPL-2.0-only
#include "pve/live_state.h"

#include <fstream>
#include <sstream>

#include "common/bonding.h"
#include "pve/text.h"

namespace lw::pve {
namespace {

// "Bonding Mode:" texts from the kernel's bond_mode_names (bond_options.c).
std::string mode_from_text(std::string_view t) {
  if (t.find("802.3ad") != std::string_view::npos) return "802.3ad";
  if (t.find("round-robin") != std::string_view::npos) return "balance-rr";
  if (t.find("active-backup") != std::string_view::npos) return "active-backup";
  if (t.find("(xor)") != std::string_view::npos) return "balance-xor";
  if (t.find("broadcast") != std::string_view::npos) return "broadcast";
  if (t.find("adaptive") != std::string_view::npos) return "balance-alb";
  if (t.find("transmit load") != std::string_view::npos) return "balance-tlb";
  return std::string(t);
}

std::optional<std::string> slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return ss.str();
}

std::optional<int> read_int(const std::filesystem::path& p) {
  auto s = slurp(p);
  if (!s) return std::nullopt;
  auto t = trim(*s);
  auto n = parse_uint(t);  // speed is -1 for "unknown": treated as absent
  if (!n || *n > 10000000) return std::nullopt;
  return static_cast<int>(*n);
}

}  // namespace

std::vector<std::string> parse_udev_net_names(std::string_view text) {
  // systemd's udev-builtin-net_id; ID_NET_NAME_MAC is left out: a MAC-based
  // name only comes from a NamePolicy that asks for it, and the MAC is
  // matched directly anyway.
  static constexpr std::string_view kKeys[] = {
      "E:ID_NET_NAME_FROM_DATABASE=", "E:ID_NET_NAME_ONBOARD=", "E:ID_NET_NAME_SLOT=",
      "E:ID_NET_NAME_PATH="};
  std::vector<std::string> out;
  for (auto line : split_lines(text))
    for (auto key : kKeys)
      if (starts_with(line, key)) out.emplace_back(trim(line.substr(key.size())));
  return out;
}

BondLive parse_proc_bonding(std::string_view text, const std::string& file) {
  Bond parsed = parse_bonding(std::filesystem::path(file).filename().string(), text);
  BondLive b;
  b.file = file;
  b.mode = mode_from_text(parsed.mode);
  b.lacp_rate = parsed.lacp_rate;
  b.active_aggregator = parsed.active_aggregator;
  b.partner_mac = parsed.active_partner_mac;
  for (auto& m : parsed.members) {
    BondSlaveLive s;
    s.name = m.name;
    s.mii_up = m.mii_status == "up";
    auto words = split_any(m.speed, " ");  // "10000 Mbps", "Unknown"
    if (auto n = parse_uint(words.empty() ? "" : words[0])) s.speed_mbps = static_cast<int>(*n);
    s.aggregator_id = m.aggregator_id;
    s.partner_mac = m.partner_mac;
    s.perm_mac = m.perm_mac;
    b.slaves.push_back(std::move(s));
  }
  return b;
}

LiveState read_live_state(const std::filesystem::path& root) {
  LiveState s;
  std::error_code ec;
  for (auto& e : std::filesystem::directory_iterator(root / "proc/net/bonding", ec)) {
    if (auto text = slurp(e.path()))
      s.bonds[e.path().filename().string()] = parse_proc_bonding(*text, e.path().string());
  }
  for (auto& e : std::filesystem::directory_iterator(root / "sys/class/net", ec)) {
    LinkLive l;
    l.speed_mbps = read_int(e.path() / "speed");
    l.mtu = read_int(e.path() / "mtu");
    if (auto op = slurp(e.path() / "operstate")) l.operstate = std::string(trim(*op));
    s.links[e.path().filename().string()] = l;
    if (auto mac = slurp(e.path() / "address"))
      s.link_macs[e.path().filename().string()] = lower(trim(*mac));
    if (auto index = read_int(e.path() / "ifindex"))
      if (auto db = slurp(root / "run/udev/data" / ("n" + std::to_string(*index))))
        s.udev_names[e.path().filename().string()] = parse_udev_net_names(*db);
  }
  for (auto& [name, bond] : s.bonds)
    for (auto& slave : bond.slaves)
      if (!slave.perm_mac.empty()) s.link_macs[slave.name] = slave.perm_mac;
  s.fib_multipath_hash_policy = read_int(root / "proc/sys/net/ipv4/fib_multipath_hash_policy");
  return s;
}

}  // namespace lw::pve
