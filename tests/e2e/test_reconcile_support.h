// SPDX-License-Identifier: GPL-2.0-only
// A node with one NIC per job, as in the design article's 3-node topology:
// namespace A runs lanewarden, namespace B is the peer, joined by three
// veth pairs.
//   coro: A 198.51.100.1/25   <-> B .2    Corosync
//   mig:  A 203.0.113.1/26    <-> B .2    migration (its own NIC)
//   stor: A 203.0.113.65/26   <-> B .66   storage
// Everything it creates is named lwtrc*, and goes in all outcomes.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/lanewarden_cli.h"
#include "support/names.h"
#include "support/netns.h"
#include "support/privilege.h"

namespace lw::test::reconcile {

struct NicOptions {
  const char* cidr_a;
  const char* cidr_b;
};

class MigrationNicNode : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    a_ = std::make_unique<NetNs>("lwtrca");
    b_ = std::make_unique<NetNs>("lwtrcb");
    coro_ = link({"198.51.100.1/25", "198.51.100.2/25"});
    mig_ = link({"203.0.113.1/26", "203.0.113.2/26"});
    stor_ = link({"203.0.113.65/26", "203.0.113.66/26"});
    node_ = std::make_unique<LanewardenNode>(LW_BINARY, a_->name(), unique_name("lwtrc", "", 64));
  }
  void TearDown() override {
    node_.reset();  // detaches and removes the pins before the links go
    stor_.reset();
    mig_.reset();
    coro_.reset();
    b_.reset();
    a_.reset();
  }

  std::unique_ptr<VethPair> link(const NicOptions& o) const {
    return std::make_unique<VethPair>(
        *a_, *b_, VethOptions{.prefix = "lwtrc", .addrs_a = {o.cidr_a}, .addrs_b = {o.cidr_b}});
  }
  std::vector<std::string> nics() const {
    return {coro_->name_a(), mig_->name_a(), stor_->name_a()};
  }

  // The "policy" status line.
  nlohmann::json policy_line() const {
    for (const auto& o : node_->status())
      if (o.value("type", "") == "policy") return o;
    throw std::runtime_error("status has no policy line");
  }

  // Waits (bounded) until the policy in force has `generation` and no
  // confirmation is pending: the watchdog's rollback has happened.
  bool wait_for_generation(uint64_t generation, std::chrono::seconds timeout = 30s) const {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      const auto p = policy_line();
      if (p.at("generation") == generation && p.at("confirm_pending") == false) return true;
      std::this_thread::sleep_for(200ms);
    }
    return false;
  }

  // Everything of lanewarden's a reader can see on A, without what changes
  // by itself (generations, program and map ids, packet counts): qdiscs,
  // HTB classes, filters and gso_max_segs of each NIC, the classes the
  // policy constrains and enforces, the interfaces status lists, the pins.
  std::string kernel_snapshot() const {
    std::ostringstream out;
    for (const auto& dev : nics()) {
      out << "== " << dev << "\n";
      out << strip(a_->exec_ok("tc qdisc show dev " + dev), R"( direct_packets_stat \d+)");
      out << a_->exec_ok("tc class show dev " + dev);
      for (const char* hook : {"ingress", "egress"})
        out << hook << ": "
            << strip(a_->exec_ok("tc filter show dev " + dev + " " + hook), R"(:\[\d+\]| id \d+)");
      const auto link = nlohmann::json::parse(a_->exec_ok("ip -d -j link show dev " + dev));
      out << "gso_max_segs " << link.at(0).at("gso_max_segs") << "\n";
    }
    if (std::filesystem::exists(node_->pin_dir())) {
      for (const auto& o : node_->status()) {
        if (o.value("type", "") == "policy")
          out << "enforce " << o.at("enforce") << " constrained " << o.at("constrained")
              << " pending " << o.at("confirm_pending") << "\n";
        if (o.value("type", "") == "iface")
          out << "iface " << o.at("iface") << " lane " << o.at("lane") << " gso "
              << o.at("gso_max_segs") << " own " << o.at("gso_max_segs_own") << "\n";
      }
      std::vector<std::string> pins;
      for (const auto& e : std::filesystem::directory_iterator(node_->pin_dir()))
        pins.push_back(e.path().filename());
      std::sort(pins.begin(), pins.end());
      for (const auto& p : pins) out << "pin " << p << "\n";
      // Which build's programs the pins say are in force.
      if (std::filesystem::exists(node_->pin_dir() + "/lw_meta"))
        out << "meta "
            << run_ok("bpftool -j map lookup pinned " + node_->pin_dir() + "/lw_meta key 0 0 0 0")
            << "\n";
    } else {
      out << "no pins\n";
    }
    return out.str();
  }

  static std::string strip(const std::string& text, const char* pattern) {
    return std::regex_replace(text, std::regex(pattern), "");
  }

  std::unique_ptr<NetNs> a_, b_;
  std::unique_ptr<VethPair> coro_, mig_, stor_;
  std::unique_ptr<LanewardenNode> node_;
};

}  // namespace lw::test::reconcile
