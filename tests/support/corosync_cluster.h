// SPDX-License-Identifier: GPL-2.0-only
// A real Corosync cluster for end-to-end tests, per docs/testbed.md
// "Corosync": one corosync per node namespace (knet, secauth like
// Proxmox, one link), each with a private /run for its fixed pid file. The
// state directory is /tmp/lwtcs_*; the destructor stops every corosync and
// removes it, whatever the test's outcome.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "support/command.h"
#include "support/netns.h"

namespace lw::test {

struct CorosyncNode {
  const NetNs* ns = nullptr;
  std::string link0_addr;  // this node's ring0_addr (a test address on its link)
};

class CorosyncCluster {
 public:
  // Writes the configurations and starts corosync on every node; throws
  // when corosync or corosync-keygen is missing.
  explicit CorosyncCluster(std::vector<CorosyncNode> nodes);
  ~CorosyncCluster();
  CorosyncCluster(const CorosyncCluster&) = delete;
  CorosyncCluster& operator=(const CorosyncCluster&) = delete;

  // True once every node reports "Quorate: Yes" within `timeout`.
  bool wait_quorate(std::chrono::milliseconds timeout) const;
  // `corosync-cmapctl -m stats stats.knet.` inside node i (what libcmap sees too).
  std::string knet_stats(size_t i) const;
  // Resets knet's latency statistics on every node.
  void clear_knet_stats() const;
  const std::string& state_dir() const { return dir_; }

 private:
  void stop() noexcept;  // stops every corosync, removes the state directory
  std::vector<CorosyncNode> nodes_;
  std::string dir_;
  std::vector<int> pids_;
};

}  // namespace lw::test
