// SPDX-License-Identifier: GPL-2.0-only
#include "check/dscp.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace lw::check {
namespace {

// net/ipv4/route.c ip_tos2prio: TC_PRIO_BESTEFFORT 0, BULK 2,
// INTERACTIVE_BULK 4, INTERACTIVE 6 (ECN_OR_COST(x) is TC_PRIO_x).
constexpr std::array<uint8_t, 16> kTos2Prio = {0, 0, 0, 0, 2, 2, 2, 2, 6, 6, 6, 6, 4, 4, 4, 4};
constexpr uint8_t kIpTosMask = 0x1E;  // IPTOS_TOS_MASK

}  // namespace

int skb_priority_from_tos(uint8_t tos) { return kTos2Prio[(tos & kIpTosMask) >> 1]; }

std::optional<uint8_t> parse_dscp(std::string_view text) {
  std::string n(text);
  for (auto& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (!n.empty() && n.size() <= 2 &&
      std::all_of(n.begin(), n.end(), [](char c) { return std::isdigit(c); })) {
    int v = std::stoi(n);
    if (v <= 63) return static_cast<uint8_t>(v);
    return std::nullopt;
  }
  if (n == "ef") return 46;
  if (n.size() == 3 && n.starts_with("cs") && n[2] >= '0' && n[2] <= '7') return (n[2] - '0') * 8;
  if (n.size() == 4 && n.starts_with("af") && n[2] >= '1' && n[2] <= '4' && n[3] >= '1' &&
      n[3] <= '3')
    return static_cast<uint8_t>((n[2] - '0') * 8 + (n[3] - '0') * 2);
  return std::nullopt;
}

std::string dscp_name(uint8_t dscp) {
  if (dscp == 46) return "ef (46)";
  if (dscp % 8 == 0) return fmt::format("cs{} ({})", dscp / 8, dscp);
  int cls = dscp / 8, drop = (dscp % 8) / 2;
  if (cls >= 1 && cls <= 4 && dscp % 2 == 0 && drop >= 1 && drop <= 3)
    return fmt::format("af{}{} ({})", cls, drop, dscp);
  return std::to_string(dscp);
}

IpDscpSupport corosync_ip_dscp_support(const pve::Packages& p) {
  if (!p.corosync)
    return {Support::unknown, p.file.empty() ? "corosync's version is unknown (no dpkg status)"
                                             : "corosync is not installed per " + p.file};
  const std::string& v = *p.corosync;
  bool proxmox = v.find("pve") != std::string::npos;
  const char* need = proxmox ? "3.1.10-pve3" : "3.1.10";
  if (pve::compare_debian_versions(v, need) < 0)
    return {Support::no, fmt::format("corosync {} is older than {}", v, need)};
  if (p.knet && pve::compare_debian_versions(*p.knet, "1.32") < 0)
    return {Support::no, fmt::format("knet {} is older than 1.32", *p.knet)};
  return {Support::yes,
          fmt::format("corosync {}{}", v, p.knet ? fmt::format(" with knet {}", *p.knet) : "")};
}

}  // namespace lw::check
