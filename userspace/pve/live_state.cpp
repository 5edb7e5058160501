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
  }
  s.fib_multipath_hash_policy = read_int(root / "proc/sys/net/ipv4/fib_multipath_hash_policy");
  return s;
}

}  // namespace lw::pve
