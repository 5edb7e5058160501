// SPDX-License-Identifier: GPL-2.0-only
#include "policy/service.h"

#include <algorithm>

namespace lw::policy {
namespace {

std::optional<Cidr> parse_host_or_network(std::string_view text, std::string* error) {
  if (text.find('/') != std::string_view::npos) return parse_cidr(text, error);
  auto addr = parse_address(text, error);
  if (!addr) return std::nullopt;
  return host_cidr(*addr);
}

}  // namespace

std::optional<ServiceEndpoint> parse_service_endpoint(std::string_view text, uint16_t default_port,
                                                      std::string* error) {
  std::string_view host = text, port_text;
  if (text.starts_with('[')) {
    // IPv6 with a port: the brackets of RFC 3986, as in a URL.
    size_t close = text.find(']');
    if (close == std::string_view::npos) {
      if (error) *error = "'" + std::string(text) + "' has '[' without ']'";
      return std::nullopt;
    }
    host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (!rest.starts_with(':')) {
        if (error) *error = "'" + std::string(text) + "': after ']' only ':PORT' may follow";
        return std::nullopt;
      }
      port_text = rest.substr(1);
      if (port_text.empty()) {
        if (error) *error = "'" + std::string(text) + "' has ':' but no port";
        return std::nullopt;
      }
    }
  } else if (std::count(text.begin(), text.end(), ':') == 1) {
    // One colon: IPv4 (or a network) with a port. More: an IPv6 address.
    size_t colon = text.find(':');
    host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (port_text.empty()) {
      if (error) *error = "'" + std::string(text) + "' has ':' but no port";
      return std::nullopt;
    }
  }
  ServiceEndpoint out;
  auto net = parse_host_or_network(host, error);
  if (!net) return std::nullopt;
  out.net = *net;
  out.port = default_port;
  if (!port_text.empty()) {
    std::string port_error;
    auto range = parse_port_range(port_text, &port_error);
    if (!range || range->first != range->last) {
      if (error)
        *error = "'" + std::string(text) +
                 "': " + (range ? "one port, not a range: a service listens on one" : port_error);
      return std::nullopt;
    }
    out.port = range->first;
  }
  return out;
}

}  // namespace lw::policy
