// SPDX-License-Identifier: GPL-2.0-only
// Open vSwitch as Proxmox sets it up, with real OVS: a node whose OVSBridge
// has an OVSBond of two NICs and two OVSIntPorts, tag 11 for Corosync link 0
// and tag 20 for Ceph public, and a peer that terminates both tags. The
// node's tree (Proxmox's OVS stanzas) goes through `derive` and `apply`, and
// real traffic is counted on the lanes derive chose: on the internal ports
// untagged, on the bond's member NICs by VLAN.
//
// This kernel has no openvswitch module, so both switches run Open vSwitch's
// userspace datapath (datapath_type=netdev), each a private instance inside
// its namespace (support/ovs_switch.h). There, OVS sends on a member NIC
// through AF_PACKET with the 802.1Q tag inside the frame (tc egress sees the
// tag in the packet), and the kernel takes the tag of a received frame out
// into skb->vlan_tci before tc ingress: both are checked below through the
// `vlan` of violation events.
//   node: bond of M0, M1 (active-backup, primary M0); C0 198.51.100.1/24
//         tag 11; CE 203.0.113.1/24 tag 20
//   peer: the same on its ends of M0, M1; 198.51.100.2/24, 203.0.113.2/24
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
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

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

struct IntPort {
  std::string name;
  int tag = 0;
  std::string cidr;
};

// One Proxmox-style OVS setup: a bridge, an active-backup OVSBond of
// `members`, internal ports with access tags. The ovs-vsctl commands are
// those of Open vSwitch's ifupdown hooks for OVSBridge, OVSBond and
// OVSIntPort stanzas (/usr/share/openvswitch/scripts/ifupdown.sh), plus the
// userspace datapath this machine needs.
struct OvsSetup {
  std::string bridge = unique_name("lwtor");
  std::string bond = unique_name("lwtod");
  std::vector<std::string> members;
  std::vector<IntPort> ports;

  // ovs_options of the bond, as the stanza carries them.
  std::string bond_options() const {
    return "bond_mode=active-backup other_config:bond-primary=" + members.at(0);
  }

  void build(const OvsSwitch& ovs, const NetNs& ns) const {
    ovs.vsctl("-- --may-exist add-br " + bridge + " -- set Bridge " + bridge +
              " datapath_type=netdev");
    ovs.vsctl("-- --fake-iface add-bond " + bridge + " " + bond + " " + members[0] + " " +
              members[1] + " " + bond_options());
    for (const auto& m : members) ns.exec_ok("ip link set " + m + " up");
    for (const auto& p : ports) {
      ovs.vsctl("-- --may-exist add-port " + bridge + " " + p.name +
                " tag=" + std::to_string(p.tag) + " -- set Interface " + p.name + " type=internal");
      add_test_address(ns.name(), p.name, p.cidr);
      ns.exec_ok("ip link set " + p.name + " up");
    }
  }

  // /etc/network/interfaces as Proxmox VE writes these stanzas; `names`
  // replaces the members' names (files that disagree with the kernel).
  std::string interfaces(std::vector<std::string> names = {}) const {
    if (names.empty()) names = members;
    std::string t = "auto lo\niface lo inet loopback\n\n";
    for (const auto& m : names) t += "auto " + m + "\niface " + m + " inet manual\n\n";
    t += "auto " + bond + "\niface " + bond + " inet manual\n\tovs_bonds " + names[0] + " " +
         names[1] + "\n\tovs_type OVSBond\n\tovs_bridge " + bridge +
         "\n\tovs_options bond_mode=active-backup other_config:bond-primary=" + names[0] + "\n\n";
    t += "auto " + bridge + "\niface " + bridge +
         " inet manual\n\tovs_type OVSBridge\n\tovs_ports " + bond;
    for (const auto& p : ports) t += " " + p.name;
    t += "\n";
    for (const auto& p : ports)
      t += "\nauto " + p.name + "\niface " + p.name + " inet static\n\taddress " + p.cidr +
           "\n\tovs_type OVSIntPort\n\tovs_bridge " + bridge +
           "\n\tovs_options tag=" + std::to_string(p.tag) + "\n";
    return t;
  }
};

class OvsUserspace : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    if (std::string why = ovs_unavailable_reason(); !why.empty()) {
      if (ci_mode()) GTEST_FAIL() << why;
      GTEST_SKIP() << why << "; fails when CI=true";
    }
    node_ns_ = std::make_unique<NetNs>("lwtovn");
    peer_ns_ = std::make_unique<NetNs>("lwtovp");
    wire0_ = std::make_unique<VethPair>(*node_ns_, *peer_ns_, VethOptions{.prefix = "lwtoa"});
    wire1_ = std::make_unique<VethPair>(*node_ns_, *peer_ns_, VethOptions{.prefix = "lwtob"});
    node_.members = {wire0_->name_a(), wire1_->name_a()};
    node_.ports = {{unique_name("lwtoc"), 11, "198.51.100.1/24"},
                   {unique_name("lwtoe"), 20, "203.0.113.1/24"}};
    peer_.members = {wire0_->name_b(), wire1_->name_b()};
    peer_.ports = {{unique_name("lwtoc"), 11, "198.51.100.2/24"},
                   {unique_name("lwtoe"), 20, "203.0.113.2/24"}};
    node_ovs_ = std::make_unique<OvsSwitch>(*node_ns_, "n");
    peer_ovs_ = std::make_unique<OvsSwitch>(*peer_ns_, "p");
    node_.build(*node_ovs_, *node_ns_);
    peer_.build(*peer_ovs_, *peer_ns_);
    lanewarden_ = std::make_unique<LanewardenNode>(LW_BINARY, node_ns_->name(),
                                                   "lwtovs" + std::to_string(::getpid()));
    root_ = fs::temp_directory_path() / ("lwtovs-root-" + std::to_string(::getpid()));
    write_tree();
  }

  void TearDown() override {
    lanewarden_.reset();
    node_ovs_.reset();
    peer_ovs_.reset();
    wire1_.reset();
    wire0_.reset();
    peer_ns_.reset();
    node_ns_.reset();
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  void write_tree(const std::vector<std::string>& member_names = {}) const {
    write_file(root_ / "etc/hostname", "pve1\n");
    write_file(root_ / "etc/hosts", "127.0.0.1 localhost\n");
    write_file(root_ / "etc/network/interfaces", node_.interfaces(member_names));
    write_file(root_ / "etc/pve/corosync.conf",
               "nodelist {\n  node {\n    name: pve1\n    nodeid: 1\n    quorum_votes: 1\n"
               "    ring0_addr: 198.51.100.1\n  }\n  node {\n    name: pve2\n    nodeid: 2\n"
               "    quorum_votes: 1\n    ring0_addr: 198.51.100.2\n  }\n}\n\n"
               "quorum {\n  provider: corosync_votequorum\n}\n\n"
               "totem {\n  cluster_name: lab\n  config_version: 2\n  interface {\n"
               "    linknumber: 0\n  }\n  ip_version: ipv4-6\n  link_mode: passive\n"
               "  secauth: on\n  version: 2\n}\n");
    write_file(root_ / "etc/pve/ceph.conf",
               "[global]\n\tauth_client_required = cephx\n\tauth_cluster_required = cephx\n"
               "\tauth_service_required = cephx\n"
               "\tfsid = 6c5a3b0e-8f43-4d55-9a4e-0d7f1d2c9e11\n"
               "\tmon_host = 203.0.113.1 203.0.113.2\n\tpublic_network = 203.0.113.0/24\n");
    // A migration network of its own, so migration does not ride on
    // Corosync's link (derive would leave that lane shared).
    write_file(root_ / "etc/pve/datacenter.cfg",
               "keyboard: en-us\nmigration: secure,network=2001:db8:30::/64\n");
  }

  nlohmann::json iface_status(const std::string& iface) const {
    for (const auto& obj : lanewarden_->status())
      if (obj.value("type", "") == "iface" && obj.value("iface", "") == iface) return obj;
    ADD_FAILURE() << "status does not list " << iface;
    return nlohmann::json::object();
  }

  uint64_t violations(const std::string& iface, const std::string& dir, const std::string& kind,
                      const std::string& cls) const {
    uint64_t n = 0;
    for (const auto& v : iface_status(iface).value("violations", nlohmann::json::array()))
      if (v.at("dir") == dir && v.at("kind") == kind && v.at("class") == cls)
        n += v.at("packets").get<uint64_t>();
    return n;
  }

  bool no_violations() const {
    for (const auto& obj : lanewarden_->status())
      if (obj.value("type", "") == "iface" && !obj.at("violations").empty()) return false;
    return true;
  }

  std::string diagnostics() const {
    return "node bond: " + node_ovs_->appctl("bond/show").out +
           "\nstatus: " + lanewarden_->run("status").out;
  }

  std::unique_ptr<NetNs> node_ns_, peer_ns_;
  std::unique_ptr<VethPair> wire0_, wire1_;
  OvsSetup node_, peer_;
  std::unique_ptr<OvsSwitch> node_ovs_, peer_ovs_;
  std::unique_ptr<LanewardenNode> lanewarden_;
  fs::path root_;
};

TEST_F(OvsUserspace, LanesOnIntPortsAndTaggedOnBondMembers) {
  const std::string m0 = node_.members[0], m1 = node_.members[1];
  const std::string coro = node_.ports[0].name, ceph = node_.ports[1].name;

  auto derived = lanewarden_->run("derive --root " + root_.string());
  ASSERT_TRUE(derived.ok()) << derived.err;
  const std::string& policy = derived.out;
  for (const auto& m : {m0, m1}) {
    EXPECT_NE(policy.find("interface = \"" + m + "\"\nvlan = 11\nclasses = [\"corosync\"]"),
              std::string::npos)
        << policy;
    EXPECT_NE(policy.find("interface = \"" + m + "\"\nvlan = 20\nclasses = [\"ceph_public\"]"),
              std::string::npos)
        << policy;
  }
  EXPECT_NE(policy.find("interface = \"" + coro + "\"\nclasses = [\"corosync\"]\nexclusive = true"),
            std::string::npos)
      << policy;
  EXPECT_NE(policy.find("interface = \"" + ceph + "\"\nclasses = [\"ceph_public\"]"),
            std::string::npos)
      << policy;
  lanewarden_->apply(policy);

  // Corosync-like: knet's UDP 5405 between the link addresses.
  UdpSink knet(*peer_ns_, "198.51.100.2", 5405);
  EXPECT_EQ(send_udp(*node_ns_, {.dst = "198.51.100.2",
                                 .dport = 5405,
                                 .sport = 5405,
                                 .src = "198.51.100.1",
                                 .size = 120,
                                 .count = 50}),
            50u);
  EXPECT_EQ(knet.receive(50, 5s), 50u) << diagnostics();
  // Ceph-like: an OSD port in the public network.
  TcpSink osd(*peer_ns_, "203.0.113.2", 6800);
  auto sent = send_tcp(*node_ns_, {.dst = "203.0.113.2", .dport = 6800, .bytes = 200000});
  EXPECT_TRUE(sent.connected && sent.error.empty()) << sent.error;
  EXPECT_EQ(osd.wait_for_bytes(200000, 5s), 200000u);

  // Corosync: on its internal port, and on the active member with tag 11.
  EXPECT_EQ(lanewarden_->packets(coro, "egress", "corosync", "pass"), 50u) << diagnostics();
  EXPECT_EQ(lanewarden_->packets(m0, "egress", "corosync", "pass"), 50u) << diagnostics();
  EXPECT_EQ(lanewarden_->packets(m1, "egress", "corosync"), 0u) << "m1 is the backup member";
  // Ceph: on its internal port and on the member with tag 20, both ways
  // (the peer's ACKs arrive tagged on the member, untagged on the port).
  EXPECT_GT(lanewarden_->packets(ceph, "egress", "ceph_public", "pass"), 100u);
  EXPECT_GT(lanewarden_->packets(ceph, "ingress", "ceph_public", "pass"), 0u);
  EXPECT_GT(lanewarden_->packets(m0, "egress", "ceph_public", "pass"), 100u);
  EXPECT_GT(lanewarden_->packets(m0, "ingress", "ceph_public", "pass"), 0u);
  EXPECT_EQ(lanewarden_->packets(coro, "egress", "ceph_public"), 0u);
  EXPECT_TRUE(no_violations()) << diagnostics();

  // A misconfigured route sends Ceph out of the Corosync port: an intruder
  // on the exclusive internal port, the wrong lane on the member's VLAN 11.
  node_ns_->exec_ok("ip route add 203.0.113.2/32 dev " + coro);
  TcpSink stray(*peer_ns_, "0.0.0.0", 6801);
  auto misrouted = send_tcp(*node_ns_, {.dst = "203.0.113.2", .dport = 6801, .bytes = 20000});
  EXPECT_TRUE(misrouted.connected && misrouted.error.empty()) << misrouted.error;
  EXPECT_EQ(stray.wait_for_bytes(20000, 5s), 20000u);
  EXPECT_GT(violations(coro, "egress", "intruder", "ceph_public"), 10u) << diagnostics();
  EXPECT_GT(violations(coro, "ingress", "intruder", "ceph_public"), 0u) << diagnostics();
  EXPECT_GT(violations(m0, "egress", "wrong_lane", "ceph_public"), 10u) << diagnostics();
  EXPECT_GT(violations(m0, "ingress", "wrong_lane", "ceph_public"), 0u) << diagnostics();

  // One misrouted connection gives four events (port and member, each way),
  // each new connection four more: keep connecting until `watch`, started
  // in parallel, has eight, so its start-up time cannot lose the ones
  // checked below.
  auto watch = std::async(std::launch::async, [&] {
    return lanewarden_->run("watch --format json --duration 8 --count 8", 15s);
  });
  for (int i = 0; i < 20 && watch.wait_for(300ms) != std::future_status::ready; ++i)
    send_tcp(*node_ns_, {.dst = "203.0.113.2", .dport = 6801, .bytes = 1000, .timeout = 2s});

  // The events say which VLAN the programs saw on the member: egress tag in
  // the frame, ingress tag in skb->vlan_tci, 11 either way.
  auto events = watch.get();
  bool member_out = false, member_in = false, port_out = false;
  for (const auto& e : json_lines(events.out)) {
    if (e.value("type", "") != "violation") continue;
    if (e.value("iface", "") == m0 && e.value("kind", "") == "wrong_lane") {
      EXPECT_EQ(e.value("vlan", -1), 11) << e.dump();
      (e.value("dir", "") == "egress" ? member_out : member_in) = true;
    }
    if (e.value("iface", "") == coro && e.value("kind", "") == "intruder" &&
        e.value("dir", "") == "egress") {
      EXPECT_EQ(e.value("vlan", -1), 0) << e.dump();
      port_out = true;
    }
  }
  EXPECT_TRUE(member_out && member_in && port_out) << events.out << events.err;

  // Enforced, the intruder is dropped where it enters OVS: the connection
  // never leaves the node.
  lanewarden_->apply(policy, "--mode enforce");
  auto dropped =
      send_tcp(*node_ns_, {.dst = "203.0.113.2", .dport = 6801, .bytes = 1000, .timeout = 2s});
  EXPECT_FALSE(dropped.connected);
  EXPECT_GT(lanewarden_->packets(coro, "egress", "ceph_public", "drop"), 0u) << diagnostics();
  EXPECT_EQ(lanewarden_->packets(m0, "egress", "ceph_public", "drop"), 0u);
}

// pve-network-interface-pinning, files ahead of the reboot: the stanzas
// already name the members nic0 and nic1, the .link files pin their MACs,
// the kernel still has the old names. Members hold no address, so only the
// MACs tell: check --live reports it, derive --live puts the lanes on the
// kernel's devices, where the traffic is then counted.
TEST_F(OvsUserspace, PinnedMemberNamesResolveThroughTheirMacs) {
  const std::string m0 = node_.members[0], m1 = node_.members[1];
  write_tree({"nic0", "nic1"});
  for (int i = 0; i < 2; ++i) {
    std::string mac = node_ns_->exec_ok("cat /sys/class/net/" + node_.members[i] + "/address");
    write_file(
        root_ / "usr/local/lib/systemd/network" / ("50-pve-nic" + std::to_string(i) + ".link"),
        "[Match]\nMACAddress=" + mac.substr(0, mac.find('\n')) +
            "\nType=ether\n\n[Link]\nName=nic" + std::to_string(i) + "\n");
  }
  auto check = lanewarden_->run("check --live --format json --root " + root_.string());
  int renamed = 0;
  for (const auto& f : json_lines(check.out))
    if (f.value("id", "") == "LW030" &&
        (f.value("message", "").find("nic0 is named in the files, but the kernel calls it " + m0) !=
             std::string::npos ||
         f.value("message", "").find("nic1 is named in the files, but the kernel calls it " + m1) !=
             std::string::npos))
      ++renamed;
  EXPECT_EQ(renamed, 2) << check.out << check.err;

  auto derived = lanewarden_->run("derive --live --root " + root_.string());
  ASSERT_TRUE(derived.ok()) << derived.err;
  EXPECT_EQ(derived.out.find("interface = \"nic0\""), std::string::npos) << derived.out;
  EXPECT_NE(derived.out.find("interface = \"" + m0 + "\"\nvlan = 11"), std::string::npos)
      << derived.out;
  EXPECT_NE(derived.out.find("the kernel calls nic0 " + m0), std::string::npos) << derived.out;
  lanewarden_->apply(derived.out);
  UdpSink knet(*peer_ns_, "198.51.100.2", 5405);
  EXPECT_EQ(send_udp(*node_ns_, {.dst = "198.51.100.2", .dport = 5405, .sport = 5405, .count = 30}),
            30u);
  EXPECT_EQ(knet.receive(30, 5s), 30u);
  EXPECT_EQ(lanewarden_->packets(m0, "egress", "corosync", "pass"), 30u) << diagnostics();
  EXPECT_TRUE(no_violations()) << diagnostics();
}

}  // namespace
}  // namespace lw::test
