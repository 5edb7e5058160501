// SPDX-License-Identifier: GPL-2.0-only
// apply --confirm: the detached watchdog restores the previous policy (and
// attachments) unless `lanewarden confirm` comes in time; apply refuses a
// policy that would cut the SSH session it runs from.
#include <filesystem>
#include <fstream>
#include <thread>

#include "test_enforce_support.h"

namespace lw::test::enforce {
namespace {

const nlohmann::json& policy_line(const std::vector<nlohmann::json>& status) {
  for (const auto& o : status)
    if (o.value("type", "") == "policy") return o;
  throw std::runtime_error("status has no policy line");
}

std::vector<std::string> ifaces(const std::vector<nlohmann::json>& status) {
  std::vector<std::string> out;
  for (const auto& o : status)
    if (o.value("type", "") == "iface") out.push_back(o.at("iface"));
  return out;
}

// Only the Corosync NIC, audit: the "previous" state of the rollback tests.
std::string corosync_only(const std::string& iface) {
  return R"(mode = "audit"
[networks]
corosync = ["198.51.100.0/24"]
[[lane]]
interface = ")" +
         iface + R"("
classes = ["corosync"]
)";
}

class ConfirmRollback : public TwoLinkNode {
 protected:
  const char* pin_what() const override { return "cf"; }
};

TEST_F(ConfirmRollback, UnconfirmedApplyRestoresThePreviousPolicy) {
  node_->apply(corosync_only(coro_->name_a()));
  ASSERT_EQ(policy_line(node_->status()).at("generation"), 1);

  node_->apply(policy("enforce"), "--confirm 2");
  auto now = node_->status();
  EXPECT_EQ(policy_line(now).at("generation"), 2);
  EXPECT_EQ(policy_line(now).at("confirm_pending"), true);
  EXPECT_EQ(ifaces(now).size(), 2u);

  std::this_thread::sleep_for(3500ms);
  auto after = node_->status();
  EXPECT_EQ(policy_line(after).at("generation"), 1);
  EXPECT_EQ(policy_line(after).at("confirm_pending"), false);
  EXPECT_TRUE(policy_line(after).at("enforce").empty());
  EXPECT_EQ(ifaces(after), std::vector<std::string>{coro_->name_a()});
  // The storage NIC carries no lanewarden filter any more.
  auto tc = a_->exec("tc filter show dev " + stor_->name_a() + " egress");
  EXPECT_EQ(tc.out.find("lw_egress"), std::string::npos) << tc.out;
}

TEST_F(ConfirmRollback, ConfirmInTimeKeepsTheNewPolicy) {
  node_->apply(corosync_only(coro_->name_a()));
  node_->apply(policy("enforce"), "--confirm 2");
  auto c = node_->run("confirm");
  EXPECT_TRUE(c.ok()) << c.err;
  std::this_thread::sleep_for(3000ms);
  auto after = node_->status();
  EXPECT_EQ(policy_line(after).at("generation"), 2);
  EXPECT_EQ(ifaces(after).size(), 2u);
  // Confirming again is an error: nothing is pending.
  EXPECT_EQ(node_->run("confirm").exit_code, 1);
}

TEST_F(ConfirmRollback, UnconfirmedFirstApplyDetachesEverything) {
  node_->apply(policy("enforce"), "--confirm 1");
  EXPECT_TRUE(std::filesystem::exists(node_->pin_dir() + "/lw_ingress"));
  std::this_thread::sleep_for(2500ms);
  EXPECT_FALSE(std::filesystem::exists(node_->pin_dir() + "/lw_ingress"));
  auto tc = a_->exec("tc filter show dev " + coro_->name_a() + " ingress");
  EXPECT_EQ(tc.out.find("lw_ingress"), std::string::npos) << tc.out;
}

class EnforceSshGuard : public TwoLinkNode {
 protected:
  const char* pin_what() const override { return "sg"; }
  // apply with SSH_CONNECTION set as sshd would: management TCP 22 arriving
  // on the exclusive Corosync NIC.
  CommandResult apply_over_ssh(const std::string& toml, const std::string& extra) {
    return over_ssh(toml, "apply", extra);
  }
  // `subcommand FILE extra` with the policy in FILE, started from that session.
  CommandResult over_ssh(const std::string& toml, const std::string& subcommand,
                         const std::string& extra) {
    const std::string file = "/tmp/" + pin_name("sg") + ".toml";
    std::ofstream(file) << toml;
    auto r = run("SSH_CONNECTION='203.0.113.194 50022 203.0.113.193 22' " + shell_quote(LW_BINARY) +
                 " --netns " + a_->name() + " --pin-dir " + node_->pin_dir() + " " + subcommand +
                 " " + file + " " + extra);
    std::filesystem::remove(file);
    return r;
  }
};

TEST_F(EnforceSshGuard, RefusesAPolicyThatWouldDropTheSession) {
  auto r = apply_over_ssh(policy("enforce"), "");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("would drop the SSH connection"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(node_->pin_dir() + "/lw_ingress"));
}

// `run` shares apply's guard: the daemon refuses to start with such a policy.
TEST_F(EnforceSshGuard, RunRefusesThePolicyLikeApply) {
  auto r = over_ssh(policy("enforce"), "run", "--metrics off");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("would drop the SSH connection"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(node_->pin_dir() + "/lw_ingress"));
}

TEST_F(EnforceSshGuard, AuditModeAndForceAreAccepted) {
  EXPECT_EQ(apply_over_ssh(policy("enforce"), "--mode audit").exit_code, 0);
  auto r = apply_over_ssh(policy("enforce"), "--force");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace lw::test::enforce
