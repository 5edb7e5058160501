// SPDX-License-Identifier: GPL-2.0-only
// lanewarden on tcx links (docs/attach.md), end to end: the real binary in a
// namespace with a veth pair to a peer and a tap device set up as Proxmox's
// `rate=` leaves it (an htb root and an ingress qdisc).
// Built only against libbpf >= 1.3 (scripts/test-trixie.sh runs it on
// trixie): the links are pinned and adopted by a restart, lanewarden runs
// first in the tcx chain and passes packets on to foreign tcx programs and
// cls_bpf filters, a switch between clsact and tcx loses no packet, and
// detach leaves no pin, link, filter, qdisc or program.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "e2e/test_run_support.h"
#include "support/packet_builder.h"
#include "support/traffic.h"
#include "tcx/tcx_probe.h"

namespace lw::test::tcx {
namespace {

using daemon_e2e::DaemonProcess;

constexpr int kTcxNext = -1;
constexpr int kTcxDrop = 2;

class TcxNode : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    a_ = std::make_unique<NetNs>("lwtxa");
    b_ = std::make_unique<NetNs>("lwtxb");
    link_ = std::make_unique<VethPair>(
        *a_, *b_,
        VethOptions{
            .prefix = "lwtx", .addrs_a = {"198.51.100.1/24"}, .addrs_b = {"198.51.100.2/24"}});
    tap_ = unique_name("lwtxt");
    // A guest NIC with `rate=` as qemu-server sets it up (PVE::Network
    // tap_rate_limit): an ingress qdisc and an htb root (its police filter
    // needs cls_basic, which not every test kernel has).
    a_->exec_ok("ip tuntap add dev " + tap_ + " mode tap && ip link set " + tap_ + " up");
    a_->exec_ok("tc qdisc add dev " + tap_ + " handle ffff: ingress");
    a_->exec_ok("tc qdisc add dev " + tap_ + " root handle 1: htb default 1");
    a_->exec_ok("tc class add dev " + tap_ +
                " parent 1: classid 1:1 htb rate 1000000bps burst 1000000b");
    node_ = std::make_unique<LanewardenNode>(LW_BINARY, a_->name(), unique_name("lwtx", "", 64));
  }
  void TearDown() override {
    daemon_.reset();
    node_.reset();  // detaches and removes the pins before the links go
    link_.reset();
    b_.reset();
    a_.reset();
  }

  std::string veth() const { return link_->name_a(); }
  // Lanes on the veth and, unless `tap` is false, on the tap: clsact cannot
  // go on a tap whose ingress qdisc Proxmox set, so `--attach tc` needs
  // a policy without it.
  std::string policy(const std::string& mode = "audit", bool tap = true) const {
    std::string toml = "mode = \"" + mode + "\"\n" +
                       "[networks]\ncorosync = [\"198.51.100.0/24\"]\n"
                       "ceph_public = [\"203.0.113.128/26\"]\n"
                       "[[lane]]\ninterface = \"" +
                       veth() + "\"\nclasses = [\"corosync\"]\nexclusive = true\n";
    if (tap) toml += "[[lane]]\ninterface = \"" + tap_ + "\"\nclasses = [\"ceph_public\"]\n";
    return toml;
  }
  std::string link_pin(const std::string& ifname, bool ingress) const {
    return node_->pin_dir() + "/lw_tcx_" + std::to_string(a_->ifindex(ifname)) +
           (ingress ? "_in" : "_eg");
  }
  uint32_t lw_prog(bool ingress) const {
    return pinned_prog_id(node_->pin_dir() + (ingress ? "/lw_ingress" : "/lw_egress"));
  }
  // `status` of one interface.
  nlohmann::json iface_status(const std::string& ifname) const {
    for (const auto& o : node_->status())
      if (o.value("type", "") == "iface" && o.value("iface", "") == ifname) return o;
    throw std::runtime_error("status lists no " + ifname);
  }
  uint64_t corosync_in() const { return node_->packets(veth(), "ingress", "corosync"); }
  // Corosync frames from the peer to A's veth (to a MAC nobody has: tc
  // ingress sees them, the stack ignores them).
  void send_corosync(size_t n) const {
    static const Bytes frame = PacketBuilder()
                                   .eth("02:00:00:00:00:aa", "02:00:00:00:00:99")
                                   .ipv4("198.51.100.2", "198.51.100.1")
                                   .udp(5405, 5405)
                                   .payload(64)
                                   .build();
    ASSERT_EQ(send_raw_frame(*b_, link_->name_b(), frame, n), n);
  }
  std::string tc_show(const std::string& what) const { return a_->exec_ok("tc " + what); }
  std::string tap_tc() const {
    return tc_show("qdisc show dev " + tap_) +
           tc_show("filter show dev " + tap_ + " parent ffff:") + tc_show("class show dev " + tap_);
  }
  // Nothing of lanewarden's anywhere: no pin directory, no program of its on
  // either tcx hook of either interface, no clsact filter of its, and its
  // programs are gone from the kernel.
  void expect_no_trace(uint32_t ingress_id, uint32_t egress_id) const {
    EXPECT_FALSE(std::filesystem::exists(node_->pin_dir()));
    for (const std::string& dev : {veth(), tap_})
      for (bool in : {true, false})
        for (uint32_t id : tcx_chain(*a_, dev, in))
          EXPECT_TRUE(id != ingress_id && id != egress_id) << dev << " still runs " << id;
    EXPECT_EQ(tc_show("filter show dev " + veth() + " ingress").find("lw_"), std::string::npos);
    EXPECT_EQ(tc_show("filter show dev " + veth() + " egress").find("lw_"), std::string::npos);
    EXPECT_TRUE(prog_gone(ingress_id));
    EXPECT_TRUE(prog_gone(egress_id));
  }

  std::unique_ptr<NetNs> a_, b_;
  std::unique_ptr<VethPair> link_;
  std::string tap_;
  std::unique_ptr<LanewardenNode> node_;
  std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(TcxNode, AttachesThroughPinnedTcxLinksAndDetachLeavesNothing) {
  node_->apply(policy());
  const uint32_t in_id = lw_prog(true), eg_id = lw_prog(false);
  ASSERT_NE(in_id, 0u);
  for (const std::string& dev : {veth(), tap_}) {
    EXPECT_EQ(iface_status(dev).at("hook"), "tcx") << dev;
    EXPECT_NE(pinned_link_id(link_pin(dev, true)), 0u) << dev;
    EXPECT_NE(pinned_link_id(link_pin(dev, false)), 0u) << dev;
    EXPECT_EQ(tcx_chain(*a_, dev, true), std::vector<uint32_t>{in_id}) << dev;
    EXPECT_EQ(tcx_chain(*a_, dev, false), std::vector<uint32_t>{eg_id}) << dev;
  }
  for (const auto& o : node_->status()) {
    if (o.value("type", "") == "policy") {
      EXPECT_EQ(o.at("hook_support").get<std::string>().rfind("tcx available", 0), 0u) << o;
    }
  }
  // No clsact qdisc: tcx needs none.
  EXPECT_EQ(tc_show("qdisc show dev " + veth()).find("clsact"), std::string::npos);
  send_corosync(25);
  EXPECT_EQ(corosync_in(), 25u);

  auto d = node_->run("detach");
  ASSERT_TRUE(d.ok()) << d.err;
  expect_no_trace(in_id, eg_id);
  EXPECT_EQ(tc_show("qdisc show dev " + veth()).find("clsact"), std::string::npos);
}

TEST_F(TcxNode, CoexistsWithForeignTcxProgramsClsBpfFiltersAndProxmoxQdiscs) {
  const std::string tap_before = tap_tc();
  // A foreign tcx program that drops everything, and behind the tcx chain a
  // foreign cls_bpf filter on clsact.
  ForeignTcx dropper(*a_, veth(), true, kTcxDrop);
  ForeignTcx follower(*a_, veth(), false, kTcxNext);
  add_foreign_cls_bpf(*a_, veth());

  node_->apply(policy());
  const uint32_t in_id = lw_prog(true), eg_id = lw_prog(false);
  // First in the chain (BPF_F_BEFORE), the foreign programs kept behind it.
  EXPECT_EQ(tcx_chain(*a_, veth(), true), (std::vector<uint32_t>{in_id, dropper.prog_id()}));
  EXPECT_EQ(tcx_chain(*a_, veth(), false), (std::vector<uint32_t>{eg_id, follower.prog_id()}));
  // lanewarden sees every packet before the foreign program drops it.
  send_corosync(10);
  EXPECT_EQ(corosync_in(), 10u);
  // Without the dropper, lanewarden's TCX_NEXT hands packets on to clsact.
  dropper.detach();
  send_corosync(15);
  EXPECT_EQ(corosync_in(), 25u);
  // Proxmox's qdiscs on the tap are untouched, and lanewarden runs there
  // although the ingress qdisc leaves no room for clsact.
  EXPECT_EQ(iface_status(tap_).at("hook"), "tcx");
  EXPECT_EQ(tap_tc(), tap_before);

  auto d = node_->run("detach");
  ASSERT_TRUE(d.ok()) << d.err;
  expect_no_trace(in_id, eg_id);
  EXPECT_EQ(tcx_chain(*a_, veth(), false), std::vector<uint32_t>{follower.prog_id()});
  const std::string filters = tc_show("filter show dev " + veth() + " ingress");
  EXPECT_NE(filters.find("handle 0x7"), std::string::npos) << filters;
  EXPECT_EQ(tap_tc(), tap_before);
}

TEST_F(TcxNode, ARestartedDaemonAdoptsThePinnedLinks) {
  const std::string file = "/tmp/" + unique_name("lwtxpol", "", 64) + ".toml";
  daemon_e2e::write_file(file, policy("enforce"));
  auto start = [&] {
    daemon_ = std::make_unique<DaemonProcess>(a_->name(), node_->pin_dir(),
                                              file + " --metrics off --attach tcx");
    ASSERT_TRUE(daemon_->wait_for_log("running: policy")) << daemon_->log();
  };
  start();
  const uint32_t link_in = pinned_link_id(link_pin(veth(), true));
  const uint32_t link_eg = pinned_link_id(link_pin(veth(), false));
  const uint32_t in_id = lw_prog(true);
  ASSERT_NE(link_in, 0u);
  send_corosync(5);
  daemon_->signal(SIGTERM);
  ASSERT_EQ(daemon_->wait_exit(), 0) << daemon_->log();
  // Stopped: the pinned links keep the programs attached and counting.
  EXPECT_EQ(tcx_chain(*a_, veth(), true), std::vector<uint32_t>{in_id});
  send_corosync(5);
  EXPECT_EQ(corosync_in(), 10u);

  start();
  // The same links and programs: nothing was detached or re-attached.
  EXPECT_EQ(pinned_link_id(link_pin(veth(), true)), link_in);
  EXPECT_EQ(pinned_link_id(link_pin(veth(), false)), link_eg);
  EXPECT_EQ(tcx_chain(*a_, veth(), true), std::vector<uint32_t>{in_id});
  send_corosync(5);
  EXPECT_EQ(corosync_in(), 15u);
  daemon_->signal(SIGTERM);
  EXPECT_EQ(daemon_->wait_exit(), 0) << daemon_->log();
  std::error_code ec;
  std::filesystem::remove(file, ec);
}

TEST_F(TcxNode, SwitchingBetweenClsactAndTcxLosesNoPacket) {
  node_->apply(policy("audit", false), "--attach tc");
  EXPECT_EQ(iface_status(veth()).at("hook"), "clsact");
  EXPECT_NE(tc_show("filter show dev " + veth() + " ingress").find("lw_ingress"),
            std::string::npos);

  // Frames flow while the hooks are switched; every one must be counted at
  // least once (both hooks hold the programs for a moment, none is empty).
  constexpr size_t kBatches = 200, kPerBatch = 5;
  std::atomic<size_t> sent{0};
  std::thread sender([&] {
    for (size_t i = 0; i < kBatches; i++) {
      send_corosync(kPerBatch);
      sent += kPerBatch;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  node_->apply(policy("audit", false));  // auto: tcx here
  node_->apply(policy("audit", false), "--attach tc");
  node_->apply(policy("audit", false), "--attach tcx");
  sender.join();
  ASSERT_EQ(sent.load(), kBatches * kPerBatch);
  EXPECT_GE(corosync_in(), kBatches * kPerBatch);

  EXPECT_EQ(iface_status(veth()).at("hook"), "tcx");
  // The clsact filters and the clsact qdisc lanewarden created are gone.
  EXPECT_EQ(tc_show("filter show dev " + veth() + " ingress").find("lw_"), std::string::npos);
  EXPECT_EQ(tc_show("qdisc show dev " + veth()).find("clsact"), std::string::npos);
  EXPECT_EQ(tcx_chain(*a_, veth(), true), std::vector<uint32_t>{lw_prog(true)});

  // And back: the tcx link pins go with the switch.
  node_->apply(policy("audit", false), "--attach tc");
  EXPECT_EQ(iface_status(veth()).at("hook"), "clsact");
  EXPECT_FALSE(std::filesystem::exists(link_pin(veth(), true)));
  EXPECT_TRUE(tcx_chain(*a_, veth(), true).empty());
}

TEST_F(TcxNode, ARollbackRestoresTheHookOfThePreviousState) {
  node_->apply(policy("audit", false), "--attach tcx");
  node_->apply(policy("enforce", false), "--attach tc --confirm 2");
  EXPECT_EQ(iface_status(veth()).at("hook"), "clsact");
  // Unconfirmed: the watchdog restores the state before, tcx links included.
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < end && iface_status(veth()).at("hook") != "tcx")
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(iface_status(veth()).at("hook"), "tcx");
  EXPECT_EQ(tc_show("filter show dev " + veth() + " ingress").find("lw_"), std::string::npos);
  EXPECT_EQ(tcx_chain(*a_, veth(), true), std::vector<uint32_t>{lw_prog(true)});
}

}  // namespace
}  // namespace lw::test::tcx
