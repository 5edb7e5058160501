/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/* The maps of lanewarden.bpf.c; all of them are pinned under --pin-dir. */
#ifndef LW_MAPS_BPF_H
#define LW_MAPS_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lanewarden.h"

/*
 * Template of the inner map that holds one complete policy. It is declared as
 * a variable only so that clang emits the full BTF of struct lw_policy (a
 * pointee two levels deep becomes a forward declaration); userspace turns off
 * its creation with bpf_map__set_autocreate().
 */
struct lw_policy_map {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lw_policy);
} lw_policy_template SEC(".maps");

/*
 * The policy in force: slot 0 holds the inner map. Userspace builds a new
 * inner map and swaps it in with one update, so a packet meets either the old
 * or the new policy as a whole (the old map lives on until RCU drops it).
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct lw_policy_map);
} lw_policy_outer SEC(".maps");

/* Exact per-CPU counters by interface slot, direction, class and verdict. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LW_MAX_IFACES + 1);
	__type(key, __u32);
	__type(value, struct lw_iface_counters);
} lw_counters SEC(".maps");

/*
 * Violations by kind and class, and the event accounting, per interface slot.
 * Shared by all CPUs (atomic adds, as lw_flood on the same path): only a
 * violating packet touches it, and per-CPU copies would cost 800 bytes per
 * slot per possible CPU.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LW_MAX_IFACES + 1);
	__type(key, __u32);
	__type(value, struct lw_violation_counters);
} lw_violations SEC(".maps");

/* Violation events for `lanewarden watch`. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, LW_EVENTS_RINGBUF_BYTES);
} lw_events SEC(".maps");

/*
 * Flood control state by violation and flow. LRU: a flood of distinct flows
 * evicts old keys instead of failing updates; an evicted key only loses its
 * pending suppressed count, which lw_violations still holds in `suppressed`.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, LW_FLOOD_KEYS);
	__type(key, struct lw_flood_key);
	__type(value, struct lw_flood_state);
} lw_flood SEC(".maps");

/* Police buckets and pacing clocks, by (slot, direction, class): see rate.bpf.h. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LW_NR_BUCKETS);
	__type(key, __u32);
	__type(value, struct lw_bucket);
} lw_buckets SEC(".maps");

/* Userspace bookkeeping of what it attached (never read by the programs). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, LW_MAX_IFACES);
	__type(key, __u32); /* ifindex */
	__type(value, struct lw_link);
} lw_links SEC(".maps");

/*
 * RTT histograms by (interface slot, class): see hist.bpf.h. Shared by all
 * CPUs and updated with atomic adds: samples are rare (one per flow and
 * timestamp tick), and a per-CPU copy would cost 1.7 KB per key per possible
 * CPU (over 200 MB on a 256-CPU host).
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LW_HIST_KEYS);
	__type(key, __u32);
	__type(value, struct lw_hist);
} lw_hist SEC(".maps");

/*
 * Outstanding TCP timestamps and ICMP echo requests (rtt.bpf.h). LRU: starts
 * whose echo never comes (loss, asymmetric routing, one-way flows) are
 * evicted by newer ones instead of filling the map.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, LW_RTT_TCP_ENTRIES);
	__type(key, struct lw_rtt_key);
	__type(value, struct lw_rtt_start);
} lw_rtt_tcp SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, LW_RTT_ECHO_ENTRIES);
	__type(key, struct lw_rtt_key);
	__type(value, struct lw_rtt_start);
} lw_rtt_echo SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lw_rtt_stats);
} lw_rtt_stats SEC(".maps");

/*
 * Per CPU, a fingerprint of the last TCP (flow, timestamp) each direction
 * handled (rtt.bpf.h): the segments of a bulk flow repeat one TSval/TSecr for
 * a whole clock tick, and all but the first skip the hash lookup. Kernel-only
 * state, never read by userspace; [0] ingress, [1] egress.
 */
struct lw_rtt_recent {
	__u64 last[LW_NR_DIRS];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lw_rtt_recent);
} lw_rtt_recent SEC(".maps");

#endif /* LW_MAPS_BPF_H */
