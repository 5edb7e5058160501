// SPDX-License-Identifier: GPL-2.0-only
// Two namespaces joined by two veth pairs, like a node with a dedicated
// Corosync NIC and a storage NIC: node A runs lanewarden, node B is the peer.
//   corosync link: A 198.51.100.1/24 <-> B .2 (exclusive Corosync lane); it
//     also holds misplaced Ceph public (203.0.113.128/26) and management
//     (203.0.113.192/26) addresses, the design article's "storage strays onto the
//     Corosync NIC" situation.
//   storage link:  A 203.0.113.1/25 <-> B .2, storage lane on VLAN 20 only.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "support/lanewarden_cli.h"
#include "support/netns.h"
#include "support/privilege.h"

namespace lw::test::enforce {

inline std::string pin_name(const char* what) {
  return std::string("lwt") + what + std::to_string(::getpid());
}

inline std::string lane_policy(const std::string& mode, const std::string& corosync_if,
                               const std::string& storage_if) {
  return "mode = \"" + mode + "\"\n" + R"([networks]
corosync = ["198.51.100.0/24"]
ceph_public = ["203.0.113.128/26"]
management = ["203.0.113.192/26"]
storage = ["203.0.113.0/25"]
[[lane]]
interface = ")" +
         corosync_if + R"("
classes = ["corosync"]
exclusive = true
[[lane]]
interface = ")" +
         storage_if + R"("
vlan = 20
classes = ["storage"]
no_fragments = true
)";
}

class TwoLinkNode : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    a_ = std::make_unique<NetNs>("lwtena");
    b_ = std::make_unique<NetNs>("lwtenb");
    coro_ = std::make_unique<VethPair>(
        *a_, *b_,
        VethOptions{.prefix = "lwtc",
                    .addrs_a = {"198.51.100.1/24", "203.0.113.129/26", "203.0.113.193/26"},
                    .addrs_b = {"198.51.100.2/24", "203.0.113.130/26", "203.0.113.194/26"}});
    stor_ = std::make_unique<VethPair>(
        *a_, *b_,
        VethOptions{
            .prefix = "lwts", .addrs_a = {"203.0.113.1/25"}, .addrs_b = {"203.0.113.2/25"}});
    node_ = std::make_unique<LanewardenNode>(LW_BINARY, a_->name(), pin_name(pin_what()));
  }
  void TearDown() override {
    // Detach and unpin before the links and namespaces go.
    node_.reset();
    stor_.reset();
    coro_.reset();
    b_.reset();
    a_.reset();
  }
  virtual const char* pin_what() const { return "en"; }

  std::string policy(const std::string& mode) const {
    return lane_policy(mode, coro_->name_a(), stor_->name_a());
  }

  // `watch --format json ...`: the violation objects and the summary line.
  struct Watched {
    std::vector<nlohmann::json> events;
    nlohmann::json summary;
  };
  Watched watch(const std::string& args, std::chrono::milliseconds timeout = 30s) const {
    auto r = node_->run("watch --format json " + args, timeout);
    EXPECT_TRUE(r.ok()) << r.err;
    Watched w;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
      if (line.empty()) continue;
      auto j = nlohmann::json::parse(line);
      if (j.value("type", "") == "summary")
        w.summary = j;
      else
        w.events.push_back(j);
    }
    return w;
  }

  std::unique_ptr<NetNs> a_, b_;
  std::unique_ptr<VethPair> coro_, stor_;
  std::unique_ptr<LanewardenNode> node_;
};

}  // namespace lw::test::enforce
