// SPDX-License-Identifier: GPL-2.0-only
// Addresses, networks and port ranges: the one address type of the policy,
// the Proxmox readers and the datapath.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lw {

struct Address {
  int family = 0;                   // AF_INET or AF_INET6
  std::array<uint8_t, 16> bytes{};  // network byte order; IPv4 uses the first 4
  auto operator<=>(const Address&) const = default;
  std::string str() const;
};

struct Cidr {
  Address addr;  // host bits cleared
  int prefix = 0;
  auto operator<=>(const Cidr&) const = default;
  bool contains(const Address& a) const;
  bool overlaps(const Cidr& other) const;
  std::string str() const;  // "10.10.10.0/24"
};

struct PortRange {
  uint16_t first = 0;
  uint16_t last = 0;
  bool operator==(const PortRange&) const = default;
};

// Parsers return std::nullopt and set `error` to a one-line explanation.
std::optional<Address> parse_address(std::string_view text, std::string* error = nullptr);
// Rejects host bits set ("10.0.0.1/24") unless `allow_host_bits`, then clears them.
std::optional<Cidr> parse_cidr(std::string_view text, std::string* error = nullptr,
                               bool allow_host_bits = false);
// "22", "5405-5412"; first <= last, 1..65535.
std::optional<PortRange> parse_port_range(std::string_view text, std::string* error = nullptr);

// The spellings of Proxmox's files, which are more lenient than a policy.
// "10.10.10.1/24" on an interface: the address as written and its network.
// Without a prefix the address is a host (/32 or /128).
struct IfAddr {
  Address addr;
  Cidr net;
};
std::optional<IfAddr> parse_if_addr(std::string_view text);
// A network whose host bits are cleared ("10.10.40.1/24" -> 10.10.40.0/24), as
// Ceph and Proxmox both accept that spelling; a bare address is a host.
std::optional<Cidr> parse_network(std::string_view text);
// The /32 or /128 holding exactly `a`.
Cidr host_cidr(const Address& a);
// Dotted netmask ("255.255.255.0") to a prefix length, for old-style
// `netmask` lines in /etc/network/interfaces; some files write "netmask 24".
std::optional<int> netmask_prefix(std::string_view text);

}  // namespace lw
