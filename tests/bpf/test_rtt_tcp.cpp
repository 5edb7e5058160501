// SPDX-License-Identifier: GPL-2.0-only
// Passive TCP RTT from timestamps (bpf/rtt.bpf.h): crafted segments in both
// directions with a known delay between them give one sample of that delay,
// under the class and interface of the egress segment.
#include "test_rtt_support.h"

namespace lw::test::bpf {
namespace {

using namespace std::chrono_literals;

constexpr uint16_t kPort = 6789;  // Ceph mon (msgr1): ceph_public between kPub addresses

Bytes seg_out(uint32_t tsval, uint32_t tsecr = 0, Bytes options = {}) {
  TcpOpts o;
  o.flags = kTcpAck | kTcpPsh;
  o.options = options.empty() ? tcp_option_timestamp(tsval, tsecr) : options;
  return PacketBuilder().ipv4(v4::kPub, v4::kPub2).tcp(kGuestPort, kPort, o).payload(100).build();
}

Bytes seg_back(uint32_t tsval, uint32_t tsecr, uint8_t flags = kTcpAck) {
  TcpOpts o;
  o.flags = flags;
  o.options = tcp_option_timestamp(tsval, tsecr);
  return PacketBuilder().ipv4(v4::kPub2, v4::kPub).tcp(kPort, kGuestPort, o).build();
}

class RttTcp : public RttTest {};

TEST_F(RttTcp, EchoedTimestampGivesOneSampleOfTheDelay) {
  auto t = exchange(seg_out(1000), seg_back(77, 1000), 20ms);
  auto h = hist(LW_CLASS_CEPH_PUBLIC);
  ASSERT_EQ(h.count(), 1u);
  EXPECT_GE(h.sum_ns(), t.at_least_ns);
  EXPECT_LE(h.sum_ns(), t.at_most_ns);
  EXPECT_EQ(h.max_ns(), h.sum_ns());
  EXPECT_EQ(h.buckets()[expected_bucket(h.sum_ns())], 1u);
  EXPECT_EQ(all_samples(), 1u);
  EXPECT_EQ(starts("lw_rtt_tcp"), 0u);  // the start is consumed
}

TEST_F(RttTcp, OnlyTheFirstEchoCounts) {
  exchange(seg_out(1000), seg_back(77, 1000), 2ms);
  run(LW_DIR_INGRESS, seg_back(78, 1000));  // duplicate ACK echoing the same TSval
  run(LW_DIR_INGRESS, seg_back(79, 1000));
  EXPECT_EQ(hist(LW_CLASS_CEPH_PUBLIC).count(), 1u);
}

TEST_F(RttTcp, RetransmittedTsvalIsTimedFromItsFirstSegment) {
  const uint64_t t0 = monotonic_ns();
  run(LW_DIR_EGRESS, seg_out(500));
  std::this_thread::sleep_for(15ms);
  run(LW_DIR_EGRESS, seg_out(500));  // same TSval again: not re-armed
  std::this_thread::sleep_for(5ms);
  run(LW_DIR_INGRESS, seg_back(9, 500));
  const uint64_t t1 = monotonic_ns();
  run(LW_DIR_INGRESS, seg_back(9, 500));
  auto h = hist(LW_CLASS_CEPH_PUBLIC);
  ASSERT_EQ(h.count(), 1u);
  EXPECT_GE(h.sum_ns(), 20'000'000u);  // from the first segment, not the retransmission
  EXPECT_LE(h.sum_ns(), t1 - t0);
}

TEST_F(RttTcp, IndependentTsvalsGiveIndependentSamples) {
  run(LW_DIR_EGRESS, seg_out(1));
  run(LW_DIR_EGRESS, seg_out(2));
  std::this_thread::sleep_for(1ms);
  run(LW_DIR_INGRESS, seg_back(5, 2));
  run(LW_DIR_INGRESS, seg_back(6, 1));
  EXPECT_EQ(hist(LW_CLASS_CEPH_PUBLIC).count(), 2u);
}

TEST_F(RttTcp, Ipv6) {
  TcpOpts out, back;
  out.options = tcp_option_timestamp(42, 0);
  back.options = tcp_option_timestamp(7, 42);
  auto t = exchange(
      PacketBuilder().ipv6(v6::kMig, v6::kMig2).tcp(kGuestPort, 60000, out).payload(10).build(),
      PacketBuilder().ipv6(v6::kMig2, v6::kMig).tcp(60000, kGuestPort, back).build(), 5ms);
  auto h = hist(LW_CLASS_MIGRATION);
  ASSERT_EQ(h.count(), 1u);
  EXPECT_GE(h.sum_ns(), t.at_least_ns);
  EXPECT_LE(h.sum_ns(), t.at_most_ns);
}

TEST_F(RttTcp, NothingWithoutAMatchingEcho) {
  run(LW_DIR_EGRESS, seg_out(1000));
  run(LW_DIR_INGRESS, seg_back(77, 999));            // another TSval
  run(LW_DIR_INGRESS, seg_back(77, 1000, kTcpPsh));  // no ACK: TSecr means nothing
  TcpOpts o;
  o.options = tcp_option_timestamp(77, 1000);
  run(LW_DIR_INGRESS,  // another flow (other port) echoing the same value
      PacketBuilder().ipv4(v4::kPub2, v4::kPub).tcp(kPort, kGuestPort + 1, o).build());
  run(LW_DIR_EGRESS, seg_back(77, 1000));  // the echo leaving instead of arriving
  EXPECT_EQ(all_samples(), 0u);
  EXPECT_EQ(bad_options(), 0u);
}

TEST_F(RttTcp, NoTimestampOptionNoState) {
  TcpOpts o;  // no options at all
  run(LW_DIR_EGRESS, PacketBuilder().ipv4(v4::kPub, v4::kPub2).tcp(kGuestPort, kPort, o).build());
  o.options = tcp_option_mss(1460);
  run(LW_DIR_EGRESS, PacketBuilder().ipv4(v4::kPub, v4::kPub2).tcp(kGuestPort, kPort, o).build());
  EXPECT_EQ(starts("lw_rtt_tcp"), 0u);
  EXPECT_EQ(bad_options(), 0u);
}

TEST_F(RttTcp, TimestampAfterOtherOptionsIsFound) {
  // SYN-like layout: MSS, SACK permitted, TS, NOP, window scale.
  Bytes opts = tcp_option_mss(1460);
  for (uint8_t b : {4, 2, 8, 10, 0, 0, 0x12, 0x34, 0, 0, 0, 0, 1, 3, 3, 7}) opts.push_back(b);
  run(LW_DIR_EGRESS, seg_out(0, 0, opts));
  std::this_thread::sleep_for(1ms);
  run(LW_DIR_INGRESS, seg_back(1, 0x1234));
  EXPECT_EQ(hist(LW_CLASS_CEPH_PUBLIC).count(), 1u);
  EXPECT_EQ(bad_options(), 0u);
}

TEST_F(RttTcp, EolEndsTheList) {
  Bytes opts = {0, 1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 0};  // EOL, then a TS nobody may read
  run(LW_DIR_EGRESS, seg_out(0, 0, opts));
  EXPECT_EQ(starts("lw_rtt_tcp"), 0u);
  EXPECT_EQ(bad_options(), 0u);
}

TEST_F(RttTcp, MalformedOptionListsAreCountedNotTimed) {
  const std::vector<Bytes> bad = {
      {2, 0, 5, 0xb4},                       // length 0
      {2, 1, 5, 0xb4},                       // length 1
      {1, 1, 8, 8, 0, 0, 0, 5, 0, 0, 0, 0},  // timestamp with length 8
      {1, 1, 3, 30},                         // runs past the option area
      {1, 1, 1, 8},                          // kind without its length byte
  };
  for (const auto& opts : bad) {
    SCOPED_TRACE(testing::PrintToString(opts));
    run(LW_DIR_EGRESS, seg_out(0, 0, opts));
  }
  EXPECT_EQ(bad_options(), bad.size());
  EXPECT_EQ(starts("lw_rtt_tcp"), 0u);
}

TEST_F(RttTcp, CutOptionsAreCountedNotTimed) {
  // doff promises 12 bytes of options, the frame ends after 6 of them.
  Bytes opts = {3, 3, 7, 1, 1, 8, 10, 0, 0, 0, 5, 0};  // window scale first: the slow path
  Bytes frame = PacketBuilder()
                    .ipv4(v4::kPub, v4::kPub2)
                    .tcp(kGuestPort, kPort, TcpOpts{.options = opts})
                    .build();
  frame.resize(frame.size() - 6);
  run(LW_DIR_EGRESS, frame);
  EXPECT_EQ(bad_options(), 1u);
  EXPECT_EQ(starts("lw_rtt_tcp"), 0u);
}

TEST_F(RttTcp, StaleStartsExpireWithoutASample) {
  // A start 11 s old, as if its echo never came in time.
  lw_rtt_key key{};
  key.local_lo = 0xC6336461;   // 198.51.100.97 = v4::kPub
  key.remote_lo = 0xC6336462;  // 198.51.100.98 = v4::kPub2
  key.local_port = kGuestPort;
  key.remote_port = kPort;
  key.stamp = 1000;
  lw_rtt_start start{};
  start.ts_ns = monotonic_ns() - 11'000'000'000ULL;
  start.cls = LW_CLASS_CEPH_PUBLIC;
  ASSERT_EQ(bpf_map_update_elem(sb().map_fd("lw_rtt_tcp"), &key, &start, BPF_NOEXIST), 0);
  run(LW_DIR_INGRESS, seg_back(77, 1000));
  EXPECT_EQ(all_samples(), 0u);
  EXPECT_EQ(expired(), 1u);
  EXPECT_EQ(starts("lw_rtt_tcp"), 0u);  // and it is gone
}

}  // namespace
}  // namespace lw::test::bpf
