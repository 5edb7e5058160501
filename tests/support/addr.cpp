// SPDX-License-Identifier: GPL-2.0-only
#include "support/addr.h"

#include <arpa/inet.h>

#include <charconv>
#include <stdexcept>

namespace lw::test {

std::string strip_prefix_len(std::string_view cidr) {
  return std::string(cidr.substr(0, cidr.find('/')));
}

bool is_test_address(std::string_view text) {
  std::string addr = strip_prefix_len(text);
  Ipv4Addr v4{};
  if (inet_pton(AF_INET, addr.c_str(), v4.data()) == 1) {
    return (v4[0] == 198 && v4[1] == 51 && v4[2] == 100) ||
           (v4[0] == 203 && v4[1] == 0 && v4[2] == 113);
  }
  Ipv6Addr v6{};
  if (inet_pton(AF_INET6, addr.c_str(), v6.data()) == 1) {
    return v6[0] == 0x20 && v6[1] == 0x01 && v6[2] == 0x0d && v6[3] == 0xb8;
  }
  return false;
}

void require_test_cidr(std::string_view cidr) {
  if (!is_test_address(cidr))
    throw std::invalid_argument(
        "not a test address (use 198.51.100.0/24, 203.0.113.0/24 or "
        "2001:db8::/32, never 192.0.2.0/24): " +
        std::string(cidr));
  auto slash = cidr.find('/');
  if (slash == std::string_view::npos) return;
  bool v6 = cidr.find(':') != std::string_view::npos;
  int len = -1;
  auto digits = cidr.substr(slash + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), len);
  // A shorter prefix would make the namespace claim on-link reachability for
  // addresses outside the documentation range (e.g. /16 covers 192.0.2.0/24's
  // neighbours); keep it at least as specific as the range itself.
  int min_len = v6 ? 32 : 24;
  if (ec != std::errc() || end != digits.data() + digits.size() || len < min_len ||
      len > (v6 ? 128 : 32))
    throw std::invalid_argument("prefix length must be /" + std::to_string(min_len) +
                                " or longer: " + std::string(cidr));
}

}  // namespace lw::test
