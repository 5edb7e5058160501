// SPDX-License-Identifier: GPL-2.0-only
// knet over SCTP (corosync.conf(5) knet_transport: sctp): the SCTP common
// header's ports against [class.corosync] sctp_ports, over IPv4 and IPv6,
// and SCTP headers that are cut or fragmented. Frames only: this kernel has
// no SCTP sockets, and the programs never needed any.
#include "bpf_fixture.h"

namespace lw::test::bpf {
namespace {

constexpr size_t kSctpCommonHeader = 12;  // RFC 9260 3.1

class Sctp : public BpfTest {
 protected:
  void SetUp() override {
    BpfTest::SetUp();
    if (HasFatalFailure()) return;
    install(representative_toml() + R"(
[class.corosync]
sctp_ports = ["5405-5412"]
[class.storage]
sctp_ports = [9899]
)");
  }
};

PacketBuilder sctp4(const char* s, const char* d, uint16_t sport, uint16_t dport) {
  return PacketBuilder().ipv4(s, d).sctp(sport, dport).payload(48);
}
PacketBuilder sctp6(const char* s, const char* d, uint16_t sport, uint16_t dport) {
  return PacketBuilder().ipv6(s, d).sctp(sport, dport).payload(48);
}

TEST_F(Sctp, V4KnetBetweenLinkAddressesIsCorosync) {
  using namespace v4;
  LW_EXPECT_BOTH_DIRS(sctp4(kCoroA, kCoroB, 5405, 5405).build(), {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(sctp4(kCoroLink1, "198.51.100.34", 5412, 5412).build(), {LW_CLASS_COROSYNC});
  // One port in the range is enough, as for UDP.
  LW_EXPECT_BOTH_DIRS(sctp4(kCoroA, kCoroB, kGuestPort, 5406).build(), {LW_CLASS_COROSYNC});
  // Another class's SCTP port, one end in its network.
  LW_EXPECT_BOTH_DIRS(sctp4(kOut, kStor, kGuestPort, 9899).build(), {LW_CLASS_STORAGE});
}

TEST_F(Sctp, V4OutsideTheRangesOrTheNetworksIsOther) {
  using namespace v4;
  LW_EXPECT_BOTH_DIRS(sctp4(kCoroA, kCoroB, 5404, 5413).build(), {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(sctp4(kCoroA, kOut, 5405, 5405).build(), {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(sctp4(kOut, kOut2, 5405, 5405).build(), {LW_CLASS_OTHER});
  // UDP ranges are not SCTP ranges: 2049 is storage over UDP, not over SCTP.
  LW_EXPECT_BOTH_DIRS(sctp4(kOut, kStor, kGuestPort, 2049).build(), {LW_CLASS_OTHER});
}

TEST_F(Sctp, V6KnetBetweenLinkAddressesIsCorosync) {
  using namespace v6;
  LW_EXPECT_BOTH_DIRS(sctp6(kCoroA, kCoroB, 5405, 5405).build(), {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(sctp6(kCoroLink1, "2001:db8:2::2", 5407, 5407).build(), {LW_CLASS_COROSYNC});
  LW_EXPECT_BOTH_DIRS(sctp6(kCoroA, kOut, 5405, 5405).build(), {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(sctp6(kCoroA, kCoroB, 6000, 6000).build(), {LW_CLASS_OTHER});
  // Behind extension headers.
  LW_EXPECT_BOTH_DIRS(PacketBuilder()
                          .ipv6(kCoroA, kCoroB)
                          .ext_hop_by_hop()
                          .ext_dest_opts(1)
                          .sctp(5405, 5405)
                          .payload(32)
                          .build(),
                      {LW_CLASS_COROSYNC});
}

TEST_F(Sctp, WithoutSctpPortsSctpIsOtherButParsed) {
  using namespace v4;
  install_representative();
  // Parsed (reason ok, not unknown_l4), but no class claims SCTP.
  LW_EXPECT_BOTH_DIRS(sctp4(kCoroA, kCoroB, 5405, 5405).build(), {LW_CLASS_OTHER});
  LW_EXPECT_BOTH_DIRS(sctp6(v6::kCoroA, v6::kCoroB, 5405, 5405).build(), {LW_CLASS_OTHER});
}

TEST_F(Sctp, TruncatedCommonHeaderIsCountedAndGoesByAddress) {
  using namespace v4;
  for (size_t keep : {size_t{0}, size_t{4}, kSctpCommonHeader - 1}) {
    SCOPED_TRACE("SCTP bytes kept: " + std::to_string(keep));
    const PacketBuilder b = sctp4(kCoroA, kCoroB, 5405, 5405);
    // No ports: like a cut UDP header, attributed by addresses. Corosync is
    // the only class with SCTP ports whose networks hold both ends.
    LW_EXPECT_BOTH_DIRS(PacketBuilder(b).truncate(b.l4_offset() + keep).build(),
                        {LW_CLASS_COROSYNC, LW_PARSE_TRUNC_SCTP});
    const PacketBuilder o = sctp4(kOut, kOut2, 5405, 5405);
    LW_EXPECT_BOTH_DIRS(PacketBuilder(o).truncate(o.l4_offset() + keep).build(),
                        {LW_CLASS_OTHER, LW_PARSE_TRUNC_SCTP});
    const PacketBuilder b6 = sctp6(v6::kCoroA, v6::kCoroB, 5405, 5405);
    LW_EXPECT_BOTH_DIRS(PacketBuilder(b6).truncate(b6.l4_offset() + keep).build(),
                        {LW_CLASS_COROSYNC, LW_PARSE_TRUNC_SCTP});
    const PacketBuilder o6 = sctp6(v6::kOut, v6::kOut2, 5405, 5405);
    LW_EXPECT_BOTH_DIRS(PacketBuilder(o6).truncate(o6.l4_offset() + keep).build(),
                        {LW_CLASS_OTHER, LW_PARSE_TRUNC_SCTP});
  }
  // Exactly the common header, no chunk: the ports are there.
  const PacketBuilder b = PacketBuilder().ipv4(kCoroA, kCoroB).sctp(5405, 5405);
  LW_EXPECT_BOTH_DIRS(b.build(), {LW_CLASS_COROSYNC});
}

TEST_F(Sctp, TruncatedWithoutSctpPortsIsOther) {
  using namespace v4;
  install_representative();
  const PacketBuilder b = sctp4(kCoroA, kCoroB, 5405, 5405);
  LW_EXPECT_BOTH_DIRS(PacketBuilder(b).truncate(b.l4_offset() + 6).build(),
                      {LW_CLASS_OTHER, LW_PARSE_TRUNC_SCTP});
}

TEST_F(Sctp, FragmentsV4) {
  using namespace v4;
  // First fragment: ports present.
  LW_EXPECT_BOTH_DIRS(
      PacketBuilder().ipv4(kCoroA, kCoroB, {.mf = true}).sctp(5405, 5405).payload(300).build(),
      {LW_CLASS_COROSYNC, LW_PARSE_FRAGMENT_FIRST});
  // A first fragment cut inside the SCTP header keeps its fragment reason.
  const PacketBuilder f = PacketBuilder().ipv4(kCoroA, kCoroB, {.mf = true}).sctp(5405, 5405);
  LW_EXPECT_BOTH_DIRS(PacketBuilder(f).truncate(f.l4_offset() + 3).build(),
                      {LW_CLASS_COROSYNC, LW_PARSE_FRAGMENT_FIRST});
  // Later fragments: by addresses.
  auto later = [](const char* s, const char* d) {
    return PacketBuilder()
        .ipv4(s, d, {.frag_offset = 185, .protocol = IPPROTO_SCTP})
        .payload(200)
        .build();
  };
  LW_EXPECT_BOTH_DIRS(later(kCoroA, kCoroB), {LW_CLASS_COROSYNC, LW_PARSE_FRAGMENT_LATER});
  LW_EXPECT_BOTH_DIRS(later(kCoroA, kOut), {LW_CLASS_OTHER, LW_PARSE_FRAGMENT_LATER});
}

TEST_F(Sctp, FragmentsV6) {
  using namespace v6;
  LW_EXPECT_BOTH_DIRS(PacketBuilder()
                          .ipv6(kCoroA, kCoroB)
                          .ext_fragment(0, true, 7)
                          .sctp(5405, 5405)
                          .payload(300)
                          .build(),
                      {LW_CLASS_COROSYNC, LW_PARSE_FRAGMENT_FIRST});
  LW_EXPECT_BOTH_DIRS(PacketBuilder()
                          .ipv6(kCoroA, kCoroB)
                          .ext_fragment(100, false, 7, IPPROTO_SCTP)
                          .payload(200)
                          .build(),
                      {LW_CLASS_COROSYNC, LW_PARSE_FRAGMENT_LATER});
  LW_EXPECT_BOTH_DIRS(PacketBuilder()
                          .ipv6(kOut, kOut2)
                          .ext_fragment(100, false, 7, IPPROTO_SCTP)
                          .payload(200)
                          .build(),
                      {LW_CLASS_OTHER, LW_PARSE_FRAGMENT_LATER});
}

}  // namespace
}  // namespace lw::test::bpf
