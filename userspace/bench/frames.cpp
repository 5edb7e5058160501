// SPDX-License-Identifier: GPL-2.0-only
#include "bench/frames.h"

#include <arpa/inet.h>

#include <cstring>

namespace lw::bench {
namespace {

void put16(std::vector<uint8_t>& f, uint16_t v) {
  f.push_back(static_cast<uint8_t>(v >> 8));
  f.push_back(static_cast<uint8_t>(v));
}

void eth(std::vector<uint8_t>& f, uint16_t vlan, uint16_t ethertype) {
  const uint8_t macs[12] = {0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1};
  f.insert(f.end(), macs, macs + 12);
  if (vlan) {
    put16(f, 0x8100);
    put16(f, vlan);
  }
  put16(f, ethertype);
}

void ipv4(std::vector<uint8_t>& f, const char* src, const char* dst, uint8_t proto,
          uint16_t l4_len) {
  f.push_back(0x45);
  f.push_back(0);
  put16(f, static_cast<uint16_t>(20 + l4_len));
  put16(f, 0x1234);
  put16(f, 0x4000);  // DF
  f.push_back(64);
  f.push_back(proto);
  put16(f, 0);
  uint8_t a[4];
  inet_pton(AF_INET, src, a);
  f.insert(f.end(), a, a + 4);
  inet_pton(AF_INET, dst, a);
  f.insert(f.end(), a, a + 4);
}

void ipv6(std::vector<uint8_t>& f, const char* src, const char* dst, uint8_t proto,
          uint16_t l4_len) {
  const uint8_t head[4] = {0x60, 0, 0, 0};
  f.insert(f.end(), head, head + 4);
  put16(f, l4_len);
  f.push_back(proto);
  f.push_back(64);
  uint8_t a[16];
  inet_pton(AF_INET6, src, a);
  f.insert(f.end(), a, a + 16);
  inet_pton(AF_INET6, dst, a);
  f.insert(f.end(), a, a + 16);
}

void udp(std::vector<uint8_t>& f, uint16_t sport, uint16_t dport, uint16_t payload) {
  put16(f, sport);
  put16(f, dport);
  put16(f, static_cast<uint16_t>(8 + payload));
  put16(f, 0);
  f.insert(f.end(), payload, 0xAB);
}

void tcp(std::vector<uint8_t>& f, uint16_t sport, uint16_t dport, uint16_t payload) {
  put16(f, sport);
  put16(f, dport);
  const uint8_t rest[16] = {0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x18, 0xFF, 0xFF, 0, 0, 0, 0};
  f.insert(f.end(), rest, rest + 16);
  f.insert(f.end(), payload, 0xCD);
}

// TCP with the timestamp option as Linux sends it (NOP NOP TS): the frame
// that takes the RTT path (bpf/rtt.bpf.h).
void tcp_ts(std::vector<uint8_t>& f, uint16_t sport, uint16_t dport, uint16_t payload) {
  put16(f, sport);
  put16(f, dport);
  const uint8_t rest[16] = {0, 0, 0, 1, 0, 0, 0, 1, 0x80, 0x18, 0xFF, 0xFF, 0, 0, 0, 0};
  f.insert(f.end(), rest, rest + 16);
  const uint8_t ts[12] = {1, 1, 8, 10, 0x12, 0x34, 0x56, 0x78, 0x0A, 0xBC, 0xDE, 0xF0};
  f.insert(f.end(), ts, ts + 12);
  f.insert(f.end(), payload, 0xCD);
}

void icmp_echo_request(std::vector<uint8_t>& f, uint16_t id, uint16_t seq, uint16_t payload) {
  f.push_back(8);
  f.push_back(0);
  put16(f, 0);
  put16(f, id);
  put16(f, seq);
  f.insert(f.end(), payload, 0xEF);
}

}  // namespace

std::vector<BenchFrame> representative_frames() {
  std::vector<BenchFrame> out;
  {
    BenchFrame b{"corosync_udp_ipv4", "corosync", {}};
    eth(b.bytes, 0, 0x0800);
    ipv4(b.bytes, "198.51.100.1", "198.51.100.2", 17, 8 + 120);
    udp(b.bytes, 5405, 5405, 120);
    out.push_back(std::move(b));
  }
  {
    BenchFrame b{"ceph_tcp_ipv6_vlan", "ceph_cluster", {}};
    eth(b.bytes, 20, 0x86DD);
    ipv6(b.bytes, "2001:db8:50::1", "2001:db8:50::2", 6, 20 + 200);
    tcp(b.bytes, 50000, 6800, 200);
    out.push_back(std::move(b));
  }
  {
    BenchFrame b{"guest_tcp_ipv4", "other", {}};
    eth(b.bytes, 0, 0x0800);
    ipv4(b.bytes, "203.0.113.5", "203.0.113.77", 6, 20 + 500);
    tcp(b.bytes, 44321, 443, 500);
    out.push_back(std::move(b));
  }
  {
    BenchFrame b{"mgmt_tcp_timestamps_ipv4", "management", {}};
    eth(b.bytes, 0, 0x0800);
    ipv4(b.bytes, "198.51.100.193", "198.51.100.194", 6, 32 + 200);
    tcp_ts(b.bytes, 44322, 8006, 200);
    out.push_back(std::move(b));
  }
  {
    BenchFrame b{"corosync_icmp_echo_ipv4", "corosync", {}};
    eth(b.bytes, 0, 0x0800);
    ipv4(b.bytes, "198.51.100.1", "198.51.100.2", 1, 8 + 56);
    icmp_echo_request(b.bytes, 0x4c57, 1, 56);
    out.push_back(std::move(b));
  }
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
