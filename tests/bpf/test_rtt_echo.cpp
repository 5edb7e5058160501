// SPDX-License-Identifier: GPL-2.0-only
// ICMP and ICMPv6 echo RTT (bpf/rtt.bpf.h): an egress request and the ingress
// reply of the reverse pair with the same identifier and sequence give one
// sample, under the class of the address pair (Corosync between link
// addresses: lanewarden's and knet's probes).
#include "test_rtt_support.h"

namespace lw::test::bpf {
namespace {

using namespace std::chrono_literals;

Bytes ping4(const char* src, const char* dst, uint16_t id, uint16_t seq, bool reply) {
  return PacketBuilder().ipv4(src, dst).icmp_echo(id, seq, reply).payload(56).build();
}

Bytes ping6(const char* src, const char* dst, uint16_t id, uint16_t seq, bool reply) {
  return PacketBuilder().ipv6(src, dst).icmp6_echo(id, seq, reply).payload(56).build();
}

class RttEcho : public RttTest {};

TEST_F(RttEcho, CorosyncLinkPingIsOneCorosyncSample) {
  auto t = exchange(ping4(v4::kCoroA, v4::kCoroB, 7, 1, false),
                    ping4(v4::kCoroB, v4::kCoroA, 7, 1, true), 10ms);
  auto h = hist(LW_CLASS_COROSYNC);
  ASSERT_EQ(h.count(), 1u);
  EXPECT_GE(h.sum_ns(), t.at_least_ns);
  EXPECT_LE(h.sum_ns(), t.at_most_ns);
  EXPECT_EQ(all_samples(), 1u);
  EXPECT_EQ(starts("lw_rtt_echo"), 0u);
}

TEST_F(RttEcho, Icmpv6) {
  auto t = exchange(ping6(v6::kCoroA, v6::kCoroB, 9, 300, false),
                    ping6(v6::kCoroB, v6::kCoroA, 9, 300, true), 3ms);
  auto h = hist(LW_CLASS_COROSYNC);
  ASSERT_EQ(h.count(), 1u);
  EXPECT_GE(h.sum_ns(), t.at_least_ns);
  EXPECT_LE(h.sum_ns(), t.at_most_ns);
}

TEST_F(RttEcho, OtherAddressesAreOther) {
  exchange(ping4(v4::kOut, v4::kOut2, 7, 1, false), ping4(v4::kOut2, v4::kOut, 7, 1, true), 1ms);
  EXPECT_EQ(hist(LW_CLASS_OTHER).count(), 1u);
  EXPECT_EQ(all_samples(), 1u);
}

TEST_F(RttEcho, OnlyTheMatchingReplyOnce) {
  run(LW_DIR_EGRESS, ping4(v4::kCoroA, v4::kCoroB, 7, 1, false));
  run(LW_DIR_INGRESS, ping4(v4::kCoroB, v4::kCoroA, 7, 2, true));      // other sequence
  run(LW_DIR_INGRESS, ping4(v4::kCoroB, v4::kCoroA, 8, 1, true));      // other identifier
  run(LW_DIR_INGRESS, ping4(v4::kCoroLink1, v4::kCoroA, 7, 1, true));  // other peer
  EXPECT_EQ(all_samples(), 0u);
  run(LW_DIR_INGRESS, ping4(v4::kCoroB, v4::kCoroA, 7, 1, true));
  run(LW_DIR_INGRESS, ping4(v4::kCoroB, v4::kCoroA, 7, 1, true));  // duplicate reply
  EXPECT_EQ(hist(LW_CLASS_COROSYNC).count(), 1u);
}

TEST_F(RttEcho, AnsweringSomeoneElsesPingIsNotASample) {
  // The peer pings us: request in, reply out.
  run(LW_DIR_INGRESS, ping4(v4::kCoroB, v4::kCoroA, 7, 1, false));
  run(LW_DIR_EGRESS, ping4(v4::kCoroA, v4::kCoroB, 7, 1, true));
  EXPECT_EQ(all_samples(), 0u);
  EXPECT_EQ(starts("lw_rtt_echo"), 0u);
}

TEST_F(RttEcho, SequenceReuseAfterTheReplyIsTimedAgain) {
  exchange(ping4(v4::kCoroA, v4::kCoroB, 7, 1, false), ping4(v4::kCoroB, v4::kCoroA, 7, 1, true),
           1ms);
  exchange(ping4(v4::kCoroA, v4::kCoroB, 7, 1, false), ping4(v4::kCoroB, v4::kCoroA, 7, 1, true),
           1ms);
  EXPECT_EQ(hist(LW_CLASS_COROSYNC).count(), 2u);
}

}  // namespace
}  // namespace lw::test::bpf
