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

/* Violations by kind and class, and the event accounting, per interface slot. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
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

#endif /* LW_MAPS_BPF_H */
