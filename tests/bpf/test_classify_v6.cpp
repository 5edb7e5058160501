// SPDX-License-Identifier: GPL-2.0-only
// Every traffic class over IPv6, plus the ICMPv6 messages that keep an IPv6
// network alive (neighbour discovery, router discovery, packet too big).
#include "bpf_fixture.h"

namespace lw::test::bpf {
namespace {

using namespace v6;

class ClassifyV6 : public BpfTest {};

Bytes udp6(const char* s, const char* d, uint16_t sport, uint16_t dport) {
  return PacketBuilder().ipv6(s, d).udp(sport, dport).payload(64).build();
}
Bytes tcp6(const char* s, const char* d, uint16_t sport, uint16_t dport) {
  return PacketBuilder().ipv6(s, d).tcp(sport, dport).payload(100).build();
}

TEST_F(ClassifyV6, CorosyncUdpBetweenLinkAddresses) {
  LW_EXPECT_BOTH_DIRS(udp6(kCoroA, kCoroB, 5405, 5405), {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(udp6(kCoroA, kCoroB, 5412, 5412), {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(udp6(kCoroLink1, "2001:db8:2::2", 5406, 5406), {LW_CLASS_COROSYNC});
}

TEST_F(ClassifyV6, CorosyncNeedsBothEndsInALinkNetwork) {
  LW_EXPECT_BOTH_DIRS(udp6(kCoroA, kOut, 5405, 5405), {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(udp6(kOut, kCoroB, 5405, 5405), {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(udp6(kCoroA, kMgmt, 5405, 5405), {LW_CLASS_OTHER});
}

TEST_F(ClassifyV6, Icmp6EchoBetweenCorosyncAddressesIsCorosync) {
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv6(kCoroA, kCoroB).icmp6_echo(1, 1).build(),
                      {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv6(kCoroB, kCoroA).icmp6_echo(1, 1, true).build(),
                      {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv6(kCoroA, kOut).icmp6_echo(1, 1).build(),
                      {LW_CLASS_OTHER});
}

TEST_F(ClassifyV6, Migration) {
  LW_EXPECT_BOTH_DIRS(tcp6(kMig, kMig2, kGuestPort, 60000), {LW_CLASS_MIGRATION});
  LW_EXPECT_BOTH_DIRS(tcp6(kOut, kMig, kGuestPort, 60050), {LW_CLASS_MIGRATION});
  LW_EXPECT_BOTH_DIRS(tcp6(kOut, kMig, kGuestPort, 22), {LW_CLASS_MIGRATION});
}

TEST_F(ClassifyV6, CephPublicAndCluster) {
  for (uint16_t port : {3300, 6789, 6800, 7300}) {
    SCOPED_TRACE("port " + std::to_string(port));
    LW_EXPECT_BOTH_DIRS(tcp6(kOut, kPub, kGuestPort, port), {LW_CLASS_CEPH_PUBLIC});
  }
  for (uint16_t port : {6800, 7300}) {
    SCOPED_TRACE("port " + std::to_string(port));
    LW_EXPECT_BOTH_DIRS(tcp6(kClu, kClu2, kGuestPort, port), {LW_CLASS_CEPH_CLUSTER});
  }
  // Overlap and one end in each network: OSD ports are cluster traffic.
  LW_EXPECT_BOTH_DIRS(tcp6(kOut, kPubAndClu, kGuestPort, 6800), {LW_CLASS_CEPH_CLUSTER});
  LW_EXPECT_BOTH_DIRS(tcp6(kPub, kClu, kGuestPort, 7000), {LW_CLASS_CEPH_CLUSTER});
  LW_EXPECT_BOTH_DIRS(tcp6(kOut, kPubAndClu, kGuestPort, 6789), {LW_CLASS_CEPH_PUBLIC});
}

TEST_F(ClassifyV6, ManagementAndSshPrecedence) {
  for (uint16_t port : {8006, 22, 3128, 5900, 5999, 111}) {
    SCOPED_TRACE("tcp port " + std::to_string(port));
    LW_EXPECT_BOTH_DIRS(tcp6(kOut, kMgmt, kGuestPort, port), {LW_CLASS_MANAGEMENT});
  }
  LW_EXPECT_BOTH_DIRS(udp6(kOut, kMgmt, kGuestPort, 111), {LW_CLASS_MANAGEMENT});
  LW_EXPECT_BOTH_DIRS(tcp6(kMgmt, kMig, kGuestPort, 22), {LW_CLASS_MIGRATION});
}

TEST_F(ClassifyV6, Storage) {
  LW_EXPECT_BOTH_DIRS(tcp6(kOut, kStor, kGuestPort, 3260), {LW_CLASS_STORAGE});
  LW_EXPECT_BOTH_DIRS(tcp6(kStor, kStor2, 800, 2049), {LW_CLASS_STORAGE});
  LW_EXPECT_BOTH_DIRS(udp6(kStor, kStor2, 800, 2049), {LW_CLASS_STORAGE});
}

TEST_F(ClassifyV6, RepliesClassifyLikeRequests) {
  LW_EXPECT_BOTH_DIRS(udp6(kCoroB, kCoroA, 5405, kGuestPort), {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(tcp6(kMig, kOut, 22, kGuestPort), {LW_CLASS_MIGRATION});
  LW_EXPECT_BOTH_DIRS(tcp6(kPub, kOut, 3300, kGuestPort), {LW_CLASS_CEPH_PUBLIC});
  LW_EXPECT_BOTH_DIRS(tcp6(kClu, kClu2, 6800, kGuestPort), {LW_CLASS_CEPH_CLUSTER});
  LW_EXPECT_BOTH_DIRS(tcp6(kMgmt, kOut, 5901, kGuestPort), {LW_CLASS_MANAGEMENT});
  LW_EXPECT_BOTH_DIRS(udp6(kStor, kStor2, 2049, 800), {LW_CLASS_STORAGE});
}

TEST_F(ClassifyV6, NeighbourAndRouterDiscoveryAreInfra) {
  // ND between two class addresses is still infra: it must never be a
  // violation, or enforcing a lane would cut the lane's own neighbours.
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().ipv6(kCoroA, "ff02::1:ff00:2").icmp6_neighbor_solicit(kCoroB).build(),
      {LW_CLASS_INFRA});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv6(kCoroB, kCoroA).icmp6_neighbor_advert(kCoroB).build(),
                      {LW_CLASS_INFRA});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv6("fe80::1", "ff02::2").icmp6_router_solicit().build(),
                      {LW_CLASS_INFRA});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv6("fe80::2", "ff02::1").icmp6_router_advert().build(),
                      {LW_CLASS_INFRA});
}

TEST_F(ClassifyV6, Icmp6ErrorsAreInfra) {
  const PacketBuilder orig = PacketBuilder().ipv6(kOut, kOut2).udp(kGuestPort, 53);
  // Destination unreachable (1) and time exceeded (3).
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv6(kOut2, kOut).icmp6_error(1, 4, orig).build(),
                      {LW_CLASS_INFRA});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv6(kOut2, kOut).icmp6_error(3, 0, orig).build(),
                      {LW_CLASS_INFRA});
}

TEST_F(ClassifyV6, PacketTooBigIsInfraWithAnMtuAuditOnIngress) {
  const PacketBuilder orig = PacketBuilder().ipv6(kStor, kStor2).tcp(800, 2049).payload(200);
  const Bytes f = PacketBuilder().ipv6(kOut, kStor).icmp6_packet_too_big(1280, orig).build();
  LW_EXPECT_RUN(f, {LW_CLASS_INFRA, LW_PARSE_OK, LW_VERDICT_AUDIT}, LW_DIR_INGRESS);
  LW_EXPECT_RUN(f, {LW_CLASS_INFRA, LW_PARSE_OK, LW_VERDICT_PASS}, LW_DIR_EGRESS);
}

TEST_F(ClassifyV6, GuestTrafficAndClassPortsOutsideNetworksAreOther) {
  LW_EXPECT_BOTH_DIRS(tcp6(kOut, kOut2, kGuestPort, 443), {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(udp6(kCoroA, kCoroB, kGuestPort, 53), {LW_CLASS_OTHER});
  for (uint16_t port : {22, 60000, 3300, 6800, 8006, 3260, 2049}) {
    SCOPED_TRACE("tcp port " + std::to_string(port));
    LW_EXPECT_BOTH_DIRS(tcp6(kOut, kOut2, kGuestPort, port), {LW_CLASS_OTHER});
  }
  LW_EXPECT_BOTH_DIRS(udp6(kOut, kOut2, 5405, 5405), {LW_CLASS_OTHER});
}

TEST_F(ClassifyV6, V4AndV6TablesAreSeparate) {
  // An IPv6 address whose low 32 bits spell a v4 Corosync address
  // (::ffff:198.51.100.1 style) must not hit the v4 table.
  LW_EXPECT_BOTH_DIRS(udp6("2001:db8:ff::c633:6401", "2001:db8:ff::c633:6402", 5405, 5405),
                      {LW_CLASS_OTHER});
}

}  // namespace
}  // namespace lw::test::bpf
