// SPDX-License-Identifier: GPL-2.0-only
// One bounded iperf3 TCP run between two namespaces, for tests that must
// show a rate limit with real traffic (not only in `tc` output).
#pragma once

#include <cstdint>
#include <string>

#include "support/netns.h"

namespace lw::test {

struct IperfResult {
  bool ok = false;
  double bits_per_second = 0;  // receiver goodput
  uint64_t retransmits = 0;
  std::string error;
};

struct IperfOptions {
  std::string server_addr;  // bound by the server, dialled by the client
  uint16_t port = 60000;    // the migration range: what the caps act on
  int seconds = 3;
  // Leading seconds left out of the result (iperf3 -O), e.g. for a policer
  // whose full bucket lets a burst through at the start by design.
  int omit = 0;
};

// TCP from `client` to an iperf3 server in `server`; both ends are bounded
// by timeouts, so a stuck flow fails the test instead of hanging it.
IperfResult run_iperf3(const NetNs& client, const NetNs& server, const IperfOptions& opts);

}  // namespace lw::test
