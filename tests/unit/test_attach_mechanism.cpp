// SPDX-License-Identifier: GPL-2.0-only
// Which tc hook lanewarden attaches through (datapath/attach_mechanism.h):
// auto takes tcx only where the build and the kernel both have it, tcx
// refuses where either lacks it and says which, tc always keeps clsact; the
// choice travels in the state record, and status names the hook from
// lw_links. Buildable and run everywhere: nothing here touches the kernel.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "datapath/attach_mechanism.h"
#include "datapath/datapath.h"
#include "datapath/state_record.h"

namespace lw::datapath {
namespace {

using ::testing::HasSubstr;

TcxSupport support(bool built, bool kernel) {
  TcxSupport s;
  s.built = built;
  s.build_libbpf = built ? "1.5" : "1.1";
  s.kernel = kernel;
  s.kernel_release = kernel ? "6.18.0-1-amd64" : "6.1.0-40-amd64";
  if (!kernel) s.kernel_why = "the kernel has no tcx (Linux >= 6.6 has it)";
  return s;
}

TEST(AttachMechanism, AutoTakesTcxOnlyWhereBuildAndKernelHaveIt) {
  EXPECT_EQ(choose_mechanism(AttachMode::automatic, support(true, true)), Mechanism::tcx);
  EXPECT_EQ(choose_mechanism(AttachMode::automatic, support(true, false)), Mechanism::clsact);
  EXPECT_EQ(choose_mechanism(AttachMode::automatic, support(false, true)), Mechanism::clsact);
  EXPECT_EQ(choose_mechanism(AttachMode::automatic, support(false, false)), Mechanism::clsact);
}

TEST(AttachMechanism, TcKeepsClsactEvenWhereTcxExists) {
  for (bool built : {false, true})
    for (bool kernel : {false, true})
      EXPECT_EQ(choose_mechanism(AttachMode::tc, support(built, kernel)), Mechanism::clsact);
}

TEST(AttachMechanism, TcxWhereBothHaveIt) {
  EXPECT_EQ(choose_mechanism(AttachMode::tcx, support(true, true)), Mechanism::tcx);
}

std::string refusal(const TcxSupport& s) {
  try {
    choose_mechanism(AttachMode::tcx, s);
  } catch (const UsageError& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    return e.what();
  }
  ADD_FAILURE() << "--attach tcx was not refused";
  return "";
}

TEST(AttachMechanism, TcxRefusedWithTheBuildsLibbpfWhenBuiltWithoutIt) {
  // The build is named first: a newer kernel cannot help that binary.
  for (bool kernel : {false, true}) {
    const std::string why = refusal(support(false, kernel));
    EXPECT_THAT(why, HasSubstr("libbpf 1.1"));
    EXPECT_THAT(why, HasSubstr("libbpf >= 1.3"));
    EXPECT_THAT(why, HasSubstr("--attach tc or auto"));
  }
}

TEST(AttachMechanism, TcxRefusedWithTheKernelWhenTheKernelLacksIt) {
  const std::string why = refusal(support(true, false));
  EXPECT_THAT(why, HasSubstr("kernel 6.1.0-40-amd64"));
  EXPECT_THAT(why, HasSubstr("Linux >= 6.6"));
}

TEST(AttachMechanism, DescribesWhatIsAvailableAndWhyNot) {
  EXPECT_EQ(describe_support(support(true, true)),
            "tcx available (libbpf 1.5, kernel 6.18.0-1-amd64)");
  EXPECT_EQ(describe_support(support(false, true)),
            "clsact only: built against libbpf 1.1 (tcx needs libbpf >= 1.3)");
  EXPECT_THAT(describe_support(support(true, false)),
              HasSubstr("clsact only: kernel 6.1.0-40-amd64: the kernel has no tcx"));
}

TEST(AttachMechanism, ThisBuildReportsWhatItWasBuiltWith) {
  const TcxSupport s = tcx_support();
  EXPECT_EQ(s.built, LW_HAVE_TCX != 0);
  EXPECT_FALSE(s.build_libbpf.empty());
  EXPECT_FALSE(s.kernel_release.empty());
  if (!s.built) {
    EXPECT_FALSE(s.kernel);
    EXPECT_EQ(choose_mechanism(AttachMode::automatic, s), Mechanism::clsact);
  }
}

TEST(AttachMechanism, ModeNamesRoundTrip) {
  for (AttachMode m : {AttachMode::automatic, AttachMode::tcx, AttachMode::tc})
    EXPECT_EQ(parse_attach_mode(attach_mode_name(m)), m);
  EXPECT_EQ(attach_mode_name(AttachMode::automatic), "auto");
  EXPECT_FALSE(parse_attach_mode("clsact"));
  EXPECT_FALSE(parse_attach_mode(""));
  EXPECT_EQ(mechanism_name(Mechanism::tcx), "tcx");
  EXPECT_EQ(mechanism_name(Mechanism::clsact), "clsact");
}

TEST(AttachMechanism, HookNameFollowsTheLinkRecord) {
  EXPECT_EQ(hook_name(LW_LINK_INGRESS | LW_LINK_EGRESS), "clsact");
  EXPECT_EQ(hook_name(LW_LINK_CREATED_CLSACT | LW_LINK_INGRESS | LW_LINK_EGRESS), "clsact");
  EXPECT_EQ(hook_name(0), "clsact");
  EXPECT_EQ(hook_name(LW_LINK_TCX), "tcx");
  // A switch under way: both hooks hold the programs for a moment.
  EXPECT_EQ(hook_name(LW_LINK_TCX | LW_LINK_INGRESS | LW_LINK_EGRESS), "tcx+clsact");
}

DesiredState minimal_state(AttachMode attach) {
  auto p = std::make_shared<lw_policy>();
  std::memset(p.get(), 0, sizeof(*p));
  p->generation = 2;
  DesiredState s;
  s.policy = p;
  s.ifaces = {{"eth1", 3, 0}};
  s.attach = attach;
  return s;
}

TEST(AttachMechanism, TheStateRecordCarriesTheAttachMode) {
  for (AttachMode m : {AttachMode::automatic, AttachMode::tcx, AttachMode::tc}) {
    const std::string record = serialize_state(minimal_state(m));
    EXPECT_EQ(nlohmann::json::parse(record).at("attach"), attach_mode_name(m));
    EXPECT_EQ(parse_state(record, "test").attach, m);
  }
}

TEST(AttachMechanism, ARecordWithoutAttachModeAsksForAuto) {
  auto j = nlohmann::json::parse(serialize_state(minimal_state(AttachMode::tc)));
  j.erase("attach");  // as builds before tcx wrote it
  EXPECT_EQ(parse_state(j.dump(), "test").attach, AttachMode::automatic);
  j["attach"] = "xdp";
  EXPECT_THROW(parse_state(j.dump(), "test"), Error);
}

}  // namespace
}  // namespace lw::datapath
