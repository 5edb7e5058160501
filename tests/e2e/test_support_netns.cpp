// SPDX-License-Identifier: GPL-2.0-only
// Proves the e2e support works on this kernel: namespaces, veth pairs, a
// switch namespace, the UDP/TCP generators and sinks, raw frame injection,
// and that nothing is left behind (or wrongly removed) afterwards.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/cleanup.h"
#include "support/command.h"
#include "support/names.h"
#include "support/netns.h"
#include "support/packet_builder.h"
#include "support/privilege.h"
#include "support/topology.h"
#include "support/traffic.h"

namespace lw::test {
namespace {

constexpr std::string_view kPrefix = "lwtsup";

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

std::string mac_of(const NetNs& ns, const std::string& ifname) {
  std::string out = ns.exec_ok("cat /sys/class/net/" + ifname + "/address");
  return out.substr(0, 17);
}

class SupportNetns : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    cleanup_stale_lwt_resources(kPrefix);
  }

  // Every namespace and link name the test created, to prove they are gone.
  void expect_gone(const std::vector<std::string>& names) {
    std::string netns = run_ok("ip netns list");
    std::string links = run_ok("ip -o link show");
    for (const auto& n : names) {
      EXPECT_FALSE(contains(netns, n)) << "namespace left behind: " << n;
      EXPECT_FALSE(contains(links, n)) << "link left in the root namespace: " << n;
    }
  }
};

TEST_F(SupportNetns, PairCarriesUdpTcpAndRawFramesThenVanishes) {
  std::vector<std::string> names;
  {
    auto t = Topology::pair({.prefix = std::string(kPrefix), .mtu = 1500});
    names = {t.node(0).name(), t.node(1).name(), t.node_if(0), t.node_if(1)};
    ASSERT_TRUE(contains(run_ok("ip netns list"), t.node(0).name()));
    EXPECT_TRUE(contains(t.node(0).exec_ok("ip -o link show"), t.node_if(0)));
    // The root namespace never sees the links.
    EXPECT_FALSE(contains(run_ok("ip -o link show"), t.node_if(0)));
    EXPECT_GT(t.node_ifindex(1), 1);

    // UDP over IPv4 and IPv6, exact counts.
    UdpSink udp(t.node(1), "::", 5405);
    EXPECT_EQ(send_udp(t.node(0),
                       {.dst = t.addr4(1), .dport = 5405, .sport = 5405, .size = 200, .count = 50}),
              50u);
    EXPECT_EQ(udp.receive(50, 3s), 50u);
    EXPECT_EQ(send_udp(t.node(0), {.dst = t.addr6(1), .dport = 5405, .count = 10}), 10u);
    EXPECT_EQ(udp.receive(10, 3s), 10u);
    EXPECT_EQ(udp.receive(1, 200ms), 0u);  // exactly N, nothing more
    EXPECT_EQ(udp.bytes(), 50u * 200 + 10 * 64);

    // TCP: a megabyte through, and a refused connection reported as such.
    TcpSink tcp(t.node(1), "::", 6800);
    auto sent = send_tcp(t.node(0), {.dst = t.addr4(1), .dport = 6800, .bytes = 1 << 20});
    EXPECT_TRUE(sent.connected) << sent.error;
    EXPECT_EQ(sent.sent, 1u << 20) << sent.error;
    EXPECT_EQ(tcp.wait_for_bytes(1 << 20, 5s), 1u << 20);
    EXPECT_EQ(tcp.connections(), 1u);
    auto refused =
        send_tcp(t.node(0), {.dst = t.addr6(1), .dport = 6801, .bytes = 10, .timeout = 2s});
    EXPECT_FALSE(refused.connected);

    // Raw frames: a crafted UDP frame reaches the peer's socket, i.e. the
    // kernel accepted the builder's IPv4 and UDP checksums.
    std::string src_mac = mac_of(t.node(0), t.node_if(0));
    std::string dst_mac = mac_of(t.node(1), t.node_if(1));
    auto good = PacketBuilder()
                    .eth(src_mac, dst_mac)
                    .ipv4(t.addr4(0), t.addr4(1))
                    .udp(40000, 5405)
                    .payload(32)
                    .build();
    EXPECT_EQ(send_raw_frame(t.node(0), t.node_if(0), good, 3), 3u);
    EXPECT_EQ(udp.receive(3, 3s), 3u);

    // A VLAN-tagged frame: see what the receiving side gets.
    FrameCapture cap(t.node(1), t.node_if(1));
    auto tagged = PacketBuilder()
                      .eth(src_mac, dst_mac)
                      .vlan(20, 5)
                      .ipv4(t.addr4(0), t.addr4(1))
                      .udp(40001, 5405)
                      .payload(16)
                      .build();
    EXPECT_EQ(send_raw_frame(t.node(0), t.node_if(0), tagged, 2), 2u);
    // Observed on this kernel (6.18): the receiving veth moves the tag into
    // skb->vlan_tci before tc ingress and AF_PACKET see the frame, so the
    // data arrives untagged and the tag is reported in the auxdata.
    for (int i = 0; i < 2; ++i) {
      auto f = cap.next(3s);
      ASSERT_TRUE(f) << "tagged frame " << i << " not received";
      EXPECT_EQ(f->data.size(), tagged.size() - 4);
      EXPECT_EQ(f->data[12] << 8 | f->data[13], 0x0800);
      ASSERT_TRUE(f->vlan_tci);
      EXPECT_EQ(*f->vlan_tci, 5 << 13 | 20);
      EXPECT_EQ(f->vlan_tpid, kTpid8021Q);
    }
    // 802.1ad + 802.1Q: only the outer tag is taken out; the inner stays in
    // the packet.
    auto qinq = PacketBuilder()
                    .eth(src_mac, dst_mac)
                    .qinq(100, 20)
                    .ipv6(t.addr6(0), t.addr6(1))
                    .udp(40002, 5405)
                    .payload(16)
                    .build();
    EXPECT_EQ(send_raw_frame(t.node(0), t.node_if(0), qinq), 1u);
    auto q = cap.next(3s);
    ASSERT_TRUE(q);
    ASSERT_TRUE(q->vlan_tci);
    EXPECT_EQ(*q->vlan_tci, 100);
    EXPECT_EQ(q->vlan_tpid, kTpid8021ad);
    auto inner = parse_frame(q->data);
    ASSERT_EQ(inner.vlans.size(), 1u);
    EXPECT_EQ(inner.vlans[0].tpid, kTpid8021Q);
    EXPECT_EQ(inner.vlans[0].vid(), 20);
    EXPECT_EQ(inner.ethertype, 0x86dd);

    // The kernel drops a UDP datagram whose checksum is wrong (veth does not
    // mark injected frames as verified), which makes the delivery of `good`
    // above an independent check of the builder's checksums.
    auto bad = PacketBuilder()
                   .eth(src_mac, dst_mac)
                   .ipv4(t.addr4(0), t.addr4(1))
                   .udp(40003, 5405, {.bad_checksum = true})
                   .payload(32)
                   .build();
    EXPECT_EQ(send_raw_frame(t.node(0), t.node_if(0), bad), 1u);
    EXPECT_EQ(udp.receive(1, 500ms), 0u) << "a bad UDP checksum was delivered";
  }
  expect_gone(names);
}

TEST_F(SupportNetns, SwitchNamespaceBridgesNodes) {
  std::vector<std::string> names;
  {
    auto t = Topology::switched(3, {.prefix = std::string(kPrefix)});
    ASSERT_NE(t.switch_ns(), nullptr);
    names = {t.switch_ns()->name(), t.bridge()->name()};
    for (size_t i = 0; i < t.size(); ++i) {
      names.push_back(t.node(i).name());
      names.push_back(t.link(i).name_a());
      names.push_back(t.link(i).name_b());
    }
    // The bridge and its ports live in the switch namespace only.
    std::string sw_links = t.switch_ns()->exec_ok("ip -o link show master " + t.bridge()->name());
    for (size_t i = 0; i < t.size(); ++i) EXPECT_TRUE(contains(sw_links, t.link(i).name_b()));
    EXPECT_FALSE(contains(run_ok("ip -o link show"), t.bridge()->name()));

    UdpSink sink(t.node(2), "::", 5406);
    EXPECT_EQ(send_udp(t.node(0), {.dst = t.addr4(2), .dport = 5406, .count = 5}), 5u);
    EXPECT_EQ(send_udp(t.node(1), {.dst = t.addr6(2), .dport = 5406, .count = 5}), 5u);
    EXPECT_EQ(sink.receive(10, 3s), 10u);
  }
  expect_gone(names);
}

TEST_F(SupportNetns, CleanupRemovesStaleObjectsOnly) {
  // A prefix of this process's own ("lwtsx<pid36>"), so a parallel run of
  // this test neither sees nor sweeps these objects.
  const std::string base = "lwtsx" + process_tag();
  // Stale: names without an owner pid, as a crashed older run might leave.
  const std::string ns = base + "stale";
  const std::string link0 = base + "a", link1 = base + "b";
  const std::string pin = "/sys/fs/bpf/" + base + "pin";
  // Live: owned by pid 1, which always exists and is not us.
  const std::string live = base + "_1-0";
  // Removed whatever happens below, even if an assertion returns early.
  struct Guard {
    std::string live, link0, pin;
    ~Guard() {
      delete_netns(live);
      run("ip link del " + link0 + " 2>/dev/null");
      std::error_code ec;
      std::filesystem::remove_all(pin, ec);
    }
  } guard{live, link0, pin};
  run_ok("ip netns add " + ns);
  run_ok("ip netns add " + live);
  // A root-namespace pair (lwt-prefixed) proves root links are swept too.
  run_ok("ip link add " + link0 + " type veth peer name " + link1);
  ASSERT_EQ(mkdir(pin.c_str(), 0700), 0);

  auto removed = cleanup_stale_lwt_resources(base);
  std::string netns = run_ok("ip netns list");
  std::string links = run_ok("ip -o link show");
  EXPECT_FALSE(contains(netns, ns + "\n") || contains(netns, ns + " "));
  EXPECT_TRUE(contains(netns, live)) << "a live owner's namespace was removed";
  EXPECT_FALSE(contains(links, link0));
  EXPECT_FALSE(contains(links, link1));
  EXPECT_FALSE(std::filesystem::exists(pin));
  EXPECT_GE(removed.size(), 3u);

  delete_netns(live);
  EXPECT_FALSE(contains(run_ok("ip netns list"), live));
  // Prefixes outside "lwt" are refused outright.
  EXPECT_THROW(cleanup_stale_lwt_resources("veth"), std::invalid_argument);
  EXPECT_THROW(cleanup_stale_lwt_resources(""), std::invalid_argument);
}

TEST_F(SupportNetns, TempPinDirIsRemoved) {
  std::string path;
  {
    TempPinDir dir(std::string(kPrefix) + "pin");
    path = dir.path();
    EXPECT_TRUE(path.starts_with("/sys/fs/bpf/lwtsuppin_"));
    ASSERT_TRUE(std::filesystem::create_directories(path + "/sub"));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace lw::test
