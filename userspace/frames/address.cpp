// SPDX-License-Identifier: GPL-2.0-only
#include "frames/address.h"

#include <arpa/inet.h>

#include <stdexcept>

namespace lw::frames {

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Mac parse_mac(std::string_view text) {
  Mac mac{};
  if (text.size() != 17) throw std::invalid_argument("bad MAC address: " + std::string(text));
  for (size_t i = 0; i < 6; ++i) {
    int hi = hex_digit(text[i * 3]);
    int lo = hex_digit(text[i * 3 + 1]);
    if (hi < 0 || lo < 0 || (i < 5 && text[i * 3 + 2] != ':'))
      throw std::invalid_argument("bad MAC address: " + std::string(text));
    mac[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return mac;
}

std::string format_mac(const Mac& mac) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < mac.size(); ++i) {
    if (i) out += ':';
    out += digits[mac[i] >> 4];
    out += digits[mac[i] & 0xf];
  }
  return out;
}

Ipv4Addr parse_ipv4(std::string_view text) {
  Ipv4Addr a{};
  if (inet_pton(AF_INET, std::string(text).c_str(), a.data()) != 1)
    throw std::invalid_argument("bad IPv4 address: " + std::string(text));
  return a;
}

Ipv6Addr parse_ipv6(std::string_view text) {
  Ipv6Addr a{};
  if (inet_pton(AF_INET6, std::string(text).c_str(), a.data()) != 1)
    throw std::invalid_argument("bad IPv6 address: " + std::string(text));
  return a;
}

}  // namespace lw::frames
