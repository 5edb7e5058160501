// SPDX-License-Identifier: GPL-2.0-only
// /etc/frr/frr.conf and /etc/frr/daemons: which interfaces a routing
// instance runs on, which are passive, and the addresses zebra configures.
#include <gtest/gtest.h>

#include "pve/frr_conf.h"

namespace {

using lw::pve::FrrConf;
using lw::pve::FrrInstance;
using lw::pve::parse_frr_conf;

const FrrInstance kOpenfabric{"openfabric", "1"};
const FrrInstance kOspf{"ospf", ""};

lw::pve::Interfaces interfaces(const std::string& text) {
  return lw::pve::parse_interfaces(text, "interfaces");
}

std::vector<std::string> link_names(const FrrConf& c, const FrrInstance& i,
                                    const lw::pve::Interfaces& ifs) {
  std::vector<std::string> out;
  for (auto& l : c.links(i, ifs)) out.push_back(l.iface);
  return out;
}

// The wiki's OpenFabric setup as FRR writes it back: `exit` and `!` between
// sections, one-space indentation, timers the parser does not need.
constexpr const char* kOpenfabricConf = R"(frr version 8.4.4
frr defaults traditional
hostname pve1
ip forwarding
service integrated-vtysh-config
!
interface lo
 ip address 10.10.50.1/32
 ip router openfabric 1
 ipv6 router openfabric 1
 openfabric passive
exit
!
interface ens21f0
 ip router openfabric 1
 openfabric csnp-interval 2
 openfabric hello-interval 1
exit
!
interface ens21f1
 ip router openfabric 1
 openfabric hello-multiplier 2
exit
!
line vty
!
router openfabric 1
 net 49.0001.1111.1111.1111.00
 lsp-gen-interval 1
exit
)";

TEST(PveFrr, OpenfabricLinksArePassiveFreeNonLoopbackMembers) {
  auto c = parse_frr_conf(kOpenfabricConf, "frr.conf");
  ASSERT_EQ(c.interfaces.size(), 3u);
  ASSERT_EQ(c.routers.size(), 1u);
  EXPECT_EQ(c.routers[0].instance, kOpenfabric);
  EXPECT_EQ(c.routers[0].where.line, 27);
  const auto* lo = c.iface("lo");
  ASSERT_NE(lo, nullptr);
  ASSERT_EQ(lo->addresses.size(), 1u);
  EXPECT_EQ(lo->addresses[0].addr.addr.str(), "10.10.50.1");
  EXPECT_EQ(lo->addresses[0].where.line, 8);
  EXPECT_EQ(lo->routing.size(), 1u);  // ip and ipv6 of one instance: one membership
  EXPECT_TRUE(lo->is_passive("openfabric"));

  auto ifs = interfaces("auto lo\niface lo inet loopback\n");
  EXPECT_EQ(link_names(c, kOpenfabric, ifs), (std::vector<std::string>{"ens21f0", "ens21f1"}));
  auto links = c.links(kOpenfabric, ifs);
  EXPECT_EQ(links[0].where.line, 15);  // `ip router openfabric 1` of ens21f0
  auto routed = c.routing("lo", *lw::parse_address("10.10.50.1"), ifs);
  EXPECT_EQ(routed, (std::vector<FrrInstance>{kOpenfabric}));
  EXPECT_TRUE(c.routing("vmbr0", *lw::parse_address("10.10.1.1"), ifs).empty());
  EXPECT_TRUE(c.enabled(kOpenfabric));  // no daemons file: as configured
}

TEST(PveFrr, DaemonsFileSwitchesInstancesOff) {
  auto c = parse_frr_conf(kOpenfabricConf, "frr.conf");
  lw::pve::parse_frr_daemons(
      "# comment\nzebra=yes\nfabricd=no\nospfd=yes\nvtysh_enable=yes\n"
      "zebra_options=\"  -A 127.0.0.1 -s 90000000\"\n",
      "daemons", c);
  EXPECT_FALSE(c.enabled(kOpenfabric));
  EXPECT_TRUE(c.enabled(kOspf));
  EXPECT_EQ(c.daemons.count("zebra_options"), 0u);
  lw::pve::parse_frr_daemons("fabricd=yes\n", "daemons", c);
  EXPECT_TRUE(c.enabled(kOpenfabric));
}

// The OSPF variants: per-interface `ip ospf area`, and `network ... area`
// under the router, which enables OSPF on every interface with an address
// in the prefix, minus the passive ones.
TEST(PveFrr, OspfByInterfaceAndByNetworkStatement) {
  auto c = parse_frr_conf(
      "interface ens21f0\n ip ospf area 0\n ip ospf network point-to-point\n!\n"
      "interface lo\n ip address 10.10.50.1/32\n ip ospf area 0.0.0.0\n ip ospf passive\n!\n"
      "router ospf\n ospf router-id 10.10.50.1\n network 10.10.51.0/24 area 0\n"
      " passive-interface default\n no passive-interface ens22f0\n maximum-paths 1\n!\n",
      "frr.conf");
  auto ifs = interfaces(
      "iface lo inet loopback\n\niface ens21f0 inet manual\n\nauto ens22f0\n"
      "iface ens22f0 inet static\n\taddress 10.10.51.1/32\n\nauto ens22f1\n"
      "iface ens22f1 inet static\n\taddress 10.10.51.1/32\n");
  ASSERT_EQ(c.routers.size(), 1u);
  EXPECT_EQ(c.routers[0].maximum_paths, 1);
  ASSERT_EQ(c.routers[0].networks.size(), 1u);
  // ens21f0 by its own line (passive-interface default covers it too: it is
  // a router-wide default, so only ens22f0 stays active).
  EXPECT_EQ(link_names(c, kOspf, ifs), (std::vector<std::string>{"ens22f0"}));
  auto members = c.members(kOspf, ifs);
  ASSERT_EQ(members.size(), 4u);
  EXPECT_EQ(members[0].iface, "ens21f0");
  EXPECT_EQ(members[0].area, "0");
  EXPECT_TRUE(members[0].passive);
  EXPECT_EQ(c.routing("lo", *lw::parse_address("10.10.50.1"), ifs),
            (std::vector<FrrInstance>{kOspf}));
}

TEST(PveFrr, Ospf6AndSectionsEndedWithoutExit) {
  // No indentation, no `exit`: a top-level command ends a section.
  auto c = parse_frr_conf(
      "interface ens21f0\nipv6 ospf6 area 0\nip forwarding\n"
      "router ospf6\n interface ens21f1 area 0.0.0.0\n redistribute connected\n"
      "interface lo\nipv6 address 2001:db8::1/128\n",
      "frr.conf");
  FrrInstance ospf6{"ospf6", ""};
  ASSERT_EQ(c.routers.size(), 1u);
  EXPECT_TRUE(c.routers[0].redistribute_connected);
  ASSERT_EQ(c.interfaces.size(), 2u);  // ens21f0 and lo: `interface X area` is a router command
  EXPECT_EQ(c.iface("lo")->addresses.size(), 1u);
  auto ifs = interfaces("iface lo inet loopback\n");
  EXPECT_EQ(link_names(c, ospf6, ifs), (std::vector<std::string>{"ens21f0", "ens21f1"}));
  // Redistributed connected routes: every local address is carried.
  EXPECT_EQ(c.routing("lo", *lw::parse_address("2001:db8::1"), ifs).size(), 1u);
}

TEST(PveFrr, InstancesWithoutARouterSectionRunNothing) {
  auto c = parse_frr_conf("interface ens21f0\n ip router openfabric 1\nexit\n", "frr.conf");
  EXPECT_TRUE(c.links(kOpenfabric, interfaces("")).empty());
}

TEST(PveFrr, MalformedAddressNamesTheLine) {
  try {
    parse_frr_conf("!\ninterface lo\n ip address 10.10.50.300/32\n", "frr.conf");
    FAIL() << "no error";
  } catch (const lw::pve::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("frr.conf:3"), std::string::npos) << e.what();
  }
}

TEST(PveFrr, ZebraAddressesJoinTheInterfaces) {
  auto c = parse_frr_conf(kOpenfabricConf, "frr.conf");
  auto ifs = interfaces("auto lo\niface lo inet loopback\n\niface ens21f0 inet manual\n");
  lw::pve::merge_frr_addresses(c, ifs);
  const auto* lo = ifs.find("lo");
  ASSERT_NE(lo, nullptr);
  ASSERT_EQ(lo->addresses.size(), 1u);
  EXPECT_EQ(lo->addresses[0].where.str(), "frr.conf:8");
  // Without a stanza for lo, the loopback is made.
  auto bare = interfaces("iface ens21f0 inet manual\n");
  lw::pve::merge_frr_addresses(c, bare);
  ASSERT_NE(bare.find("lo"), nullptr);
  EXPECT_EQ(bare.find("lo")->kind, lw::pve::IfaceKind::loopback);
}

}  // namespace
