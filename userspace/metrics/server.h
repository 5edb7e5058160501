// SPDX-License-Identifier: GPL-2.0-only
// The HTTP endpoint (prometheus-cpp's civetweb Exposer) serving /metrics.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "metrics/collector.h"

namespace prometheus {
class Exposer;
}

namespace lw::metrics {

inline constexpr const char* kDefaultListen = "127.0.0.1:9775";

struct ListenAddress {
  std::string host;  // IPv4 or IPv6 literal (no brackets)
  uint16_t port = 0;
  // civetweb's listening_ports syntax: "127.0.0.1:9775", "[::1]:9775".
  std::string civetweb() const;
  bool loopback() const;
};

// "ADDR:PORT" or "[IPv6]:PORT"; throws UsageError when malformed. Host names
// are refused: the listen address must not depend on DNS at boot.
ListenAddress parse_listen_address(const std::string& text);

class MetricsServer {
 public:
  // Binds at once; throws SystemError when the address is taken.
  MetricsServer(const ListenAddress& addr, std::shared_ptr<Collector> collector);
  ~MetricsServer();
  uint16_t port() const;  // the bound port (useful with port 0)

 private:
  std::shared_ptr<Collector> collector_;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace lw::metrics
