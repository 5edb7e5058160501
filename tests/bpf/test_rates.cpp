// SPDX-License-Identifier: GPL-2.0-only
// Police and pace through BPF_PROG_TEST_RUN. The programs read the real
// clock (bpf_ktime_get_ns = CLOCK_MONOTONIC), so the tests pick rates where
// one packet costs milliseconds: a burst of repeated runs takes microseconds
// and refills nothing measurable, which makes the byte counts exact. Only the
// refill and concurrency tests depend on elapsed time, and they bound it
// with the clock on both sides.
#include <gtest/gtest.h>
#include <time.h>

#include <chrono>
#include <thread>

#include "bpf_fixture.h"

namespace lw::test::bpf {
namespace {

using datapath::RunOptions;
using v4::kMig;
using v4::kMig2;

// 1 Mbit/s: a frame with 1000 bytes of payload costs 8 ms of credit. Caps
// limit the payload; the 54 bytes of Ethernet/IPv4/TCP headers ride on top.
constexpr uint64_t kRate = 125'000;
constexpr size_t kPayload = 1000;
constexpr size_t kHeaders = 14 + 20 + 20;
constexpr uint64_t kCostNs = kPayload * 1'000'000'000ULL / kRate;  // 8 ms

uint64_t mono_ns() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000ULL + ts.tv_nsec;
}

// Migration (TCP 60000) on lo with exactly kPayload bytes of payload.
Bytes migration_frame(size_t payload = kPayload) {
  return PacketBuilder().ipv4(kMig, kMig2).tcp(60000, 60000).payload(payload).build();
}

std::string rate_policy(const std::string& mode, const std::string& cap_mode,
                        const std::string& rate, const std::string& burst) {
  return "mode = \"" + mode + "\"\n" + networks_toml() + R"(
[[lane]]
interface = "lo"
classes = ["corosync", "migration", "ceph_public", "ceph_cluster", "management", "storage"]

[class.migration]
cap = ")" +
         rate + R"("
cap_mode = ")" +
         cap_mode + R"("
burst = ")" +
         burst + R"("
)";
}

class RateTest : public BpfTest {
 protected:
  // Buckets outlive policy swaps and the suite shares one sandbox: wait until
  // any bucket an earlier test drained is full again, and any pacing queue
  // an earlier test built has left (both take at most burst_ns).
  void settle(uint64_t burst_ns) {
    std::this_thread::sleep_for(std::chrono::nanoseconds(burst_ns + 20'000'000));
  }

  // Counted packets of (dir, migration, verdict) since `before`.
  static uint64_t gained(const lw_iface_counters& before, const lw_iface_counters& after, int dir,
                         int verdict) {
    return after.c[dir][LW_CLASS_MIGRATION][verdict].packets -
           before.c[dir][LW_CLASS_MIGRATION][verdict].packets;
  }
};

class Police : public RateTest {};
class Pace : public RateTest {};

// 8000-byte bucket = 64 ms of credit = exactly 8 frames.
constexpr uint64_t kBurstBytes = 8 * kPayload;
constexpr uint64_t kBurstNs = kBurstBytes * 1'000'000'000ULL / kRate;

TEST_F(Police, BurstPassesExactlyTheBucketThenDrops) {
  install(rate_policy("enforce", "police", "1mbit", "8000B"));
  settle(kBurstNs);
  const Bytes f = migration_frame();
  ASSERT_EQ(f.size(), kPayload + kHeaders);
  const auto before = sb().counters(kLoSlot);
  const auto r = sb().run(LW_DIR_INGRESS, f, RunOptions{.repeat = 20});
  const auto after = sb().counters(kLoSlot);
  EXPECT_EQ(r.retval, TC_ACT_SHOT) << "the last of 20 runs is over the cap";
  EXPECT_EQ(gained(before, after, LW_DIR_INGRESS, LW_VERDICT_PASS), kBurstBytes / kPayload);
  EXPECT_EQ(gained(before, after, LW_DIR_INGRESS, LW_VERDICT_DROP), 20 - kBurstBytes / kPayload);
  EXPECT_EQ(gained(before, after, LW_DIR_INGRESS, LW_VERDICT_AUDIT), 0u);
  EXPECT_EQ(violations(LW_DIR_INGRESS, LW_VIOL_RATE_CAP, LW_CLASS_MIGRATION),
            20 - kBurstBytes / kPayload);
  // The other classes have no cap: a Ceph frame right after still passes.
  LW_EXPECT_RUN(
      PacketBuilder().ipv4(v4::kClu, v4::kClu2).tcp(kGuestPort, 6800).payload(900).build(),
      {LW_CLASS_CEPH_CLUSTER});
}

TEST_F(Police, AuditModeCountsButPasses) {
  install(rate_policy("audit", "police", "1mbit", "8000B"));
  settle(kBurstNs);
  const Bytes f = migration_frame();
  const auto before = sb().counters(kLoSlot);
  const auto r = sb().run(LW_DIR_EGRESS, f, RunOptions{.repeat = 20});
  const auto after = sb().counters(kLoSlot);
  EXPECT_EQ(r.retval, TC_ACT_UNSPEC);
  EXPECT_EQ(gained(before, after, LW_DIR_EGRESS, LW_VERDICT_PASS), kBurstBytes / kPayload);
  EXPECT_EQ(gained(before, after, LW_DIR_EGRESS, LW_VERDICT_AUDIT), 20 - kBurstBytes / kPayload);
  EXPECT_EQ(gained(before, after, LW_DIR_EGRESS, LW_VERDICT_DROP), 0u);
  EXPECT_EQ(violations(LW_DIR_EGRESS, LW_VIOL_RATE_CAP, LW_CLASS_MIGRATION),
            20 - kBurstBytes / kPayload);
}

TEST_F(Police, DirectionsHaveBucketsOfTheirOwn) {
  install(rate_policy("enforce", "police", "1mbit", "8000B"));
  settle(kBurstNs);
  const Bytes f = migration_frame();
  // Drain ingress completely; egress still has its full bucket.
  sb().run(LW_DIR_INGRESS, f, RunOptions{.repeat = 20});
  const auto before = sb().counters(kLoSlot);
  sb().run(LW_DIR_EGRESS, f, RunOptions{.repeat = 20});
  const auto after = sb().counters(kLoSlot);
  EXPECT_EQ(gained(before, after, LW_DIR_EGRESS, LW_VERDICT_PASS), kBurstBytes / kPayload);
}

TEST_F(Police, RefillAdmitsRateTimesElapsed) {
  install(rate_policy("enforce", "police", "1mbit", "8000B"));
  settle(kBurstNs);
  const Bytes f = migration_frame();
  sb().run(LW_DIR_INGRESS, f, RunOptions{.repeat = 20});  // empty the bucket
  const uint64_t t0 = mono_ns();
  std::this_thread::sleep_for(std::chrono::milliseconds(40));
  const auto before = sb().counters(kLoSlot);
  sb().run(LW_DIR_INGRESS, f, RunOptions{.repeat = 20});
  const uint64_t t1 = mono_ns();
  const auto after = sb().counters(kLoSlot);
  const uint64_t passed = gained(before, after, LW_DIR_INGRESS, LW_VERDICT_PASS);
  // The credit is the time since the bucket was emptied: at least the sleep
  // measured from after the draining run, at most everything up to t1, plus
  // the leftover of less than one frame from the draining run.
  const uint64_t lo = 40'000'000 / kCostNs;
  const uint64_t hi = (t1 - t0 + 1'000'000) / kCostNs + 1;
  EXPECT_GE(passed, lo) << "elapsed " << (t1 - t0) / 1000 << " us";
  EXPECT_LE(passed, hi) << "elapsed " << (t1 - t0) / 1000 << " us";
}

// A cap limits payload. A GSO packet holds its headers once and its payload
// in full, so it costs exactly its payload however many segments it becomes
// on the wire (HTB would count 54 more bytes per segment: shape mode scales
// the HTB rate for that instead, see shaping_plan.h).
TEST_F(Police, GsoPacketCostsItsPayloadNotItsHeaders) {
  install(rate_policy("enforce", "police", "1mbit", "8000B"));
  settle(kBurstNs);
  constexpr uint32_t segs = 4;
  const Bytes f = migration_frame(2 * kPayload);  // two frames' worth of payload
  const auto before = sb().counters(kLoSlot);
  sb().run(LW_DIR_INGRESS, f, RunOptions{.repeat = 20, .gso_segs = segs});
  const auto after = sb().counters(kLoSlot);
  // Counters count wire packets: segs per run; 4 runs of 2000 bytes fill 8000.
  EXPECT_EQ(gained(before, after, LW_DIR_INGRESS, LW_VERDICT_PASS),
            segs * (kBurstBytes / (2 * kPayload)));
}

// Packets without payload (pure ACKs, SYNs) cost nothing: a drained bucket
// still lets them through, so the reverse path of a capped flow never stalls.
TEST_F(Police, PacketWithoutPayloadCostsNothing) {
  install(rate_policy("enforce", "police", "1mbit", "8000B"));
  settle(kBurstNs);
  sb().run(LW_DIR_INGRESS, migration_frame(), RunOptions{.repeat = 20});  // drain
  const auto before = sb().counters(kLoSlot);
  const auto r = sb().run(LW_DIR_INGRESS, migration_frame(0), RunOptions{.repeat = 50});
  const auto after = sb().counters(kLoSlot);
  EXPECT_EQ(r.retval, TC_ACT_UNSPEC);
  EXPECT_EQ(gained(before, after, LW_DIR_INGRESS, LW_VERDICT_PASS), 50u);
  EXPECT_EQ(gained(before, after, LW_DIR_INGRESS, LW_VERDICT_DROP), 0u);
}

// TCP options are headers, not payload: a 12-byte timestamp option does not
// change the cost (the reference segment of shape mode carries one too).
TEST_F(Police, TcpOptionsAreNotCharged) {
  install(rate_policy("enforce", "police", "1mbit", "8000B"));
  settle(kBurstNs);
  const Bytes ts_option = {1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2};
  const Bytes f = PacketBuilder()
                      .ipv4(kMig, kMig2)
                      .tcp(60000, 60000, TcpOpts{.options = ts_option})
                      .payload(kPayload)
                      .build();
  ASSERT_EQ(f.size(), kPayload + kHeaders + ts_option.size());
  const auto before = sb().counters(kLoSlot);
  sb().run(LW_DIR_INGRESS, f, RunOptions{.repeat = 20});
  const auto after = sb().counters(kLoSlot);
  EXPECT_EQ(gained(before, after, LW_DIR_INGRESS, LW_VERDICT_PASS), kBurstBytes / kPayload);
}

// The race the monotonic guard exists for: one CPU reads the clock, another
// refills with a later time, and the first then sees now < last_ns. Without
// the guard `now - last_ns` wraps and refills the whole bucket each time.
TEST_F(Police, TwoCpusNeverAdmitMoreThanBurstPlusRate) {
  // 100 Mbit/s, 1000-byte frames (80 us each), a 100 kB bucket (8 ms).
  constexpr uint64_t rate = 12'500'000, burst = 100'000;
  install(rate_policy("enforce", "police", "100mbit", "100000B"));
  settle(burst * 1'000'000'000ULL / rate);
  const Bytes f = migration_frame();
  const auto before = sb().counters(kLoSlot);
  const uint64_t t0 = mono_ns();
  auto hammer = [&] {
    for (int i = 0; i < 20; i++) sb().run(LW_DIR_EGRESS, f, RunOptions{.repeat = 20000});
  };
  std::thread a(hammer), b(hammer);
  a.join();
  b.join();
  const uint64_t elapsed = mono_ns() - t0;
  const auto after = sb().counters(kLoSlot);
  const uint64_t passed = gained(before, after, LW_DIR_EGRESS, LW_VERDICT_PASS);
  const uint64_t dropped = gained(before, after, LW_DIR_EGRESS, LW_VERDICT_DROP);
  EXPECT_EQ(passed + dropped, 2u * 20 * 20000);
  ASSERT_GT(dropped, 0u) << "the hammering never exceeded the rate: the test proves nothing";
  const double allowed_bytes = burst + static_cast<double>(rate) * elapsed / 1e9 + kPayload;
  EXPECT_LE(static_cast<double>(passed * kPayload), allowed_bytes)
      << passed << " frames passed in " << elapsed / 1000 << " us";
  // And the cap is not far below the rate either (loose: CPUs may stall).
  EXPECT_GE(static_cast<double>(passed * kPayload), 0.5 * static_cast<double>(rate) * elapsed / 1e9)
      << passed << " frames passed in " << elapsed / 1000 << " us";
}

// Pace: 1 Mbit/s, 800 ms horizon (100 frames of 8 ms).
constexpr uint64_t kHorizonNs = 100 * kCostNs;

TEST_F(Pace, DeparturesAreSpacedByExactlyTheCost) {
  install(rate_policy("enforce", "pace", "1mbit", "100000B"));
  settle(kHorizonNs);
  const Bytes f = migration_frame();
  const uint64_t t0 = mono_ns();
  std::vector<uint64_t> departs;
  for (int i = 0; i < 10; i++) {
    const auto r = sb().run(LW_DIR_EGRESS, f);
    ASSERT_EQ(r.retval, TC_ACT_UNSPEC);
    departs.push_back(r.tstamp);
  }
  const uint64_t t1 = mono_ns();
  // The queue was empty: the first frame leaves now.
  EXPECT_GE(departs[0], t0);
  EXPECT_LE(departs[0], t1);
  for (size_t i = 1; i < departs.size(); i++)
    EXPECT_EQ(departs[i] - departs[i - 1], kCostNs) << "frame " << i;

  // An earlier timestamp (from the stack, say) leaves after the queue, not before.
  const auto early = sb().run(LW_DIR_EGRESS, f, RunOptions{.tstamp = t0 - 1'000'000});
  EXPECT_EQ(early.tstamp, departs.back() + kCostNs);
  // A later one within the horizon is kept, and the queue continues from it.
  const uint64_t later = early.tstamp + 50 * kCostNs;
  const auto kept = sb().run(LW_DIR_EGRESS, f, RunOptions{.tstamp = later});
  EXPECT_EQ(kept.tstamp, later);
  EXPECT_EQ(sb().run(LW_DIR_EGRESS, f).tstamp, later + kCostNs);
}

TEST_F(Pace, IdleQueueDepartsNow) {
  install(rate_policy("enforce", "pace", "1mbit", "100000B"));
  settle(kHorizonNs);
  const Bytes f = migration_frame();
  sb().run(LW_DIR_EGRESS, f);
  std::this_thread::sleep_for(std::chrono::milliseconds(30));  // > one cost: queue left
  const uint64_t t0 = mono_ns();
  const auto r = sb().run(LW_DIR_EGRESS, f, RunOptions{.tstamp = 1});
  const uint64_t t1 = mono_ns();
  EXPECT_GE(r.tstamp, t0);
  EXPECT_LE(r.tstamp, t1);
}

TEST_F(Pace, BeyondTheHorizonDrops) {
  install(rate_policy("enforce", "pace", "1mbit", "100000B"));
  settle(kHorizonNs);
  const Bytes f = migration_frame();
  const auto before = sb().counters(kLoSlot);
  const auto r = sb().run(LW_DIR_EGRESS, f, RunOptions{.repeat = 150});
  const auto after = sb().counters(kLoSlot);
  // Departures now + k * cost for k = 0..100 lie within the horizon (the
  // run takes far less than one cost); k = 101 is beyond it.
  EXPECT_EQ(r.retval, TC_ACT_SHOT);
  EXPECT_EQ(gained(before, after, LW_DIR_EGRESS, LW_VERDICT_PASS), kHorizonNs / kCostNs + 1);
  EXPECT_EQ(gained(before, after, LW_DIR_EGRESS, LW_VERDICT_DROP), 150 - kHorizonNs / kCostNs - 1);
  EXPECT_EQ(violations(LW_DIR_EGRESS, LW_VIOL_RATE_CAP, LW_CLASS_MIGRATION),
            150 - kHorizonNs / kCostNs - 1);
}

TEST_F(Pace, IngressIsNeitherPacedNorDropped) {
  install(rate_policy("enforce", "pace", "1mbit", "8000B"));
  settle(kBurstNs);
  const Bytes f = migration_frame();
  const auto before = sb().counters(kLoSlot);
  const auto r = sb().run(LW_DIR_INGRESS, f, RunOptions{.repeat = 50, .tstamp = 0});
  const auto after = sb().counters(kLoSlot);
  EXPECT_EQ(r.retval, TC_ACT_UNSPEC);
  EXPECT_EQ(r.tstamp, 0u);
  EXPECT_EQ(gained(before, after, LW_DIR_INGRESS, LW_VERDICT_PASS), 50u);
}

}  // namespace
}  // namespace lw::test::bpf
