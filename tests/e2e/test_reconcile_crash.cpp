// SPDX-License-Identifier: GPL-2.0-only
// Killing lanewarden between any two kernel operations of a reconcile
// (LW_TEST_CRASH_AT=N: SIGKILL before the Nth) and running it again ends in
// the desired state or the previous one, never a mix. State A and state B
// differ in everything a reconcile touches: the interfaces attached (one
// added, one removed), the HTB trees (one removed, one created), the GSO
// limits (one restored, one set), the mode, and the policy itself. A first
// apply, an upgrade of the programs and a detach are killed the same way.
#include <signal.h>

#include <fstream>
#include <functional>
#include <string>

#include "lanewarden.h"
#include "test_reconcile_support.h"

namespace lw::test::reconcile {
namespace {

// More than any reconcile here takes: the loop ends at the first N that
// lets the command finish.
constexpr int kMaxSteps = 80;

class ReconcileCrash : public MigrationNicNode {
 protected:
  void SetUp() override {
    MigrationNicNode::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    file_a_ = "/tmp/" + unique_name("lwtrca", "", 64) + ".toml";
    file_b_ = "/tmp/" + unique_name("lwtrcb", "", 64) + ".toml";
    std::ofstream(file_a_) << state_a();
    std::ofstream(file_b_) << state_b();
  }
  void TearDown() override {
    std::filesystem::remove(file_a_);
    std::filesystem::remove(file_b_);
    MigrationNicNode::TearDown();
  }

  // Corosync and migration NICs attached; migration capped (HTB) and its
  // GSO packets limited; audit.
  std::string state_a() const {
    return R"(mode = "audit"
[networks]
corosync = ["198.51.100.0/25"]
migration = ["203.0.113.0/26"]
storage = ["203.0.113.64/26"]
[[lane]]
interface = ")" +
           coro_->name_a() + R"("
classes = ["corosync"]
[[lane]]
interface = ")" +
           mig_->name_a() + R"("
classes = ["migration", "other"]
gso_max_segs = 8
[class.migration]
cap = "50mbit"
)";
  }
  // Migration and storage NICs: the Corosync NIC is left, the migration
  // NIC loses its cap and GSO limit, the storage NIC is new, capped and
  // limited; enforce.
  std::string state_b() const {
    return R"(mode = "enforce"
[networks]
corosync = ["198.51.100.0/25"]
migration = ["203.0.113.0/26"]
storage = ["203.0.113.64/26"]
[[lane]]
interface = ")" +
           mig_->name_a() + R"("
classes = ["migration", "other"]
[[lane]]
interface = ")" +
           stor_->name_a() + R"("
classes = ["storage"]
gso_max_segs = 4
[class.storage]
cap = "100mbit"
)";
  }

  CommandResult lanewarden(const std::string& args, int crash_at = 0) const {
    const std::string env = crash_at ? "LW_TEST_CRASH_AT=" + std::to_string(crash_at) + " " : "";
    return run(env + shell_quote(LW_BINARY) + " --netns " + a_->name() + " --pin-dir " +
                   node_->pin_dir() + " " + args,
               60s);
  }
  void must(const std::string& args) const {
    const auto r = lanewarden(args);
    ASSERT_TRUE(r.ok()) << args << ": " << r.err;
  }

  // Runs `args` with a crash at every step in turn, each time from the state
  // `setup` makes; after each crash `recover` (alternating between the two given)
  // must reach its reference snapshot. Returns the number of steps.
  struct Recovery {
    std::string args;
    std::string snapshot;
  };
  int crash_at_every_step(const std::function<void()>& setup, const std::string& args,
                          const Recovery& odd, const Recovery& even) {
    for (int n = 1; n <= kMaxSteps; n++) {
      SCOPED_TRACE("LW_TEST_CRASH_AT=" + std::to_string(n) + " " + args);
      setup();
      if (HasFatalFailure()) return n;
      const auto r = lanewarden(args, n);
      if (r.ok()) return n - 1;  // fewer steps than n: every step was covered
      EXPECT_EQ(r.exit_code, 128 + SIGKILL) << r.err;
      EXPECT_NE(r.err.find("LW_TEST_CRASH_AT: killed before step"), std::string::npos) << r.err;
      const Recovery& rec = n % 2 ? odd : even;
      must(rec.args);
      if (HasFatalFailure()) return n;
      EXPECT_EQ(kernel_snapshot(), rec.snapshot) << "after `" << rec.args << "`; " << r.err;
      if (HasFailure()) return n;  // one clear report, not eighty
    }
    ADD_FAILURE() << args << " still had kernel steps left after " << kMaxSteps;
    return kMaxSteps;
  }

  std::string file_a_, file_b_;
};

TEST_F(ReconcileCrash, ApplyKilledAtAnyStepEndsInTheDesiredOrThePreviousState) {
  const std::string nothing = kernel_snapshot();
  must("apply " + file_a_);
  const std::string snap_a = kernel_snapshot();
  must("apply " + file_b_);
  const std::string snap_b = kernel_snapshot();
  ASSERT_NE(snap_a, snap_b);
  ASSERT_NE(snap_a.find("htb 1a4e:"), std::string::npos) << snap_a;

  const int steps = crash_at_every_step([&] { must("apply " + file_a_); }, "apply " + file_b_,
                                        {"apply " + file_b_, snap_b}, {"apply " + file_a_, snap_a});
  RecordProperty("steps_a_to_b", steps);
  EXPECT_GT(steps, 10);

  must("detach");
  EXPECT_EQ(kernel_snapshot(), nothing);
}

TEST_F(ReconcileCrash, FirstApplyKilledAtAnyStepEndsApplied) {
  const std::string nothing = kernel_snapshot();
  must("apply " + file_a_);
  const std::string snap_a = kernel_snapshot();
  must("detach");
  ASSERT_EQ(kernel_snapshot(), nothing);

  const int steps = crash_at_every_step([&] { must("detach"); }, "apply " + file_a_,
                                        {"apply " + file_a_, snap_a}, {"detach", nothing});
  RecordProperty("steps_first_apply", steps);
  EXPECT_GT(steps, 10);
}

// An upgrade: the pins claim another build's programs of this version (a
// datapath fix), so the apply loads, stages and swaps in its own programs.
TEST_F(ReconcileCrash, UpgradeKilledAtAnyStepEndsUpgradedOrDetached) {
  const std::string nothing = kernel_snapshot();
  must("apply " + file_a_);
  const std::string snap_a = kernel_snapshot();
  // What the pins of another build of this version say: other programs.
  const auto pin_other_build = [&] {
    must("apply " + file_a_);
    // struct lw_pin_meta, little endian: this build's version (< 256), its
    // size, and a program hash no build has.
    static_assert(LW_PIN_ABI_VERSION < 256);
    run_ok("bpftool map update pinned " + node_->pin_dir() + "/lw_meta key 0 0 0 0 value " +
           std::to_string(LW_PIN_ABI_VERSION) + " 0 0 0 16 0 0 0 1 2 3 4 5 6 7 8");
  };
  pin_other_build();
  const auto r = lanewarden("apply " + file_a_);
  ASSERT_TRUE(r.ok()) << r.err;
  ASSERT_NE(
      r.err.find("another build of pinned-state version " + std::to_string(LW_PIN_ABI_VERSION)),
      std::string::npos)
      << r.err;
  ASSERT_EQ(kernel_snapshot(), snap_a);

  const int steps = crash_at_every_step(pin_other_build, "apply " + file_a_,
                                        {"apply " + file_a_, snap_a}, {"detach", nothing});
  RecordProperty("steps_upgrade", steps);
  EXPECT_GT(steps, 20);
}

TEST_F(ReconcileCrash, DetachKilledAtAnyStepEndsDetached) {
  const std::string nothing = kernel_snapshot();
  must("apply " + file_b_);
  const std::string snap_b = kernel_snapshot();
  must("detach");

  const int steps = crash_at_every_step([&] { must("apply " + file_b_); }, "detach",
                                        {"detach", nothing}, {"apply " + file_b_, snap_b});
  RecordProperty("steps_detach", steps);
  EXPECT_GT(steps, 5);
}

}  // namespace
}  // namespace lw::test::reconcile
