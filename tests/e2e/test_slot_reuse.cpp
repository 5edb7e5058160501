// SPDX-License-Identifier: GPL-2.0-only
// Interface slots outlive their interfaces: counters, violations and RTT
// histograms are indexed by slot, and a slot freed by an interface that left
// the policy is later given to another one. The newcomer starts from zero,
// and an apply that swaps one interface for another does not hand over the
// leaving interface's slot (it still counts there until the policy swap).
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "support/lanewarden_cli.h"
#include "support/netns.h"
#include "support/privilege.h"

namespace lw::test {
namespace {

using namespace std::chrono_literals;

class SlotReuse : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    a_ = std::make_unique<NetNs>("lwtsra");
    b_ = std::make_unique<NetNs>("lwtsrb");
    // A carries Corosync pings; B and C only need to exist.
    if_a_ = std::make_unique<VethPair>(
        *a_, *b_,
        VethOptions{
            .prefix = "lwtsr1", .addrs_a = {"198.51.100.1/24"}, .addrs_b = {"198.51.100.2/24"}});
    if_b_ = std::make_unique<VethPair>(*a_, *b_, VethOptions{.prefix = "lwtsr2"});
    if_c_ = std::make_unique<VethPair>(*a_, *b_, VethOptions{.prefix = "lwtsr3"});
    // No IPv6 on B and C: their link-local ND/MLD chatter would be counted
    // and make "starts from zero" depend on timing.
    for (const auto* p : {if_b_.get(), if_c_.get()}) {
      a_->exec_ok("sysctl -qw net.ipv6.conf." + p->name_a() + ".disable_ipv6=1");
      b_->exec_ok("sysctl -qw net.ipv6.conf." + p->name_b() + ".disable_ipv6=1");
    }
    node_ = std::make_unique<LanewardenNode>(LW_BINARY, a_->name(),
                                             "lwtslot" + std::to_string(::getpid()));
  }
  void TearDown() override {
    node_.reset();
    if_c_.reset();
    if_b_.reset();
    if_a_.reset();
    b_.reset();
    a_.reset();
  }

  // Audit mode; every lane allows management only, so Corosync pings are
  // counted, timed and reported as wrong_lane violations.
  static std::string policy(const std::vector<std::string>& ifaces) {
    std::string toml = R"(mode = "audit"
[networks]
corosync = ["198.51.100.0/24"]
management = ["203.0.113.0/24"]
)";
    for (const auto& i : ifaces)
      toml += "[[lane]]\ninterface = \"" + i + "\"\nclasses = [\"management\"]\nexclusive = true\n";
    return toml;
  }

  nlohmann::json iface_status(const std::string& iface) const {
    for (const auto& obj : node_->status())
      if (obj.value("type", "") == "iface" && obj.value("iface", "") == iface) return obj;
    ADD_FAILURE() << "status does not list " << iface;
    return nlohmann::json::object();
  }

  // Samples in `hist --format json` under `iface`, all classes.
  uint64_t hist_samples(const std::string& iface) const {
    auto r = node_->run("hist --format json");
    EXPECT_TRUE(r.ok()) << r.err;
    const auto snap = nlohmann::json::parse(r.out);
    uint64_t n = 0;
    for (const auto& h : snap.at("histograms"))
      if (h.at("iface") == iface) n += h.at("count").get<uint64_t>();
    return n;
  }

  void expect_fresh(const std::string& iface) const {
    const auto st = iface_status(iface);
    EXPECT_TRUE(st.at("counters").empty()) << st.dump();
    EXPECT_TRUE(st.at("violations").empty()) << st.dump();
    EXPECT_EQ(st.at("events"), (nlohmann::json{{"emitted", 0}, {"suppressed", 0}, {"lost", 0}}));
    EXPECT_EQ(hist_samples(iface), 0u);
  }

  std::unique_ptr<NetNs> a_, b_;
  std::unique_ptr<VethPair> if_a_, if_b_, if_c_;
  std::unique_ptr<LanewardenNode> node_;
};

TEST_F(SlotReuse, AnInterfaceGivenAFreedSlotStartsFromZero) {
  const std::string A = if_a_->name_a(), B = if_b_->name_a(), C = if_c_->name_a();
  node_->apply(policy({A}));
  auto ping = a_->exec("ping -n -q -c 10 -i 0.02 -W 1 198.51.100.2", 20s);
  ASSERT_TRUE(ping.ok()) << ping.out << ping.err;
  const auto before = iface_status(A);
  const int slot_a = before.at("slot").get<int>();
  ASSERT_GE(counted_packets(before, "egress", "corosync"), 10u) << before.dump();
  ASSERT_FALSE(before.at("violations").empty()) << before.dump();
  ASSERT_GE(hist_samples(A), 10u);

  // A leaves while B arrives: A is still attached until the swap, so B must
  // not share its slot.
  node_->apply(policy({B}));
  EXPECT_NE(iface_status(B).at("slot").get<int>(), slot_a);
  expect_fresh(B);

  // A later apply gives A's freed slot to C: A's totals must not show there.
  node_->apply(policy({B, C}));
  ASSERT_EQ(iface_status(C).at("slot").get<int>(), slot_a) << "the test needs C to reuse A's slot";
  expect_fresh(C);
  auto text = node_->run("hist");
  ASSERT_TRUE(text.ok()) << text.err;
  EXPECT_NE(text.out.find("no RTT samples yet"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace lw::test
