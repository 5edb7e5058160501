// SPDX-License-Identifier: GPL-2.0-only
// NICs renamed by pve-network-interface-pinning that hold no address (Open
// vSwitch bond members, Linux bond members): found by MAC through the .link
// files, or by udev's predictable names, in the fixture trees
// tests/fixtures/pve/broken/lw030-pinned-* (make_fixtures.py).
#include <gtest/gtest.h>

#include "common/bonding.h"
#include "derive/derive.h"
#include "policy/parse.h"
#include "pve/link_pins.h"
#include "pve/live_state.h"
#include "pve/node.h"
#include "pve/renames.h"

namespace {

using lw::pve::Rename;

std::string fixture(const std::string& rel) {
  return std::string(LW_TEST_DATA) + "/fixtures/pve/" + rel;
}

const lw::policy::Lane* lane(const lw::policy::Policy& p, const std::string& iface, int vlan) {
  for (auto& l : p.lanes)
    if (l.interface == iface && l.vlan.value_or(0) == vlan) return &l;
  return nullptr;
}

TEST(LinkPins, ParsesTheToolsFile) {
  auto pin = lw::pve::parse_link_file(
      "[Match]\nMACAddress=52:54:00:AB:CD:01\nType=ether\n\n[Link]\nName=nic0\n",
      "50-pve-nic0.link");
  ASSERT_TRUE(pin);
  EXPECT_EQ(pin->mac, "52:54:00:ab:cd:01");
  EXPECT_EQ(pin->name, "nic0");
  EXPECT_EQ(pin->where.str(), "50-pve-nic0.link:6");
}

TEST(LinkPins, IgnoresLinkFilesThatPinNothing) {
  EXPECT_FALSE(
      lw::pve::parse_link_file("[Match]\nOriginalName=*\n\n[Link]\nNamePolicy=path\n", "x"));
  EXPECT_FALSE(lw::pve::parse_link_file("[Link]\nName=nic0\n", "x"));  // no MAC: not the tool's
  EXPECT_THROW(lw::pve::parse_link_file("[Match]\nMACAddress\n", "x"), lw::pve::ConfigError);
}

TEST(LinkPins, UdevNamesAreThePredictableOnes) {
  auto names = lw::pve::parse_udev_net_names(
      "I:1\nE:ID_NET_NAME_MAC=enx525400123401\nE:ID_NET_NAME_ONBOARD=eno1\n"
      "E:ID_NET_NAME_SLOT=ens1f0\nE:ID_NET_NAME_PATH=enp1s0f0\nE:ID_NET_NAME=nic0\n");
  EXPECT_EQ(names, (std::vector<std::string>{"eno1", "ens1f0", "enp1s0f0"}));
}

TEST(LinkPins, BondMemberKeepsItsPermanentMac) {
  auto bond = lw::parse_bonding("bond0",
                                "Bonding Mode: fault-tolerance (active-backup)\n\n"
                                "Slave Interface: nic0\nMII Status: up\n"
                                "Permanent HW addr: 52:54:00:12:34:01\nSlave queue ID: 0\n");
  ASSERT_EQ(bond.members.size(), 1u);
  EXPECT_EQ(bond.members[0].perm_mac, "52:54:00:12:34:01");
}

// The files already use the pinned names, the kernel still has the old ones.
TEST(Renames, FilesAheadResolveByMac) {
  auto node = lw::pve::load_node(fixture("broken/lw030-pinned-files-ahead"));
  auto rs = lw::pve::resolve_renames(node);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].file_name, "nic0");
  EXPECT_EQ(rs[0].kernel_name, "eno1");
  EXPECT_EQ(rs[0].how, Rename::How::by_mac);
  EXPECT_EQ(rs[1].file_name, "nic1");
  EXPECT_EQ(rs[1].kernel_name, "eno2");
  EXPECT_EQ(rs[0].where.line, 5);  // its stanza
  auto text = lw::derive::render_toml(lw::derive::derive_policy(node));
  auto p = lw::policy::parse_string(text, "a.toml");
  ASSERT_NE(lane(p, "eno1", 11), nullptr) << text;
  EXPECT_EQ(lane(p, "nic0", 11), nullptr) << text;
  EXPECT_NE(text.find("the kernel calls nic0 eno1 (/usr/local/lib/systemd/network/"
                      "50-pve-nic0.link:6 pins MAC 52:54:00:12:34:01 as nic0"),
            std::string::npos)
      << text;
}

// The files predate the pinning: udev still lists the old name.
TEST(Renames, FilesBehindResolveByUdevName) {
  auto node = lw::pve::load_node(fixture("broken/lw030-pinned-files-behind"));
  auto rs = lw::pve::resolve_renames(node);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].file_name, "eno1");
  EXPECT_EQ(rs[0].kernel_name, "nic0");
  EXPECT_EQ(rs[0].how, Rename::How::by_udev);
  EXPECT_EQ(rs[1].kernel_name, "nic1");
  auto text = lw::derive::render_toml(lw::derive::derive_policy(node));
  auto p = lw::policy::parse_string(text, "b.toml");
  for (const char* nic : {"nic0", "nic1"})
    for (int vlan : {10, 11, 20, 21, 30}) EXPECT_NE(lane(p, nic, vlan), nullptr) << nic << text;
  EXPECT_EQ(lane(p, "eno1", 11), nullptr) << text;
  EXPECT_NE(text.find("the kernel calls eno1 nic0"), std::string::npos) << text;
  EXPECT_NE(text.find("Corosync shares nic0 with other traffic"), std::string::npos) << text;
}

// Pinned, not yet rebooted: the kernel's name is still right, for now.
TEST(Renames, PendingRenameKeepsTheKernelNameAndSaysSo) {
  auto node = lw::pve::load_node(fixture("broken/lw030-pinned-at-next-boot"));
  auto rs = lw::pve::resolve_renames(node);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].how, Rename::How::pending);
  EXPECT_EQ(rs[0].kernel_name, "eno1");
  EXPECT_EQ(rs[0].pinned_name, "nic0");
  auto text = lw::derive::render_toml(lw::derive::derive_policy(node));
  auto p = lw::policy::parse_string(text, "c.toml");
  EXPECT_NE(lane(p, "eno1", 11), nullptr) << text;
  EXPECT_NE(text.find("eno1 becomes nic0 at the next boot"), std::string::npos) << text;
}

// A Linux bond member carries the bond's MAC; its permanent one matches.
TEST(Renames, BondMemberResolvesByPermanentMac) {
  auto node = lw::pve::load_node(fixture("broken/lw030-pinned-bond-member"));
  EXPECT_EQ(node.live.link_macs.at("ens21f0"), "52:54:00:12:34:03");
  auto rs = lw::pve::resolve_renames(node);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].file_name, "nic3");
  EXPECT_EQ(rs[0].kernel_name, "ens21f0");
}

TEST(Renames, NothingWithoutTheKernelsMacs) {
  EXPECT_TRUE(lw::pve::resolve_renames(lw::pve::load_node(fixture("3node-ovs"))).empty());
}

}  // namespace
