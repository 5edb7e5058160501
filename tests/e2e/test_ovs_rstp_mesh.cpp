// SPDX-License-Identifier: GPL-2.0-only
// The Proxmox wiki "Full Mesh Network for Ceph Server", RSTP Loop Setup, with
// real Open vSwitch: three nodes in a triangle of links, each with an
// OVSBridge holding its two mesh NICs as OVSPorts and its Ceph address on the
// bridge, RSTP on. RSTP blocks one link of the triangle, so Ceph between two
// nodes may cross the third, and a failure moves it. n2 runs lanewarden with
// the policy `derive` writes from n2's files (the stanzas as the wiki and
// tests/fixtures/pve/3node-mesh-rstp have them).
//
// Priorities make n2 the root bridge, so the n1-n3 link is the blocked one
// and n1<->n3 crosses n2, in on one mesh lane and out on the other. Then
// n2's link to n3 fails: n1-n3 takes over, the transit leaves n2, and n2's
// own Ceph to n3 goes out through n1. When the link returns, so does the
// transit. No step is a violation.
//
// Each node runs a private Open vSwitch with the userspace datapath
// (support/ovs_switch.h): RSTP runs in ovs-vswitchd's ofproto layer, above
// either datapath.
//   n1 (priority 8192)  --l12--  n2 (4096, root)  --l23--  n3 (32768)
//     \______________________l13_______________________/
//   bridges 203.0.113.1-3/24 (Ceph); Corosync link 0 on a NIC of its own,
//   198.51.100.0/24, here a veth from n2 to n1 (nothing is sent on it).
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "support/lanewarden_cli.h"
#include "support/names.h"
#include "support/netns.h"
#include "support/ovs_switch.h"
#include "support/privilege.h"
#include "support/traffic.h"

namespace lw::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// ovs_options of each mesh OVSPort, as the wiki writes them.
constexpr const char* kMeshPortOptions =
    "other_config:rstp-enable=true other_config:rstp-path-cost=150 "
    "other_config:rstp-port-admin-edge=false other_config:rstp-port-auto-edge=false "
    "other_config:rstp-port-mcheck=true vlan_mode=native-untagged";

// One node of the mesh: an OVSBridge with its two mesh NICs as OVSPorts and
// the Ceph address on the bridge. The ovs-vsctl commands are those of Open
// vSwitch's ifupdown hooks for the stanzas of interfaces() (OVSBridge,
// OVSPort, the bridge's `up` line), plus the userspace datapath.
struct MeshNode {
  std::string bridge = unique_name("lwtrsv");
  std::vector<std::string> nics;
  int priority = 32768;
  std::string cidr;

  std::string rstp_settings() const {
    return "rstp_enable=true other_config:rstp-priority=" + std::to_string(priority) +
           " other_config:rstp-forward-delay=4 other_config:rstp-max-age=6";
  }

  void build(const OvsSwitch& ovs, const NetNs& ns) const {
    // The userspace datapath reads the mesh NICs through AF_PACKET, so the
    // node's own stack keeps receiving their frames too (the kernel
    // module's rx_handler would take them). Left alone, it answers ARP for
    // the bridge's address on each NIC with that NIC's MAC, and traffic
    // sent to such a MAC bypasses the switch, RSTP's blocked port included.
    ns.exec_ok("sysctl -qw net.ipv4.conf.all.arp_ignore=1");
    ovs.vsctl("-- --may-exist add-br " + bridge + " -- set Bridge " + bridge +
              " datapath_type=netdev");
    for (const auto& nic : nics) {
      ovs.vsctl("-- --may-exist add-port " + bridge + " " + nic + " " + kMeshPortOptions);
      ns.exec_ok("sysctl -qw net.ipv6.conf." + nic + ".disable_ipv6=1 && ip link set " + nic +
                 " up");
    }
    add_test_address(ns.name(), bridge, cidr);
    ns.exec_ok("ip link set " + bridge + " up");
    ovs.vsctl("set Bridge " + bridge + " " + rstp_settings());
  }

  std::string interfaces() const {
    std::string t;
    for (const auto& nic : nics)
      t += "auto " + nic + "\niface " + nic + " inet manual\n\tovs_type OVSPort\n\tovs_bridge " +
           bridge + "\n\tovs_options " + kMeshPortOptions + "\n\n";
    t += "#Ceph: RSTP full mesh through Open vSwitch\nauto " + bridge + "\niface " + bridge +
         " inet static\n\taddress " + cidr + "\n\tovs_type OVSBridge\n\tovs_ports " + nics[0] +
         " " + nics[1] + "\n\tup ovs-vsctl set Bridge ${IFACE} " + rstp_settings() +
         "\n\tpost-up sleep 10\n";
    return t;
  }
};

// A port's line of `ovs-appctl rstp/show`: "NAME ROLE STATE COST PRI.NBR".
struct RstpPort {
  std::string role, state;
};

RstpPort rstp_port(const OvsSwitch& ovs, const std::string& port) {
  std::istringstream lines(ovs.appctl("rstp/show").out);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string name;
    RstpPort p;
    if (words >> name >> p.role >> p.state && name == port) return p;
  }
  return {};
}

bool forwarding(const OvsSwitch& ovs, const std::string& port) {
  return rstp_port(ovs, port).state == "Forwarding";
}

// Polls `done` every 50 ms up to `timeout`; the time it took, or nullopt.
std::optional<std::chrono::milliseconds> wait_until(const std::function<bool()>& done,
                                                    std::chrono::milliseconds timeout) {
  auto start = Clock::now();
  while (!done()) {
    if (Clock::now() - start > timeout) return std::nullopt;
    std::this_thread::sleep_for(50ms);
  }
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
}

class OvsRstpMesh : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    if (std::string why = ovs_unavailable_reason(); !why.empty()) {
      if (ci_mode()) GTEST_FAIL() << why;
      GTEST_SKIP() << why << "; fails when CI=true";
    }
    for (const char* tag : {"lwtrsa", "lwtrsb", "lwtrsc"}) ns_.push_back(NetNs(tag));
    // Fixed names: each end is created inside its node's namespace, so they
    // cannot collide, and `rstp/show` prints only the first 10 characters
    // of a port's name.
    auto mesh_link = [&](int a, int b) {
      auto end = [](int from, int to) {
        return "lwtrs" + std::to_string(from + 1) + "to" + std::to_string(to + 1);
      };
      return std::make_unique<VethPair>(ns_[a], ns_[b],
                                        VethOptions{.name_a = end(a, b), .name_b = end(b, a)});
    };
    l12_ = mesh_link(0, 1);
    l23_ = mesh_link(1, 2);
    l13_ = mesh_link(0, 2);
    node_[0].nics = {l12_->name_a(), l13_->name_a()};
    node_[1].nics = {l12_->name_b(), l23_->name_a()};
    node_[2].nics = {l23_->name_b(), l13_->name_b()};
    const int priorities[] = {8192, 4096, 32768};
    for (int i = 0; i < 3; ++i) {
      node_[i].priority = priorities[i];
      node_[i].cidr = "203.0.113." + std::to_string(i + 1) + "/24";
      ovs_.push_back(std::make_unique<OvsSwitch>(ns_[i], "rs" + std::to_string(i + 1)));
    }
    corosync_link_ = std::make_unique<VethPair>(
        ns_[0], ns_[1],
        VethOptions{
            .prefix = "lwtrsk", .addrs_a = {"198.51.100.1/24"}, .addrs_b = {"198.51.100.2/24"}});
    corosync_ = corosync_link_->name_b();
    for (int i = 0; i < 3; ++i) node_[i].build(*ovs_[i], ns_[i]);
    rstp_started_ = Clock::now();
    lanewarden_ = std::make_unique<LanewardenNode>(LW_BINARY, ns_[1].name(),
                                                   "lwtrs" + std::to_string(::getpid()));
    root_ = fs::temp_directory_path() / ("lwtrs-root-" + std::to_string(::getpid()));
    write_tree();
  }

  void TearDown() override {
    lanewarden_.reset();
    ovs_.clear();
    l13_.reset();
    l23_.reset();
    l12_.reset();
    corosync_link_.reset();
    ns_.clear();
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  // n2's files: Corosync on its own NIC, Ceph (public, no separate cluster
  // network) on the mesh.
  void write_tree() const {
    write_file(root_ / "etc/hostname", "pve2\n");
    write_file(root_ / "etc/hosts", "127.0.0.1 localhost\n");
    write_file(root_ / "etc/network/interfaces",
               "auto lo\niface lo inet loopback\n\n#Corosync link 0\nauto " + corosync_ +
                   "\niface " + corosync_ + " inet static\n\taddress 198.51.100.2/24\n\n" +
                   node_[1].interfaces());
    std::string nodes;
    for (int i = 1; i <= 3; ++i)
      nodes += "  node {\n    name: pve" + std::to_string(i) +
               "\n    nodeid: " + std::to_string(i) +
               "\n    quorum_votes: 1\n    ring0_addr: 198.51.100." + std::to_string(i) + "\n  }\n";
    write_file(root_ / "etc/pve/corosync.conf",
               "nodelist {\n" + nodes +
                   "}\n\nquorum {\n  provider: corosync_votequorum\n}\n\n"
                   "totem {\n  cluster_name: lab\n  config_version: 3\n  interface {\n"
                   "    linknumber: 0\n  }\n  ip_version: ipv4-6\n  link_mode: passive\n"
                   "  secauth: on\n  version: 2\n}\n");
    write_file(root_ / "etc/pve/ceph.conf",
               "[global]\n\tauth_client_required = cephx\n\tauth_cluster_required = cephx\n"
               "\tauth_service_required = cephx\n"
               "\tfsid = 6c5a3b0e-8f43-4d55-9a4e-0d7f1d2c9e11\n"
               "\tmon_host = 203.0.113.1 203.0.113.2 203.0.113.3\n"
               "\tpublic_network = 203.0.113.0/24\n");
    // A migration network of its own, so migration does not ride on
    // Corosync's link (derive would leave that lane shared).
    write_file(root_ / "etc/pve/datacenter.cfg",
               "keyboard: en-us\nmigration: secure,network=2001:db8:30::/64\n");
  }

  // Bytes of Ceph lanewarden passed on `iface` in `dir`.
  uint64_t ceph(const std::string& iface, const std::string& dir) const {
    for (const auto& obj : lanewarden_->status())
      if (obj.value("type", "") == "iface" && obj.value("iface", "") == iface) {
        uint64_t bytes = 0;
        for (const auto& c : obj.at("counters"))
          if (c.at("dir") == dir && c.at("class") == "ceph_public" && c.at("verdict") == "pass")
            bytes += c.at("bytes").get<uint64_t>();
        return bytes;
      }
    ADD_FAILURE() << "status does not list " << iface;
    return 0;
  }

  // The kernel's count of bytes sent on a link of node `n`.
  uint64_t tx_bytes(int n, const std::string& link) const {
    return std::stoull(ns_[n].exec_ok("cat /sys/class/net/" + link + "/statistics/tx_bytes"));
  }

  bool no_violations() const {
    for (const auto& obj : lanewarden_->status())
      if (obj.value("type", "") == "iface" && !obj.at("violations").empty()) return false;
    return true;
  }

  // Ceph-like TCP from node `from` to an OSD port of node `to` (0-based),
  // all of it received.
  void send_ceph(int from, int to, size_t bytes) const {
    const std::string dst = "203.0.113." + std::to_string(to + 1);
    TcpSink osd(ns_[to], dst, 6800);
    auto sent = send_tcp(ns_[from], {.dst = dst, .dport = 6800, .bytes = bytes});
    EXPECT_TRUE(sent.connected && sent.error.empty()) << sent.error << "\n" << diagnostics();
    EXPECT_EQ(osd.wait_for_bytes(bytes, 5s), bytes) << diagnostics();
  }

  std::string diagnostics() const {
    std::string d;
    for (int i = 0; i < 3; ++i)
      d += "n" + std::to_string(i + 1) + ": " + ovs_[i]->appctl("rstp/show").out +
           ovs_[i]->appctl("fdb/show " + node_[i].bridge).out + "\n";
    return d + "status: " + lanewarden_->run("status").out;
  }

  std::vector<NetNs> ns_;
  std::unique_ptr<VethPair> l12_, l23_, l13_, corosync_link_;
  MeshNode node_[3];
  std::vector<std::unique_ptr<OvsSwitch>> ovs_;
  std::string corosync_;
  Clock::time_point rstp_started_;
  std::unique_ptr<LanewardenNode> lanewarden_;
  fs::path root_;
};

TEST_F(OvsRstpMesh, TransitThroughTheRootAndFailoverStayCephLanes) {
  const std::string to_n1 = l12_->name_b(), to_n3 = l23_->name_a();

  // Converged: n2 is root and forwards on both links, n3 blocks the n1-n3
  // link (Alternate, Discarding), n1 forwards on both as its designated end.
  auto converged = wait_until(
      [&] {
        return forwarding(*ovs_[1], to_n1) && forwarding(*ovs_[1], to_n3) &&
               forwarding(*ovs_[0], l12_->name_a()) && forwarding(*ovs_[2], l23_->name_b()) &&
               rstp_port(*ovs_[2], l13_->name_b()).role == "Alternate";
      },
      20s);
  ASSERT_TRUE(converged) << diagnostics();
  auto since_enable =
      std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - rstp_started_);
  RecordProperty("rstp_converged_ms", static_cast<int>(since_enable.count()));
  EXPECT_EQ(rstp_port(*ovs_[2], l13_->name_b()).state, "Discarding") << diagnostics();

  auto derived = lanewarden_->run("derive --root " + root_.string());
  ASSERT_TRUE(derived.ok()) << derived.err;
  const std::string& policy = derived.out;
  for (const auto& iface : {to_n1, to_n3, node_[1].bridge})
    EXPECT_NE(policy.find("interface = \"" + iface + "\"\nclasses = [\"ceph_public\"]\n\n"),
              std::string::npos)
        << iface << "\n"
        << policy;
  EXPECT_NE(policy.find("interface = \"" + corosync_ + "\"\nclasses = [\"corosync\"]\nexclusive"),
            std::string::npos)
      << policy;
  lanewarden_->apply(policy);

  // n1 -> n3 crosses n2: in from n1 on one mesh lane, out to n3 on the
  // other, the ACKs the other way.
  constexpr size_t kBytes = 200000;
  send_ceph(0, 2, kBytes);
  EXPECT_GE(ceph(to_n1, "ingress"), kBytes) << diagnostics();
  EXPECT_GE(ceph(to_n3, "egress"), kBytes) << diagnostics();
  EXPECT_GT(ceph(to_n3, "ingress"), 0u) << diagnostics();
  EXPECT_GT(ceph(to_n1, "egress"), 0u) << diagnostics();
  // n2's own Ceph to n3 enters the switch through the bridge and takes the
  // direct link.
  uint64_t own_out = ceph(node_[1].bridge, "egress"), to_n3_out = ceph(to_n3, "egress");
  send_ceph(1, 2, kBytes);
  EXPECT_GE(ceph(node_[1].bridge, "egress") - own_out, kBytes) << diagnostics();
  EXPECT_GE(ceph(to_n3, "egress") - to_n3_out, kBytes) << diagnostics();
  EXPECT_TRUE(no_violations()) << diagnostics();

  // n2's link to n3 fails. n3's Alternate port takes over as its root port
  // (RSTP's rapid transition, no forward delay).
  ns_[1].exec_ok("ip link set " + to_n3 + " down");
  auto failover = wait_until(
      [&] {
        auto p = rstp_port(*ovs_[2], l13_->name_b());
        return p.role == "Root" && p.state == "Forwarding" && !forwarding(*ovs_[1], to_n3);
      },
      10s);
  ASSERT_TRUE(failover) << diagnostics();
  RecordProperty("rstp_failover_ms", static_cast<int>(failover->count()));

  // n1 -> n3 now takes the direct link. The topology change flushed the
  // switches' MAC tables, so the first segments may still be flooded to n2
  // as well; the transfer itself no longer crosses it.
  uint64_t from_n1_in = ceph(to_n1, "ingress"), direct_out = tx_bytes(0, l13_->name_a());
  send_ceph(0, 2, kBytes);
  EXPECT_GE(tx_bytes(0, l13_->name_a()) - direct_out, kBytes) << diagnostics();
  EXPECT_LT(ceph(to_n1, "ingress") - from_n1_in, kBytes / 4) << diagnostics();
  // n2 -> n3 goes out on the link to n1 and crosses n1 instead, the ACKs
  // come back the same way.
  uint64_t to_n1_out = ceph(to_n1, "egress");
  from_n1_in = ceph(to_n1, "ingress");
  to_n3_out = ceph(to_n3, "egress");
  send_ceph(1, 2, kBytes);
  EXPECT_GE(ceph(to_n1, "egress") - to_n1_out, kBytes) << diagnostics();
  EXPECT_GT(ceph(to_n1, "ingress"), from_n1_in) << diagnostics();
  EXPECT_EQ(ceph(to_n3, "egress"), to_n3_out) << diagnostics();
  EXPECT_TRUE(no_violations()) << diagnostics();

  // The link comes back: the tree returns to n2 as root, n1-n3 blocked
  // again, and n1 -> n3 crosses n2 once more.
  ns_[1].exec_ok("ip link set " + to_n3 + " up");
  auto restored = wait_until(
      [&] {
        return forwarding(*ovs_[1], to_n3) && forwarding(*ovs_[2], l23_->name_b()) &&
               rstp_port(*ovs_[2], l13_->name_b()).role == "Alternate";
      },
      10s);
  ASSERT_TRUE(restored) << diagnostics();
  RecordProperty("rstp_restored_ms", static_cast<int>(restored->count()));
  from_n1_in = ceph(to_n1, "ingress");
  to_n3_out = ceph(to_n3, "egress");
  send_ceph(0, 2, kBytes);
  EXPECT_GE(ceph(to_n1, "ingress") - from_n1_in, kBytes) << diagnostics();
  EXPECT_GE(ceph(to_n3, "egress") - to_n3_out, kBytes) << diagnostics();
  EXPECT_TRUE(no_violations()) << diagnostics();
}

}  // namespace
}  // namespace lw::test
