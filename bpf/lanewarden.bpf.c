// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * lanewarden tc programs: one for clsact ingress, one for egress, sharing the
 * parser, the classifier and a single exit path that turns a decision into a
 * verdict, counters and, for violations only, a rate-limited event.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

#include "lanewarden.h"
#include "maps.bpf.h"
#include "parse.bpf.h"
#include "classify.bpf.h"
#include "rate.bpf.h"
#include "events.bpf.h"
#include "rtt.bpf.h"

const volatile struct lw_rodata lw_cfg = {};

struct lw_decision {
	__u8 cls;
	__u8 verdict;
	__u8 violation;
};

static __always_inline void lw_count(struct __sk_buff *skb, __u16 slot, int dir,
				     const struct lw_decision *d, __u8 reason)
{
	__u32 key = slot;
	struct lw_iface_counters *ic = bpf_map_lookup_elem(&lw_counters, &key);
	/* GSO packets carry several wire packets: count what the wire sees. */
	__u32 segs = skb->gso_segs ? skb->gso_segs : 1;

	if (!ic)
		return;
	/*
	 * The indexes go through bounds.bpf.h after the checks: clang 19 reloads
	 * a checked value from the stack, and Linux 6.1 keeps no bound on that
	 * copy ("R3 max value is outside of the allowed memory range").
	 */
	if (d->cls < LW_NR_CLASSES && d->verdict < LW_NR_VERDICTS) {
		struct lw_counter *c = &ic->c[dir][lw_index_mask(d->cls, LW_NR_CLASSES - 1)]
					     [lw_index_clamp(d->verdict, LW_NR_VERDICTS)];
		c->packets += segs;
		c->bytes += skb->len;
	}
	if (reason < LW_NR_PARSE_REASONS)
		ic->parse[dir][lw_index_clamp(reason, LW_NR_PARSE_REASONS)] += segs;
}

static __always_inline int lw_handle(struct __sk_buff *skb, int dir)
{
	__u32 zero = 0;
	void *inner = bpf_map_lookup_elem(&lw_policy_outer, &zero);
	if (!inner)
		return TC_ACT_UNSPEC; /* no policy loaded yet: stay out of the way */
	const struct lw_policy *p = bpf_map_lookup_elem(inner, &zero);
	if (!p)
		return TC_ACT_UNSPEC;

	struct lw_pkt pkt = {};
	__u16 tci_vlan = skb->vlan_present ? (skb->vlan_tci & LW_VLAN_VID_MASK) : 0;
	lw_parse_packet((void *)(long)skb->data, (void *)(long)skb->data_end, tci_vlan, &pkt);

	/*
	 * Classify before the lane lookup: the address searches then run
	 * without the lane's fields live and clang spills less (bench: 1-2 ns
	 * less on every representative packet).
	 */
	struct lw_decision d = {.verdict = LW_VERDICT_PASS};
	d.cls = lw_classify(p, &pkt);

	struct lw_lane_view lane;
	lw_find_lane(p, skb->ifindex, pkt.vlan, &lane);
	if (lane.slot != LW_IFACE_SLOT_UNKNOWN) {
		d.violation = lw_lane_violation(p, d.cls, &lane);
		if (d.violation == LW_VIOL_NONE)
			d.violation = lw_fragment_violation(&pkt, d.cls, &lane);
		/* A smaller MTU somewhere on the path: worth an event, never a drop. */
		if (d.violation == LW_VIOL_NONE && dir == LW_DIR_INGRESS && lw_is_icmp_mtu(&pkt))
			d.violation = LW_VIOL_MTU;
	}
	const struct lw_class_cfg *cfg = &p->cls[d.cls & (LW_NR_CLASSES - 1)];
	if (d.violation == LW_VIOL_NONE && lw_over_rate(skb, cfg, &pkt, lane.slot, dir, d.cls))
		d.violation = LW_VIOL_RATE_CAP;
	if (d.violation != LW_VIOL_NONE)
		d.verdict = (d.violation != LW_VIOL_MTU && (p->enforce & LW_CLASS_BIT(d.cls)))
				? LW_VERDICT_DROP
				: LW_VERDICT_AUDIT;

	lw_count(skb, lane.slot, dir, &d, pkt.reason);
	if (d.violation != LW_VIOL_NONE) {
		__u64 interval = lw_cfg.event_interval_ns ? lw_cfg.event_interval_ns
							  : LW_DEFAULT_EVENT_INTERVAL_NS;
		lw_report_violation(skb, lane.slot, dir, &pkt, d.cls, d.violation, d.verdict,
				    interval);
	}
	if (d.verdict == LW_VERDICT_DROP)
		return TC_ACT_SHOT;
	/* Before lw_steer(): it may rewrite the packet and move its data. */
	lw_rtt_observe(skb, &pkt, dir, lane.slot, d.cls);
	if (dir == LW_DIR_EGRESS)
		lw_steer(skb, cfg, &pkt, lane.shaped);
	return TC_ACT_UNSPEC;
}

SEC("tc")
int lw_ingress(struct __sk_buff *skb) { return lw_handle(skb, LW_DIR_INGRESS); }

SEC("tc")
int lw_egress(struct __sk_buff *skb) { return lw_handle(skb, LW_DIR_EGRESS); }

char LICENSE[] SEC("license") = "Dual BSD/GPL";
