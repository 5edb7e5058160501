// SPDX-License-Identifier: GPL-2.0-only
// `derive` on the fixture trees: the article's topologies give the reviewed
// policies in tests/fixtures/pve/expected/, and every output (broken trees
// included) is a policy the policy parser accepts unchanged.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "derive/derive.h"
#include "policy/parse.h"
#include "pve/node.h"

namespace {

std::string fixture(const std::string& rel) {
  return std::string(LW_TEST_DATA) + "/fixtures/pve/" + rel;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string derive_text(const std::string& tree) {
  return lw::derive::render_toml(lw::derive::derive_policy(lw::pve::load_node(fixture(tree))));
}

TEST(DeriveFixtures, ThreeNodeMatchesReviewedPolicy) {
  EXPECT_EQ(derive_text("3node-pve1"), slurp(fixture("expected/3node-pve1.toml")));
}

TEST(DeriveFixtures, TwoNodeMatchesReviewedPolicy) {
  EXPECT_EQ(derive_text("2node-pve1"), slurp(fixture("expected/2node-pve1.toml")));
}

TEST(DeriveFixtures, ServiceTreesMatchReviewedPolicies) {
  for (const char* tree : {"2node-qdevice", "3node-services", "3node-ovs", "3node-mesh-routed",
                           "3node-mesh-broadcast", "3node-mesh-rstp", "3node-fabric"}) {
    SCOPED_TRACE(tree);
    EXPECT_EQ(derive_text(tree), slurp(fixture(std::string("expected/") + tree + ".toml")));
  }
}

const lw::policy::Lane* lane(const lw::policy::Policy& p, const std::string& iface, int vlan = 0) {
  for (auto& l : p.lanes)
    if (l.interface == iface && l.vlan.value_or(0) == vlan) return &l;
  return nullptr;
}

bool has_port(const std::vector<lw::PortRange>& v, uint16_t port) {
  return std::any_of(v.begin(), v.end(),
                     [&](auto& r) { return r.first <= port && port <= r.last; });
}

bool has_qnetd(const lw::policy::Policy& p, const std::string& net, uint16_t port) {
  const auto& s = p.classes[LW_CLASS_COROSYNC].services;
  return std::any_of(s.begin(), s.end(),
                     [&](auto& e) { return e.net.str() == net && e.port == port; });
}

TEST(DeriveFixtures, QdeviceInALinkNetworkIsCorosync) {
  auto p = lw::policy::parse_string(derive_text("2node-qdevice"), "q.toml");
  // qnetd 10.10.10.5 is inside link 0's network: no extra network, no TCP
  // port for the whole class, one qnetd entry.
  EXPECT_EQ(p.networks[LW_CLASS_COROSYNC].size(), 2u);
  EXPECT_FALSE(has_port(p.classes[LW_CLASS_COROSYNC].tcp_ports, 5403));
  EXPECT_TRUE(has_qnetd(p, "10.10.10.5/32", 5403));
  EXPECT_TRUE(has_port(p.classes[LW_CLASS_COROSYNC].udp_ports, 5405));  // knet keeps its ports
  ASSERT_NE(lane(p, "ens18f0", 11), nullptr);
  EXPECT_EQ(lane(p, "ens18f0", 11)->classes, LW_CLASS_BIT(LW_CLASS_COROSYNC));
}

// qnetd outside the link networks: Corosync by the qnetd end alone, and
// Corosync allowed on the lane the connection leaves on (management here,
// storage in the other tree), so it is counted without a violation.
TEST(DeriveFixtures, QdeviceOutsideTheLinksIsClaimedByItsQnetdHost) {
  const std::pair<const char*, std::pair<const char*, int>> trees[] = {
      {"broken/lw027-qdevice-by-management", {"ens18f0", 10}},
      {"broken/lw026-027-qdevice-on-storage", {"bond0", 0}}};
  for (const auto& [tree, where] : trees) {
    SCOPED_TRACE(tree);
    auto text = derive_text(tree);
    EXPECT_NE(text.find("outside the link networks"), std::string::npos) << text;
    auto p = lw::policy::parse_string(text, "q.toml");
    EXPECT_FALSE(has_port(p.classes[LW_CLASS_COROSYNC].tcp_ports, 5403));
    ASSERT_EQ(p.classes[LW_CLASS_COROSYNC].services.size(), 1u);
    EXPECT_EQ(p.classes[LW_CLASS_COROSYNC].services[0].port, 5403);
    // qnetd is no link network.
    for (auto& n : p.networks[LW_CLASS_COROSYNC])
      EXPECT_FALSE(n.contains(p.classes[LW_CLASS_COROSYNC].services[0].net.addr)) << n.str();
    const auto* l = lane(p, where.first, where.second);
    ASSERT_NE(l, nullptr);
    EXPECT_TRUE(l->classes & LW_CLASS_BIT(LW_CLASS_COROSYNC));
    EXPECT_FALSE(l->exclusive);
  }
}

TEST(DeriveFixtures, PbsAndReplicationGetTheirClasses) {
  auto p = lw::policy::parse_string(derive_text("3node-services"), "s.toml");
  ASSERT_EQ(p.networks[LW_CLASS_STORAGE].size(), 1u);
  EXPECT_EQ(p.networks[LW_CLASS_STORAGE][0].str(), "10.10.1.20/32");
  const auto& storage_tcp = p.classes[LW_CLASS_STORAGE].tcp_ports;
  for (uint16_t port : {3260, 2049, 8007}) EXPECT_TRUE(has_port(storage_tcp, port)) << port;
  EXPECT_TRUE(has_port(p.classes[LW_CLASS_STORAGE].udp_ports, 2049));
  std::vector<std::string> migration;
  for (auto& n : p.networks[LW_CLASS_MIGRATION]) migration.push_back(n.str());
  EXPECT_EQ(migration, (std::vector<std::string>{"10.10.30.0/24", "10.10.31.0/24"}));
  // The PBS sits behind the management bridge: its lane carries both.
  ASSERT_NE(lane(p, "ens18f0"), nullptr);
  EXPECT_EQ(lane(p, "ens18f0")->classes,
            LW_CLASS_BIT(LW_CLASS_MANAGEMENT) | LW_CLASS_BIT(LW_CLASS_STORAGE));
}

TEST(DeriveFixtures, MigrationWithoutANetworkSharesCorosyncLinkZero) {
  auto text = derive_text("broken/lw010-no-migration-network");
  auto p = lw::policy::parse_string(text, "m.toml");
  ASSERT_NE(lane(p, "ens18f1"), nullptr);
  EXPECT_FALSE(lane(p, "ens18f1")->exclusive) << text;  // SSH to ring0_addr runs here
  ASSERT_NE(lane(p, "ens20f1"), nullptr);
  EXPECT_TRUE(lane(p, "ens20f1")->exclusive);  // link 1 stays Corosync's alone
  EXPECT_NE(text.find("SSH to the target's ring0_addr"), std::string::npos);
}

TEST(DeriveFixtures, SctpLinkGetsSctpPortsAndStaysExclusive) {
  auto text = derive_text("broken/lw028-corosync-sctp");
  auto p = lw::policy::parse_string(text, "s.toml");
  // knet over SCTP is recognised on knet's ports, so link 1's NIC stays
  // Corosync's alone like link 0's.
  EXPECT_EQ(p.classes[LW_CLASS_COROSYNC].sctp_ports, (std::vector<lw::PortRange>{{5405, 5412}}));
  EXPECT_TRUE(lane(p, "ens18f1")->exclusive);
  EXPECT_TRUE(lane(p, "ens20f1")->exclusive) << text;  // link 1: knet_transport sctp
  EXPECT_NE(text.find("knet_transport sctp on link 1 (/etc/pve/corosync.conf:"), std::string::npos)
      << text;
  // Without SCTP links, no sctp_ports at all.
  auto plain = lw::policy::parse_string(derive_text("3node-pve1"), "p.toml");
  EXPECT_TRUE(plain.classes[LW_CLASS_COROSYNC].sctp_ports.empty());
}

TEST(DeriveFixtures, OpenVswitchLanesOnMembersAndInternalPorts) {
  auto text = derive_text("3node-ovs");
  auto p = lw::policy::parse_string(text, "o.toml");
  for (auto& l : p.lanes) EXPECT_NE(l.interface, "bond0") << "an OVSBond has no netdev";
  for (const char* nic : {"eno1", "eno2"}) {
    ASSERT_NE(lane(p, nic, 11), nullptr) << nic;
    EXPECT_EQ(lane(p, nic, 11)->classes, LW_CLASS_BIT(LW_CLASS_COROSYNC));
    ASSERT_NE(lane(p, nic, 20), nullptr) << nic;
    EXPECT_EQ(lane(p, nic, 20)->classes, LW_CLASS_BIT(LW_CLASS_CEPH_PUBLIC));
  }
  ASSERT_NE(lane(p, "coro0"), nullptr);
  EXPECT_EQ(lane(p, "coro0")->classes, LW_CLASS_BIT(LW_CLASS_COROSYNC));
  // Corosync shares the wire with Ceph: priority where they compete.
  EXPECT_EQ(p.classes[LW_CLASS_COROSYNC].priority, lw::policy::Priority::high);
  EXPECT_NE(text.find("member of OVSBond bond0 (no netdev of its own), tag 11"), std::string::npos)
      << text;
}

// A full mesh moves Ceph between its links: on a failure, and when a peer is
// reached through the third node (routed with fallback, RSTP). Every link
// of the mesh is a Ceph cluster lane, none exclusive, so neither is a
// violation.
TEST(DeriveFixtures, FullMeshLanesCoverEveryPath) {
  const std::map<std::string, std::vector<std::string>> lanes = {
      {"3node-mesh-routed", {"ens21f0", "ens21f1"}},
      {"3node-mesh-broadcast", {"bond1"}},
      {"3node-mesh-rstp", {"ens21f0", "ens21f1", "vmbr1"}}};
  for (auto& [tree, ifaces] : lanes) {
    SCOPED_TRACE(tree);
    auto p = lw::policy::parse_string(derive_text(tree), tree + ".toml");
    std::vector<std::string> cluster;
    for (auto& l : p.lanes)
      if (l.classes & LW_CLASS_BIT(LW_CLASS_CEPH_CLUSTER)) {
        cluster.push_back(l.interface);
        EXPECT_FALSE(l.exclusive);
        EXPECT_EQ(l.classes, LW_CLASS_BIT(LW_CLASS_CEPH_CLUSTER));
      }
    EXPECT_EQ(cluster, ifaces);
    EXPECT_EQ(p.networks[LW_CLASS_CEPH_CLUSTER].size(), 1u);
  }
}

// PVE 9 SDN fabric: the router address sits on dummy_<fabric>, which carries
// nothing; Ceph leaves through the fabric's interfaces, read from the
// unnumbered stanzas of interfaces.d/sdn or, without them, fabrics.cfg.
TEST(DeriveFixtures, SdnFabricLanesOnTheFabricInterfaces) {
  for (const char* tree : {"3node-fabric", "3node-fabric-cfg-only"}) {
    SCOPED_TRACE(tree);
    auto p = lw::policy::parse_string(derive_text(tree), "f.toml");
    std::vector<std::string> ceph;
    for (auto& l : p.lanes) {
      EXPECT_NE(l.interface, "dummy_ceph");
      if (l.classes & LW_CLASS_BIT(LW_CLASS_CEPH_PUBLIC)) ceph.push_back(l.interface);
    }
    EXPECT_EQ(ceph, (std::vector<std::string>{"ens21f0", "ens21f1"}));
    ASSERT_EQ(p.networks[LW_CLASS_CEPH_PUBLIC].size(), 1u);
    EXPECT_EQ(p.networks[LW_CLASS_CEPH_PUBLIC][0].str(), "10.10.60.0/24");
  }
}

// The routed mesh of FRR (Proxmox wiki, "Full Mesh Network for Ceph Server",
// Routed Setup (with Fallback)): the address sits on lo, frr.conf carries it
// over the mesh NICs. Each of them gets the class, never exclusively (the
// protocol's own packets and rerouted traffic of the other nodes cross it),
// with the frr.conf line that makes it a link.
TEST(DeriveFixtures, FrrMeshLanesOnEveryLinkOfTheInstance) {
  struct Case {
    const char* tree;
    int cls;
    const char* why;
  };
  for (auto c :
       {Case{"3node-frr-openfabric", LW_CLASS_CEPH_CLUSTER,
             "openfabric mesh link, /etc/frr/frr.conf:16"},
        Case{"3node-frr-ospf", LW_CLASS_CEPH_CLUSTER, "ospf mesh link, /etc/frr/frr.conf:10"},
        Case{"3node-frr-corosync", LW_CLASS_COROSYNC,
             "openfabric mesh link, /etc/frr/frr.conf:16"}}) {
    SCOPED_TRACE(c.tree);
    auto text = derive_text(c.tree);
    EXPECT_EQ(text, slurp(fixture(std::string("expected/") + c.tree + ".toml")));
    auto p = lw::policy::parse_string(text, "frr.toml");
    std::vector<std::string> mesh;
    for (auto& l : p.lanes) {
      EXPECT_NE(l.interface, "lo");
      if (l.classes & LW_CLASS_BIT(c.cls) && l.interface.rfind("ens21", 0) == 0) {
        mesh.push_back(l.interface);
        EXPECT_FALSE(l.exclusive) << l.interface;
        EXPECT_EQ(l.classes, LW_CLASS_BIT(c.cls));
      }
    }
    EXPECT_EQ(mesh, (std::vector<std::string>{"ens21f0", "ens21f1"}));
    EXPECT_NE(text.find(c.why), std::string::npos) << text;
  }
  // Corosync over the mesh: the link network is the node's /32 and the
  // peers' addresses; sharing the wire, Corosync gets priority.
  auto p = lw::policy::parse_string(derive_text("3node-frr-corosync"), "c.toml");
  std::vector<std::string> corosync;
  for (auto& n : p.networks[LW_CLASS_COROSYNC]) corosync.push_back(n.str());
  EXPECT_EQ(corosync, (std::vector<std::string>{"10.10.10.0/24", "10.10.20.1/32", "10.10.20.2/32",
                                                "10.10.20.3/32"}));
  EXPECT_EQ(p.classes[LW_CLASS_COROSYNC].priority, lw::policy::Priority::high);
}

// fabricd switched off in /etc/frr/daemons: frr.conf routes nothing, and
// derive says so instead of putting lanes on the mesh.
TEST(DeriveFixtures, FrrInstanceWithItsDaemonOffGivesNoLanes) {
  auto node = lw::pve::load_node(fixture("3node-frr-openfabric"));
  node.frr->daemons["fabricd"] = false;
  auto text = lw::derive::render_toml(lw::derive::derive_policy(node));
  EXPECT_EQ(text.find("interface = \"ens21f0\""), std::string::npos) << text;
  EXPECT_NE(text.find("router openfabric 1 ("), std::string::npos) << text;
  EXPECT_NE(text.find("has no fabricd=yes"), std::string::npos) << text;
}

// On the node the kernel's names win: NICs renamed (nic0...) after the
// files were written keep their lanes.
TEST(DeriveFixtures, KernelNamesWinOverRenamedFiles) {
  auto node = lw::pve::load_node(fixture("3node-pve1"));
  node.live.kernel = true;
  node.live.address_devices[*lw::parse_address("10.10.10.1")] = "nic1";
  node.live.address_devices[*lw::parse_address("10.10.20.1")] = "ens20f1";  // unchanged
  auto text = lw::derive::render_toml(lw::derive::derive_policy(node));
  auto p = lw::policy::parse_string(text, "k.toml");
  EXPECT_EQ(lane(p, "ens18f1"), nullptr) << text;
  ASSERT_NE(lane(p, "nic1"), nullptr) << text;
  EXPECT_TRUE(lane(p, "nic1")->exclusive);
  EXPECT_NE(text.find("the kernel calls ens18f1 nic1"), std::string::npos) << text;
  ASSERT_NE(lane(p, "ens20f1"), nullptr);
}

TEST(DeriveFixtures, ThreeNodePolicyMeansWhatTheArticleSays) {
  auto p = lw::policy::parse_string(derive_text("3node-pve1"), "3node-pve1.toml");
  EXPECT_EQ(p.mode, lw::policy::Mode::audit);
  ASSERT_EQ(p.lanes.size(), 6u);
  int exclusive = 0;
  for (auto& l : p.lanes) {
    if (l.classes == LW_CLASS_BIT(LW_CLASS_COROSYNC)) {
      EXPECT_TRUE(l.exclusive) << l.interface;
      ++exclusive;
    } else {
      EXPECT_FALSE(l.exclusive) << l.interface;
    }
    EXPECT_FALSE(l.vlan);
  }
  EXPECT_EQ(exclusive, 2);  // ens18f1 (link 0) and ens20f1 (link 1)
  ASSERT_TRUE(p.classes[LW_CLASS_MIGRATION].cap);
  // bwlimit migration=512000 is KiB/s: 500 MiB/s, not 500 GiB/s.
  EXPECT_EQ(p.classes[LW_CLASS_MIGRATION].cap->bytes_per_sec, 512000ull * 1024);
  EXPECT_EQ(p.networks[LW_CLASS_COROSYNC].size(), 2u);
  EXPECT_EQ(p.networks[LW_CLASS_CEPH_CLUSTER].size(), 1u);
}

TEST(DeriveFixtures, TwoNodePolicyUsesVlanLanesAndPriority) {
  auto p = lw::policy::parse_string(derive_text("2node-pve1"), "2node-pve1.toml");
  ASSERT_EQ(p.lanes.size(), 4u);
  EXPECT_EQ(p.lanes[0].interface, "ens18f0");
  EXPECT_EQ(p.lanes[0].vlan, 10);
  EXPECT_EQ(p.lanes[1].interface, "ens18f0");
  EXPECT_EQ(p.lanes[1].vlan, 11);
  EXPECT_FALSE(p.lanes[1].exclusive);  // shares the NIC with management
  EXPECT_EQ(p.lanes[2].interface, "ens18f1");
  EXPECT_EQ(p.lanes[2].vlan, 12);
  EXPECT_TRUE(p.lanes[2].exclusive);
  EXPECT_EQ(p.lanes[3].interface, "bond0");
  EXPECT_EQ(p.lanes[3].classes, LW_CLASS_BIT(LW_CLASS_MIGRATION) | LW_CLASS_BIT(LW_CLASS_STORAGE));
  EXPECT_EQ(p.classes[LW_CLASS_COROSYNC].priority, lw::policy::Priority::high);
  EXPECT_EQ(p.classes[LW_CLASS_MIGRATION].cap->bytes_per_sec, 204800ull * 1024);
}

TEST(DeriveFixtures, EveryTreeGivesAValidPolicyNamingOnlyKnownInterfaces) {
  std::vector<std::string> trees = {"3node-pve1",
                                    "2node-pve1",
                                    "2node-qdevice",
                                    "3node-services",
                                    "3node-ovs",
                                    "3node-mesh-routed",
                                    "3node-mesh-broadcast",
                                    "3node-mesh-rstp",
                                    "3node-fabric",
                                    "3node-fabric-cfg-only",
                                    "3node-frr-openfabric",
                                    "3node-frr-ospf",
                                    "3node-frr-corosync"};
  for (auto& e : std::filesystem::directory_iterator(fixture("broken")))
    if (e.is_directory()) trees.push_back("broken/" + e.path().filename().string());
  ASSERT_GT(trees.size(), 20u);
  for (auto& t : trees) {
    SCOPED_TRACE(t);
    auto node = lw::pve::load_node(fixture(t));
    auto derived = lw::derive::derive_policy(node);
    // Or the kernel's name of a NIC the files know by another (check LW030).
    for (auto& l : derived.lanes)
      EXPECT_TRUE(node.interfaces.mentions(l.iface) || node.live.link_macs.count(l.iface))
          << l.iface;
    EXPECT_NO_THROW(lw::policy::parse_string(lw::derive::render_toml(derived), t + ".toml"));
  }
}

TEST(DeriveFixtures, LeftOutNetworksAreExplained) {
  auto text = derive_text("broken/lw012-ceph-networks-same");
  EXPECT_NE(text.find("ceph_cluster network 10.10.40.0/24 left out"), std::string::npos) << text;
  EXPECT_EQ(text.find("ceph_cluster = "), std::string::npos) << text;
}

TEST(DeriveFixtures, RunDeriveWritesTheFile) {
  auto out =
      std::filesystem::temp_directory_path() / ("lw-derive-" + std::to_string(getpid()) + ".toml");
  std::ostringstream ignored;
  lw::derive::run_derive({fixture("3node-pve1"), out.string()}, ignored);
  EXPECT_TRUE(ignored.str().empty());
  EXPECT_EQ(slurp(out.string()), slurp(fixture("expected/3node-pve1.toml")));
  EXPECT_NO_THROW(lw::policy::parse_file(out.string()));
  std::filesystem::remove(out);
}

TEST(DeriveFixtures, RunDeriveToStdout) {
  std::ostringstream out;
  lw::derive::run_derive({fixture("2node-pve1"), ""}, out);
  EXPECT_EQ(out.str(), slurp(fixture("expected/2node-pve1.toml")));
}

}  // namespace
