// SPDX-License-Identifier: GPL-2.0-only
// The spelling of a one-ended service in a policy ([class.corosync] qnetd):
// an address or network, optionally with a port.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/net.h"

namespace lw::policy {

struct ServiceEndpoint {
  Cidr net;
  uint16_t port = 0;
};

// "203.0.113.9", "203.0.113.9:5403", "203.0.113.8/29:5403", "2001:db8::9",
// "[2001:db8::9]:5403", "[2001:db8::/64]:5403". A bare address is a host;
// without a port, `default_port`. std::nullopt with `error` set otherwise.
std::optional<ServiceEndpoint> parse_service_endpoint(std::string_view text, uint16_t default_port,
                                                      std::string* error);

}  // namespace lw::policy
