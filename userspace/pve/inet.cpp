// SPDX-License-Identifier: GPL-2.0-only
#include "pve/inet.h"

#include <arpa/inet.h>

#include <string>

#include "pve/text.h"

namespace lw::pve {
namespace {

IpNet make_net(const IpAddr& a, int prefix) {
  IpNet n{a, prefix};
  int bits = a.family == AF_INET ? 32 : 128;
  for (int i = prefix; i < bits; ++i)
    n.addr.bytes[i / 8] &= static_cast<uint8_t>(~(0x80u >> (i % 8)));
  return n;
}

}  // namespace

std::string IpAddr::str() const {
  char buf[INET6_ADDRSTRLEN] = {};
  if (family == 0) return "?";
  inet_ntop(family, bytes.data(), buf, sizeof(buf));
  return buf;
}

bool IpNet::contains(const IpAddr& a) const {
  if (a.family != addr.family) return false;
  return make_net(a, prefix).addr == addr;
}

bool IpNet::overlaps(const IpNet& o) const {
  if (o.addr.family != addr.family) return false;
  return prefix <= o.prefix ? contains(o.addr) : o.contains(addr);
}

std::string IpNet::str() const { return addr.str() + "/" + std::to_string(prefix); }

std::optional<IpAddr> parse_ip(std::string_view text) {
  std::string s(trim(text));
  IpAddr a;
  if (s.find(':') != std::string::npos) {
    if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
    a.family = AF_INET6;
  } else {
    if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
    a.family = AF_INET;
  }
  return a;
}

IpNet host_net(const IpAddr& a) { return make_net(a, a.family == AF_INET ? 32 : 128); }

std::optional<IfAddr> parse_if_addr(std::string_view text) {
  text = trim(text);
  auto slash = text.find('/');
  auto a = parse_ip(text.substr(0, slash));
  if (!a) return std::nullopt;
  int max = a->family == AF_INET ? 32 : 128;
  int prefix = max;
  if (slash != std::string_view::npos) {
    auto p = parse_uint(text.substr(slash + 1));
    if (!p || *p > max) return std::nullopt;
    prefix = static_cast<int>(*p);
  }
  return IfAddr{*a, make_net(*a, prefix)};
}

std::optional<IpNet> parse_net(std::string_view text) {
  auto a = parse_if_addr(text);
  if (!a) return std::nullopt;
  return a->net;
}

std::optional<int> netmask_prefix(std::string_view text) {
  auto a = parse_ip(text);
  if (!a || a->family != AF_INET) {
    auto p = parse_uint(trim(text));  // some files write "netmask 24"
    if (p && *p <= 32) return static_cast<int>(*p);
    return std::nullopt;
  }
  uint32_t m = (uint32_t(a->bytes[0]) << 24) | (uint32_t(a->bytes[1]) << 16) |
               (uint32_t(a->bytes[2]) << 8) | a->bytes[3];
  int prefix = 0;
  while (prefix < 32 && (m & (0x80000000u >> prefix))) ++prefix;
  if (prefix < 32 && (m << prefix) != 0) return std::nullopt;  // not contiguous
  return prefix;
}

}  // namespace lw::pve
