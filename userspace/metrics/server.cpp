// SPDX-License-Identifier: GPL-2.0-only
#include "metrics/server.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <prometheus/exposer.h>

#include <cerrno>
#include <charconv>

#include "common/error.h"

namespace lw::metrics {

std::string ListenAddress::civetweb() const {
  return host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port)
                                             : fmt::format("{}:{}", host, port);
}

bool ListenAddress::loopback() const {
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, host.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

ListenAddress parse_listen_address(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return UsageError(fmt::format("--metrics '{}': {} (write ADDR:PORT, e.g. {} or [::1]:9775)",
                                  text, why, kDefaultListen));
  };
  ListenAddress a;
  std::string port_text;
  if (!text.empty() && text[0] == '[') {
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      throw bad("an IPv6 address needs brackets and a port");
    a.host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) throw bad("no port");
    a.host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
    if (a.host.find(':') != std::string::npos) throw bad("an IPv6 address needs brackets");
  }
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, a.host.c_str(), &v4) != 1 && inet_pton(AF_INET6, a.host.c_str(), &v6) != 1)
    throw bad("'" + a.host + "' is not an IP address");
  unsigned port = 0;
  auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535)
    throw bad("port '" + port_text + "' is not a number from 0 to 65535");
  a.port = static_cast<uint16_t>(port);
  return a;
}

MetricsServer::MetricsServer(const ListenAddress& addr, std::shared_ptr<Collector> collector)
    : collector_(std::move(collector)) {
  try {
    // One thread is plenty for a scrape every few seconds; two lets a slow
    // scraper not block a second one.
    exposer_ = std::make_unique<prometheus::Exposer>(addr.civetweb(), 2);
  } catch (const std::exception& e) {
    throw SystemError(fmt::format("cannot serve metrics on {}: {}", addr.civetweb(), e.what()),
                      EADDRINUSE);
  }
  exposer_->RegisterCollectable(collector_);
}

MetricsServer::~MetricsServer() = default;

uint16_t MetricsServer::port() const {
  auto ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : static_cast<uint16_t>(ports[0]);
}

}  // namespace lw::metrics
