// SPDX-License-Identifier: GPL-2.0-only
// Pins the layout of the ABI shared with the BPF programs (bpf/lanewarden.h).
// Both sides compile the same header; these asserts catch a change that would
// silently break pinned state left by an older build, or a padding surprise.
#include <gtest/gtest.h>

#include <cstddef>

#include "lanewarden.h"

static_assert(LW_NR_CLASSES == 8);
static_assert(LW_CLASS_OTHER == 0 && LW_CLASS_COROSYNC == 1 && LW_CLASS_MIGRATION == 2 &&
              LW_CLASS_CEPH_PUBLIC == 3 && LW_CLASS_CEPH_CLUSTER == 4 && LW_CLASS_MANAGEMENT == 5 &&
              LW_CLASS_STORAGE == 6 && LW_CLASS_INFRA == 7);
static_assert(sizeof(lw_counter) == 16);
static_assert(offsetof(lw_iface_counters, parse) ==
              sizeof(lw_counter) * LW_NR_DIRS * LW_NR_CLASSES * LW_NR_VERDICTS);
static_assert(sizeof(lw_iface) == 8);
static_assert(sizeof(lw_vlan_lane) == 16 && offsetof(lw_vlan_lane, allowed) == 8);
static_assert(sizeof(lw_v4_range) == 8);
static_assert(sizeof(lw_v6_range) == 24 && offsetof(lw_v6_range, classes) == 16);
static_assert(sizeof(lw_class_cfg) == 24 && offsetof(lw_class_cfg, rate) == 8);
static_assert(sizeof(lw_bucket) == 24 && offsetof(lw_bucket, credit_ns) == 8);
static_assert(sizeof(lw_link) == 24 && offsetof(lw_link, slot) == 16);
static_assert(offsetof(lw_policy, v6_hi_only) == 24);
static_assert(offsetof(lw_policy, n_services) == 25 &&
              offsetof(lw_policy, n_sctp_port_ranges) == 26 &&
              offsetof(lw_policy, sctp_classes) == 27);
static_assert(sizeof(lw_service) == 40 && offsetof(lw_service, port) == 32 &&
              offsetof(lw_service, cls) == 36);
static_assert(sizeof(lw_port_range) == 8 && offsetof(lw_port_range, classes) == 4);
// The scanned tables come last, after the fields only userspace reads.
static_assert(offsetof(lw_policy, services) % 8 == 0 &&
              offsetof(lw_policy, services) > offsetof(lw_policy, latency_alarm_us));
static_assert(offsetof(lw_policy, sctp_ports) ==
              offsetof(lw_policy, services) + LW_MAX_SERVICES * sizeof(lw_service));
static_assert(LW_PARSE_TRUNC_SCTP == 20 && LW_NR_PARSE_REASONS == 21);
static_assert(sizeof(lw_iface_counters) == 768 + 8 * LW_NR_DIRS * LW_NR_PARSE_REASONS);
static_assert(offsetof(lw_policy, pick) == 32);
static_assert(offsetof(lw_policy, cls) == 32 + 256);
// The tables start 8-byte aligned so the BPF side reads them with aligned loads.
static_assert(offsetof(lw_policy, ifaces) % 8 == 0);
static_assert(offsetof(lw_policy, vlan_lanes) % 8 == 0);
static_assert(offsetof(lw_policy, v4) % 8 == 0);
static_assert(offsetof(lw_policy, v6) % 8 == 0);
static_assert(offsetof(lw_policy, udp_ports) - offsetof(lw_policy, tcp_ports) == LW_NR_PORTS);
// The fixed-step searches need power-of-two tables.
static_assert((LW_MAX_RANGES & (LW_MAX_RANGES - 1)) == 0);
static_assert((LW_MAX_IFACES & (LW_MAX_IFACES - 1)) == 0);
static_assert((LW_MAX_VLAN_LANES & (LW_MAX_VLAN_LANES - 1)) == 0);
// An inner array map value must stay below the kernel's KMALLOC_MAX_SIZE (4 MiB).
static_assert(sizeof(lw_policy) < (4u << 20));
// RTT histograms (bpf/hist.bpf.h, bpf/rtt.bpf.h; telemetry/histogram.cpp).
static_assert(LW_HIST_NR_BUCKETS == 210);
static_assert(sizeof(lw_hist) == 32 + 8 * LW_HIST_NR_BUCKETS && offsetof(lw_hist, buckets) == 32);
static_assert(sizeof(lw_rtt_key) == 40 && offsetof(lw_rtt_key, stamp) == 36);
static_assert(sizeof(lw_rtt_start) == 16 && offsetof(lw_rtt_start, slot) == 8);
static_assert(sizeof(lw_rtt_stats) == 32);
static_assert(offsetof(lw_policy, latency_alarm_us) % 4 == 0);
// A per-CPU value must stay below the kernel's PCPU_MIN_UNIT_SIZE (32 KiB).
static_assert(sizeof(lw_hist) < (32u << 10));

TEST(AbiLayout, ClassBitsFitTheByteMasks) {
  // lw_policy stores class sets in __u8 fields (constrained, enforce, ports).
  EXPECT_EQ(LW_CLASS_BIT(LW_NR_CLASSES - 1), 0x80u);
  EXPECT_EQ(sizeof(lw_policy::pick), 256u);
}
