// SPDX-License-Identifier: GPL-2.0-only
// `apply --confirm` that nobody confirms restores the whole previous state,
// shaping included, in both directions: a cap the unconfirmed policy
// dropped comes back, and a cap it added goes. iperf3 on the migration NIC
// shows it, not only `tc`.
#include <string>

#include "support/iperf.h"
#include "test_reconcile_support.h"

namespace lw::test::reconcile {
namespace {

constexpr double kCapBits = 50e6;
// Generous bounds that only tell "capped" from "not capped": the capped runs
// of test_caps.cpp land within 3 % of the cap; unshaped veth TCP runs at
// gigabits per second.
constexpr double kCappedAtMost = 1.15;
constexpr double kUncappedAtLeast = 4.0;
constexpr int kIperfSeconds = 2;
// Long enough for an iperf3 run while the unconfirmed policy is in force.
constexpr const char* kConfirm = "--confirm 8";

class ConfirmRollbackShaping : public MigrationNicNode {
 protected:
  std::string policy(bool cap) const {
    return R"(mode = "audit"
[networks]
corosync = ["198.51.100.0/25"]
migration = ["203.0.113.0/26"]
[[lane]]
interface = ")" +
           coro_->name_a() + R"("
classes = ["corosync"]
[[lane]]
interface = ")" +
           mig_->name_a() + R"("
classes = ["migration", "other"]
)" + (cap ? "[class.migration]\ncap = \"50mbit\"\n" : "");
  }

  bool has_cap_class() const {
    return a_->exec_ok("tc class show dev " + mig_->name_a()).find("class htb 1a4e:22") !=
           std::string::npos;
  }
  bool has_htb() const {
    return a_->exec_ok("tc qdisc show dev " + mig_->name_a()).find("htb 1a4e:") !=
           std::string::npos;
  }
  // Migration goodput from A to B on port 60000, as a multiple of the cap.
  double migration_ratio(const char* when) {
    const IperfResult r =
        run_iperf3(*a_, *b_, {.server_addr = "203.0.113.2", .seconds = kIperfSeconds});
    EXPECT_TRUE(r.ok) << when << ": " << r.error;
    RecordProperty(std::string("mbit_") + when, std::to_string(r.bits_per_second / 1e6));
    return r.bits_per_second / kCapBits;
  }
};

TEST_F(ConfirmRollbackShaping, RollbackBringsBackTheCapTheUnconfirmedPolicyDropped) {
  node_->apply(policy(true));
  ASSERT_TRUE(has_cap_class());
  EXPECT_LE(migration_ratio("capped_before"), kCappedAtMost);

  node_->apply(policy(false), kConfirm);
  EXPECT_FALSE(has_htb());
  EXPECT_GE(migration_ratio("unconfirmed"), kUncappedAtLeast);

  ASSERT_TRUE(wait_for_generation(1)) << policy_line().dump();
  EXPECT_TRUE(has_cap_class()) << a_->exec_ok("tc qdisc show dev " + mig_->name_a());
  EXPECT_LE(migration_ratio("after_rollback"), kCappedAtMost);
}

TEST_F(ConfirmRollbackShaping, RollbackRemovesTheCapTheUnconfirmedPolicyAdded) {
  node_->apply(policy(false));
  ASSERT_FALSE(has_htb());
  const std::string before = kernel_snapshot();
  EXPECT_GE(migration_ratio("uncapped_before"), kUncappedAtLeast);

  node_->apply(policy(true), kConfirm);
  EXPECT_TRUE(has_cap_class());
  EXPECT_LE(migration_ratio("unconfirmed"), kCappedAtMost);

  ASSERT_TRUE(wait_for_generation(1)) << policy_line().dump();
  EXPECT_FALSE(has_htb()) << a_->exec_ok("tc qdisc show dev " + mig_->name_a());
  EXPECT_GE(migration_ratio("after_rollback"), kUncappedAtLeast);
  // Not only the HTB: everything is as it was before the unconfirmed apply.
  EXPECT_EQ(kernel_snapshot(), before);
}

}  // namespace
}  // namespace lw::test::reconcile
