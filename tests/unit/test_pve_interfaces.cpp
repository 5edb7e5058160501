// SPDX-License-Identifier: GPL-2.0-only
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "pve/interfaces.h"
#include "pve/live_state.h"
#include "pve/topology.h"

namespace {

using lw::pve::IfaceKind;
using lw::pve::parse_interfaces;

constexpr const char* kFile = R"(auto lo
iface lo inet loopback

iface eno1 inet manual
iface eno2 inet manual

auto bond0
iface bond0 inet manual
	bond-slaves eno1 eno2
	bond-miimon 100
	bond_mode 4
	bond-lacp-rate 1
	bond-xmit-hash-policy layer3+4
	mtu 9000

auto bond1
iface bond1 inet manual
	bond-slaves eno3 \
	    eno4

auto vmbr0
iface vmbr0 inet static
	address 10.10.1.1
	netmask 255.255.255.0
	gateway 10.10.1.254
	bridge-ports bond0
	bridge-stp off
	bridge-fd 0
	bridge-vlan-aware yes

iface vmbr0 inet6 static
	address fd00:1::1/64

auto bond0.20
iface bond0.20 inet static
	address 10.10.20.1/24

auto vmbr0.30
iface vmbr0.30 inet static
	address 10.10.30.1/24
	mtu 9000

auto vlan40
iface vlan40 inet static
	address 10.10.40.1/24
	vlan-raw-device eno5

auto eno6.50
iface eno6.50 inet static
	address 10.10.50.1/24
)";

TEST(PveInterfaces, EverySyntaxVariant) {
  auto ifs = parse_interfaces(kFile, "interfaces");
  auto* lo = ifs.find("lo");
  ASSERT_NE(lo, nullptr);
  EXPECT_EQ(lo->kind, IfaceKind::loopback);
  auto* bond0 = ifs.find("bond0");
  ASSERT_NE(bond0, nullptr);
  EXPECT_EQ(bond0->kind, IfaceKind::bond);
  EXPECT_EQ(bond0->slaves, (std::vector<std::string>{"eno1", "eno2"}));
  EXPECT_EQ(bond0->bond_mode, "802.3ad");  // "bond_mode 4": underscore and number
  EXPECT_EQ(bond0->lacp_rate, "fast");
  EXPECT_EQ(bond0->mtu, 9000);
  EXPECT_TRUE(bond0->is_auto);
  auto* bond1 = ifs.find("bond1");
  EXPECT_EQ(bond1->slaves, (std::vector<std::string>{"eno3", "eno4"}));  // continuation line
  EXPECT_EQ(bond1->bond_mode, "balance-rr");                             // unset = kernel default
  EXPECT_EQ(bond1->lacp_rate, "slow");
  auto* vmbr0 = ifs.find("vmbr0");
  EXPECT_EQ(vmbr0->kind, IfaceKind::bridge);
  EXPECT_EQ(vmbr0->ports, (std::vector<std::string>{"bond0"}));
  EXPECT_FALSE(vmbr0->stp);
  EXPECT_TRUE(vmbr0->vlan_aware);
  ASSERT_EQ(vmbr0->addresses.size(), 2u);                         // inet and inet6 stanzas merge
  EXPECT_EQ(vmbr0->addresses[0].addr.net.str(), "10.10.1.0/24");  // netmask line
  EXPECT_EQ(vmbr0->addresses[1].addr.net.str(), "fd00:1::/64");
  EXPECT_EQ(vmbr0->gateway->text, "10.10.1.254");
  auto* b20 = ifs.find("bond0.20");
  EXPECT_EQ(b20->kind, IfaceKind::vlan);
  EXPECT_EQ(b20->vlan_raw, "bond0");
  EXPECT_EQ(b20->vlan_id, 20);
  EXPECT_EQ(b20->addresses[0].where.line, 36);
  EXPECT_EQ(ifs.find("vmbr0.30")->vlan_raw, "vmbr0");
  auto* v40 = ifs.find("vlan40");
  EXPECT_EQ(v40->kind, IfaceKind::vlan);
  EXPECT_EQ(v40->vlan_raw, "eno5");
  EXPECT_EQ(v40->vlan_id, 40);
  EXPECT_EQ(ifs.find("eno6.50")->vlan_id, 50);
  EXPECT_EQ(ifs.find("eno1")->kind, IfaceKind::physical);
  EXPECT_TRUE(ifs.mentions("eno3"));
  EXPECT_TRUE(ifs.mentions("eno5"));
  EXPECT_FALSE(ifs.mentions("eno9"));
}

TEST(PveInterfaces, TopologyFollowsStacksToNicsAndTags) {
  auto ifs = parse_interfaces(kFile, "interfaces");
  lw::pve::Topology t(ifs);
  using A = lw::pve::Attach;
  EXPECT_EQ(t.attach_points("vmbr0"), (std::vector<A>{{"bond0", 0}}));
  EXPECT_EQ(t.attach_points("bond0.20"), (std::vector<A>{{"bond0", 20}}));
  EXPECT_EQ(t.attach_points("vmbr0.30"), (std::vector<A>{{"bond0", 30}}));
  EXPECT_EQ(t.attach_points("vlan40"), (std::vector<A>{{"eno5", 40}}));
  EXPECT_EQ(t.physical_nics("vmbr0.30"), (std::vector<std::string>{"eno1", "eno2"}));
  EXPECT_TRUE(t.carries_guests("bond0"));
  EXPECT_FALSE(t.carries_guests("eno5"));
  EXPECT_EQ(t.effective_mtu("vmbr0"), 9000);     // bridge: smallest port MTU
  EXPECT_EQ(t.effective_mtu("bond0.20"), 9000);  // VLAN: its raw device's
  EXPECT_EQ(t.effective_mtu("vlan40"), 1500);
  auto owner = t.owner_of(*lw::parse_address("10.10.20.1"));
  ASSERT_NE(owner.iface, nullptr);
  EXPECT_EQ(owner.iface->name, "bond0.20");
  EXPECT_EQ(t.locals_in(*lw::parse_network("10.10.0.0/16")).size(), 5u);
}

// Open vSwitch as pve-common's writer spells it (PVE/Network/Interfaces.pm and
// its test/etc_network_interfaces), with the older allow-ovs/allow-vmbrN
// headers instead of auto.
constexpr const char* kOvs = R"(allow-vmbr0 eno1
iface eno1 inet manual
	ovs_type OVSPort
	ovs_bridge vmbr0

iface eno2 inet manual
iface eno3 inet manual

allow-vmbr1 bond1
iface bond1 inet manual
	ovs_bonds eno2 eno3
	ovs_type OVSBond
	ovs_bridge vmbr1
	ovs_mtu 9000
	ovs_options bond_mode=balance-tcp lacp=active other_config:lacp-time=fast

allow-ovs vmbr0
iface vmbr0 inet static
	address 10.10.1.1/24
	ovs_type OVSBridge
	ovs_ports eno1

allow-ovs vmbr1
iface vmbr1 inet manual
	ovs_type OVSBridge
	ovs_ports bond1 coro0
	ovs_mtu 9000

allow-vmbr1 coro0
iface coro0 inet static
	address 10.10.10.1/24
	ovs_type OVSIntPort
	ovs_bridge vmbr1
	ovs_options tag=11

allow-vmbr1 ceph0
iface ceph0 inet static
	address 10.10.40.1/24
	ovs_type OVSIntPort
	ovs_bridge vmbr1
	ovs_mtu 9000
	ovs_options tag=20
)";

TEST(PveInterfaces, OpenVswitchStanzas) {
  auto ifs = parse_interfaces(kOvs, "interfaces");
  auto* bond = ifs.find("bond1");
  ASSERT_NE(bond, nullptr);
  EXPECT_EQ(bond->kind, IfaceKind::ovs_bond);
  EXPECT_EQ(bond->slaves, (std::vector<std::string>{"eno2", "eno3"}));
  EXPECT_EQ(bond->ovs_bond_mode, "balance-tcp");
  EXPECT_EQ(bond->ovs_lacp, "active");
  EXPECT_EQ(bond->mtu, 9000);
  EXPECT_TRUE(bond->is_auto);  // allow-vmbr1
  auto* br = ifs.find("vmbr1");
  EXPECT_EQ(br->kind, IfaceKind::ovs_bridge);
  // ceph0 names its bridge only on its own stanza: it is a port all the same.
  EXPECT_EQ(br->ports, (std::vector<std::string>{"bond1", "coro0", "ceph0"}));
  EXPECT_EQ(ifs.find("coro0")->kind, IfaceKind::ovs_intport);
  EXPECT_EQ(ifs.find("coro0")->ovs_tag, 11);
  EXPECT_EQ(ifs.find("ceph0")->mtu, 9000);  // ovs_mtu
  EXPECT_EQ(ifs.find("eno1")->kind, IfaceKind::physical);
  EXPECT_EQ(ifs.find("eno1")->ovs_bridge, "vmbr0");
  EXPECT_TRUE(ifs.mentions("eno3"));
  EXPECT_EQ(std::string(lw::pve::kind_name(IfaceKind::ovs_bond)), "OVSBond");
}

TEST(PveInterfaces, OpenVswitchTopology) {
  auto ifs = parse_interfaces(kOvs, "interfaces");
  lw::pve::Topology t(ifs);
  using A = lw::pve::Attach;
  // Host traffic enters at the internal port; on the wire it is tagged on
  // the bond's members, never on the bond, which has no netdev.
  EXPECT_EQ(t.attach_points("coro0"), (std::vector<A>{{"coro0", 0}, {"eno2", 11}, {"eno3", 11}}));
  EXPECT_EQ(t.attach_points("ceph0"), (std::vector<A>{{"ceph0", 0}, {"eno2", 20}, {"eno3", 20}}));
  EXPECT_EQ(t.physical_nics("coro0"), (std::vector<std::string>{"eno2", "eno3"}));
  EXPECT_EQ(t.physical_nics("ceph0"), t.physical_nics("coro0"));
  // A bridge with an address is its own internal port.
  EXPECT_EQ(t.attach_points("vmbr0"), (std::vector<A>{{"vmbr0", 0}, {"eno1", 0}}));
  EXPECT_TRUE(t.carries_guests("eno2"));
  EXPECT_FALSE(t.carries_guests("coro0"));
  EXPECT_EQ(t.effective_mtu("ceph0"), 9000);
  EXPECT_EQ(t.effective_mtu("coro0"), 1500);
}

TEST(PveInterfaces, MeshRoutesFromUpLines) {
  auto ifs = parse_interfaces(
      "iface ens19 inet static\n\taddress 10.15.15.50/24\n"
      "\tup ip route add 10.15.15.51/32 dev ens19\n\tdown ip route del 10.15.15.51/32\n"
      "\tpost-up /usr/sbin/ip -4 route add 10.15.16.0/24 via 10.15.15.51\n"
      "\tup ip route add 10.15.15.52/32 nexthop dev ens19 weight 1 nexthop dev ens20 weight 1\n"
      "\tup ip link set ens19 up\n\tup ip route add default via 10.15.15.1\n",
      "interfaces");
  const auto& r = ifs.find("ens19")->routes;
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].dest.str(), "10.15.15.51/32");
  EXPECT_EQ(r[0].devs, (std::vector<std::string>{"ens19"}));
  EXPECT_EQ(r[0].where.line, 3);
  EXPECT_EQ(r[1].dest.str(), "10.15.16.0/24");
  EXPECT_EQ(r[1].devs, (std::vector<std::string>{"ens19"}));           // via alone: this device
  EXPECT_EQ(r[2].devs, (std::vector<std::string>{"ens19", "ens20"}));  // ECMP
}

TEST(PveInterfaces, StackingLoopsDoNotHang) {
  auto ifs = parse_interfaces(
      "iface a inet manual\n bridge-ports b\niface b inet manual\n bridge-ports a\n", "f");
  lw::pve::Topology t(ifs);
  EXPECT_TRUE(t.attach_points("a").empty());
  EXPECT_EQ(t.effective_mtu("a"), 1500);
}

void expect_error(const char* text, int line, const std::string& what) {
  try {
    parse_interfaces(text, "/etc/network/interfaces");
    FAIL() << text;
  } catch (const lw::pve::ConfigError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("/etc/network/interfaces:" + std::to_string(line) + ":"), std::string::npos)
        << msg;
    EXPECT_NE(msg.find(what), std::string::npos) << msg;
    EXPECT_EQ(e.exit_code(), 2);
  }
}

TEST(PveInterfaces, MalformedInputNamesFileAndLine) {
  expect_error("address 10.0.0.1/24\n", 1, "outside of an iface stanza");
  expect_error("iface eno1 inet\n", 1, "expected 'iface NAME");
  expect_error("iface eno1 ipx static\n", 1, "neither inet nor inet6");
  expect_error("iface eno1 inet static\n\taddress 10.0.0.300/24\n", 2, "not an address");
  expect_error("iface eno1 inet static\n\taddress 10.0.0.1/40\n", 2, "not an address");
  expect_error("iface eno1 inet static\n\tmtu 20\n", 2, "68..65535");
  expect_error("iface eno1 inet static\n\tgateway nope\n", 2, "not an address");
  expect_error("iface bond0 inet manual\n\tbond-slaves eno1\n\tbond-mode fastest\n", 3,
               "unknown bond-mode");
  expect_error("iface bond0 inet manual\n\tbond-mode 4\n\tbond-lacp-rate quick\n", 3,
               "bond-lacp-rate");
  expect_error("\niface vmbr0 inet manual\n\tbridge-ports eno1\n\tbridge-stp maybe\n", 4,
               "bridge-stp");
  expect_error("iface eno1.5000 inet manual\n", 1, "1..4094");
  expect_error("iface vlan7 inet manual\n", 1, "vlan-raw-device");
  expect_error("iface br0 inet manual\n\tbridge-ports br0\n", 1, "itself");
  expect_error("iface eno1 inet static\n\tnetmask 255.0.255.0\n", 2, "not a netmask");
  expect_error("source\n", 1, "exactly one path");
  expect_error("iface x inet manual\n\tovs_type OVSSwitch\n", 2, "is not OVSBridge");
  expect_error("iface p inet manual\n\tovs_type OVSIntPort\n", 1, "needs 'ovs_bridge'");
  expect_error("iface b inet manual\n\tovs_type OVSBond\n\tovs_bridge v\n\tovs_bonds e1\n", 1,
               "at least two");
  expect_error(
      "iface p inet manual\n\tovs_type OVSIntPort\n\tovs_bridge v\n"
      "\tovs_options tag=5000\n",
      4, "1..4094");
}

class PveInterfacesTree : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("lw-pve-if-" + std::to_string(getpid()));
    std::filesystem::create_directories(root_ / "etc/network/interfaces.d");
    std::filesystem::create_directories(root_ / "etc/network/more");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  void write(const std::string& rel, const std::string& text) {
    std::ofstream(root_ / rel) << text;
  }
  std::filesystem::path root_;
};

TEST_F(PveInterfacesTree, SourceGlobsAndDirectoriesUnderRoot) {
  write("etc/network/interfaces",
        "auto lo\niface lo inet loopback\nsource /etc/network/interfaces.d/*.cfg\n"
        "source-directory more\n");
  write("etc/network/interfaces.d/a.cfg", "iface eno1 inet static\n\taddress 10.0.1.1/24\n");
  write("etc/network/interfaces.d/b.cfg", "iface eno2 inet static\n\taddress 10.0.2.1/24\n");
  write("etc/network/interfaces.d/ignored.txt", "this is not parsed\n");
  write("etc/network/more/c", "iface eno3 inet manual\n");
  write("etc/network/more/skip.dpkg-old", "garbage\n");
  auto ifs = lw::pve::read_interfaces(root_);
  ASSERT_NE(ifs.find("eno1"), nullptr);
  ASSERT_NE(ifs.find("eno2"), nullptr);
  ASSERT_NE(ifs.find("eno3"), nullptr);
  EXPECT_EQ(ifs.files.size(), 4u);
  EXPECT_NE(ifs.find("eno2")->addresses[0].where.file.find("b.cfg"), std::string::npos);
}

TEST_F(PveInterfacesTree, ErrorsInIncludedFilesNameThatFile) {
  write("etc/network/interfaces", "source /etc/network/interfaces.d/*\n");
  write("etc/network/interfaces.d/bad", "\niface eno1 inet static\n\taddress nope\n");
  try {
    lw::pve::read_interfaces(root_);
    FAIL();
  } catch (const lw::pve::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("interfaces.d/bad:3:"), std::string::npos) << e.what();
  }
}

TEST_F(PveInterfacesTree, SourceLoopIsAnError) {
  write("etc/network/interfaces", "source /etc/network/interfaces\n");
  EXPECT_THROW(lw::pve::read_interfaces(root_), lw::pve::ConfigError);
}

TEST_F(PveInterfacesTree, LiveStateFromProcAndSys) {
  std::filesystem::create_directories(root_ / "proc/net/bonding");
  std::filesystem::create_directories(root_ / "sys/class/net/eno1");
  write("proc/net/bonding/bond0",
        "Bonding Mode: IEEE 802.3ad Dynamic link aggregation\n\n802.3ad info\nLACP rate: fast\n\n"
        "Slave Interface: eno1\nMII Status: up\nSpeed: 10000 Mbps\n\n"
        "Slave Interface: eno2\nMII Status: down\nSpeed: Unknown\n");
  write("sys/class/net/eno1/speed", "10000\n");
  write("sys/class/net/eno1/mtu", "9000\n");
  write("sys/class/net/eno1/operstate", "up\n");
  auto live = lw::pve::read_live_state(root_);
  ASSERT_EQ(live.bonds.count("bond0"), 1u);
  auto& b = live.bonds["bond0"];
  EXPECT_EQ(b.mode, "802.3ad");
  EXPECT_EQ(b.lacp_rate, "fast");
  ASSERT_EQ(b.slaves.size(), 2u);
  EXPECT_TRUE(b.slaves[0].mii_up);
  EXPECT_EQ(b.slaves[0].speed_mbps, 10000);
  EXPECT_FALSE(b.slaves[1].mii_up);
  EXPECT_FALSE(b.slaves[1].speed_mbps);
  EXPECT_EQ(live.links["eno1"].speed_mbps, 10000);
  EXPECT_EQ(live.links["eno1"].mtu, 9000);
  EXPECT_EQ(live.links["eno1"].operstate, "up");
}

}  // namespace
