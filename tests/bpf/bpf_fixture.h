// SPDX-License-Identifier: GPL-2.0-only
// Fixture for the classification, parsing, lane and counter tests (katran's
// BpfTester idea): one private Sandbox of the real programs per test suite,
// a representative policy compiled with every lane on "lo" (the device of a
// BPF_PROG_TEST_RUN skb), and helpers that run one frame and report what the
// counters say happened to it, so every test asserts the datapath's own
// bookkeeping rather than only the return value.
#pragma once

#include <gtest/gtest.h>
#include <linux/pkt_cls.h>
#include <netinet/in.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "datapath/test_run.h"
#include "lanewarden.h"
#include "support/packet_builder.h"
#include "support/privilege.h"

namespace lw::test::bpf {

inline constexpr uint32_t kLo = 1;             // BPF_PROG_TEST_RUN's default device
inline constexpr uint32_t kGhost = 999999;     // "ghost": a lane interface that is not lo
inline constexpr uint32_t kLoSlot = 0;         // lo is the only (or lowest) interface: slot 0
inline constexpr uint16_t kGuestPort = 40000;  // an ephemeral port no class uses

// Addresses of the representative policy (documentation ranges only).
namespace v4 {
inline constexpr const char* kCoroA = "198.51.100.1";  // corosync link 0
inline constexpr const char* kCoroB = "198.51.100.2";
inline constexpr const char* kCoroLink1 = "198.51.100.33";  // corosync link 1
inline constexpr const char* kMig = "198.51.100.65";
inline constexpr const char* kMig2 = "198.51.100.66";
inline constexpr const char* kPub = "198.51.100.97";
inline constexpr const char* kPub2 = "198.51.100.98";
inline constexpr const char* kClu = "198.51.100.129";
inline constexpr const char* kClu2 = "198.51.100.130";
inline constexpr const char* kPubAndClu = "198.51.100.150";  // in both Ceph networks
inline constexpr const char* kMgmt = "198.51.100.161";
inline constexpr const char* kMgmt2 = "198.51.100.162";
inline constexpr const char* kStor = "198.51.100.193";
inline constexpr const char* kStor2 = "198.51.100.194";
inline constexpr const char* kOut = "203.0.113.1";  // in no network of the policy
inline constexpr const char* kOut2 = "203.0.113.2";
}  // namespace v4

namespace v6 {
inline constexpr const char* kCoroA = "2001:db8:1::1";
inline constexpr const char* kCoroB = "2001:db8:1::2";
inline constexpr const char* kCoroLink1 = "2001:db8:2::1";
inline constexpr const char* kMig = "2001:db8:3::1";
inline constexpr const char* kMig2 = "2001:db8:3::2";
inline constexpr const char* kPub = "2001:db8:4::1";
inline constexpr const char* kPub2 = "2001:db8:4::2";
inline constexpr const char* kClu = "2001:db8:5::1";
inline constexpr const char* kClu2 = "2001:db8:5::2";
inline constexpr const char* kPubAndClu = "2001:db8:5:0:8000::1";
inline constexpr const char* kMgmt = "2001:db8:6::1";
inline constexpr const char* kMgmt2 = "2001:db8:6::2";
inline constexpr const char* kStor = "2001:db8:7::1";
inline constexpr const char* kStor2 = "2001:db8:7::2";
inline constexpr const char* kOut = "2001:db8:ff::1";
inline constexpr const char* kOut2 = "2001:db8:ff::2";
}  // namespace v6

// [networks] of every test policy: each class on IPv4 and IPv6. The Ceph
// public network deliberately overlaps the cluster network in one subnet
// (Ceph without a separate cluster network there), for the precedence tests.
std::string networks_toml();

// The representative policy: audit mode, every class but other/infra allowed
// on lo untagged (so classification tests see verdict pass), VLAN 100 of lo
// exclusive to corosync, VLAN 200 of lo for the two Ceph classes.
std::string representative_toml();

// Compiles `toml` with "lo" -> 1 and "ghost" -> 999999.
std::unique_ptr<lw_policy> compile_toml(const std::string& toml, uint64_t generation = 1);

std::string class_name(int cls);
std::string verdict_name(int verdict);
std::string reason_name(int reason);

// What one run did, from the counters of one slot (difference before/after).
struct Outcome {
  int retval = 0;
  int cls = -1;  // -1: nothing counted; -2: several (class, verdict) cells
  int verdict = -1;
  int reason = -1;       // -1: no reason counted; -2: several
  uint64_t packets = 0;  // packets over all classes and verdicts
  uint64_t bytes = 0;
  uint64_t reason_packets = 0;  // packets over all parse reasons
};

// What a test expects of one frame.
struct Want {
  int cls;
  int reason = LW_PARSE_OK;
  int verdict = LW_VERDICT_PASS;
};

class BpfTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  // Root check first, then a clean state: the representative policy
  // installed again, counters zero, events drained.
  void SetUp() override;

  static datapath::Sandbox& sb() { return *sandbox_; }
  static void install(const std::string& toml, uint64_t generation = 2);
  static void install_representative();

  // Runs `frame` once and reads what the counters of `slot` gained.
  Outcome run_and_count(const Bytes& frame, int dir = LW_DIR_INGRESS,
                        const datapath::RunOptions& o = {}, uint32_t slot = kLoSlot);
  // run_and_count plus the assertions every frame must meet: exactly one
  // packet, under exactly one (class, verdict) with bytes = frame length,
  // exactly one parse reason, and the retval that goes with the verdict.
  Outcome expect_run(const Bytes& frame, const Want& want, int dir = LW_DIR_INGRESS,
                     const datapath::RunOptions& o = {}, uint32_t slot = kLoSlot);
  // The same frame in both directions: classification does not depend on it.
  void expect_both_dirs(const Bytes& frame, const Want& want);
  // Violations of lo's slot since SetUp (lw_violations is not zeroed by
  // Sandbox::reset_counters, and the suite shares one sandbox).
  uint64_t violations(int dir, int kind, int cls) const;
  uint64_t events_since_setup() const;

 private:
  static std::unique_ptr<datapath::Sandbox> sandbox_;
  static std::unique_ptr<lw_policy> representative_;
  static std::string load_error_;
  lw_violation_counters viol_base_{};
};

}  // namespace lw::test::bpf

// Wraps the helpers so a failure names the calling line.
#define LW_EXPECT_RUN(...)              \
  do {                                  \
    SCOPED_TRACE("LW_EXPECT_RUN here"); \
    expect_run(__VA_ARGS__);            \
  } while (0)
#define LW_EXPECT_BOTH_DIRS(...)              \
  do {                                        \
    SCOPED_TRACE("LW_EXPECT_BOTH_DIRS here"); \
    expect_both_dirs(__VA_ARGS__);            \
  } while (0)
