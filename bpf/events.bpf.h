/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The violation path of the exit: exact per-kind counters, then a
 * rate-limited event. Only packets that break the policy come here, so the
 * common path pays nothing for events.
 */
#ifndef LW_EVENTS_BPF_H
#define LW_EVENTS_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "lanewarden.h"
#include "maps.bpf.h"
#include "parse.bpf.h"

/*
 * Returns 1 when an event may be emitted now for `key`, with the violations
 * suppressed since the last event in *folded; 0 when this one is suppressed.
 * The compare-and-swap on last_ns makes exactly one CPU win an interval, so
 * concurrent floods of one key still give one event per interval.
 */
static __always_inline int lw_flood_admit(const struct lw_flood_key *key, __u64 now, __u64 interval,
					  __u64 *folded)
{
	struct lw_flood_state *st = bpf_map_lookup_elem(&lw_flood, key);

	*folded = 0;
	if (!st) {
		struct lw_flood_state fresh = {.last_ns = now};
		/* NOEXIST: of two CPUs seeing a new key at once, one emits. */
		if (bpf_map_update_elem(&lw_flood, key, &fresh, BPF_NOEXIST) == 0)
			return 1;
		st = bpf_map_lookup_elem(&lw_flood, key);
		if (!st)
			return 1; /* evicted at once: rather an event too many than none */
	}
	__u64 last = st->last_ns;
	if (now - last < interval || __sync_val_compare_and_swap(&st->last_ns, last, now) != last) {
		__sync_fetch_and_add(&st->suppressed, 1);
		return 0;
	}
	*folded = __sync_lock_test_and_set(&st->suppressed, 0);
	return 1;
}

static __always_inline void lw_report_violation(struct __sk_buff *skb, __u16 slot, int dir,
						const struct lw_pkt *pkt, __u8 cls, __u8 kind,
						__u8 verdict, __u64 interval)
{
	__u32 key = slot;
	struct lw_violation_counters *vc = bpf_map_lookup_elem(&lw_violations, &key);
	__u32 segs = skb->gso_segs ? skb->gso_segs : 1;

	if (!vc)
		return;
	if (dir < LW_NR_DIRS && kind < LW_NR_VIOLATIONS && cls < LW_NR_CLASSES)
		__sync_fetch_and_add(&vc->n[dir][kind][cls], segs);

	struct lw_flood_key fk = {
	    .src_hi = pkt->src_hi,
	    .src_lo = pkt->src_lo,
	    .dst_hi = pkt->dst_hi,
	    .dst_lo = pkt->dst_lo,
	    .ifindex = skb->ifindex,
	    .sport = pkt->sport,
	    .dport = pkt->dport,
	    .kind = kind,
	    .cls = cls,
	    .dir = dir,
	    .l4 = pkt->l4,
	};
	__u64 now = bpf_ktime_get_ns();
	__u64 folded;
	if (!lw_flood_admit(&fk, now, interval, &folded)) {
		__sync_fetch_and_add(&vc->suppressed, 1);
		return;
	}

	struct lw_event *ev = bpf_ringbuf_reserve(&lw_events, sizeof(*ev), 0);
	if (!ev) {
		/*
		 * The folded count goes back to the key, so it is reported with a
		 * later event; this event itself is the one lost.
		 */
		if (folded) {
			struct lw_flood_state *st = bpf_map_lookup_elem(&lw_flood, &fk);
			if (st)
				__sync_fetch_and_add(&st->suppressed, folded);
		}
		__sync_fetch_and_add(&vc->lost, 1);
		return;
	}
	ev->ts_ns = now;
	ev->suppressed = folded;
	ev->src_hi = pkt->src_hi;
	ev->src_lo = pkt->src_lo;
	ev->dst_hi = pkt->dst_hi;
	ev->dst_lo = pkt->dst_lo;
	ev->ifindex = skb->ifindex;
	ev->len = skb->len;
	ev->sport = pkt->sport;
	ev->dport = pkt->dport;
	ev->vlan = pkt->vlan;
	ev->kind = kind;
	ev->cls = cls;
	ev->dir = dir;
	ev->verdict = verdict;
	ev->family = pkt->family;
	ev->l4 = pkt->l4;
	__builtin_memset(ev->pad, 0, sizeof(ev->pad));
	bpf_ringbuf_submit(ev, 0);
	__sync_fetch_and_add(&vc->events, 1);
}

#endif /* LW_EVENTS_BPF_H */
