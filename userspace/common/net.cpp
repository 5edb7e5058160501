// SPDX-License-Identifier: GPL-2.0-only
// Addresses, CIDRs and port ranges. inet_pton does the address syntax so we
// accept exactly what the rest of the system (iproute2, Proxmox) accepts.
#include "common/net.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <sys/socket.h>

#include <algorithm>
#include <charconv>
#include <cstring>

#include "common/text.h"

namespace lw {
namespace {

void set_error(std::string* error, std::string message) {
  if (error) *error = std::move(message);
}

int address_bits(int family) { return family == AF_INET ? 32 : 128; }

// True when the first `bits` bits of a and b are equal (same family assumed).
bool prefix_equal(const Address& a, const Address& b, int bits) {
  int full = bits / 8;
  if (std::memcmp(a.bytes.data(), b.bytes.data(), full) != 0) return false;
  int rest = bits % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a.bytes[full] & mask) == (b.bytes[full] & mask);
}

// Parses decimal digits only: std::from_chars alone would accept a prefix
// like "24x" as 24 when the caller forgets to check the end pointer.
std::optional<unsigned> parse_decimal(std::string_view s, unsigned max) {
  if (s.empty() || s.size() > 10) return std::nullopt;
  unsigned value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size() || value > max) return std::nullopt;
  return value;
}

Cidr clear_host_bits(const Address& a, int prefix) {
  Cidr n{a, prefix};
  for (int bit = prefix; bit < address_bits(a.family); ++bit) {
    n.addr.bytes[bit / 8] &= static_cast<uint8_t>(~(0x80u >> (bit % 8)));
  }
  return n;
}

}  // namespace

std::string Address::str() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (family != AF_INET && family != AF_INET6) return "(no address)";
  inet_ntop(family, bytes.data(), buf, sizeof(buf));
  return buf;
}

bool Cidr::contains(const Address& a) const {
  return a.family == addr.family && prefix_equal(addr, a, prefix);
}

bool Cidr::overlaps(const Cidr& other) const {
  // Two prefixes overlap exactly when the shorter one contains the longer.
  return other.addr.family == addr.family &&
         prefix_equal(addr, other.addr, std::min(prefix, other.prefix));
}

std::string Cidr::str() const { return fmt::format("{}/{}", addr.str(), prefix); }

std::optional<Address> parse_address(std::string_view text, std::string* error) {
  text = trim(text);
  // inet_pton needs a NUL-terminated string; a copy also drops embedded NULs'
  // power to truncate the input silently (we compare lengths below).
  std::string copy(text);
  Address a;
  if (copy.size() == std::strlen(copy.c_str())) {
    if (inet_pton(AF_INET, copy.c_str(), a.bytes.data()) == 1) {
      a.family = AF_INET;
      return a;
    }
    if (inet_pton(AF_INET6, copy.c_str(), a.bytes.data()) == 1) {
      a.family = AF_INET6;
      return a;
    }
  }
  set_error(error, fmt::format("'{}' is not an IPv4 or IPv6 address", text));
  return std::nullopt;
}

std::optional<Cidr> parse_cidr(std::string_view text, std::string* error, bool allow_host_bits) {
  text = trim(text);
  auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    // A bare address is usually a host address pasted by mistake: say how to
    // write a one-host network instead of guessing a prefix.
    if (auto a = parse_address(text)) {
      set_error(error, fmt::format("'{}' has no prefix length: write a network such as '{}/{}'",
                                   text, text, address_bits(a->family)));
    } else {
      set_error(error, fmt::format("'{}' is not a network (expected ADDRESS/PREFIX)", text));
    }
    return std::nullopt;
  }
  std::string addr_error;
  auto addr = parse_address(text.substr(0, slash), &addr_error);
  if (!addr) {
    set_error(error, fmt::format("'{}' is not a network: {}", text, addr_error));
    return std::nullopt;
  }
  int bits = address_bits(addr->family);
  auto prefix = parse_decimal(text.substr(slash + 1), static_cast<unsigned>(bits));
  if (!prefix || text.size() - slash - 1 > 3) {
    set_error(error, fmt::format("'{}' has a bad prefix length: expected 0..{}", text, bits));
    return std::nullopt;
  }
  Cidr cleared = clear_host_bits(*addr, static_cast<int>(*prefix));
  if (cleared.addr != *addr && !allow_host_bits) {
    set_error(error,
              fmt::format("'{}' has host bits set: did you mean '{}'?", text, cleared.str()));
    return std::nullopt;
  }
  return cleared;
}

std::optional<PortRange> parse_port_range(std::string_view text, std::string* error) {
  text = trim(text);
  auto dash = text.find('-');
  std::string_view first_text = trim(text.substr(0, dash));
  std::string_view last_text =
      dash == std::string_view::npos ? first_text : trim(text.substr(dash + 1));
  // Parse wider than 16 bits so "70000" is reported as out of range, not as junk.
  auto first = parse_decimal(first_text, 0xffffffffu);
  auto last = parse_decimal(last_text, 0xffffffffu);
  if (!first || !last) {
    set_error(error, fmt::format("'{}' is not a port or port range (expected e.g. 22 or 6800-7300)",
                                 text));
    return std::nullopt;
  }
  for (unsigned p : {*first, *last}) {
    if (p < 1 || p > 65535) {
      set_error(error, fmt::format("port {} in '{}' is out of range 1..65535", p, text));
      return std::nullopt;
    }
  }
  if (*first > *last) {
    set_error(error, fmt::format("port range '{}' is reversed: did you mean '{}-{}'?", text, *last,
                                 *first));
    return std::nullopt;
  }
  return PortRange{static_cast<uint16_t>(*first), static_cast<uint16_t>(*last)};
}

std::optional<IfAddr> parse_if_addr(std::string_view text) {
  text = trim(text);
  auto slash = text.find('/');
  auto a = parse_address(text.substr(0, slash));
  if (!a) return std::nullopt;
  int bits = address_bits(a->family);
  int prefix = bits;
  if (slash != std::string_view::npos) {
    auto p = parse_decimal(text.substr(slash + 1), static_cast<unsigned>(bits));
    if (!p) return std::nullopt;
    prefix = static_cast<int>(*p);
  }
  return IfAddr{*a, clear_host_bits(*a, prefix)};
}

std::optional<Cidr> parse_network(std::string_view text) {
  auto a = parse_if_addr(text);
  if (!a) return std::nullopt;
  return a->net;
}

Cidr host_cidr(const Address& a) { return Cidr{a, address_bits(a.family)}; }

std::optional<int> netmask_prefix(std::string_view text) {
  auto a = parse_address(text);
  if (!a || a->family != AF_INET) {
    auto p = parse_decimal(trim(text), 32);
    if (p) return static_cast<int>(*p);
    return std::nullopt;
  }
  uint32_t m = (uint32_t(a->bytes[0]) << 24) | (uint32_t(a->bytes[1]) << 16) |
               (uint32_t(a->bytes[2]) << 8) | a->bytes[3];
  int prefix = 0;
  while (prefix < 32 && (m & (0x80000000u >> prefix))) ++prefix;
  if (prefix < 32 && (m << prefix) != 0) return std::nullopt;  // not contiguous
  return prefix;
}

}  // namespace lw
