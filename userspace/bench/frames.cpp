// SPDX-License-Identifier: GPL-2.0-only
#include "bench/frames.h"

#include "frames/packet_builder.h"

namespace lw::bench {
namespace {

using frames::PacketBuilder;

// A data segment of an established connection.
frames::TcpOpts push_ack() {
  frames::TcpOpts o;
  o.flags = frames::kTcpPsh | frames::kTcpAck;
  o.ack = 1;
  return o;
}

BenchFrame frame(std::string name, std::string expect_class, const PacketBuilder& b) {
  return {std::move(name), std::move(expect_class), b.build()};
}

}  // namespace

std::vector<BenchFrame> representative_frames() {
  frames::Ipv4Opts df;
  df.id = 0x1234;
  df.df = true;
  const frames::TcpOpts data = push_ack();
  frames::TcpOpts with_ts = push_ack();
  // The timestamp option as Linux sends it (NOP NOP TS): the frame that
  // takes the RTT path (bpf/rtt.bpf.h).
  with_ts.options = frames::tcp_option_timestamp(0x12345678, 0x0ABCDEF0);
  std::vector<BenchFrame> out;
  out.push_back(
      frame("corosync_udp_ipv4", "corosync",
            PacketBuilder().ipv4("198.51.100.1", "198.51.100.2", df).udp(5405, 5405).payload(120)));
  out.push_back(frame("ceph_tcp_ipv6_vlan", "ceph_cluster",
                      PacketBuilder()
                          .vlan(20)
                          .ipv6("2001:db8:50::1", "2001:db8:50::2")
                          .tcp(50000, 6800, data)
                          .payload(200)));
  out.push_back(frame(
      "guest_tcp_ipv4", "other",
      PacketBuilder().ipv4("203.0.113.5", "203.0.113.77", df).tcp(44321, 443, data).payload(500)));
  out.push_back(frame("mgmt_tcp_timestamps_ipv4", "management",
                      PacketBuilder()
                          .ipv4("198.51.100.193", "198.51.100.194", df)
                          .tcp(44322, 8006, with_ts)
                          .payload(200)));
  out.push_back(frame(
      "corosync_icmp_echo_ipv4", "corosync",
      PacketBuilder().ipv4("198.51.100.1", "198.51.100.2", df).icmp_echo(0x4c57, 1).payload(56)));
  return out;
}

const char* bench_policy_toml() {
  return R"(# lanewarden bench: the 3-node networks of "Proxmox Cluster Network Design",
# lanes on loopback
mode = "enforce"
[networks]
corosync = ["198.51.100.0/26", "198.51.100.64/26"]
migration = ["198.51.100.128/27"]
ceph_public = ["2001:db8:40::/64", "203.0.113.0/27"]
ceph_cluster = ["2001:db8:50::/64"]
management = ["198.51.100.192/27", "2001:db8:1::/64"]
[[lane]]
interface = "lo"
classes = ["corosync", "management", "other"]
[[lane]]
interface = "lo"
vlan = 20
classes = ["ceph_public", "ceph_cluster", "migration"]
)";
}

}  // namespace lw::bench
