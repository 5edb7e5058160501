// SPDX-License-Identifier: GPL-2.0-only
// Corosync's DSCP (LW032): the kernel's TOS -> skb priority table, dpkg
// version order, which corosync applies totem ip_dscp, and the explanation
// `check` gives with and without a lanewarden policy's dscp.
#include <gtest/gtest.h>

#include <algorithm>

#include "check/dscp.h"
#include "check/rules.h"
#include "pve/node.h"
#include "pve/packages.h"

namespace {

using lw::check::skb_priority_from_tos;

TEST(CheckDscp, RtTos2PriorityRanksKnetDefaultAboveCs6AndEf) {
  EXPECT_EQ(skb_priority_from_tos(0x10), 6);      // knet's IPTOS_LOWDELAY: TC_PRIO_INTERACTIVE
  EXPECT_EQ(skb_priority_from_tos(48 << 2), 0);   // CS6, TOS 0xc0: TC_PRIO_BESTEFFORT
  EXPECT_EQ(skb_priority_from_tos(46 << 2), 4);   // EF, TOS 0xb8: TC_PRIO_INTERACTIVE_BULK
  EXPECT_EQ(skb_priority_from_tos(0x08), 2);      // IPTOS_THROUGHPUT: TC_PRIO_BULK
  EXPECT_EQ(skb_priority_from_tos(0x10 | 3), 6);  // ECN bits do not count
  EXPECT_EQ(skb_priority_from_tos(34 << 2), 2);   // AF41, TOS 0x88: TC_PRIO_BULK
}

TEST(CheckDscp, ParsesAndNamesCodePoints) {
  EXPECT_EQ(lw::check::parse_dscp("cs6"), 48);
  EXPECT_EQ(lw::check::parse_dscp("EF"), 46);
  EXPECT_EQ(lw::check::parse_dscp("af41"), 34);
  EXPECT_EQ(lw::check::parse_dscp("46"), 46);
  EXPECT_FALSE(lw::check::parse_dscp("64"));
  EXPECT_FALSE(lw::check::parse_dscp("cs8"));
  EXPECT_FALSE(lw::check::parse_dscp("high"));
  EXPECT_EQ(lw::check::dscp_name(48), "cs6 (48)");
  EXPECT_EQ(lw::check::dscp_name(46), "ef (46)");
  EXPECT_EQ(lw::check::dscp_name(34), "af41 (34)");
  EXPECT_EQ(lw::check::dscp_name(4), "4");
}

TEST(CheckDscp, DebianVersionOrder) {
  using lw::pve::compare_debian_versions;
  EXPECT_LT(compare_debian_versions("3.1.9-pve1", "3.1.10-pve3"), 0);
  EXPECT_LT(compare_debian_versions("3.1.10-pve2", "3.1.10-pve3"), 0);
  EXPECT_EQ(compare_debian_versions("3.1.10-pve3", "3.1.10-pve3"), 0);
  EXPECT_GT(compare_debian_versions("3.1.10-pve10", "3.1.10-pve3"), 0);
  EXPECT_GT(compare_debian_versions("3.1.10-1", "3.1.10"), 0);
  EXPECT_LT(compare_debian_versions("3.1.10~rc1-1", "3.1.10-1"), 0);
  EXPECT_GT(compare_debian_versions("1:1.0", "2.0"), 0);
  EXPECT_LT(compare_debian_versions("1.30-pve2", "1.32"), 0);
}

TEST(CheckDscp, DpkgStatusGivesInstalledVersionsOnly) {
  auto p = lw::pve::parse_dpkg_status(
      "Package: corosync\nStatus: deinstall ok config-files\nVersion: 3.1.7-pve3\n\n"
      "Package: libknet1t64\nStatus: install ok installed\nVersion: 1.32-pve1\n"
      "Description: kronosnet\n long text: with a colon\n",
      "status");
  EXPECT_FALSE(p.corosync);
  EXPECT_EQ(p.knet, "1.32-pve1");
}

TEST(CheckDscp, WhichCorosyncAppliesIpDscp) {
  using lw::check::corosync_ip_dscp_support;
  using lw::check::Support;
  lw::pve::Packages p;
  p.file = "status";
  EXPECT_EQ(corosync_ip_dscp_support(p).support, Support::unknown);
  p.corosync = "3.1.10-pve2";  // Proxmox's build ignores it before -pve3
  EXPECT_EQ(corosync_ip_dscp_support(p).support, Support::no);
  p.corosync = "3.1.10-pve3";
  EXPECT_EQ(corosync_ip_dscp_support(p).support, Support::yes);
  p.knet = "1.30-pve2";
  EXPECT_EQ(corosync_ip_dscp_support(p).support, Support::no);
  EXPECT_NE(corosync_ip_dscp_support(p).why.find("knet 1.30-pve2"), std::string::npos);
  p.corosync = "3.1.10-1";  // upstream/Debian: from 3.1.10
  p.knet = "1.32-1";
  EXPECT_EQ(corosync_ip_dscp_support(p).support, Support::yes);
}

lw::pve::NodeConfig dscp_tree() {
  return lw::pve::load_node(std::string(LW_TEST_DATA) +
                            "/fixtures/pve/broken/lw032-corosync-dscp-too-old");
}

lw::check::Finding lw032(const lw::pve::NodeConfig& n, const lw::check::PolicyFacts& p = {}) {
  auto fs = lw::check::run_rules(n, p);
  auto f = std::find_if(fs.begin(), fs.end(), [](auto& x) { return x.id == "LW032"; });
  EXPECT_NE(f, fs.end());
  return f == fs.end() ? lw::check::Finding{} : *f;
}

TEST(CheckDscp, OldCorosyncIgnoresIpDscp) {
  auto n = dscp_tree();
  ASSERT_EQ(n.packages.corosync, "3.1.9-pve1");
  auto f = lw032(n);
  EXPECT_EQ(f.severity, lw::check::Severity::warning);
  EXPECT_NE(f.message.find("totem ip_dscp cs6 has no effect: corosync 3.1.9-pve1 is older than "
                           "3.1.10-pve3"),
            std::string::npos)
      << f.message;
  EXPECT_NE(f.message.find("TOS 0x10, skb priority 6 (DSCP 4)"), std::string::npos) << f.message;
  EXPECT_NE(f.fix.find("dscp = \"cs6\""), std::string::npos) << f.fix;
  EXPECT_NE(f.source.find("corosync.conf(5)"), std::string::npos);
  EXPECT_NE(f.source.find("rt_tos2priority"), std::string::npos);
  EXPECT_GT(f.line, 0);  // the ip_dscp line
}

TEST(CheckDscp, NewCorosyncLowersTheSkbPriority) {
  auto n = dscp_tree();
  n.packages.corosync = "3.1.10-pve3";
  n.packages.knet = "1.32-pve1";
  auto f = lw032(n);
  EXPECT_EQ(f.severity, lw::check::Severity::info);
  EXPECT_NE(f.message.find("corosync sends DSCP cs6 (48): TOS 0xc0, skb priority 0, lower than "
                           "the 6 of knet's default TOS 0x10"),
            std::string::npos)
      << f.message;
  EXPECT_NE(f.message.find("its class priority, not the skb priority"), std::string::npos);
}

TEST(CheckDscp, PolicyDscpIsWhatReachesTheWire) {
  auto n = dscp_tree();
  auto f = lw032(n, {"lanewarden.toml", 46});
  EXPECT_EQ(f.severity, lw::check::Severity::info);  // the policy marks it anyway
  EXPECT_NE(f.message.find("lanewarden's policy (lanewarden.toml) marks Corosync ef (46)"),
            std::string::npos)
      << f.message;
  EXPECT_NE(f.message.find("the wire carries ef (46), not corosync's 4"), std::string::npos)
      << f.message;
  EXPECT_NE(f.fix.find("nothing while lanewarden marks the wire"), std::string::npos) << f.fix;
}

TEST(CheckDscp, UnknownVersionExplainsBothCases) {
  auto n = dscp_tree();
  n.packages = {};
  auto f = lw032(n);
  EXPECT_NE(f.message.find("corosync's version is unknown"), std::string::npos) << f.message;
  EXPECT_NE(f.message.find("older ones keep knet's default TOS 0x10"), std::string::npos);
}

TEST(CheckDscp, NothingToExplainWithoutAnyMarking) {
  auto n = lw::pve::load_node(std::string(LW_TEST_DATA) + "/fixtures/pve/3node-pve1");
  auto fs = lw::check::run_rules(n);
  EXPECT_TRUE(std::none_of(fs.begin(), fs.end(), [](auto& x) { return x.id == "LW032"; }));
  auto f = lw032(n, {"p.toml", 48});  // a policy's dscp alone is explained
  EXPECT_NE(f.message.find("knet's default TOS 0x10"), std::string::npos) << f.message;
}

}  // namespace
