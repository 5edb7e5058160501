// SPDX-License-Identifier: GPL-2.0-only
// IPv4/IPv6 addresses and networks as the Proxmox files write them. The
// readers keep the host address of "10.10.10.1/24" (interfaces) as well as
// its network; policy/net.h is the policy's own type and is not needed here.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lw::pve {

struct IpAddr {
  int family = 0;  // AF_INET or AF_INET6
  std::array<uint8_t, 16> bytes{};
  auto operator<=>(const IpAddr&) const = default;
  std::string str() const;
};

struct IpNet {
  IpAddr addr;  // host bits cleared
  int prefix = 0;
  auto operator<=>(const IpNet&) const = default;
  bool contains(const IpAddr& a) const;
  bool overlaps(const IpNet& o) const;
  std::string str() const;  // "10.10.10.0/24"
};

std::optional<IpAddr> parse_ip(std::string_view text);
// "10.10.10.1/24": the address as written and its network. Without a prefix
// the address is a host (/32 or /128).
struct IfAddr {
  IpAddr addr;
  IpNet net;
};
std::optional<IfAddr> parse_if_addr(std::string_view text);
// A network; host bits are cleared ("10.10.40.1/24" -> 10.10.40.0/24), as
// Ceph and Proxmox both accept that spelling.
std::optional<IpNet> parse_net(std::string_view text);
IpNet host_net(const IpAddr& a);
// Dotted netmask ("255.255.255.0") to a prefix length, for old-style
// `netmask` lines in /etc/network/interfaces.
std::optional<int> netmask_prefix(std::string_view text);

}  // namespace lw::pve
