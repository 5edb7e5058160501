// SPDX-License-Identifier: GPL-2.0-only
#include "bpf_fixture.h"

#include <array>
#include <exception>

#include "datapath/names.h"
#include "datapath/policy_compiler.h"
#include "policy/parse.h"
#include "policy/policy.h"

namespace lw::test::bpf {

std::unique_ptr<datapath::Sandbox> BpfTest::sandbox_;
std::unique_ptr<lw_policy> BpfTest::representative_;
std::string BpfTest::load_error_;

std::string networks_toml() {
  return R"(
[networks]
corosync = ["198.51.100.0/27", "198.51.100.32/27", "2001:db8:1::/64", "2001:db8:2::/64"]
migration = ["198.51.100.64/27", "2001:db8:3::/64"]
ceph_public = ["198.51.100.96/27", "198.51.100.144/28", "2001:db8:4::/64", "2001:db8:5:0:8000::/65"]
ceph_cluster = ["198.51.100.128/27", "2001:db8:5::/64"]
management = ["198.51.100.160/27", "2001:db8:6::/64"]
storage = ["198.51.100.192/27", "2001:db8:7::/64"]
)";
}

std::string representative_toml() {
  return "mode = \"audit\"\n" + networks_toml() + R"(
[[lane]]
interface = "lo"
classes = ["corosync", "migration", "ceph_public", "ceph_cluster", "management", "storage"]

[[lane]]
interface = "lo"
vlan = 100
classes = ["corosync"]
exclusive = true

[[lane]]
interface = "lo"
vlan = 200
classes = ["ceph_public", "ceph_cluster"]
)";
}

std::unique_ptr<lw_policy> compile_toml(const std::string& toml, uint64_t generation) {
  auto p = policy::parse_string(toml, "<bpf test policy>");
  auto c = datapath::compile_policy(
      p,
      [](const std::string& n) -> std::optional<uint32_t> {
        if (n == "lo") return kLo;
        if (n == "ghost") return kGhost;
        return std::nullopt;
      },
      {}, generation);
  return std::move(c.value);
}

std::string class_name(int cls) {
  if (cls == -1) return "(nothing counted)";
  if (cls == -2) return "(several cells)";
  if (cls < 0 || cls >= LW_NR_CLASSES) return "(bad class " + std::to_string(cls) + ")";
  return policy::kClassNames[cls];
}

std::string verdict_name(int verdict) {
  if (verdict < 0 || verdict >= LW_NR_VERDICTS) return "(none)";
  return datapath::kVerdictNames[verdict];
}

std::string reason_name(int reason) {
  if (reason == -1) return "(no reason counted)";
  if (reason == -2) return "(several reasons)";
  if (reason < 0 || reason >= LW_NR_PARSE_REASONS) return "(bad reason)";
  return datapath::kParseReasonNames[reason];
}

void BpfTest::SetUpTestSuite() {
  // Loading and verifying the programs takes a while: once per suite. Without
  // privileges SetUp() skips (or fails in CI) before anything touches it.
  load_error_.clear();
  if (!privileged_unavailable_reason().empty()) return;
  try {
    sandbox_ = std::make_unique<datapath::Sandbox>();
    representative_ = compile_toml(representative_toml());
  } catch (const std::exception& e) {
    load_error_ = e.what();
    sandbox_.reset();
  }
}

void BpfTest::TearDownTestSuite() {
  sandbox_.reset();
  representative_.reset();
}

void BpfTest::SetUp() {
  LW_REQUIRE_ROOT_OR_FAIL();
  ASSERT_TRUE(sandbox_) << "cannot load the sandbox: " << load_error_;
  install_representative();
  sb().reset_counters();
  sb().drain_events();
  viol_base_ = sb().violations(kLoSlot);
}

uint64_t BpfTest::violations(int dir, int kind, int cls) const {
  return sb().violations(kLoSlot).n[dir][kind][cls] - viol_base_.n[dir][kind][cls];
}

uint64_t BpfTest::events_since_setup() const {
  return sb().violations(kLoSlot).events - viol_base_.events;
}

void BpfTest::install(const std::string& toml, uint64_t generation) {
  sb().install(*compile_toml(toml, generation));
}

void BpfTest::install_representative() { sb().install(*representative_); }

Outcome BpfTest::run_and_count(const Bytes& frame, int dir, const datapath::RunOptions& o,
                               uint32_t slot) {
  const lw_iface_counters before = sb().counters(slot);
  Outcome out;
  out.retval = sb().run(dir, frame, o).retval;
  const lw_iface_counters after = sb().counters(slot);

  for (int cls = 0; cls < LW_NR_CLASSES; cls++) {
    for (int v = 0; v < LW_NR_VERDICTS; v++) {
      const uint64_t p = after.c[dir][cls][v].packets - before.c[dir][cls][v].packets;
      if (!p) continue;
      out.packets += p;
      out.bytes += after.c[dir][cls][v].bytes - before.c[dir][cls][v].bytes;
      if (out.cls == -1) {
        out.cls = cls;
        out.verdict = v;
      } else {
        out.cls = -2;
        out.verdict = -1;
      }
    }
  }
  for (int r = 0; r < LW_NR_PARSE_REASONS; r++) {
    const uint64_t p = after.parse[dir][r] - before.parse[dir][r];
    if (!p) continue;
    out.reason_packets += p;
    out.reason = out.reason == -1 ? r : -2;
  }
  // The other direction must not move: the programs know which hook they are.
  const int other = dir == LW_DIR_INGRESS ? LW_DIR_EGRESS : LW_DIR_INGRESS;
  for (int cls = 0; cls < LW_NR_CLASSES; cls++)
    for (int v = 0; v < LW_NR_VERDICTS; v++)
      EXPECT_EQ(after.c[other][cls][v].packets, before.c[other][cls][v].packets)
          << "counted in the other direction: " << class_name(cls) << "/" << verdict_name(v);
  return out;
}

Outcome BpfTest::expect_run(const Bytes& frame, const Want& want, int dir,
                            const datapath::RunOptions& o, uint32_t slot) {
  Outcome got = run_and_count(frame, dir, o, slot);
  const uint64_t segs = o.gso_segs > 1 ? o.gso_segs : 1;
  const uint64_t runs = o.repeat > 1 ? o.repeat : 1;
  const std::string where = std::string(dir == LW_DIR_INGRESS ? "ingress" : "egress") + ", " +
                            std::to_string(frame.size()) + "-byte frame";
  EXPECT_EQ(class_name(got.cls), class_name(want.cls)) << where;
  EXPECT_EQ(verdict_name(got.verdict), verdict_name(want.verdict)) << where;
  EXPECT_EQ(reason_name(got.reason), reason_name(want.reason)) << where;
  EXPECT_EQ(got.retval, want.verdict == LW_VERDICT_DROP ? TC_ACT_SHOT : TC_ACT_UNSPEC) << where;
  EXPECT_EQ(got.packets, segs * runs) << where;
  EXPECT_EQ(got.reason_packets, segs * runs) << where << ": parse reasons must add up";
  EXPECT_EQ(got.bytes, frame.size() * runs) << where;
  return got;
}

void BpfTest::expect_both_dirs(const Bytes& frame, const Want& want) {
  expect_run(frame, want, LW_DIR_INGRESS);
  expect_run(frame, want, LW_DIR_EGRESS);
}

}  // namespace lw::test::bpf
