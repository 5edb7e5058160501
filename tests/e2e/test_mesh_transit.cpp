// SPDX-License-Identifier: GPL-2.0-only
// A routed full mesh of three namespaces, as the Proxmox wiki "Full Mesh
// Network for Ceph Server" builds it: the same address on both mesh NICs of
// a node and a /32 route per peer. n2 runs lanewarden with the policy
// `derive` writes from n2's files. Ceph from n1 to n3 first takes the direct
// link; then the n1-n3 link "fails" and the fallback routes send it through
// n2, which forwards it from one mesh NIC to the other. Both paths are Ceph
// cluster lanes: the transit is counted there and is never a violation.
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

class MeshTransit : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    n1_ = std::make_unique<NetNs>("lwtmsha");
    n2_ = std::make_unique<NetNs>("lwtmshb");
    n3_ = std::make_unique<NetNs>("lwtmshc");
    l12_ = std::make_unique<VethPair>(
        *n1_, *n2_,
        VethOptions{
            .prefix = "lwtm12", .addrs_a = {"198.51.100.1/32"}, .addrs_b = {"198.51.100.2/32"}});
    l23_ = std::make_unique<VethPair>(
        *n2_, *n3_,
        VethOptions{
            .prefix = "lwtm23", .addrs_a = {"198.51.100.2/32"}, .addrs_b = {"198.51.100.3/32"}});
    l13_ = std::make_unique<VethPair>(
        *n1_, *n3_,
        VethOptions{
            .prefix = "lwtm13", .addrs_a = {"198.51.100.1/32"}, .addrs_b = {"198.51.100.3/32"}});
    n1_->exec_ok("ip route add 198.51.100.2/32 dev " + l12_->name_a() +
                 " && ip route add 198.51.100.3/32 dev " + l13_->name_a());
    n2_->exec_ok("ip route add 198.51.100.1/32 dev " + l12_->name_b() +
                 " && ip route add 198.51.100.3/32 dev " + l23_->name_a() +
                 " && sysctl -qw net.ipv4.ip_forward=1");
    n3_->exec_ok("ip route add 198.51.100.2/32 dev " + l23_->name_b() +
                 " && ip route add 198.51.100.1/32 dev " + l13_->name_b());
    node_ = std::make_unique<LanewardenNode>(LW_BINARY, n2_->name(),
                                             "lwtmsh" + std::to_string(::getpid()));
    root_ = fs::temp_directory_path() / ("lwtmsh-root-" + std::to_string(::getpid()));
    write_tree();
  }
  void TearDown() override {
    node_.reset();
    l13_.reset();
    l23_.reset();
    l12_.reset();
    n3_.reset();
    n2_.reset();
    n1_.reset();
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  static void write_file(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }

  // n2's files, in the wiki's routed setup.
  void write_tree() const {
    auto nic = [](const std::string& name, const std::string& peer) {
      return "auto " + name + "\niface " + name + " inet static\n\taddress 198.51.100.2/24\n" +
             "\tup ip route add " + peer + "/32 dev " + name + "\n\tdown ip route del " + peer +
             "/32\n\n";
    };
    write_file(root_ / "etc/hostname", "pve2\n");
    write_file(root_ / "etc/hosts", "127.0.0.1 localhost\n");
    write_file(root_ / "etc/network/interfaces", "auto lo\niface lo inet loopback\n\n" +
                                                     nic(l12_->name_b(), "198.51.100.1") +
                                                     nic(l23_->name_a(), "198.51.100.3"));
    write_file(root_ / "etc/pve/ceph.conf",
               "[global]\n\tcluster_network = 198.51.100.0/24\n\tpublic_network = "
               "203.0.113.0/24\n");
  }

  uint64_t ceph(const std::string& iface, const std::string& dir) const {
    return node_->packets(iface, dir, "ceph_cluster", "pass");
  }

  bool no_violations() const {
    for (const auto& obj : node_->status())
      if (obj.value("type", "") == "iface" && !obj.at("violations").empty()) return false;
    return true;
  }

  std::unique_ptr<NetNs> n1_, n2_, n3_;
  std::unique_ptr<VethPair> l12_, l23_, l13_;
  std::unique_ptr<LanewardenNode> node_;
  fs::path root_;
};

TEST_F(MeshTransit, FailoverThroughTheThirdNodeIsCephOnBothLanes) {
  auto derived = node_->run("derive --root " + root_.string());
  ASSERT_TRUE(derived.ok()) << derived.err;
  for (const auto& nic : {l12_->name_b(), l23_->name_a()})
    EXPECT_NE(derived.out.find("interface = \"" + nic + "\"\nclasses = [\"ceph_cluster\"]"),
              std::string::npos)
        << derived.out;
  node_->apply(derived.out);

  TcpSink osd(*n3_, "198.51.100.3", 6800);
  auto direct = send_tcp(*n1_, {.dst = "198.51.100.3", .dport = 6800, .bytes = 50000});
  ASSERT_TRUE(direct.connected && direct.error.empty()) << direct.error;
  EXPECT_EQ(osd.wait_for_bytes(50000, 5s), 50000u);
  EXPECT_EQ(ceph(l12_->name_b(), "ingress"), 0u) << "the direct link bypasses n2";

  // The n1-n3 link fails: both ends fall back to the path through n2.
  n1_->exec_ok("ip route replace 198.51.100.3/32 via 198.51.100.2 dev " + l12_->name_a() +
               " onlink");
  n3_->exec_ok("ip route replace 198.51.100.1/32 via 198.51.100.2 dev " + l23_->name_b() +
               " onlink");
  auto transit = send_tcp(*n1_, {.dst = "198.51.100.3", .dport = 6800, .bytes = 200000});
  ASSERT_TRUE(transit.connected && transit.error.empty()) << transit.error;
  EXPECT_EQ(osd.wait_for_bytes(250000, 5s), 250000u);
  // In from n1 on one mesh lane, out to n3 on the other, and the ACKs back.
  EXPECT_GT(ceph(l12_->name_b(), "ingress"), 20u);
  EXPECT_GT(ceph(l23_->name_a(), "egress"), 20u);
  EXPECT_GT(ceph(l23_->name_a(), "ingress"), 0u);
  EXPECT_GT(ceph(l12_->name_b(), "egress"), 0u);
  EXPECT_TRUE(no_violations());
}

}  // namespace
}  // namespace lw::test
