// SPDX-License-Identifier: GPL-2.0-only
// From Proxmox's files to counted traffic: a 2-node tree with a QDevice, a
// Proxmox Backup Server and no migration network, written for the veths of
// this test, goes through `derive` and `apply`; then real connections to
// qnetd (TCP 5403), to the PBS (TCP 8007) and an SSH migration to the peer's
// ring0_addr are counted in the classes and on the lanes derive chose.
//   corosync link 0: A 198.51.100.1/24 <-> B .2; qnetd is B's 198.51.100.5
//   management:      A 203.0.113.1/25 <-> B .2; the PBS is B's 203.0.113.20,
//                    the qnetd host outside the link network B's 203.0.113.30
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "support/lanewarden_cli.h"
#include "support/netns.h"
#include "support/privilege.h"
#include "support/traffic.h"

namespace lw::test {
namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

class DeriveServices : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    a_ = std::make_unique<NetNs>("lwtsvca");
    b_ = std::make_unique<NetNs>("lwtsvcb");
    coro_ =
        std::make_unique<VethPair>(*a_, *b_,
                                   VethOptions{.prefix = "lwtsc",
                                               .addrs_a = {"198.51.100.1/24"},
                                               .addrs_b = {"198.51.100.2/24", "198.51.100.5/24"}});
    mgmt_ = std::make_unique<VethPair>(
        *a_, *b_,
        VethOptions{.prefix = "lwtsm",
                    .addrs_a = {"203.0.113.1/25"},
                    .addrs_b = {"203.0.113.2/25", "203.0.113.20/25", "203.0.113.30/25"}});
    node_ = std::make_unique<LanewardenNode>(LW_BINARY, a_->name(),
                                             "lwtsvc" + std::to_string(::getpid()));
    root_ = fs::temp_directory_path() / ("lwtsvc-root-" + std::to_string(::getpid()));
    write_tree();
  }
  void TearDown() override {
    node_.reset();
    mgmt_.reset();
    coro_.reset();
    b_.reset();
    a_.reset();
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  // The files as Proxmox writes them, with this test's interface names;
  // `coro_name` names the Corosync NIC's stanza (files older than a rename),
  // `qnetd` the QDevice's host.
  void write_tree(const std::string& coro_name = "",
                  const std::string& qnetd = "198.51.100.5") const {
    std::string coro = coro_name.empty() ? coro_->name_a() : coro_name;
    write_file(root_ / "etc/hostname", "pve1\n");
    write_file(root_ / "etc/hosts",
               "127.0.0.1 localhost\n203.0.113.1 pve1.lab.example pve1\n"
               "203.0.113.2 pve2.lab.example pve2\n");
    write_file(root_ / "etc/network/interfaces",
               "auto lo\niface lo inet loopback\n\n"
               "auto " +
                   mgmt_->name_a() + "\niface " + mgmt_->name_a() +
                   " inet static\n\taddress 203.0.113.1/25\n\tgateway 203.0.113.126\n\n"
                   "auto " +
                   coro + "\niface " + coro + " inet static\n\taddress 198.51.100.1/24\n");
    write_file(root_ / "etc/pve/corosync.conf",
               "nodelist {\n  node {\n    name: pve1\n    nodeid: 1\n    quorum_votes: 1\n"
               "    ring0_addr: 198.51.100.1\n  }\n  node {\n    name: pve2\n    nodeid: 2\n"
               "    quorum_votes: 1\n    ring0_addr: 198.51.100.2\n  }\n}\n\n"
               "quorum {\n  device {\n    model: net\n    net {\n      algorithm: ffsplit\n"
               "      host: " +
                   qnetd +
                   "\n      tls: on\n    }\n    votes: 1\n  }\n"
                   "  provider: corosync_votequorum\n}\n\n"
                   "totem {\n  cluster_name: lab\n  config_version: 2\n  interface {\n"
                   "    linknumber: 0\n  }\n  ip_version: ipv4-6\n  link_mode: passive\n"
                   "  secauth: on\n  version: 2\n}\n");
    write_file(root_ / "etc/pve/datacenter.cfg", "keyboard: en-us\n");
    write_file(root_ / "etc/pve/storage.cfg",
               "dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\n"
               "pbs: pbs-backup\n\tdatastore store1\n\tserver 203.0.113.20\n\tcontent backup\n"
               "\tusername backup@pbs\n");
  }

  std::string derive() const {
    auto r = node_->run("derive --root " + root_.string());
    EXPECT_TRUE(r.ok()) << r.err;
    return r.out;
  }

  bool no_violations() const {
    for (const auto& obj : node_->status())
      if (obj.value("type", "") == "iface" && !obj.at("violations").empty()) return false;
    return true;
  }

  std::unique_ptr<NetNs> a_, b_;
  std::unique_ptr<VethPair> coro_, mgmt_;
  std::unique_ptr<LanewardenNode> node_;
  fs::path root_;
};

TEST_F(DeriveServices, QdevicePbsAndSshMigrationLandInTheirClassesAndLanes) {
  std::string policy = derive();
  // What derive decided, in its own words: reviewed here, enforced below.
  EXPECT_NE(policy.find("corosync = [\"198.51.100.0/24\"]"), std::string::npos) << policy;
  EXPECT_NE(policy.find("storage = [\"203.0.113.20/32\"]"), std::string::npos) << policy;
  EXPECT_NE(policy.find("qnetd = \"198.51.100.5\""), std::string::npos) << policy;
  EXPECT_NE(policy.find("tcp_ports = [3260, 2049, 8007]"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("exclusive = true"), std::string::npos) << policy;
  node_->apply(policy);

  TcpSink qnetd(*b_, "198.51.100.5", 5403);
  TcpSink pbs(*b_, "203.0.113.20", 8007);
  TcpSink ssh(*b_, "198.51.100.2", 22);
  auto q = send_tcp(*a_, {.dst = "198.51.100.5", .dport = 5403, .bytes = 20000, .timeout = 5s});
  auto p = send_tcp(*a_, {.dst = "203.0.113.20", .dport = 8007, .bytes = 200000, .timeout = 5s});
  auto s = send_tcp(*a_, {.dst = "198.51.100.2", .dport = 22, .bytes = 50000, .timeout = 5s});
  EXPECT_TRUE(q.connected && q.error.empty()) << q.error;
  EXPECT_TRUE(p.connected && p.error.empty()) << p.error;
  EXPECT_TRUE(s.connected && s.error.empty()) << s.error;
  EXPECT_EQ(qnetd.wait_for_bytes(20000, 5s), 20000u);
  EXPECT_EQ(pbs.wait_for_bytes(200000, 5s), 200000u);
  EXPECT_EQ(ssh.wait_for_bytes(50000, 5s), 50000u);

  // qnetd's connection is Corosync on the link's lane, the PBS is storage on
  // the management NIC, nothing of either leaks into another class there.
  EXPECT_GT(node_->packets(coro_->name_a(), "egress", "corosync", "pass"), 10u);
  EXPECT_GT(node_->packets(coro_->name_a(), "ingress", "corosync", "pass"), 0u);  // its ACKs
  EXPECT_GT(node_->packets(mgmt_->name_a(), "egress", "storage", "pass"), 100u);
  EXPECT_EQ(node_->packets(mgmt_->name_a(), "egress", "other"), 0u);
  // Migration without a migration network is SSH on the Corosync NIC: `other`,
  // and on a lane derive left shared it is no violation.
  EXPECT_GT(node_->packets(coro_->name_a(), "egress", "other", "pass"), 10u);
  EXPECT_TRUE(no_violations());
}

// The usual QDevice: qnetd on a third machine outside the Corosync link
// networks, reached over the management network from the management
// address. Its connection is Corosync by the qnetd end alone, on the
// management lane derive opened to Corosync for it; TCP 5403 to another
// host stays `other`.
TEST_F(DeriveServices, QnetdOutsideTheLinksIsCorosyncFromAnyLocalAddress) {
  write_tree("", "203.0.113.30");
  auto check = node_->run("check --format json --root " + root_.string());
  bool lw027 = false;
  for (const auto& f : json_lines(check.out))
    if (f.value("id", "") == "LW027" &&
        f.value("message", "").find("recognises it by the qnetd host") != std::string::npos)
      lw027 = true;
  EXPECT_TRUE(lw027) << check.out << check.err;

  std::string policy = derive();
  EXPECT_NE(policy.find("qnetd = \"203.0.113.30\""), std::string::npos) << policy;
  EXPECT_NE(policy.find("corosync = [\"198.51.100.0/24\"]"), std::string::npos) << policy;
  EXPECT_EQ(policy.find("tcp_ports = [5403]"), std::string::npos) << policy;
  node_->apply(policy);

  TcpSink qnetd(*b_, "203.0.113.30", 5403);
  TcpSink elsewhere(*b_, "203.0.113.2", 5403);
  auto q = send_tcp(*a_, {.dst = "203.0.113.30", .dport = 5403, .bytes = 20000, .timeout = 5s});
  EXPECT_TRUE(q.connected && q.error.empty()) << q.error;
  EXPECT_EQ(qnetd.wait_for_bytes(20000, 5s), 20000u);
  // From A's management address, outside every link network: Corosync both
  // ways, and nothing of it in `other`.
  const uint64_t coro_out = node_->packets(mgmt_->name_a(), "egress", "corosync", "pass");
  EXPECT_GT(coro_out, 10u);
  EXPECT_GT(node_->packets(mgmt_->name_a(), "ingress", "corosync", "pass"), 0u);
  EXPECT_EQ(node_->packets(mgmt_->name_a(), "egress", "other"), 0u);
  EXPECT_TRUE(no_violations());

  auto e = send_tcp(*a_, {.dst = "203.0.113.2", .dport = 5403, .bytes = 20000, .timeout = 5s});
  EXPECT_TRUE(e.connected && e.error.empty()) << e.error;
  EXPECT_EQ(elsewhere.wait_for_bytes(20000, 5s), 20000u);
  EXPECT_GT(node_->packets(mgmt_->name_a(), "egress", "other", "pass"), 10u);
  EXPECT_EQ(node_->packets(mgmt_->name_a(), "egress", "corosync", "pass"), coro_out);
  EXPECT_TRUE(no_violations());
}

// pve-network-interface-pinning renamed the Corosync NIC after the files
// were written: on the node (--live) check says so and derive puts the lane
// on the device the kernel has, where Corosync is then counted.
TEST_F(DeriveServices, RenamedNicIsResolvedThroughTheKernel) {
  write_tree("eno1");
  auto check = node_->run("check --live --format json --root " + root_.string());
  bool lw030 = false;
  for (const auto& f : json_lines(check.out))
    if (f.value("id", "") == "LW030" &&
        f.value("message", "")
                .find("on eno1 in the files, but the kernel has it on " + coro_->name_a()) !=
            std::string::npos)
      lw030 = true;
  EXPECT_TRUE(lw030) << check.out << check.err;
  auto copy = node_->run("check --format json --root " + root_.string());
  EXPECT_EQ(copy.out.find("LW030"), std::string::npos) << "a copy has no kernel state";

  auto derived = node_->run("derive --live --root " + root_.string());
  ASSERT_TRUE(derived.ok()) << derived.err;
  EXPECT_EQ(derived.out.find("interface = \"eno1\""), std::string::npos) << derived.out;
  EXPECT_NE(derived.out.find("interface = \"" + coro_->name_a() + "\""), std::string::npos)
      << derived.out;
  node_->apply(derived.out);
  UdpSink sink(*b_, "198.51.100.2", 5405);
  EXPECT_EQ(send_udp(*a_, {.dst = "198.51.100.2", .dport = 5405, .sport = 5405, .count = 50}), 50u);
  EXPECT_EQ(sink.receive(50, 5s), 50u);
  EXPECT_EQ(node_->packets(coro_->name_a(), "egress", "corosync", "pass"), 50u);
}

}  // namespace
}  // namespace lw::test
