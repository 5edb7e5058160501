// SPDX-License-Identifier: GPL-2.0-only
// datacenter.cfg, storage.cfg and /etc/hosts.
#include <gtest/gtest.h>

#include "pve/datacenter_cfg.h"
#include "pve/fabrics_cfg.h"
#include "pve/hosts.h"
#include "pve/storage_cfg.h"

namespace {

using lw::pve::parse_datacenter_cfg;

TEST(PveDatacenter, MigrationPropertyStringBothSpellings) {
  auto d = parse_datacenter_cfg("keyboard: en-us\nmigration: secure,network=10.1.2.0/24\n", "dc");
  EXPECT_EQ(d.migration_type, "secure");
  ASSERT_TRUE(d.migration_network);
  EXPECT_EQ(d.migration_network->str(), "10.1.2.0/24");
  EXPECT_EQ(d.migration->where.line, 2);
  d = parse_datacenter_cfg("migration: network=10.1.3.0/24,type=insecure\n", "dc");
  EXPECT_EQ(d.migration_type, "insecure");
  EXPECT_EQ(d.migration_network->str(), "10.1.3.0/24");
  d = parse_datacenter_cfg("migration: insecure\n", "dc");
  EXPECT_FALSE(d.migration_network);
  EXPECT_EQ(d.migration_type, "insecure");
  d = parse_datacenter_cfg("migration_unsecure: 1\n", "dc");
  EXPECT_EQ(d.migration_type, "insecure");
}

TEST(PveDatacenter, ReplicationHasTheMigrationFormat) {
  auto d = parse_datacenter_cfg(
      "migration: secure,network=10.1.2.0/24\nreplication: secure,network=10.1.4.0/24\n", "dc");
  ASSERT_TRUE(d.replication_network);
  EXPECT_EQ(d.replication_network->str(), "10.1.4.0/24");
  EXPECT_EQ(d.replication->where.line, 2);
  EXPECT_FALSE(parse_datacenter_cfg("replication: insecure\n", "dc").replication_network);
  EXPECT_FALSE(parse_datacenter_cfg("keyboard: de\n", "dc").replication);
}

TEST(PveDatacenter, BwlimitIsKibPerSecond) {
  auto d = parse_datacenter_cfg("bwlimit: migration=512000,restore=100000\n", "dc");
  EXPECT_EQ(d.bwlimit_migration_kib, 512000u);
  EXPECT_FALSE(d.bwlimit_from_default);
  d = parse_datacenter_cfg("bwlimit: default=10240\n", "dc");  // default applies to migration too
  EXPECT_EQ(d.bwlimit_migration_kib, 10240u);
  EXPECT_TRUE(d.bwlimit_from_default);
  EXPECT_EQ(lw::pve::describe_kib_per_sec(512000), "512000 KiB/s = 500 MiB/s (4.19 Gbit/s)");
  EXPECT_EQ(lw::pve::describe_kib_per_sec(5120), "5120 KiB/s = 5 MiB/s (41.9 Mbit/s)");
}

void expect_error(const char* text, int line, const std::string& what) {
  try {
    parse_datacenter_cfg(text, "/etc/pve/datacenter.cfg");
    FAIL() << text;
  } catch (const lw::pve::ConfigError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("/etc/pve/datacenter.cfg:" + std::to_string(line) + ":"), std::string::npos)
        << msg;
    EXPECT_NE(msg.find(what), std::string::npos) << msg;
  }
}

TEST(PveDatacenter, MalformedInputNamesFileAndLine) {
  expect_error("keyboard en-us\n", 1, "expected 'key: value'");
  expect_error("\nmigration: secure,network=10.1.2.0\n", 2, "not a CIDR");
  expect_error("migration: secure,network=banana\n", 1, "not a CIDR");
  expect_error("migration: fast\n", 1, "neither secure nor insecure");
  expect_error("bwlimit: migration=5 GiB\n", 1, "not a number (KiB/s)");
  expect_error("migration: secure,type=insecure\n", 1, "given twice");
  expect_error("replication: secure,network=10.1.4.1\n", 1, "replication network");
  expect_error("replication: fast\n", 1, "neither secure nor insecure");
}

TEST(PveStorage, NetworkStoragesGiveTheirServers) {
  auto s = lw::pve::parse_storage_cfg(
      "dir: local\n\tpath /var/lib/vz\n\nnfs: nas\n\tserver 10.10.41.5\n\texport /x\n"
      "iscsi: san\n\tportal 10.10.42.5:3260\n\ttarget iqn.x\ncifs: smb\n\tserver files.example\n",
      "storage.cfg");
  ASSERT_EQ(s.targets.size(), 3u);
  EXPECT_EQ(s.targets[0].addr->str(), "10.10.41.5");
  EXPECT_EQ(s.targets[1].addr->str(), "10.10.42.5");
  EXPECT_EQ(s.targets[1].where.line, 8);
  EXPECT_FALSE(s.targets[2].addr);
  EXPECT_THROW(lw::pve::parse_storage_cfg("\tserver 1.2.3.4\n", "s"), lw::pve::ConfigError);
}

TEST(PveStorage, ProxmoxBackupServerOnPort8007UnlessSet) {
  auto s = lw::pve::parse_storage_cfg(
      "pbs: backup\n\tdatastore store1\n\tserver 10.10.1.20\n\tcontent backup\n"
      "\tusername backup@pbs\n\n"
      "pbs: offsite\n\tport 8008\n\tserver pbs.example\n\tdatastore remote\n"
      "nfs: nas\n\tserver 10.10.41.5\n",
      "storage.cfg");
  ASSERT_EQ(s.targets.size(), 3u);
  EXPECT_EQ(s.targets[0].type, "pbs");
  EXPECT_EQ(s.targets[0].addr->str(), "10.10.1.20");
  EXPECT_EQ(s.targets[0].port, 8007);  // Proxmox Backup Server's API and backup port
  EXPECT_EQ(s.targets[0].where.line, 3);
  EXPECT_EQ(s.targets[1].server, "pbs.example");
  EXPECT_EQ(s.targets[1].port, 8008);  // `port` before `server` still belongs to it
  EXPECT_FALSE(s.targets[2].port);
  EXPECT_THROW(lw::pve::parse_storage_cfg("pbs: b\n\tserver 1.2.3.4\n\tport 0\n", "s"),
               lw::pve::ConfigError);
}

// As proxmox-ve-rs's fabric tests write fabrics.cfg.
TEST(PveFabrics, FabricsAndNodes) {
  auto f = lw::pve::parse_fabrics_cfg(
      "openfabric_fabric: uwu\n\thello_interval 4\n\tip_prefix 192.168.2.0/24\n"
      "\tip6_prefix 2001:db8::0/64\n\n"
      "openfabric_node: uwu_pve\n\tinterfaces name=ens20,hello_multiplier=50\n"
      "\tinterfaces name=ens19\n\tip 192.168.2.8\n\tip6 2001:db8::1\n\n"
      "ospf_fabric: test\n\tarea 0\n\tip_prefix 10.10.10.0/24\n\n"
      "ospf_node: test_pve1\n\tinterfaces name=ens19,ip=4.4.4.4/24\n\tip 10.10.10.2\n",
      "fabrics.cfg");
  ASSERT_EQ(f.fabrics.size(), 2u);
  EXPECT_EQ(f.fabrics[0].protocol, "openfabric");
  EXPECT_EQ(f.fabrics[0].ip_prefix->str(), "192.168.2.0/24");
  EXPECT_EQ(f.fabrics[0].ip6_prefix->str(), "2001:db8::/64");
  EXPECT_EQ(f.fabrics[1].protocol, "ospf");
  auto* n = f.node("uwu", "pve");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->interfaces, (std::vector<std::string>{"ens20", "ens19"}));
  EXPECT_EQ(n->ip->str(), "192.168.2.8");
  EXPECT_EQ(n->where.line, 6);
  EXPECT_EQ(f.node("test", "pve1")->interfaces, (std::vector<std::string>{"ens19"}));
  EXPECT_EQ(f.node("test", "pve"), nullptr);
  EXPECT_THROW(lw::pve::parse_fabrics_cfg("openfabric_node: nounderscore\n", "f"),
               lw::pve::ConfigError);
  EXPECT_THROW(lw::pve::parse_fabrics_cfg("ospf_node: a_b\n\tip 10.0.0.300\n", "f"),
               lw::pve::ConfigError);
}

TEST(PveHosts, LookupSkipsLoopbackAndMatchesShortNames) {
  auto h = lw::pve::parse_hosts(
      "127.0.1.1 pve1\n10.10.1.1 pve1.lab.example pve1x # c\n# 9.9.9.9 pve1\n", "hosts");
  auto* e = h.lookup("pve1");
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->addr.str(), "10.10.1.1");
  EXPECT_EQ(e->where.line, 2);
  EXPECT_EQ(h.lookup("pve2"), nullptr);
}

}  // namespace
