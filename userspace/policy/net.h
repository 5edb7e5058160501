// SPDX-License-Identifier: GPL-2.0-only
// Addresses, CIDR networks and port ranges as the policy writes them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lw::policy {

struct Address {
  int family = 0;                   // AF_INET or AF_INET6
  std::array<uint8_t, 16> bytes{};  // network byte order; IPv4 uses the first 4
  bool operator==(const Address&) const = default;
  std::string str() const;
};

struct Cidr {
  Address addr;  // host bits cleared
  int prefix = 0;
  bool contains(const Address& a) const;
  bool overlaps(const Cidr& other) const;
  std::string str() const;
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

}  // namespace lw::policy
