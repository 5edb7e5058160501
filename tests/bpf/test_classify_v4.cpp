// SPDX-License-Identifier: GPL-2.0-only
// Every traffic class over IPv4 (docs/architecture.md "Traffic classes"), through the
// real programs: class, verdict and counters of each frame, in both
// directions, for requests and for replies (server port as source).
#include "bpf_fixture.h"

namespace lw::test::bpf {
namespace {

using namespace v4;

class ClassifyV4 : public BpfTest {};

Bytes udp4(const char* s, const char* d, uint16_t sport, uint16_t dport) {
  return PacketBuilder().ipv4(s, d).udp(sport, dport).payload(64).build();
}
Bytes tcp4(const char* s, const char* d, uint16_t sport, uint16_t dport) {
  return PacketBuilder().ipv4(s, d).tcp(sport, dport).payload(100).build();
}

TEST_F(ClassifyV4, CorosyncUdpBetweenLinkAddresses) {
  // knet: mcastport 5405 + link number, so 5405..5412 on both ends.
  LW_EXPECT_BOTH_DIRS(udp4(kCoroA, kCoroB, 5405, 5405), {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(udp4(kCoroA, kCoroB, 5412, 5412), {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(udp4(kCoroLink1, "198.51.100.34", 5406, 5406), {LW_CLASS_COROSYNC});
}

TEST_F(ClassifyV4, CorosyncNeedsBothEndsInALinkNetwork) {
  // One end outside: a guest that happens to use 5405 is not Corosync.
  LW_EXPECT_BOTH_DIRS(udp4(kCoroA, kOut, 5405, 5405), {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(udp4(kOut, kCoroB, 5405, 5405), {LW_CLASS_OTHER});
  // An address of another class's network does not count as a link address.
  LW_EXPECT_BOTH_DIRS(udp4(kCoroA, kMgmt, 5405, 5405), {LW_CLASS_OTHER});
  // TCP on the Corosync ports is not knet.
  LW_EXPECT_BOTH_DIRS(tcp4(kCoroA, kCoroB, 5405, 5405), {LW_CLASS_OTHER});
}

TEST_F(ClassifyV4, IcmpEchoBetweenCorosyncAddressesIsCorosync) {
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv4(kCoroA, kCoroB).icmp_echo(1, 1).build(),
                      {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv4(kCoroB, kCoroA).icmp_echo(1, 1, true).build(),
                      {LW_CLASS_COROSYNC});
  // A ping to or from anything else is just a ping.
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv4(kCoroA, kOut).icmp_echo(1, 1).build(), {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv4(kMgmt, kMgmt2).icmp_echo(1, 1).build(),
                      {LW_CLASS_OTHER});
}

TEST_F(ClassifyV4, MigrationInsecureRangeAndSsh) {
  LW_EXPECT_BOTH_DIRS(tcp4(kMig, kMig2, kGuestPort, 60000), {LW_CLASS_MIGRATION});
  LW_EXPECT_BOTH_DIRS(tcp4(kMig, kMig2, kGuestPort, 60050), {LW_CLASS_MIGRATION});
  // One end in the migration network is enough (unlike Corosync).
  LW_EXPECT_BOTH_DIRS(tcp4(kOut, kMig, kGuestPort, 60010), {LW_CLASS_MIGRATION});
  // Secure migration: SSH to the target's migration-network address.
  LW_EXPECT_BOTH_DIRS(tcp4(kOut, kMig, kGuestPort, 22), {LW_CLASS_MIGRATION});
  // UDP on the same ports is not migration.
  LW_EXPECT_BOTH_DIRS(udp4(kMig, kMig2, kGuestPort, 60000), {LW_CLASS_OTHER});
}

TEST_F(ClassifyV4, CephPublicMonAndOsdPorts) {
  for (uint16_t port : {3300, 6789, 6800, 7000, 7300}) {
    SCOPED_TRACE("port " + std::to_string(port));
    LW_EXPECT_BOTH_DIRS(tcp4(kOut, kPub, kGuestPort, port), {LW_CLASS_CEPH_PUBLIC});
  }
}

TEST_F(ClassifyV4, CephClusterOsdPorts) {
  for (uint16_t port : {6800, 7000, 7300}) {
    SCOPED_TRACE("port " + std::to_string(port));
    LW_EXPECT_BOTH_DIRS(tcp4(kClu, kClu2, kGuestPort, port), {LW_CLASS_CEPH_CLUSTER});
  }
  // Mon ports are public only, even on the cluster network.
  LW_EXPECT_BOTH_DIRS(tcp4(kClu, kClu2, kGuestPort, 3300), {LW_CLASS_OTHER});
}

TEST_F(ClassifyV4, CephClusterWinsOverPublicForOsdPorts) {
  // An address in both networks (overlapping subnets) and a pair with one end
  // in each: OSD ports resolve to ceph_cluster (kClassPrecedence).
  LW_EXPECT_BOTH_DIRS(tcp4(kOut, kPubAndClu, kGuestPort, 6800), {LW_CLASS_CEPH_CLUSTER});
  LW_EXPECT_BOTH_DIRS(tcp4(kPub, kClu, kGuestPort, 6900), {LW_CLASS_CEPH_CLUSTER});
  // A mon port on that same address is still public: only public uses it.
  LW_EXPECT_BOTH_DIRS(tcp4(kOut, kPubAndClu, kGuestPort, 3300), {LW_CLASS_CEPH_PUBLIC});
}

TEST_F(ClassifyV4, ManagementPorts) {
  for (uint16_t port : {8006, 22, 3128, 5900, 5950, 5999, 111}) {
    SCOPED_TRACE("tcp port " + std::to_string(port));
    LW_EXPECT_BOTH_DIRS(tcp4(kOut, kMgmt, kGuestPort, port), {LW_CLASS_MANAGEMENT});
  }
  // rpcbind answers on UDP as well.
  LW_EXPECT_BOTH_DIRS(udp4(kOut, kMgmt, kGuestPort, 111), {LW_CLASS_MANAGEMENT});
  // 8006 is TCP only.
  LW_EXPECT_BOTH_DIRS(udp4(kOut, kMgmt, kGuestPort, 8006), {LW_CLASS_OTHER});
}

TEST_F(ClassifyV4, SshIsManagementExceptOnTheMigrationNetwork) {
  LW_EXPECT_BOTH_DIRS(tcp4(kMgmt, kMgmt2, kGuestPort, 22), {LW_CLASS_MANAGEMENT});
  LW_EXPECT_BOTH_DIRS(tcp4(kMig, kMig2, kGuestPort, 22), {LW_CLASS_MIGRATION});
  // From a management address to the target's migration address: migration.
  LW_EXPECT_BOTH_DIRS(tcp4(kMgmt, kMig, kGuestPort, 22), {LW_CLASS_MIGRATION});
  // SSH with both ends outside every network is nobody's.
  LW_EXPECT_BOTH_DIRS(tcp4(kOut, kOut2, kGuestPort, 22), {LW_CLASS_OTHER});
}

TEST_F(ClassifyV4, StorageIscsiAndNfs) {
  LW_EXPECT_BOTH_DIRS(tcp4(kOut, kStor, kGuestPort, 3260), {LW_CLASS_STORAGE});
  LW_EXPECT_BOTH_DIRS(tcp4(kStor, kStor2, 800, 2049), {LW_CLASS_STORAGE});
  LW_EXPECT_BOTH_DIRS(udp4(kStor, kStor2, 800, 2049), {LW_CLASS_STORAGE});
  // iSCSI is TCP only.
  LW_EXPECT_BOTH_DIRS(udp4(kStor, kStor2, kGuestPort, 3260), {LW_CLASS_OTHER});
}

TEST_F(ClassifyV4, RepliesClassifyLikeRequests) {
  // The server port is the source in a reply; the class must not change.
  LW_EXPECT_BOTH_DIRS(udp4(kCoroB, kCoroA, 5405, kGuestPort), {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(tcp4(kMig2, kMig, 60000, kGuestPort), {LW_CLASS_MIGRATION});
  LW_EXPECT_BOTH_DIRS(tcp4(kMig, kOut, 22, kGuestPort), {LW_CLASS_MIGRATION});
  LW_EXPECT_BOTH_DIRS(tcp4(kPub, kOut, 6789, kGuestPort), {LW_CLASS_CEPH_PUBLIC});
  LW_EXPECT_BOTH_DIRS(tcp4(kClu2, kClu, 7300, kGuestPort), {LW_CLASS_CEPH_CLUSTER});
  LW_EXPECT_BOTH_DIRS(tcp4(kMgmt, kOut, 8006, kGuestPort), {LW_CLASS_MANAGEMENT});
  LW_EXPECT_BOTH_DIRS(udp4(kMgmt, kOut, 111, kGuestPort), {LW_CLASS_MANAGEMENT});
  LW_EXPECT_BOTH_DIRS(tcp4(kStor, kOut, 3260, kGuestPort), {LW_CLASS_STORAGE});
}

TEST_F(ClassifyV4, InfraLinkLayerControl) {
  LW_EXPECT_BOTH_DIRS(PacketBuilder().arp().build(), {LW_CLASS_INFRA, LW_PARSE_NOT_IP});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().arp({.op = 2}).build(), {LW_CLASS_INFRA, LW_PARSE_NOT_IP});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().lldp().build(), {LW_CLASS_INFRA, LW_PARSE_NOT_IP});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().lacp().build(), {LW_CLASS_INFRA, LW_PARSE_NOT_IP});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().stp().build(), {LW_CLASS_INFRA, LW_PARSE_NOT_IP});
}

TEST_F(ClassifyV4, OtherEthertypesAreOtherNotIp) {
  // An ethertype nobody classifies (IEEE local experimental) to a unicast MAC.
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ethertype(0x88B5).payload(46).build(),
                      {LW_CLASS_OTHER, LW_PARSE_NOT_IP});
}

TEST_F(ClassifyV4, IcmpErrorsAreInfra) {
  const PacketBuilder orig = PacketBuilder().ipv4(kOut, kOut2).udp(kGuestPort, 53);
  // Port unreachable and time exceeded: infra, never a violation.
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv4(kOut2, kOut).icmp_error(3, 3, orig).build(),
                      {LW_CLASS_INFRA});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv4(kOut2, kOut).icmp_error(11, 0, orig).build(),
                      {LW_CLASS_INFRA});
  // Even between Corosync addresses an error is not a probe.
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv4(kCoroB, kCoroA).icmp_error(3, 1, orig).build(),
                      {LW_CLASS_INFRA});
}

TEST_F(ClassifyV4, FragNeededIsInfraWithAnMtuAuditOnIngress) {
  // Frag-needed received means a smaller MTU on the path: infra, passed, but
  // counted as audited (an `mtu` event) on ingress; on egress we are the
  // router saying so, nothing to report.
  const PacketBuilder orig = PacketBuilder().ipv4(kStor, kStor2, {.df = true}).tcp(800, 2049);
  const Bytes f = PacketBuilder().ipv4(kOut, kStor).icmp_frag_needed(1400, orig).build();
  LW_EXPECT_RUN(f, {LW_CLASS_INFRA, LW_PARSE_OK, LW_VERDICT_AUDIT}, LW_DIR_INGRESS);
  LW_EXPECT_RUN(f, {LW_CLASS_INFRA, LW_PARSE_OK, LW_VERDICT_PASS}, LW_DIR_EGRESS);
}

TEST_F(ClassifyV4, GuestTrafficIsOther) {
  LW_EXPECT_BOTH_DIRS(tcp4(kOut, kOut2, kGuestPort, 443), {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(udp4(kOut, kOut2, kGuestPort, 53), {LW_CLASS_OTHER});
  // A random port between addresses of class networks is still nobody's.
  LW_EXPECT_BOTH_DIRS(udp4(kCoroA, kCoroB, kGuestPort, 53), {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(tcp4(kClu, kClu2, kGuestPort, 443), {LW_CLASS_OTHER});
}

TEST_F(ClassifyV4, ClassPortsOutsideEveryNetworkAreOther) {
  for (uint16_t port : {60000, 3300, 6800, 8006, 3260, 2049}) {
    SCOPED_TRACE("tcp port " + std::to_string(port));
    LW_EXPECT_BOTH_DIRS(tcp4(kOut, kOut2, kGuestPort, port), {LW_CLASS_OTHER});
  }
  LW_EXPECT_BOTH_DIRS(udp4(kOut, kOut2, 5405, 5405), {LW_CLASS_OTHER});
}

TEST_F(ClassifyV4, ClassPortOnAnotherClassNetworkIsNotThatClass) {
  // Ports and subnet must agree: iSCSI on the management network is nothing,
  // 8006 on the storage network is nothing.
  LW_EXPECT_BOTH_DIRS(tcp4(kMgmt, kMgmt2, kGuestPort, 3260), {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(tcp4(kStor, kStor2, kGuestPort, 8006), {LW_CLASS_OTHER});
}

}  // namespace
}  // namespace lw::test::bpf
