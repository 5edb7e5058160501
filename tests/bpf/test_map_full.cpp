// SPDX-License-Identifier: GPL-2.0-only
// The maps that can fill under traffic (docs/limits.md, "when full"): the
// flood-control LRU (LW_FLOOD_KEYS keys) and the event ring buffer. Full
// means degraded events, never a lost count and never a dropped packet.
#include <bpf/bpf.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "test_events_support.h"

namespace lw::test::events {
namespace {

using namespace std::chrono_literals;

class MapFull : public ::testing::Test {
 protected:
  void SetUp() override { LW_REQUIRE_ROOT_OR_FAIL(); }
};

// Distinct flows: Ceph intruders on the exclusive Corosync lane, one key each.
Bytes flow(uint32_t i) {
  return PacketBuilder()
      .ipv4("203.0.113.1", "203.0.113.2")
      .tcp(static_cast<uint16_t>(10000 + i % 50000), static_cast<uint16_t>(6800 + i / 50000))
      .payload(100)
      .build();
}

uint32_t flood_keys(const datapath::Sandbox& sb) {
  const int fd = sb.map_fd("lw_flood");
  uint32_t n = 0;
  std::vector<uint8_t> key(sizeof(lw_flood_key)), next(sizeof(lw_flood_key));
  void* prev = nullptr;
  while (bpf_map_get_next_key(fd, prev, next.data()) == 0) {
    n++;
    key = next;
    prev = key.data();
  }
  return n;
}

// 1.5 x LW_FLOOD_KEYS flows in audit mode while a consumer drains events:
// the LRU evicts, every new key still gets its event, every packet is
// counted and passes, and flows evicted early get a fresh event when they
// come back (rather than vanishing into a suppressed count).
TEST_F(MapFull, FloodLruBeyondItsKeysKeepsEventsFlowingAndCountsExact) {
  constexpr uint32_t kFlows = LW_FLOOD_KEYS + LW_FLOOD_KEYS / 2, kRepeat = 2;
  datapath::Sandbox sb({.event_interval_ns = 30'000'000'000});  // one event per key
  sb.install(*compile_on_lo(policy_toml("audit", kExclusiveLanes)));

  std::atomic<bool> done{false};
  std::atomic<uint64_t> delivered{0};
  std::thread consumer([&] {
    while (!done.load()) {
      sb.consume_events([&](const lw_event&) { delivered++; });
      std::this_thread::sleep_for(1ms);
    }
    sb.consume_events([&](const lw_event&) { delivered++; });
  });
  bool all_passed = true;
  for (uint32_t f = 0; f < kFlows; f++)
    all_passed &= sb.run(LW_DIR_INGRESS, flow(f), {.repeat = kRepeat}).retval == TC_ACT_UNSPEC;
  // The first flows were evicted long ago: they come back as new keys.
  constexpr uint32_t kReturning = 1000;
  for (uint32_t f = 0; f < kReturning; f++)
    all_passed &= sb.run(LW_DIR_INGRESS, flow(f)).retval == TC_ACT_UNSPEC;
  done = true;
  consumer.join();

  EXPECT_TRUE(all_passed) << "a full flood map must never drop";
  EXPECT_LE(flood_keys(sb), static_cast<uint32_t>(LW_FLOOD_KEYS));
  const uint64_t packets = uint64_t{kFlows} * kRepeat + kReturning;
  const auto c = sb.counters(kSlot);
  EXPECT_EQ(c.c[LW_DIR_INGRESS][LW_CLASS_CEPH_PUBLIC][LW_VERDICT_AUDIT].packets, packets);
  EXPECT_EQ(c.c[LW_DIR_INGRESS][LW_CLASS_CEPH_PUBLIC][LW_VERDICT_DROP].packets, 0u);
  const auto v = sb.violations(kSlot);
  EXPECT_EQ(v.n[LW_DIR_INGRESS][LW_VIOL_INTRUDER][LW_CLASS_CEPH_PUBLIC], packets);
  // One event per key ever inserted: every flow once, and the returning
  // flows again. The kernel's LRU is approximate (per-CPU free lists), so a
  // few early keys may have survived: at least 90 % must come back new.
  EXPECT_GE(v.events + v.lost, uint64_t{kFlows} + kReturning * 9 / 10);
  EXPECT_LE(v.events + v.lost, uint64_t{kFlows} + kReturning);
  EXPECT_EQ(delivered.load(), v.events);
  EXPECT_EQ(v.events + v.suppressed + v.lost, packets);
  // A valid packet after all this is classified and passed as ever.
  EXPECT_EQ(sb.run(LW_DIR_INGRESS, corosync_udp()).retval, TC_ACT_UNSPEC);
  EXPECT_EQ(sb.counters(kSlot).c[LW_DIR_INGRESS][LW_CLASS_COROSYNC][LW_VERDICT_PASS].packets, 1u);
}

// No consumer: the 256 KiB ring buffer fills after a few thousand events.
// Further events are counted as lost, the per-kind counters stay exact, no
// packet is dropped because of it, and once drained, events flow again.
TEST_F(MapFull, FullRingBufferCountsLostEventsAndRecoversWhenDrained) {
  constexpr uint32_t kFlows = 10'000;
  datapath::Sandbox sb({.event_interval_ns = 30'000'000'000});
  sb.install(*compile_on_lo(policy_toml("audit", kExclusiveLanes)));
  bool all_passed = true;
  for (uint32_t f = 0; f < kFlows; f++)
    all_passed &= sb.run(LW_DIR_INGRESS, flow(f)).retval == TC_ACT_UNSPEC;
  EXPECT_TRUE(all_passed);
  auto v = sb.violations(kSlot);
  EXPECT_GT(v.lost, 0u) << "the ring buffer never filled: the test proves nothing";
  EXPECT_LT(v.events, uint64_t{kFlows});
  EXPECT_EQ(v.events + v.lost, uint64_t{kFlows});
  EXPECT_EQ(v.n[LW_DIR_INGRESS][LW_VIOL_INTRUDER][LW_CLASS_CEPH_PUBLIC], uint64_t{kFlows});
  EXPECT_EQ(sb.counters(kSlot).c[LW_DIR_INGRESS][LW_CLASS_CEPH_PUBLIC][LW_VERDICT_AUDIT].packets,
            uint64_t{kFlows});
  EXPECT_EQ(sb.drain_events().size(), v.events);

  // Room again: a new flow's event is delivered.
  sb.run(LW_DIR_INGRESS, flow(kFlows + 1));
  const auto after = sb.drain_events();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].sport, 10000 + (kFlows + 1) % 50000);
  EXPECT_EQ(sb.violations(kSlot).lost, v.lost);
}

}  // namespace
}  // namespace lw::test::events
