// SPDX-License-Identifier: GPL-2.0-only
#include <gtest/gtest.h>

#include "pve/ceph_conf.h"

namespace {

using lw::pve::parse_ceph_conf;

TEST(PveCeph, KeysWithSpacesDashesAndUnderscoresAreOneKey) {
  EXPECT_EQ(lw::pve::normalize_ceph_key("public network"), "public_network");
  EXPECT_EQ(lw::pve::normalize_ceph_key("  cluster-network "), "cluster_network");
  EXPECT_EQ(lw::pve::normalize_ceph_key("mon  host"), "mon_host");
  auto c = parse_ceph_conf(
      "[global]\n\tpublic network = 10.10.40.0/24, 10.10.41.0/24 ; two\n"
      "cluster network = 10.10.50.0/24\n",
      "ceph.conf");
  ASSERT_EQ(c.public_networks.size(), 2u);
  EXPECT_EQ(c.public_networks[1].net.str(), "10.10.41.0/24");
  EXPECT_EQ(c.public_networks[0].where.line, 2);
  ASSERT_EQ(c.cluster_networks.size(), 1u);
  EXPECT_NE(c.get("global", "public_network"), nullptr);
}

TEST(PveCeph, MonHostSyntaxes) {
  using lw::pve::split_mon_host;
  EXPECT_EQ(split_mon_host("10.0.0.1 10.0.0.2,10.0.0.3"),
            (std::vector<std::string>{"10.0.0.1", "10.0.0.2", "10.0.0.3"}));
  EXPECT_EQ(split_mon_host(
                "[v2:10.0.0.1:3300/0,v1:10.0.0.1:6789/0] [v2:10.0.0.2:3300/0,v1:10.0.0.2:6789/0]"),
            (std::vector<std::string>{"10.0.0.1", "10.0.0.2"}));
  EXPECT_EQ(split_mon_host("10.0.0.1:6789"), (std::vector<std::string>{"10.0.0.1"}));
  EXPECT_EQ(split_mon_host("[v2:[fd00::1]:3300/0,v1:[fd00::1]:6789/0]"),
            (std::vector<std::string>{"fd00::1"}));
  EXPECT_EQ(split_mon_host("[fd00::2]:6789 fd00::3"),
            (std::vector<std::string>{"fd00::2", "fd00::3"}));
  EXPECT_EQ(split_mon_host("mon-a.example"), (std::vector<std::string>{"mon-a.example"}));
}

TEST(PveCeph, MonsFromMonHostAndMonSectionsWithoutDuplicates) {
  auto c = parse_ceph_conf(
      "# c\n[global]\nmon_host = 10.0.0.1 10.0.0.2\n[mon.pve3]\npublic_addr = 10.0.0.3\n"
      "[mon.pve1]\npublic_addr = 10.0.0.1\n",
      "ceph.conf");
  ASSERT_EQ(c.mons.size(), 3u);
  EXPECT_TRUE(c.mons[2].addr);
  EXPECT_EQ(c.mons[2].where.line, 5);
}

void expect_error(const char* text, int line, const std::string& what) {
  try {
    parse_ceph_conf(text, "/etc/pve/ceph.conf");
    FAIL() << text;
  } catch (const lw::pve::ConfigError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("/etc/pve/ceph.conf:" + std::to_string(line) + ":"), std::string::npos)
        << msg;
    EXPECT_NE(msg.find(what), std::string::npos) << msg;
  }
}

TEST(PveCeph, MalformedInputNamesFileAndLine) {
  expect_error("[global\n", 1, "without ']'");
  expect_error("public_network = 10.0.0.0/24\n", 1, "before any [section]");
  expect_error("[global]\npublic_network 10.0.0.0/24\n", 2, "expected 'key = value'");
  expect_error("[global]\n\npublic_network = 10.0.0.0/33\n", 3, "not a network");
  expect_error("[global]\ncluster_network = 10.0.0.0/24, bogus\n", 2, "'bogus'");
  expect_error("[]\n", 1, "empty section");
}

}  // namespace
