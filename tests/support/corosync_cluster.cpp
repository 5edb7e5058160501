// SPDX-License-Identifier: GPL-2.0-only
#include "support/corosync_cluster.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "support/names.h"

namespace lw::test {
namespace {

// knet pings every 100 ms and averages over the last 4: the reported latency
// follows the last half second instead of minutes of history (docs/testbed.md).
std::string config(const std::vector<CorosyncNode>& nodes, size_t me, const std::string& dir) {
  std::string c =
      "totem {\n  version: 2\n  cluster_name: lwtcs\n  config_version: 1\n  transport: knet\n"
      "  ip_version: ipv4-6\n  secauth: on\n  crypto_cipher: aes256\n  crypto_hash: sha256\n"
      "  keyfile: " +
      dir +
      "/authkey\n"
      "  interface {\n    linknumber: 0\n    knet_ping_interval: 100\n"
      "    knet_ping_precision: 4\n  }\n}\nnodelist {\n";
  for (size_t i = 0; i < nodes.size(); ++i) {
    c += "  node {\n    name: lwtcs" + std::to_string(i + 1) +
         "\n    nodeid: " + std::to_string(i + 1) +
         "\n    quorum_votes: 1\n    ring0_addr: " + nodes[i].link0_addr + "\n  }\n";
  }
  c += "}\nquorum {\n  provider: corosync_votequorum\n";
  if (nodes.size() == 2) c += "  two_node: 1\n";
  c += "}\nlogging {\n  to_syslog: no\n  to_stderr: no\n  to_logfile: yes\n  logfile: " + dir +
       "/node" + std::to_string(me + 1) + "/corosync.log\n}\n";
  c += "system {\n  state_dir: " + dir + "/node" + std::to_string(me + 1) + "\n}\n";
  return c;
}

}  // namespace

CorosyncCluster::CorosyncCluster(std::vector<CorosyncNode> nodes) : nodes_(std::move(nodes)) {
  dir_ = "/tmp/" + unique_name("lwtcs", "", 64);
  std::filesystem::create_directories(dir_);
  try {
    run_ok("corosync-keygen -k " + shell_quote(dir_ + "/authkey") + " >/dev/null 2>&1");
    for (size_t i = 0; i < nodes_.size(); ++i) {
      std::string node_dir = dir_ + "/node" + std::to_string(i + 1);
      std::filesystem::create_directories(node_dir);
      std::string conf = node_dir + "/corosync.conf";
      std::ofstream(conf) << config(nodes_, i, dir_);
      // The pid file is fixed at /run/corosync.pid: a private /run per node.
      // Every step execs, so the printed pid is corosync's own.
      std::string cmd =
          "setsid ip netns exec " + nodes_[i].ns->name() +
          " unshare -m --propagation private sh -c " +
          shell_quote("mount -t tmpfs lwttmpfs /run && exec corosync -f -c " + shell_quote(conf)) +
          " </dev/null >" + shell_quote(node_dir + "/corosync.out") + " 2>&1 & echo $!";
      pids_.push_back(std::stoi(run_ok(cmd)));
    }
  } catch (...) {
    stop();
    throw;
  }
}

CorosyncCluster::~CorosyncCluster() { stop(); }

void CorosyncCluster::stop() noexcept {
  for (int pid : pids_)
    if (pid > 0) ::kill(pid, SIGTERM);
  for (int pid : pids_) {
    // Not our child (setsid in a shell): poll until it is gone, then insist.
    for (int i = 0; i < 50 && pid > 0 && ::kill(pid, 0) == 0; ++i)
      std::this_thread::sleep_for(100ms);
    if (pid > 0 && ::kill(pid, 0) == 0) ::kill(pid, SIGKILL);
  }
  pids_.clear();
  std::error_code ec;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  dir_.clear();
}

bool CorosyncCluster::wait_quorate(std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    bool all = true;
    for (auto& n : nodes_) {
      auto r = n.ns->exec(
          "corosync-quorumtool -s 2>/dev/null | grep -Eq '^Quorate:[[:space:]]+Yes'", 5s);
      if (!r.ok()) {
        all = false;
        break;
      }
    }
    if (all) return true;
    std::this_thread::sleep_for(250ms);
  }
  return false;
}

std::string CorosyncCluster::knet_stats(size_t i) const {
  return nodes_.at(i).ns->exec("corosync-cmapctl -m stats stats.knet.", 5s).out;
}

void CorosyncCluster::clear_knet_stats() const {
  for (auto& n : nodes_) n.ns->exec("corosync-cmapctl -m stats -s stats.clear.knet u8 1", 5s);
}

}  // namespace lw::test
