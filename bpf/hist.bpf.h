/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Recording one latency sample into the log-linear histogram of its
 * (interface slot, class). The histogram is shared by all CPUs: every field
 * is updated atomically, so counts and sums are exact and the map's size
 * does not grow with the number of CPUs. The bucket layout is described next to struct
 * lw_hist in lanewarden.h; userspace/telemetry/histogram.cpp computes the
 * same bucket boundaries and derives quantiles from them.
 */
#ifndef LW_HIST_BPF_H
#define LW_HIST_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "bounds.bpf.h"
#include "lanewarden.h"
#include "maps.bpf.h"

/* floor(log2(v)) for v > 0, branch-free (after bcc's log2l). */
static __always_inline __u32 lw_log2(__u64 v)
{
	__u32 r, shift;

	r = (v > 0xFFFFFFFFULL) << 5;
	v >>= r;
	shift = (v > 0xFFFF) << 4;
	v >>= shift;
	r |= shift;
	shift = (v > 0xFF) << 3;
	v >>= shift;
	r |= shift;
	shift = (v > 0xF) << 2;
	v >>= shift;
	r |= shift;
	shift = (v > 0x3) << 1;
	v >>= shift;
	r |= shift;
	r |= (__u32)(v >> 1);
	return r;
}

static __always_inline __u32 lw_hist_bucket(__u64 ns)
{
	if (ns < (1ULL << LW_HIST_MIN_EXP))
		return 0;
	__u32 e = lw_log2(ns);
	if (e > LW_HIST_MAX_EXP)
		return LW_HIST_NR_BUCKETS - 1;
	__u32 sub = (__u32)(ns >> (e - LW_HIST_SUB_BITS)) & (LW_HIST_SUB - 1);
	return 1 + (e - LW_HIST_MIN_EXP) * LW_HIST_SUB + sub;
}

/*
 * *max = ns when ns is larger, exact under concurrent writers: a failed
 * compare-and-swap means another CPU stored a value first, which is then
 * compared again. A bounded loop (verified since 5.3); LW_MAX_RACES lost races in a
 * row on one key would need that many CPUs recording larger samples of the
 * same interface and class within the same few nanoseconds.
 */
#define LW_MAX_RACES 4
static __always_inline void lw_store_max(__u64 *max, __u64 ns)
{
	__u64 seen = *max;

	for (int i = 0; i < LW_MAX_RACES; i++) {
		if (ns <= seen)
			return;
		__u64 was = __sync_val_compare_and_swap(max, seen, ns);
		if (was == seen)
			return;
		seen = was;
	}
}

static __always_inline void lw_hist_record(__u16 slot, __u8 cls, __u64 ns)
{
	if (slot > LW_IFACE_SLOT_UNKNOWN)
		return;
	__u32 key = (__u32)slot * LW_NR_CLASSES + (cls & (LW_NR_CLASSES - 1));
	struct lw_hist *h = bpf_map_lookup_elem(&lw_hist, &key);
	if (!h)
		return;
	__u64 b = lw_index_clamp(lw_hist_bucket(ns), LW_HIST_NR_BUCKETS);
	__sync_fetch_and_add(&h->buckets[b], 1);
	__sync_fetch_and_add(&h->count, 1);
	__sync_fetch_and_add(&h->sum_ns, ns);
	lw_store_max(&h->max_ns, ns);
}

#endif /* LW_HIST_BPF_H */
