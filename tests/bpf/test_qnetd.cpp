// SPDX-License-Identifier: GPL-2.0-only
// The QDevice's TCP connection to corosync-qnetd ([class.corosync] qnetd):
// Corosync whatever the local address, as long as the end that has the
// qnetd port is the qnetd host. Corosync links themselves still need both
// ends in a link network.
#include "bpf_fixture.h"

namespace lw::test::bpf {
namespace {

// qnetd hosts outside every network of the policy (a third machine), one of
// them on a non-default port, and one inside the management network.
constexpr const char* kQnetd = "203.0.113.9";
constexpr const char* kQnetdInMgmt = "198.51.100.170";
constexpr const char* kQnetd6 = "2001:db8:ff::9";
constexpr const char* kQnetdNet6 = "2001:db8:fe::";  // a /120 of qnetd hosts
constexpr uint16_t kQnetdPort = 5403;
constexpr uint16_t kOtherQnetdPort = 15403;

class Qnetd : public BpfTest {
 protected:
  void SetUp() override {
    BpfTest::SetUp();
    if (HasFatalFailure()) return;
    install(representative_toml() + R"(
[class.corosync]
qnetd = ["203.0.113.9", "198.51.100.170:5403", "203.0.113.10:15403", "[2001:db8:ff::9]",
         "[2001:db8:fe::/120]:5403"]
)");
  }
};

Bytes tcp(const char* s, const char* d, uint16_t sport, uint16_t dport) {
  PacketBuilder b;
  if (std::string_view(s).find(':') != std::string_view::npos)
    b.ipv6(s, d);
  else
    b.ipv4(s, d);
  return b.tcp(sport, dport).payload(60).build();
}

TEST_F(Qnetd, V4FromAnyLocalAddressIsCorosync) {
  using namespace v4;
  // corosync-qdevice connects from whatever address the route picks: a
  // management address, a link address, an address in no network at all.
  for (const char* local : {kMgmt, kCoroA, kOut2, kMig}) {
    SCOPED_TRACE(local);
    LW_EXPECT_BOTH_DIRS(tcp(local, kQnetd, kGuestPort, kQnetdPort), {LW_CLASS_COROSYNC});
    // qnetd's answers: the port is on the qnetd host's end again.
    LW_EXPECT_BOTH_DIRS(tcp(kQnetd, local, kQnetdPort, kGuestPort), {LW_CLASS_COROSYNC});
  }
  // Inside the management network: 5403 is no management port, so the
  // qnetd entry decides.
  LW_EXPECT_BOTH_DIRS(tcp(kMgmt2, kQnetdInMgmt, kGuestPort, kQnetdPort), {LW_CLASS_COROSYNC});
  // A port written with the address.
  LW_EXPECT_BOTH_DIRS(tcp(kMgmt, "203.0.113.10", kGuestPort, kOtherQnetdPort), {LW_CLASS_COROSYNC});
}

TEST_F(Qnetd, V4QnetdPortElsewhereIsNotCorosync) {
  using namespace v4;
  // Port 5403 on a host that is not qnetd.
  LW_EXPECT_BOTH_DIRS(tcp(kMgmt, kOut, kGuestPort, kQnetdPort), {LW_CLASS_OTHER});
  // The qnetd host on another port (a guest, SSH to it counts as what it is).
  LW_EXPECT_BOTH_DIRS(tcp(kOut, kQnetd, kGuestPort, 8080), {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(tcp(kMgmt, kQnetd, kGuestPort, 22), {LW_CLASS_MANAGEMENT});
  // The port on the wrong end: the qnetd host talking to someone's 5403.
  LW_EXPECT_BOTH_DIRS(tcp(kQnetd, kOut, kGuestPort, kQnetdPort), {LW_CLASS_OTHER});
  // The default port for the host written with another one, and the reverse.
  LW_EXPECT_BOTH_DIRS(tcp(kMgmt, "203.0.113.10", kGuestPort, kQnetdPort), {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(tcp(kMgmt, kQnetd, kGuestPort, kOtherQnetdPort), {LW_CLASS_OTHER});
  // qnetd speaks TCP only.
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv4(kMgmt, kQnetd).udp(kGuestPort, kQnetdPort).build(),
                      {LW_CLASS_OTHER});
  // A later fragment has no ports: attributed by addresses, and the qnetd
  // host is in no network (from a management address it would be management).
  LW_EXPECT_BOTH_DIRS(PacketBuilder()
                          .ipv4(kOut2, kQnetd, {.frag_offset = 185, .protocol = IPPROTO_TCP})
                          .payload(100)
                          .build(),
                      {LW_CLASS_OTHER, LW_PARSE_FRAGMENT_LATER});
}

TEST_F(Qnetd, LinkCorosyncStillNeedsBothEndsInALinkNetwork) {
  using namespace v4;
  // knet to the qnetd host is not Corosync: qnetd is no link network.
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv4(kCoroA, kQnetd).udp(5405, 5405).payload(64).build(),
                      {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv4(kCoroA, kOut).udp(5405, 5405).payload(64).build(),
                      {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv4(kCoroA, kCoroB).udp(5405, 5405).payload(64).build(),
                      {LW_CLASS_COROSYNC});
  // Echo to the qnetd host is a plain ping.
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv4(kCoroA, kQnetd).icmp_echo(1, 1).build(),
                      {LW_CLASS_OTHER});
}

TEST_F(Qnetd, V6FromAnyLocalAddressIsCorosync) {
  using namespace v6;
  for (const char* local : {kMgmt, kCoroA, kOut2}) {
    SCOPED_TRACE(local);
    LW_EXPECT_BOTH_DIRS(tcp(local, kQnetd6, kGuestPort, kQnetdPort), {LW_CLASS_COROSYNC});
    LW_EXPECT_BOTH_DIRS(tcp(kQnetd6, local, kQnetdPort, kGuestPort), {LW_CLASS_COROSYNC});
  }
  // Anywhere in the /120, and not beyond it.
  const std::string first = std::string(kQnetdNet6) + "1", last = std::string(kQnetdNet6) + "ff";
  LW_EXPECT_BOTH_DIRS(tcp(kMgmt, first.c_str(), kGuestPort, kQnetdPort), {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(tcp(kMgmt, last.c_str(), kGuestPort, kQnetdPort), {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(tcp(kMgmt, "2001:db8:fe::100", kGuestPort, kQnetdPort), {LW_CLASS_OTHER});
}

TEST_F(Qnetd, V6QnetdPortElsewhereIsNotCorosync) {
  using namespace v6;
  LW_EXPECT_BOTH_DIRS(tcp(kMgmt, kOut, kGuestPort, kQnetdPort), {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(tcp(kOut, kQnetd6, kGuestPort, 8080), {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(tcp(kQnetd6, kOut, kGuestPort, kQnetdPort), {LW_CLASS_OTHER});
  // The IPv4 entry's address bits do not match an IPv6 address.
  LW_EXPECT_BOTH_DIRS(tcp(kMgmt, "::ffff:203.0.113.9", kGuestPort, kQnetdPort), {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(PacketBuilder().ipv6(kCoroA, kQnetd6).udp(5405, 5405).payload(64).build(),
                      {LW_CLASS_OTHER});
}

TEST_F(Qnetd, LanesApplyToQnetdTraffic) {
  using namespace v4;
  // VLAN 100 of lo is Corosync's alone: qnetd's connection belongs there.
  Bytes on100 = PacketBuilder().vlan(100).ipv4(kMgmt, kQnetd).tcp(kGuestPort, kQnetdPort).build();
  LW_EXPECT_RUN(on100, {LW_CLASS_COROSYNC}, LW_DIR_EGRESS);
  // VLAN 200 is Ceph's: Corosync there is on the wrong lane.
  Bytes on200 = PacketBuilder().vlan(200).ipv4(kMgmt, kQnetd).tcp(kGuestPort, kQnetdPort).build();
  LW_EXPECT_RUN(on200, {LW_CLASS_COROSYNC, LW_PARSE_OK, LW_VERDICT_AUDIT}, LW_DIR_EGRESS);
  EXPECT_EQ(violations(LW_DIR_EGRESS, LW_VIOL_WRONG_LANE, LW_CLASS_COROSYNC), 1u);
}

TEST_F(Qnetd, WithoutQnetdThePolicyKeepsItOther) {
  using namespace v4;
  install_representative();
  LW_EXPECT_BOTH_DIRS(tcp(kMgmt, kQnetd, kGuestPort, kQnetdPort), {LW_CLASS_OTHER});
}

}  // namespace
}  // namespace lw::test::bpf
