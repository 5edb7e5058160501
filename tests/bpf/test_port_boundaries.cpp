// SPDX-License-Identifier: GPL-2.0-only
// Table-driven port boundaries: the first and last port of every default
// range (policy/defaults.cpp, docs/architecture.md) and the ports just outside,
// as destination (request) and as source (reply), in both directions.
#include "bpf_fixture.h"

namespace lw::test::bpf {
namespace {

using namespace v4;

class PortBoundaries : public BpfTest {};

struct PortCase {
  bool tcp;
  uint16_t port;
  const char* server;  // an address in the class's network
  const char* client;  // the other end (a Corosync peer for Corosync)
  int cls;             // expected class; LW_CLASS_OTHER just outside a range
};

// clang-format off
constexpr PortCase kCases[] = {
    // corosync UDP 5405-5412 (both ends in a link network)
    {false, 5404, kCoroA, kCoroB, LW_CLASS_OTHER},
    {false, 5405, kCoroA, kCoroB, LW_CLASS_COROSYNC},
    {false, 5412, kCoroA, kCoroB, LW_CLASS_COROSYNC},
    {false, 5413, kCoroA, kCoroB, LW_CLASS_OTHER},
    // migration TCP 60000-60050 and 22
    {true, 59999, kMig, kOut, LW_CLASS_OTHER},
    {true, 60000, kMig, kOut, LW_CLASS_MIGRATION},
    {true, 60050, kMig, kOut, LW_CLASS_MIGRATION},
    {true, 60051, kMig, kOut, LW_CLASS_OTHER},
    {true, 21, kMig, kOut, LW_CLASS_OTHER},
    {true, 22, kMig, kOut, LW_CLASS_MIGRATION},
    {true, 23, kMig, kOut, LW_CLASS_OTHER},
    // ceph_public TCP 3300, 6789, 6800-7300
    {true, 3299, kPub, kOut, LW_CLASS_OTHER},
    {true, 3300, kPub, kOut, LW_CLASS_CEPH_PUBLIC},
    {true, 3301, kPub, kOut, LW_CLASS_OTHER},
    {true, 6788, kPub, kOut, LW_CLASS_OTHER},
    {true, 6789, kPub, kOut, LW_CLASS_CEPH_PUBLIC},
    {true, 6790, kPub, kOut, LW_CLASS_OTHER},
    {true, 6799, kPub, kOut, LW_CLASS_OTHER},
    {true, 6800, kPub, kOut, LW_CLASS_CEPH_PUBLIC},
    {true, 7300, kPub, kOut, LW_CLASS_CEPH_PUBLIC},
    {true, 7301, kPub, kOut, LW_CLASS_OTHER},
    // ceph_cluster TCP 6800-7300
    {true, 6799, kClu, kOut, LW_CLASS_OTHER},
    {true, 6800, kClu, kOut, LW_CLASS_CEPH_CLUSTER},
    {true, 7300, kClu, kOut, LW_CLASS_CEPH_CLUSTER},
    {true, 7301, kClu, kOut, LW_CLASS_OTHER},
    // management TCP 8006, 22, 3128, 5900-5999, 111; UDP 111
    {true, 8005, kMgmt, kOut, LW_CLASS_OTHER},
    {true, 8006, kMgmt, kOut, LW_CLASS_MANAGEMENT},
    {true, 8007, kMgmt, kOut, LW_CLASS_OTHER},
    {true, 21, kMgmt, kOut, LW_CLASS_OTHER},
    {true, 22, kMgmt, kOut, LW_CLASS_MANAGEMENT},
    {true, 23, kMgmt, kOut, LW_CLASS_OTHER},
    {true, 3127, kMgmt, kOut, LW_CLASS_OTHER},
    {true, 3128, kMgmt, kOut, LW_CLASS_MANAGEMENT},
    {true, 3129, kMgmt, kOut, LW_CLASS_OTHER},
    {true, 5899, kMgmt, kOut, LW_CLASS_OTHER},
    {true, 5900, kMgmt, kOut, LW_CLASS_MANAGEMENT},
    {true, 5999, kMgmt, kOut, LW_CLASS_MANAGEMENT},
    {true, 6000, kMgmt, kOut, LW_CLASS_OTHER},
    {true, 110, kMgmt, kOut, LW_CLASS_OTHER},
    {true, 111, kMgmt, kOut, LW_CLASS_MANAGEMENT},
    {true, 112, kMgmt, kOut, LW_CLASS_OTHER},
    {false, 110, kMgmt, kOut, LW_CLASS_OTHER},
    {false, 111, kMgmt, kOut, LW_CLASS_MANAGEMENT},
    {false, 112, kMgmt, kOut, LW_CLASS_OTHER},
    // storage TCP 3260, 2049; UDP 2049
    {true, 3259, kStor, kOut, LW_CLASS_OTHER},
    {true, 3260, kStor, kOut, LW_CLASS_STORAGE},
    {true, 3261, kStor, kOut, LW_CLASS_OTHER},
    {true, 2048, kStor, kOut, LW_CLASS_OTHER},
    {true, 2049, kStor, kOut, LW_CLASS_STORAGE},
    {true, 2050, kStor, kOut, LW_CLASS_OTHER},
    {false, 2048, kStor, kOut, LW_CLASS_OTHER},
    {false, 2049, kStor, kOut, LW_CLASS_STORAGE},
    {false, 2050, kStor, kOut, LW_CLASS_OTHER},
    // the table's own edges: port 0 and 65535 belong to nobody
    {true, 0, kClu, kOut, LW_CLASS_OTHER},
    {true, 65535, kClu, kOut, LW_CLASS_OTHER},
    {false, 0, kCoroA, kCoroB, LW_CLASS_OTHER},
    {false, 65535, kCoroA, kCoroB, LW_CLASS_OTHER},
};
// clang-format on

Bytes frame(const PortCase& c, const char* src, const char* dst, uint16_t sport, uint16_t dport) {
  PacketBuilder b;
  b.ipv4(src, dst);
  if (c.tcp)
    b.tcp(sport, dport);
  else
    b.udp(sport, dport);
  return b.payload(20).build();
}

TEST_F(PortBoundaries, FirstLastAndOutsideOfEveryRange) {
  for (const PortCase& c : kCases) {
    SCOPED_TRACE(std::string(c.tcp ? "tcp " : "udp ") + std::to_string(c.port) + " on " + c.server +
                 ", expecting " + class_name(c.cls));
    // Request: client -> server port; reply: server port -> client.
    LW_EXPECT_BOTH_DIRS(frame(c, c.client, c.server, kGuestPort, c.port), {c.cls});
    LW_EXPECT_BOTH_DIRS(frame(c, c.server, c.client, c.port, kGuestPort), {c.cls});
  }
}

TEST_F(PortBoundaries, TheOtherTransportNeverMatches) {
  // Every class port is specific to its transport: the same number over the
  // other protocol is nobody's (except 111 and 2049, which are both).
  for (const PortCase& c : kCases) {
    if (c.cls == LW_CLASS_OTHER || c.port == 111 || c.port == 2049) continue;
    SCOPED_TRACE(std::string(c.tcp ? "udp " : "tcp ") + std::to_string(c.port));
    PortCase flipped = c;
    flipped.tcp = !c.tcp;
    LW_EXPECT_BOTH_DIRS(frame(flipped, c.client, c.server, kGuestPort, c.port), {LW_CLASS_OTHER});
  }
}

}  // namespace
}  // namespace lw::test::bpf
