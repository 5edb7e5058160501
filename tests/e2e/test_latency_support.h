// SPDX-License-Identifier: GPL-2.0-only
// Shared by the latency end-to-end tests: two namespaces on one veth pair,
// lanewarden on node A with the link as its Corosync lane, so ICMP echo
// between 198.51.100.1 and .2 is the corosync class the histograms show.
#pragma once

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/command.h"
#include "support/lanewarden_cli.h"
#include "support/names.h"
#include "support/privilege.h"
#include "support/topology.h"

namespace lw::test::latency {

// ping's per-reply "time=0.045 ms", in microseconds.
inline std::vector<double> ping_times_us(const std::string& out) {
  std::vector<double> t;
  static const std::regex re("time=([0-9.]+) ms");
  for (auto it = std::sregex_iterator(out.begin(), out.end(), re); it != std::sregex_iterator();
       ++it)
    t.push_back(std::stod((*it)[1]) * 1000.0);
  return t;
}

// Nearest rank, the definition lanewarden's histograms use.
inline double nearest_rank(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
  return v.at(std::max<size_t>(rank, 1) - 1);
}

// Answers ICMP echo requests in namespace `ns` itself, each after `delay`,
// instead of the kernel (whose replies the caller turns off). The delay
// makes the RTT large against the local send path, which ping's own timing
// includes and the datapath's does not (ping stamps before sendmsg(), the
// datapath at tc egress): that path, tens of microseconds on a loaded
// machine, would otherwise dwarf the histogram's error bound. Stops after
// `max_replies` or when destroyed.
class DelayedEchoResponder {
 public:
  DelayedEchoResponder(const NetNs& ns, std::chrono::microseconds delay, size_t max_replies)
      : fd_(ns.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP)), delay_(delay) {
    thread_ = std::thread([this, max_replies] { serve(max_replies); });
  }
  ~DelayedEchoResponder() {
    stop_ = true;
    thread_.join();
  }
  size_t replies() const { return replies_.load(); }

 private:
  static uint16_t checksum(const uint8_t* p, size_t n) {
    uint32_t sum = 0;
    for (size_t i = 0; i + 1 < n; i += 2) sum += static_cast<uint32_t>(p[i] << 8 | p[i + 1]);
    if (n & 1) sum += static_cast<uint32_t>(p[n - 1]) << 8;
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<uint16_t>(~sum);
  }
  void serve(size_t max_replies) {
    uint8_t buf[2048];
    while (!stop_ && replies_ < max_replies) {
      pollfd pfd{fd_.get(), POLLIN, 0};
      if (::poll(&pfd, 1, 50) <= 0) continue;
      sockaddr_in from{};
      socklen_t len = sizeof from;
      ssize_t n =
          ::recvfrom(fd_.get(), buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
      if (n < 28) continue;
      size_t ihl = (buf[0] & 0x0f) * 4u;
      if (static_cast<size_t>(n) < ihl + 8 || buf[ihl] != 8) continue;  // echo requests only
      uint8_t* icmp = buf + ihl;
      size_t icmp_len = static_cast<size_t>(n) - ihl;
      icmp[0] = 0;  // echo reply, same identifier, sequence and payload
      icmp[2] = icmp[3] = 0;
      uint16_t c = checksum(icmp, icmp_len);
      icmp[2] = static_cast<uint8_t>(c >> 8);
      icmp[3] = static_cast<uint8_t>(c);
      std::this_thread::sleep_for(delay_);
      if (::sendto(fd_.get(), icmp, icmp_len, 0, reinterpret_cast<sockaddr*>(&from), len) > 0)
        replies_++;
    }
  }
  UniqueFd fd_;
  std::chrono::microseconds delay_;
  std::atomic<bool> stop_{false};
  std::atomic<size_t> replies_{0};
  std::thread thread_;
};

class LatencyPair : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    topo_ = std::make_unique<Topology>(Topology::pair(TopologyOptions{.prefix = "lwtla"}));
    node_ = std::make_unique<LanewardenNode>(LW_BINARY, topo_->node(0).name(),
                                             unique_name("lwtlapin", "", 64));
    policy_ = "/tmp/" + unique_name("lwtlap", "", 64) + ".toml";
    std::ofstream(policy_) << "[networks]\ncorosync = [\"198.51.100.0/24\"]\n"
                              "[[lane]]\ninterface = \""
                           << topo_->node_if(0)
                           << "\"\nclasses = [\"corosync\"]\n"
                              "[probe]\ninterval = \"10ms\"\npeers = [\"198.51.100.2\"]\n"
                              // No HTB priority: these tests measure the link as it is,
                              // with their own qdiscs on it.
                              "[class.corosync]\npriority = \"normal\"\n";
  }
  void TearDown() override {
    node_.reset();  // detaches
    std::error_code ec;
    if (!policy_.empty()) std::filesystem::remove(policy_, ec);
  }

  void apply() const {
    auto r = node_->run("apply " + shell_quote(policy_));
    ASSERT_TRUE(r.ok()) << r.out << r.err;
  }
  // The corosync histogram of node A's lane, totals since load.
  nlohmann::json corosync_hist() const {
    auto r = node_->run("hist --class corosync --format json");
    EXPECT_TRUE(r.ok()) << r.out << r.err;
    for (auto& snap : json_lines(r.out))
      for (auto& h : snap["histograms"])
        if (h["class"] == "corosync" && h["iface"] == topo_->node_if(0)) return h;
    ADD_FAILURE() << "no corosync histogram on " << topo_->node_if(0) << ":\n" << r.out;
    return {};
  }

  std::unique_ptr<Topology> topo_;
  std::unique_ptr<LanewardenNode> node_;
  std::string policy_;
};

}  // namespace lw::test::latency
