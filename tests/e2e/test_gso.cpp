// SPDX-License-Identifier: GPL-2.0-only
// Per-lane GSO limit end to end: apply sets IFLA_GSO_MAX_SEGS on the lane's
// interface, re-apply is idempotent, and detach or a failed apply put back
// exactly the value the interface had (not the kernel default).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/lanewarden_cli.h"
#include "support/privilege.h"
#include "support/topology.h"

namespace lw::test {
namespace {

std::string pin_name(const char* what) {
  return std::string("lwt") + what + std::to_string(::getpid());
}

// An odd value, so a restore to the kernel default (65535) would show.
constexpr int kOwnValue = 1000;

std::string gso_policy(const std::string& iface, int segs, const std::string& extra = "") {
  return R"(mode = "audit"
[networks]
corosync = ["203.0.113.0/26"]
[[lane]]
interface = ")" +
         iface + R"("
classes = ["corosync", "other"]
gso_max_segs = )" +
         std::to_string(segs) + "\n" + extra;
}

class GsoE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    topo_ = std::make_unique<Topology>(Topology::pair({.prefix = "lwtgs"}));
    node_ = std::make_unique<LanewardenNode>(LW_BINARY, topo_->node(0).name(), pin_name("gs"));
    topo_->node(0).exec_ok("ip link set dev " + if0() + " gso_max_segs " +
                           std::to_string(kOwnValue));
    file_ = "/tmp/" + pin_name("gsp") + ".toml";
  }
  void TearDown() override {
    std::filesystem::remove(file_);
    node_.reset();
    topo_.reset();
  }
  const std::string& if0() const { return topo_->node_if(0); }

  int gso_of(const std::string& dev) const {
    const auto j = nlohmann::json::parse(topo_->node(0).exec_ok("ip -d -j link show dev " + dev));
    return j.at(0).at("gso_max_segs").get<int>();
  }
  CommandResult apply_file(const std::string& toml) {
    std::ofstream(file_) << toml;
    return node_->run("apply " + file_);
  }

  std::unique_ptr<Topology> topo_;
  std::unique_ptr<LanewardenNode> node_;
  std::string file_;
};

TEST_F(GsoE2E, ApplySetsTheLimitReapplyKeepsItAndDetachRestoresTheOwnValue) {
  ASSERT_EQ(gso_of(if0()), kOwnValue);
  node_->apply(gso_policy(if0(), 8));
  EXPECT_EQ(gso_of(if0()), 8);
  node_->apply(gso_policy(if0(), 8));  // idempotent
  EXPECT_EQ(gso_of(if0()), 8);
  node_->apply(gso_policy(if0(), 16));  // a changed limit: the recorded value stays the own one
  EXPECT_EQ(gso_of(if0()), 16);
  EXPECT_TRUE(std::filesystem::exists(node_->pin_dir() + "/lw_gso_saved"));

  const auto d = node_->run("detach");
  ASSERT_TRUE(d.ok()) << d.err;
  EXPECT_EQ(gso_of(if0()), kOwnValue);
  EXPECT_FALSE(std::filesystem::exists(node_->pin_dir()));
}

// status shows the limit in force and the own value detach puts back, and
// nothing for an interface whose limit lanewarden leaves alone.
TEST_F(GsoE2E, StatusShowsTheLimitAndTheOwnValue) {
  auto iface_json = [this] {
    for (const auto& obj : node_->status())
      if (obj.value("iface", "") == if0()) return obj;
    ADD_FAILURE() << "status does not list " << if0();
    return nlohmann::json::object();
  };
  node_->apply(gso_policy(if0(), 8));
  auto j = iface_json();
  EXPECT_EQ(j.at("gso_max_segs"), 8) << j.dump();
  EXPECT_EQ(j.at("gso_max_segs_own"), kOwnValue) << j.dump();
  auto text = node_->run("status");
  ASSERT_TRUE(text.ok()) << text.err;
  EXPECT_NE(text.out.find("    gso_max_segs 8 (own value 1000 comes back on detach)\n"),
            std::string::npos)
      << text.out;

  std::string without = gso_policy(if0(), 8);
  without.erase(without.find("gso_max_segs"));
  node_->apply(without);
  j = iface_json();
  EXPECT_TRUE(j.at("gso_max_segs").is_null()) << j.dump();
  EXPECT_TRUE(j.at("gso_max_segs_own").is_null()) << j.dump();
  text = node_->run("status");
  ASSERT_TRUE(text.ok()) << text.err;
  EXPECT_EQ(text.out.find("gso_max_segs"), std::string::npos) << text.out;
}

TEST_F(GsoE2E, PolicyWithoutTheKeyRestoresTheOwnValue) {
  node_->apply(gso_policy(if0(), 8));
  ASSERT_EQ(gso_of(if0()), 8);
  std::string without = gso_policy(if0(), 8);
  without.erase(without.find("gso_max_segs"));
  node_->apply(without);
  EXPECT_EQ(gso_of(if0()), kOwnValue);
}

// An apply that fails after the GSO step (here: someone else's filter sits
// at lanewarden's tc priority with another protocol on a second interface,
// so attaching there fails) restores the limit that was in force before.
TEST_F(GsoE2E, FailedApplyRestoresTheLimitInForceBefore) {
  const std::string other = "lwtgsox";
  topo_->node(0).exec_ok("ip link add " + other + " type veth peer name lwtgsoy");
  topo_->node(0).exec_ok("ip link set dev " + other + " gso_max_segs 500");
  topo_->node(0).exec_ok("tc qdisc add dev " + other + " clsact");
  const std::string obj = std::string(LW_BUILD_DIR) + "/bpf/empty.bpf.o";
  topo_->node(0).exec_ok("tc filter add dev " + other + " ingress prio 1 protocol ip bpf da obj " +
                         obj + " sec tc");
  const std::string failing = gso_policy(if0(), 4, R"([[lane]]
interface = "lwtgsox"
classes = ["other"]
gso_max_segs = 2
)");

  // First apply fails: the interfaces keep their own values, nothing is pinned.
  auto r = apply_file(failing);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("cannot attach"), std::string::npos) << r.err;
  EXPECT_EQ(gso_of(if0()), kOwnValue);
  EXPECT_EQ(gso_of(other), 500);
  EXPECT_FALSE(std::filesystem::exists(node_->pin_dir()));

  // With a policy in force, a failing apply goes back to that policy's limit.
  node_->apply(gso_policy(if0(), 8));
  ASSERT_EQ(gso_of(if0()), 8);
  r = apply_file(failing);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(gso_of(if0()), 8);
  EXPECT_EQ(gso_of(other), 500);
  // The foreign filter is untouched, and detach still restores the own value.
  EXPECT_NE(topo_->node(0).exec_ok("tc filter show dev " + other + " ingress").find("lw_empty"),
            std::string::npos);
  ASSERT_TRUE(node_->run("detach").ok());
  EXPECT_EQ(gso_of(if0()), kOwnValue);
}

// apply --confirm that nobody confirms: the watchdog swaps the previous
// policy back in, and with it the previous policy's GSO limit.
TEST_F(GsoE2E, UnconfirmedApplyRollsBackToThePreviousLimit) {
  node_->apply(gso_policy(if0(), 8));
  node_->apply(gso_policy(if0(), 4), "--confirm 2");
  EXPECT_EQ(gso_of(if0()), 4);
  std::this_thread::sleep_for(std::chrono::milliseconds(3500));
  EXPECT_EQ(gso_of(if0()), 8);
  ASSERT_TRUE(node_->run("detach").ok());
  EXPECT_EQ(gso_of(if0()), kOwnValue);
}

TEST_F(GsoE2E, OutOfRangeValuesAreRefusedWithTheirLocation) {
  for (const char* bad : {"0", "65536", "\"8\""}) {
    std::string toml = gso_policy(if0(), 1);
    toml.replace(toml.find("gso_max_segs = 1"), 16, std::string("gso_max_segs = ") + bad);
    const auto r = apply_file(toml);
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.err;
    EXPECT_NE(r.err.find(file_ + ":7:"), std::string::npos) << bad << ": " << r.err;
    EXPECT_NE(r.err.find("gso_max_segs"), std::string::npos) << bad << ": " << r.err;
    EXPECT_EQ(gso_of(if0()), kOwnValue);
  }
}

}  // namespace
}  // namespace lw::test
