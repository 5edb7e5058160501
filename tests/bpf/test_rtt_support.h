// SPDX-License-Identifier: GPL-2.0-only
// Shared by the RTT tests: a fixture that starts every test with empty
// histograms and no outstanding RTT starts, and reads what was recorded.
#pragma once

#include <bpf/bpf.h>
#include <fcntl.h>
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "bpf_fixture.h"
#include "common/fd.h"
#include "datapath/hist_maps.h"
#include "datapath/maps.h"

namespace lw::test::bpf {

class RttTest : public BpfTest {
 protected:
  void SetUp() override {
    BpfTest::SetUp();
    if (HasFatalFailure() || IsSkipped()) return;
    for (uint32_t slot = 0; slot <= LW_IFACE_SLOT_UNKNOWN; slot++) maps().zero_slot(slot);
    // The per-CPU "last segment" filter must not remember an earlier test.
    std::vector<uint64_t> recent(datapath::possible_cpus() * LW_NR_DIRS, 0);
    uint32_t zero = 0;
    ASSERT_EQ(bpf_map_update_elem(sb().map_fd("lw_rtt_recent"), &zero, recent.data(), BPF_ANY), 0);
    clear_starts("lw_rtt_tcp");
    clear_starts("lw_rtt_echo");
    stats_base_ = stats();
  }

  static void clear_starts(const char* map) {
    const int fd = sb().map_fd(map);
    lw_rtt_key key{};
    while (bpf_map_get_next_key(fd, nullptr, &key) == 0) bpf_map_delete_elem(fd, &key);
  }

  static size_t starts(const char* map) {
    const int fd = sb().map_fd(map);
    size_t n = 0;
    lw_rtt_key key{}, next{};
    const lw_rtt_key* prev = nullptr;
    while (bpf_map_get_next_key(fd, prev, &next) == 0) {
      n++;
      key = next;
      prev = &key;
    }
    return n;
  }

  // The skeleton's histogram map, read as lanewarden hist reads the pin.
  static datapath::HistMaps maps() {
    return datapath::HistMaps(UniqueFd(fcntl(sb().map_fd("lw_hist"), F_DUPFD_CLOEXEC, 0)));
  }

  // The histogram of (slot, class) as the kernel side recorded it. Read here
  // rather than with telemetry/histogram.h: these tests check the kernel side
  // on its own.
  struct Recorded {
    lw_hist v{};
    uint64_t count() const { return v.count; }
    uint64_t sum_ns() const { return v.sum_ns; }
    uint64_t max_ns() const { return v.max_ns; }
    std::vector<uint64_t> buckets() const {
      return std::vector<uint64_t>(std::begin(v.buckets), std::end(v.buckets));
    }
  };
  static Recorded hist(int cls, uint32_t slot = kLoSlot) { return {maps().read(slot, cls)}; }

  // Where a sample belongs, written from the layout's definition in
  // lanewarden.h: the octave's power of two, then the sub-bucket within it.
  static int expected_bucket(uint64_t ns) {
    if (ns < (1ULL << LW_HIST_MIN_EXP)) return 0;
    int e = 63 - __builtin_clzll(ns);
    if (e > LW_HIST_MAX_EXP) return LW_HIST_NR_BUCKETS - 1;
    uint64_t octave = 1ULL << e;
    int sub = static_cast<int>((ns - octave) / (octave / LW_HIST_SUB));
    return 1 + (e - LW_HIST_MIN_EXP) * static_cast<int>(LW_HIST_SUB) + sub;
  }

  // Samples over every (slot, class): "nothing else was recorded".
  static uint64_t all_samples() {
    uint64_t n = 0;
    for (uint32_t slot = 0; slot <= LW_IFACE_SLOT_UNKNOWN; slot++)
      for (int c = 0; c < LW_NR_CLASSES; c++) n += hist(c, slot).count();
    return n;
  }

  static lw_rtt_stats stats() { return datapath::read_rtt_stats(sb().map_fd("lw_rtt_stats")); }
  uint64_t bad_options() const { return stats().bad_options - stats_base_.bad_options; }
  uint64_t expired() const { return stats().expired - stats_base_.expired; }

  static uint64_t monotonic_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
  }

  static void run(int dir, const Bytes& frame) {
    auto r = sb().run(dir, frame);
    ASSERT_EQ(r.retval, -1) << "TC_ACT_UNSPEC expected";  // nothing here is dropped
  }

  // Runs `out` on egress, waits `delay`, runs `back` on ingress. The sample
  // must lie between the delay and the time the whole exchange took.
  struct Timed {
    uint64_t at_least_ns;
    uint64_t at_most_ns;
  };
  static Timed exchange(const Bytes& out, const Bytes& back, std::chrono::milliseconds delay) {
    const uint64_t t0 = monotonic_ns();
    run(LW_DIR_EGRESS, out);
    std::this_thread::sleep_for(delay);
    run(LW_DIR_INGRESS, back);
    const uint64_t t1 = monotonic_ns();
    return {static_cast<uint64_t>(std::chrono::nanoseconds(delay).count()), t1 - t0};
  }

  lw_rtt_stats stats_base_{};
};

}  // namespace lw::test::bpf
