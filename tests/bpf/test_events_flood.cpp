// SPDX-License-Identifier: GPL-2.0-only
// Flood control: at most one event per (kind, class, interface, flow) and
// interval, with the suppressed count folded into the next event; counters
// stay exact and events + suppressed + lost account for every violation.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "test_events_support.h"

namespace lw::test::events {
namespace {

using namespace std::chrono_literals;

class EventFlood : public ::testing::Test {
 protected:
  void SetUp() override { LW_REQUIRE_ROOT_OR_FAIL(); }
};

TEST_F(EventFlood, IdenticalViolationsFoldIntoTheNextEventAfterTheInterval) {
  datapath::Sandbox sb({.event_interval_ns = 200'000'000});
  sb.install(*compile_on_lo(policy_toml("enforce", kExclusiveLanes)));
  const Bytes frame = ceph_tcp(40000);

  EXPECT_EQ(sb.run(LW_DIR_INGRESS, frame, {.repeat = 1000}).retval, TC_ACT_SHOT);
  auto first = sb.drain_events();
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].suppressed, 0u);

  // Another flow of the same kind and class is its own key: its own event.
  sb.run(LW_DIR_INGRESS, ceph_tcp(40001));
  EXPECT_EQ(sb.drain_events().size(), 1u);

  std::this_thread::sleep_for(250ms);
  sb.run(LW_DIR_INGRESS, frame);
  auto next = sb.drain_events();
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].suppressed, 999u);
  EXPECT_EQ(next[0].sport, 40000);

  auto c = sb.counters(kSlot);
  EXPECT_EQ(c.c[LW_DIR_INGRESS][LW_CLASS_CEPH_PUBLIC][LW_VERDICT_DROP].packets, 1002u);
  auto v = sb.violations(kSlot);
  EXPECT_EQ(v.n[LW_DIR_INGRESS][LW_VIOL_INTRUDER][LW_CLASS_CEPH_PUBLIC], 1002u);
  EXPECT_EQ(v.events, 3u);
  EXPECT_EQ(v.suppressed, 999u);
  EXPECT_EQ(v.lost, 0u);
}

TEST_F(EventFlood, DirectionsAndKindsAreSeparateKeys) {
  datapath::Sandbox sb({.event_interval_ns = 10'000'000'000});
  sb.install(*compile_on_lo(policy_toml("audit", kExclusiveLanes)));
  sb.run(LW_DIR_INGRESS, ceph_tcp(), {.repeat = 10});
  sb.run(LW_DIR_EGRESS, ceph_tcp(), {.repeat = 10});
  sb.run(LW_DIR_INGRESS, corosync_udp(30), {.repeat = 10});
  EXPECT_EQ(sb.drain_events().size(), 3u);
  EXPECT_EQ(sb.violations(kSlot).suppressed, 27u);
}

// 200,000 violating packets over 10,000 flows while a consumer drains the
// ring buffer, as `lanewarden watch` does.
TEST_F(EventFlood, TwoHundredThousandViolationsAddUp) {
  constexpr uint32_t kFlows = 10'000, kRepeat = 20, kPackets = kFlows * kRepeat;
  datapath::Sandbox sb({.event_interval_ns = 30'000'000'000});  // one event per flow
  sb.install(*compile_on_lo(policy_toml("enforce", kExclusiveLanes)));

  std::atomic<bool> done{false};
  uint64_t delivered = 0, folded = 0;
  std::thread consumer([&] {
    // The sandbox's ring buffer is only read from this thread while it runs.
    while (!done.load()) {
      sb.consume_events([&](const lw_event& ev) {
        delivered++;
        folded += ev.suppressed;
      });
      std::this_thread::sleep_for(1ms);
    }
    sb.consume_events([&](const lw_event& ev) {
      delivered++;
      folded += ev.suppressed;
    });
  });
  const auto start = std::chrono::steady_clock::now();
  for (uint32_t f = 0; f < kFlows; f++) {
    auto r =
        sb.run(LW_DIR_INGRESS, ceph_tcp(static_cast<uint16_t>(20000 + f)), {.repeat = kRepeat});
    ASSERT_EQ(r.retval, TC_ACT_SHOT);
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  done = true;
  consumer.join();

  auto c = sb.counters(kSlot);
  auto v = sb.violations(kSlot);
  EXPECT_EQ(c.c[LW_DIR_INGRESS][LW_CLASS_CEPH_PUBLIC][LW_VERDICT_DROP].packets, kPackets);
  EXPECT_EQ(v.n[LW_DIR_INGRESS][LW_VIOL_INTRUDER][LW_CLASS_CEPH_PUBLIC], kPackets);
  // Flood control bounds the events by the flows, whatever the packet count.
  EXPECT_EQ(v.events + v.lost, kFlows);
  EXPECT_EQ(delivered, v.events);
  EXPECT_EQ(v.events + v.suppressed + v.lost, kPackets);
  // Nothing was folded yet (the interval did not pass): all of it pending.
  EXPECT_EQ(folded, 0u);
  // The consumer keeps up with this rate: at most a few percent lost.
  EXPECT_LE(v.lost, kFlows / 20);
  std::printf("flood: %u packets in %.2f s, %llu events delivered, %llu suppressed, %llu lost\n",
              kPackets, secs, static_cast<unsigned long long>(delivered),
              static_cast<unsigned long long>(v.suppressed),
              static_cast<unsigned long long>(v.lost));
}

}  // namespace
}  // namespace lw::test::events
