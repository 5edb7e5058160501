// SPDX-License-Identifier: GPL-2.0-only
// `check` on the fixture trees: nothing above info on the article's topologies,
// exactly the expected rule ids on every broken variant
// (tests/fixtures/pve/broken/EXPECTED, written by make_fixtures.py).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include "check/check.h"
#include "check/rules.h"
#include "pve/node.h"

namespace {

std::string fixture(const std::string& rel) {
  return std::string(LW_TEST_DATA) + "/fixtures/pve/" + rel;
}

std::vector<lw::check::Finding> findings_of(const std::string& tree) {
  return lw::check::run_rules(lw::pve::load_node(fixture(tree)));
}

std::string dump(const std::vector<lw::check::Finding>& fs) {
  std::string out;
  for (auto& f : fs)
    out += f.id + " " + f.file + ":" + std::to_string(f.line) + " " + f.message + "\n";
  return out;
}

TEST(CheckFixtures, ThreeNodeIsClean) {
  auto fs = findings_of("3node-pve1");
  EXPECT_TRUE(fs.empty()) << dump(fs);
}

TEST(CheckFixtures, TwoNodeHasOnlyInfo) {
  auto fs = findings_of("2node-pve1");
  std::set<std::string> ids;
  for (auto& f : fs) {
    EXPECT_EQ(f.severity, lw::check::Severity::info) << dump(fs);
    ids.insert(f.id);
  }
  // Management and Corosync link 0 share ens18f0 (VLAN 10/11), a bridge port:
  // "Proxmox Cluster Network Design" accepts it "as long as management traffic is minimal".
  EXPECT_EQ(ids, std::set<std::string>{"LW023"}) << dump(fs);
}

std::set<std::string> ids_of(const std::vector<lw::check::Finding>& fs) {
  std::set<std::string> ids;
  for (auto& f : fs) ids.insert(f.id);
  return ids;
}

TEST(CheckFixtures, QdeviceInALinkNetworkIsFine) {
  auto fs = findings_of("2node-qdevice");
  EXPECT_EQ(ids_of(fs), std::set<std::string>{"LW023"}) << dump(fs);  // as 2node-pve1
}

TEST(CheckFixtures, TwoNodeWithoutTiebreakerExplainsBothFixes) {
  for (auto& f : findings_of("broken/lw025-two-node-no-tiebreaker")) {
    if (f.id != "LW025") continue;
    EXPECT_NE(f.fix.find("pvecm qdevice setup"), std::string::npos);
    EXPECT_NE(f.fix.find("wait_for_all"), std::string::npos);
    EXPECT_NE(f.source.find("votequorum(5)"), std::string::npos);
    EXPECT_NE(f.file.find("corosync.conf"), std::string::npos);
    EXPECT_GT(f.line, 0);  // the quorum section
    return;
  }
  FAIL() << "no LW025";
}

// Backups to the PBS leave over the management bridge: the article's
// warning applies, the jumbo-frame advice (LW007) does not.
TEST(CheckFixtures, ServicesTreeWarnsOfBackupsOnManagement) {
  auto fs = findings_of("3node-services");
  EXPECT_EQ(ids_of(fs), std::set<std::string>{"LW013"}) << dump(fs);
}

TEST(CheckFixtures, OpenVswitchSharingIsFoundAndOvsMtuRead) {
  auto fs = findings_of("3node-ovs");
  EXPECT_EQ(ids_of(fs), (std::set<std::string>{"LW001", "LW023"})) << dump(fs);
  bool ceph = false;
  for (auto& f : fs)
    if (f.id == "LW001" && f.message.find("corosync link 0 (10.10.10.1 on coro0) shares physical "
                                          "NIC eno1 with ceph public network") != std::string::npos)
      ceph = true;
  EXPECT_TRUE(ceph) << dump(fs);
}

TEST(CheckFixtures, FullMeshDesignsAreClean) {
  for (const char* tree : {"3node-mesh-routed", "3node-mesh-broadcast", "3node-mesh-rstp",
                           "3node-frr-openfabric", "3node-frr-ospf", "3node-frr-corosync"}) {
    auto fs = findings_of(tree);
    EXPECT_TRUE(fs.empty()) << tree << ":\n" << dump(fs);
  }
}

TEST(CheckFixtures, EcmpHashPolicyReadOnTheNodeOrSaidUnknown) {
  auto known = findings_of("broken/lw029-ecmp-hash-l3");
  ASSERT_EQ(known.size(), 2u) << dump(known);  // one per ECMP route
  EXPECT_EQ(known[0].severity, lw::check::Severity::warning);
  EXPECT_NE(known[0].message.find("fib_multipath_hash_policy is 0"), std::string::npos);
  EXPECT_NE(known[0].message.find("over ens21f0, ens21f1"), std::string::npos) << dump(known);
  auto unknown = findings_of("broken/lw029-ecmp-hash-unknown");
  ASSERT_EQ(unknown.size(), 2u) << dump(unknown);
  EXPECT_EQ(unknown[0].severity, lw::check::Severity::info);
  EXPECT_NE(unknown[0].message.find("is unknown (check did not run on the node)"),
            std::string::npos);
}

// OpenFabric over two links to each of two peers installs ECMP routes
// (equal costs); one link per peer does not (the detour costs more).
TEST(CheckFixtures, FrrMeshWithMoreLinksThanPeersIsEcmp) {
  auto fs = findings_of("broken/lw029-frr-ecmp");
  ASSERT_EQ(fs.size(), 1u) << dump(fs);
  EXPECT_EQ(fs[0].severity, lw::check::Severity::warning);
  EXPECT_NE(fs[0].message.find("FRR router openfabric 1 runs on 4 links (ens21f0, ens21f1, "
                               "ens22f0, ens22f1) to 2 peers"),
            std::string::npos)
      << dump(fs);
  EXPECT_NE(fs[0].message.find("FRR docs"), std::string::npos);
  EXPECT_NE(fs[0].file.find("etc/frr/frr.conf"), std::string::npos) << fs[0].file;
  // The kernel default hash, or `maximum-paths 1`: nothing to report.
  auto node = lw::pve::load_node(fixture("broken/lw029-frr-ecmp"));
  node.live.fib_multipath_hash_policy = 1;
  EXPECT_TRUE(lw::check::run_rules(node).empty());
  node.live.fib_multipath_hash_policy = 0;
  node.frr->routers[0].maximum_paths = 1;
  EXPECT_TRUE(lw::check::run_rules(node).empty());
}

// FRR's router address on lo and, unnumbered, on each mesh link: the kernel
// lists it on lo first, which is no rename.
TEST(CheckFixtures, UnnumberedAddressOnAnotherOfItsDevicesIsNoRename) {
  auto node = lw::pve::load_node(fixture("3node-frr-ospf"));
  node.live.kernel = true;
  node.live.address_devices[*lw::parse_address("10.10.50.1")] = "lo";
  auto fs = lw::check::run_rules(node);
  EXPECT_TRUE(fs.empty()) << dump(fs);
  node.live.address_devices[*lw::parse_address("10.10.50.1")] = "nic5";
  EXPECT_EQ(ids_of(lw::check::run_rules(node)), std::set<std::string>{"LW030"});
}

TEST(CheckFixtures, KernelAndFilesDisagreeOnADevice) {
  auto node = lw::pve::load_node(fixture("3node-pve1"));
  EXPECT_TRUE(lw::check::run_rules(node).empty());  // a copy: no kernel state
  node.live.kernel = true;
  node.live.address_devices[*lw::parse_address("10.10.10.1")] = "nic1";
  auto fs = lw::check::run_rules(node);
  ASSERT_EQ(ids_of(fs), std::set<std::string>{"LW030"}) << dump(fs);
  EXPECT_NE(fs[0].message.find("10.10.10.1 is configured on ens18f1 in the files, but the kernel "
                               "has it on nic1"),
            std::string::npos)
      << dump(fs);
  EXPECT_GT(fs[0].line, 0);
}

TEST(CheckFixtures, EveryBrokenTreeReportsExactlyItsRules) {
  std::ifstream in(fixture("broken/EXPECTED"));
  ASSERT_TRUE(in) << "missing EXPECTED";
  std::string line;
  int trees = 0;
  std::set<std::string> covered;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ss(line);
    std::string tree, id;
    ss >> tree;
    std::set<std::string> want;
    while (ss >> id) want.insert(id);
    auto fs = findings_of("broken/" + tree);
    std::set<std::string> got;
    for (auto& f : fs) got.insert(f.id);
    EXPECT_EQ(got, want) << tree << ":\n" << dump(fs);
    covered.insert(want.begin(), want.end());
    ++trees;
  }
  EXPECT_GE(trees, 20);
  covered.insert("LW023");  // covered by the 2-node tree
  covered.insert("LW030");  // needs kernel state: KernelAndFilesDisagreeOnADevice
  for (auto& r : lw::check::all_rules())
    EXPECT_TRUE(covered.count(r.id)) << r.id << " has no fixture";
}

// The bonding driver's own report, in the fixture tree's proc/net/bonding:
// a partner on both ports is fine, no partner or a split aggregator is not.
TEST(CheckFixtures, LacpBondWithoutPartnerRunsOnOneLink) {
  for (auto* tree : {"broken/lw031-lacp-no-partner", "broken/lw031-lacp-one-port"}) {
    auto fs = findings_of(tree);
    auto f = std::find_if(fs.begin(), fs.end(), [](auto& x) { return x.id == "LW031"; });
    ASSERT_NE(f, fs.end()) << tree << ":\n" << dump(fs);
    EXPECT_EQ(f->severity, lw::check::Severity::warning);
    EXPECT_NE(f->message.find("bond bond1"), std::string::npos) << f->message;
    EXPECT_NE(f->message.find("only one link is active"), std::string::npos) << f->message;
    EXPECT_NE(f->file.find("proc/net/bonding/bond1"), std::string::npos) << f->file;
    EXPECT_NE(f->fix.find("LACP"), std::string::npos) << f->fix;
    EXPECT_NE(f->source.find("Linux Bond"), std::string::npos);
    EXPECT_NE(f->source.find("bonding.rst"), std::string::npos);
  }
  auto none = findings_of("broken/lw031-lacp-no-partner");
  auto f = std::find_if(none.begin(), none.end(), [](auto& x) { return x.id == "LW031"; });
  ASSERT_NE(f, none.end());
  EXPECT_NE(f->message.find("no LACP partner"), std::string::npos) << f->message;
  auto split = findings_of("broken/lw031-lacp-one-port");
  f = std::find_if(split.begin(), split.end(), [](auto& x) { return x.id == "LW031"; });
  ASSERT_NE(f, split.end());
  EXPECT_NE(f->message.find("1 of its 2 links that are up (ens18f1, ens21f0) is in the active "
                            "aggregator 1"),
            std::string::npos)
      << f->message;
  EXPECT_EQ(ids_of(findings_of("broken/lw031-lacp-partner-ok")), std::set<std::string>{"LW003"});
}

TEST(CheckFixtures, FindingsPointAtTheLine) {
  auto fs = findings_of("broken/lw004-corosync-bond-mode");
  bool seen = false;
  for (auto& f : fs) {
    if (f.id != "LW004") continue;
    seen = true;
    EXPECT_EQ(f.severity, lw::check::Severity::error);
    EXPECT_NE(f.file.find("etc/network/interfaces"), std::string::npos);
    EXPECT_GT(f.line, 0);
    EXPECT_NE(f.message.find("corosync link 0 (10.10.10.1) runs over bond1 in balance-rr mode"),
              std::string::npos)
        << f.message;
    EXPECT_NE(f.source.find("Corosync over Bonds"), std::string::npos);
    EXPECT_FALSE(f.fix.empty());
  }
  EXPECT_TRUE(seen);
}

TEST(CheckFixtures, BwlimitMessageStatesKibPerSecond) {
  auto fs = findings_of("broken/lw011-bwlimit-unit");
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_NE(fs[0].message.find("5 MiB/s"), std::string::npos) << fs[0].message;
  EXPECT_NE(fs[0].fix.find("migration=5242880"), std::string::npos) << fs[0].fix;
  EXPECT_EQ(fs[0].line, 3);
}

TEST(CheckFixtures, RuleIdsAreUniqueAndSourced) {
  std::set<std::string> ids, names;
  for (auto& r : lw::check::all_rules()) {
    EXPECT_TRUE(ids.insert(r.id).second) << r.id;
    EXPECT_TRUE(names.insert(r.name).second) << r.name;
    EXPECT_STRNE(r.source, "");
    // A source is something the user can open: never our own shorthand.
    std::string source = r.source;
    std::transform(source.begin(), source.end(), source.begin(), ::tolower);
    EXPECT_EQ(source.find("seed"), std::string::npos) << r.id << ": " << r.source;
  }
}

TEST(CheckFixtures, SourcesNameDocsUsersCanOpen) {
  EXPECT_STREQ(lw::check::rule("LW001").source,
               "\"Proxmox Cluster Network Design\" (DATAZONE), Common Mistakes");
  EXPECT_STREQ(lw::check::rule("LW014").source,
               "Proxmox VE Administration Guide, Cluster Manager: Cluster Network");
  EXPECT_STREQ(lw::check::rule("LW009").source, "corosync.conf(5)");
  EXPECT_STREQ(lw::check::rule("LW012").source, "Ceph docs, Network Configuration Reference");
}

}  // namespace
