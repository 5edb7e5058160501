// SPDX-License-Identifier: GPL-2.0-only
// Link notifications for the daemon's loop: an rtnetlink socket subscribed
// to RTNLGRP_LINK. The HTB rate of a payload cap depends on the lane's MTU
// (shaping/shaping_plan.h), and an MTU can change under a running daemon
// (`ip link set DEV mtu N`, ifreload): this tells the loop when it did.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/fd.h"

namespace lw::daemon {

struct MtuChange {
  std::string iface;
  uint32_t from = 0, to = 0;
};

class LinkWatch {
 public:
  // Opens the socket in the calling thread's network namespace and reads
  // every link's MTU once (RTM_GETLINK dump). Throws SystemError.
  LinkWatch();
  int fd() const { return fd_.get(); }
  // The interfaces whose MTU changes are reported (the policy's lanes).
  void track(const std::vector<std::string>& names);
  // Reads the pending notifications; the MTU changes of tracked interfaces.
  std::vector<MtuChange> drain();

 private:
  void request_dump();
  void handle(const char* buf, size_t len, std::vector<MtuChange>& out);

  UniqueFd fd_;
  uint32_t seq_ = 0;
  bool dump_pending_ = false;  // the answer to the last RTM_GETLINK dump has not ended yet
  std::set<std::string> tracked_;
  std::map<std::string, uint32_t> mtu_;  // every link seen, by name
};

}  // namespace lw::daemon
