// SPDX-License-Identifier: GPL-2.0-only
// The routed full mesh with fallback of the Proxmox wiki "Full Mesh Network
// for Ceph Server", run by a real FRR: three namespaces joined by three
// veth pairs, each node's Ceph address a /32 on lo and, unnumbered, on its
// mesh links, all set by zebra from frr.conf, and routed by ospfd (area 0,
// point-to-point links). n2 runs lanewarden with the policy `derive` writes
// from a copy of n2's files. Ceph from n1 to n3 takes the direct link; then
// that link goes down, OSPF reroutes it through n2, and n2 counts it as Ceph
// on both of its mesh lanes, without a violation.
//
// ospfd, not fabricd: on these veths FRR 8.4's fabricd forms no adjacency
// with `ip router openfabric` alone ("No supported protocols TLV in P2P
// IIH" on every hello); with `ipv6 router openfabric` added it does and
// floods the LSPs, but installed no route within 20 s. ospfd converges in
// seconds. derive reads both the same way (frr_conf.h).
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "support/lanewarden_cli.h"
#include "support/netns.h"
#include "support/privilege.h"
#include "support/traffic.h"

namespace lw::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const fs::path kFrrDir = "/usr/lib/frr";
// Where the daemons make a directory per pathspace (-N), and where ospfd
// keeps its graceful-restart state whatever the pathspace.
const fs::path kFrrRunDir = "/var/run/frr";
const fs::path kOspfGrState = kFrrRunDir / "ospfd-gr.json";

// Each node's router (and Ceph cluster) address.
std::string node_addr(int n) { return "203.0.113." + std::to_string(n); }

class FrrMesh : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    if (!fs::exists(kFrrDir / "zebra") || !fs::exists(kFrrDir / "ospfd")) {
      if (ci_mode()) GTEST_FAIL() << "frr is not installed (scripts/install-deps.sh installs it)";
      GTEST_SKIP() << "needs Debian's frr package (zebra, ospfd); fails when CI=true";
    }
    gr_state_existed_ = fs::exists(kOspfGrState);
    root_ = fs::temp_directory_path() / ("lwtfr-" + std::to_string(::getpid()));
    fs::create_directories(root_);
    for (int i = 0; i < 3; i++) ns_[i] = std::make_unique<NetNs>("lwtfr");
    // Links named after the nodes they join: l12 joins n1 and n2.
    l12_ = std::make_unique<VethPair>(*ns_[0], *ns_[1], VethOptions{.prefix = "lwtf12"});
    l23_ = std::make_unique<VethPair>(*ns_[1], *ns_[2], VethOptions{.prefix = "lwtf23"});
    l13_ = std::make_unique<VethPair>(*ns_[0], *ns_[2], VethOptions{.prefix = "lwtf13"});
    const std::array<std::vector<std::string>, 3> links = {
        std::vector<std::string>{l12_->name_a(), l13_->name_a()},
        std::vector<std::string>{l12_->name_b(), l23_->name_a()},
        std::vector<std::string>{l23_->name_b(), l13_->name_b()}};
    for (int i = 0; i < 3; i++) start_frr(i, links[i]);
    node_ = std::make_unique<LanewardenNode>(LW_BINARY, ns_[1]->name(),
                                             "lwtfr" + std::to_string(::getpid()));
    write_tree(links[1]);
  }

  void TearDown() override {
    node_.reset();
    // FRR's daemons by the PIDs they wrote, then whatever is left in the
    // namespaces goes with them.
    for (auto& pid_file : pid_files_) {
      std::ifstream in(pid_file);
      pid_t pid = 0;
      if (in >> pid && pid > 1) ::kill(pid, SIGTERM);
    }
    l13_.reset();
    l23_.reset();
    l12_.reset();
    std::error_code ec;
    for (auto& ns : ns_) {
      if (!ns) continue;
      fs::remove_all(kFrrRunDir / ns->name(), ec);
      ns.reset();
    }
    if (!gr_state_existed_) fs::remove(kOspfGrState, ec);
    fs::remove_all(root_, ec);
  }

  static void write_file(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path) << text;
  }

  // The wiki's OSPF variant: the address on lo (passive) and on each link,
  // point-to-point links. Hello 1 s, dead 3 s so a failure shows in seconds.
  static std::string frr_conf(int n, const std::vector<std::string>& links) {
    const std::string a = node_addr(n);
    std::string c = "frr defaults traditional\nhostname pve" + std::to_string(n) +
                    "\nip forwarding\n!\ninterface lo\n ip address " + a +
                    "/32\n ip ospf area 0\n ip ospf passive\nexit\n!\n";
    for (auto& l : links)
      c += "interface " + l + "\n ip address " + a +
           "/32\n ip ospf area 0\n ip ospf network point-to-point\n ip ospf hello-interval 1\n"
           " ip ospf dead-interval 3\nexit\n!\n";
    return c + "router ospf\n ospf router-id " + a + "\n timers throttle spf 0 50 500\nexit\n!\n";
  }

  // zebra, then ospfd, in the node's namespace with a pathspace, config,
  // zebra socket and vty sockets of their own; daemonized, PIDs in files.
  void start_frr(int i, const std::vector<std::string>& links) {
    const fs::path dir = root_ / ("n" + std::to_string(i + 1));
    write_file(dir / "frr.conf", frr_conf(i + 1, links));
    ns_[i]->exec_ok("chown -R frr:frr " + dir.string());
    for (const char* daemon : {"zebra", "ospfd"}) {
      const fs::path pid = dir / (std::string(daemon) + ".pid");
      pid_files_.push_back(pid);
      ns_[i]->exec_ok((kFrrDir / daemon).string() + " -d -N " + ns_[i]->name() + " -f " +
                          (dir / "frr.conf").string() + " -i " + pid.string() + " -z " +
                          (dir / "zserv.api").string() + " --vty_socket " + dir.string() +
                          " -u frr -g frr -P 0 --log file:" + (dir / daemon).string() +
                          ".log 2>/dev/null",
                      10s);
      // ospfd connects to zebra's socket: wait for it.
      for (int t = 0; t < 50 && !fs::exists(dir / "zserv.api"); t++)
        std::this_thread::sleep_for(100ms);
    }
  }

  // n2's files: the mesh NICs in /etc/network/interfaces without an
  // address, the rest in frr.conf, as on the wiki's node.
  void write_tree(const std::vector<std::string>& links) const {
    const fs::path tree = root_ / "pve2";
    std::string ifaces = "auto lo\niface lo inet loopback\n\n";
    for (auto& l : links) ifaces += "auto " + l + "\niface " + l + " inet manual\n\n";
    write_file(tree / "etc/hostname", "pve2\n");
    write_file(tree / "etc/hosts", "127.0.0.1 localhost\n");
    write_file(tree / "etc/network/interfaces", ifaces);
    write_file(tree / "etc/frr/frr.conf", frr_conf(2, links));
    write_file(tree / "etc/frr/daemons", "zebra=yes\nospfd=yes\nfabricd=no\n");
    write_file(tree / "etc/pve/ceph.conf",
               "[global]\n\tcluster_network = 203.0.113.0/24\n\tpublic_network = "
               "198.51.100.0/24\n");
  }

  // True once `ns` routes `dst` through `dev`, within `timeout`.
  static bool wait_route(const NetNs& ns, const std::string& dst, const std::string& dev,
                         std::chrono::milliseconds timeout) {
    const auto end = Clock::now() + timeout;
    while (Clock::now() < end) {
      if (ns.exec("ip -4 route get " + dst, 2s).out.find("dev " + dev + " ") != std::string::npos)
        return true;
      std::this_thread::sleep_for(200ms);
    }
    return false;
  }

  uint64_t ceph(const std::string& iface, const std::string& dir) const {
    return node_->packets(iface, dir, "ceph_cluster", "pass");
  }

  bool no_violations() const {
    for (const auto& obj : node_->status())
      if (obj.value("type", "") == "iface" && !obj.at("violations").empty()) return false;
    return true;
  }

  fs::path root_;
  std::array<std::unique_ptr<NetNs>, 3> ns_;
  std::unique_ptr<VethPair> l12_, l23_, l13_;
  std::unique_ptr<LanewardenNode> node_;
  std::vector<fs::path> pid_files_;
  bool gr_state_existed_ = true;
};

TEST_F(FrrMesh, OspfReroutesThroughTheThirdNodeAndItCountsCephOnBothLanes) {
  auto derived = node_->run("derive --root " + (root_ / "pve2").string());
  ASSERT_TRUE(derived.ok()) << derived.err;
  EXPECT_NE(derived.out.find("ospf mesh link, /etc/frr/frr.conf:"), std::string::npos)
      << derived.out;
  for (const auto& nic : {l12_->name_b(), l23_->name_a()})
    EXPECT_NE(derived.out.find("interface = \"" + nic + "\"\nclasses = [\"ceph_cluster\"]\n"),
              std::string::npos)
        << nic << "\n"
        << derived.out;
  EXPECT_EQ(derived.out.find("exclusive = true"), std::string::npos) << derived.out;
  node_->apply(derived.out);

  // OSPF converges: n1 and n3 reach each other over the direct link.
  ASSERT_TRUE(wait_route(*ns_[0], node_addr(3), l13_->name_a(), 30s))
      << ns_[0]->exec("ip route", 2s).out;
  ASSERT_TRUE(wait_route(*ns_[2], node_addr(1), l13_->name_b(), 30s))
      << ns_[2]->exec("ip route", 2s).out;
  auto ping = ns_[0]->exec("ping -c 3 -i 0.2 -W 1 -I " + node_addr(1) + " " + node_addr(3), 5s);
  ASSERT_TRUE(ping.ok()) << ping.out << ping.err;

  TcpSink osd(*ns_[2], node_addr(3), 6800);
  auto direct = send_tcp(*ns_[0], {.dst = node_addr(3), .dport = 6800, .bytes = 50000});
  ASSERT_TRUE(direct.connected && direct.error.empty()) << direct.error;
  EXPECT_EQ(osd.wait_for_bytes(50000, 5s), 50000u);
  EXPECT_EQ(ceph(l12_->name_b(), "ingress"), 0u) << "the direct link bypasses n2";

  // The n1-n3 link fails; OSPF sends n1's traffic to n3 through n2.
  ns_[0]->exec_ok("ip link set dev " + l13_->name_a() + " down");
  ASSERT_TRUE(wait_route(*ns_[0], node_addr(3), l12_->name_a(), 15s))
      << ns_[0]->exec("ip route", 2s).out;
  ASSERT_TRUE(wait_route(*ns_[2], node_addr(1), l23_->name_b(), 15s))
      << ns_[2]->exec("ip route", 2s).out;
  auto transit = send_tcp(*ns_[0], {.dst = node_addr(3), .dport = 6800, .bytes = 200000});
  ASSERT_TRUE(transit.connected && transit.error.empty()) << transit.error;
  EXPECT_EQ(osd.wait_for_bytes(250000, 5s), 250000u);
  // In from n1 on one mesh lane, out to n3 on the other, and the ACKs back.
  EXPECT_GT(ceph(l12_->name_b(), "ingress"), 20u);
  EXPECT_GT(ceph(l23_->name_a(), "egress"), 20u);
  EXPECT_GT(ceph(l23_->name_a(), "ingress"), 0u);
  EXPECT_GT(ceph(l12_->name_b(), "egress"), 0u);
  // OSPF's own packets (IP protocol 89) are `other` there: no violation.
  EXPECT_TRUE(no_violations());
}

}  // namespace
}  // namespace lw::test
