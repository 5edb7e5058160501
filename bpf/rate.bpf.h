/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * What the datapath does for caps and priority once a packet is classified:
 * police (token bucket), pace (earliest departure time), steer into
 * lanewarden's HTB class (skb->priority) and mark DSCP.
 */
#ifndef LW_RATE_BPF_H
#define LW_RATE_BPF_H

#include <linux/bpf.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>

#include "lanewarden.h"
#include "maps.bpf.h"
#include "parse.bpf.h"

#define LW_NSEC_PER_SEC 1000000000ULL
/*
 * How far into the packet the IP header may start for DSCP marking: 14 bytes
 * of Ethernet and two tags need 22; a constant bound the verifier can see.
 */
#define LW_DSCP_MAX_L3_OFF 64
#define LW_ECN_MASK 0x3 /* the two low bits of TOS / traffic class (RFC 3168) */
#define LW_DSCP_SHIFT 2

static __always_inline struct lw_bucket *lw_bucket_of(__u16 slot, int dir, __u8 cls)
{
	__u32 key = ((__u32)slot * LW_NR_DIRS + (__u32)dir) * LW_NR_CLASSES + cls;

	return bpf_map_lookup_elem(&lw_buckets, &key);
}

/* Time the rate needs to send `len` bytes. */
static __always_inline __u64 lw_cost_ns(const struct lw_class_cfg *cfg, __u32 len)
{
	return cfg->rate ? (__u64)len * LW_NSEC_PER_SEC / cfg->rate : 0;
}

/*
 * Token bucket kept as time credit: it refills by the time that passed and a
 * packet costs the time the rate needs for it, so no fraction of a byte is
 * lost between packets. `now` is read before the lock (no helper may run
 * under it), so another CPU may already have refilled up to a later time:
 * only a clock that moves forward refills, or a stale `now` would wrap
 * around into a huge refill (measured: 83 Mbit/s through a 50 Mbit/s cap).
 */
static __always_inline int lw_police_pass(struct lw_bucket *b, const struct lw_class_cfg *cfg,
					  __u32 len, __u64 now)
{
	__u64 cost = lw_cost_ns(cfg, len);
	int pass;

	bpf_spin_lock(&b->lock);
	if (now > b->last_ns) {
		__u64 credit = b->credit_ns + (now - b->last_ns);
		b->credit_ns = credit > cfg->burst_ns ? cfg->burst_ns : credit;
		b->last_ns = now;
	}
	pass = b->credit_ns >= cost;
	if (pass)
		b->credit_ns -= cost;
	bpf_spin_unlock(&b->lock);
	return pass;
}

/*
 * Earliest departure time: each packet leaves no earlier than the previous
 * one plus its own time at the rate. Returns the departure time, or 0 when it
 * lies beyond the horizon (burst_ns ahead of now) and the packet must drop.
 */
static __always_inline __u64 lw_pace_departure(struct lw_bucket *b, const struct lw_class_cfg *cfg,
					       __u32 len, __u64 now, __u64 tstamp)
{
	__u64 cost = lw_cost_ns(cfg, len);
	__u64 earliest = tstamp > now ? tstamp : now;
	__u64 depart;

	bpf_spin_lock(&b->lock);
	depart = b->last_ns > earliest ? b->last_ns : earliest;
	if (depart - now > cfg->burst_ns) {
		bpf_spin_unlock(&b->lock);
		return 0;
	}
	b->last_ns = depart + cost;
	bpf_spin_unlock(&b->lock);
	return depart;
}

/*
 * What a cap limits: the payload the application sent (what iperf3 and
 * Proxmox's bwlimit measure), headers riding on top. For TCP/UDP/SCTP that
 * is everything behind the transport header (SCTP: its common header); a GSO packet holds its
 * headers once, so the same subtraction gives the payload of all its segments. For other IP packets
 * (ICMP, later fragments, unparsed transports) it is the L3 payload: behind the IPv4 header (ihl)
 * or the 40-byte IPv6 header. Anything else is charged from its L3 offset on. A packet without
 * payload (a pure ACK) costs nothing.
 */
static __always_inline __u32 lw_payload_len(struct __sk_buff *skb, const struct lw_pkt *pkt)
{
	__u32 len = skb->len;
	__u32 hdr = pkt->hdr_len;

	if (!hdr) {
		hdr = pkt->l3_off;
		if (pkt->family == 6) {
			hdr += sizeof(struct ipv6hdr);
		} else if (pkt->family == 4) {
			__u8 vihl = 0;
			if (bpf_skb_load_bytes(skb, pkt->l3_off, &vihl, 1) == 0)
				hdr += (vihl & 0xF) * 4; /* ihl: 32-bit words */
		}
	}
	return len > hdr ? len - hdr : 0;
}

/* Is the packet over its class's rate? Sets skb->tstamp when pacing. */
static __always_inline int lw_over_rate(struct __sk_buff *skb, const struct lw_class_cfg *cfg,
					const struct lw_pkt *pkt, __u16 slot, int dir, __u8 cls)
{
	if (!(cfg->flags & (LW_CLASS_F_POLICE | LW_CLASS_F_PACE)) || !cfg->rate ||
	    slot == LW_IFACE_SLOT_UNKNOWN)
		return 0;
	struct lw_bucket *b = lw_bucket_of(slot, dir, cls);
	if (!b)
		return 0;
	__u64 now = bpf_ktime_get_ns();
	if (cfg->flags & LW_CLASS_F_POLICE)
		return !lw_police_pass(b, cfg, lw_payload_len(skb, pkt), now);
	if (dir != LW_DIR_EGRESS)
		return 0;
	__u64 depart = lw_pace_departure(b, cfg, lw_payload_len(skb, pkt), now, skb->tstamp);
	if (!depart)
		return 1;
	skb->tstamp = depart;
	return 0;
}

/* DSCP sits in the upper six bits of the IPv4 TOS / IPv6 traffic class. */
static __always_inline void lw_mark_dscp(struct __sk_buff *skb, const struct lw_pkt *pkt, __u8 dscp)
{
	void *data = (void *)(long)skb->data;
	void *end = (void *)(long)skb->data_end;
	__u32 off = pkt->l3_off;

	if (off > LW_DSCP_MAX_L3_OFF)
		return;
	if (pkt->family == 4) {
		struct iphdr *ip = data + off;
		if ((void *)(ip + 1) > end)
			return;
		__u8 tos = (__u8)((dscp << LW_DSCP_SHIFT) | (ip->tos & LW_ECN_MASK));
		if (tos == ip->tos)
			return;
		/* The checksum covers the 16-bit word holding version/ihl and TOS. */
		__be16 old_word = *(__be16 *)ip;
		__be16 new_word = bpf_htons((bpf_ntohs(old_word) & 0xFF00) | tos);
		bpf_l3_csum_replace(skb, off + offsetof(struct iphdr, check), old_word, new_word,
				    2);
		bpf_skb_store_bytes(skb, off + 1, &tos, 1, 0);
	} else if (pkt->family == 6) {
		__u8 *b = data + off;
		if ((void *)(b + 2) > end)
			return;
		/*
		 * version(4) | traffic class(8) | flow label(20); no IPv6 header
		 * checksum. DSCP's upper four bits end byte 0, its lower two start
		 * byte 1, above ECN and the flow label's top nibble.
		 */
		__u8 hi = (__u8)((b[0] & 0xF0) | (dscp >> 2));
		__u8 lo = (__u8)(((dscp & 0x3) << 6) | (b[1] & 0x3F));
		__u8 bytes[2] = {hi, lo};
		bpf_skb_store_bytes(skb, off, bytes, 2, 0);
	}
}

/* Egress: steer into lanewarden's HTB class, mark DSCP. Packet data may move. */
static __always_inline void lw_steer(struct __sk_buff *skb, const struct lw_class_cfg *cfg,
				     const struct lw_pkt *pkt, int shaped)
{
	if (shaped && cfg->skb_priority)
		skb->priority = cfg->skb_priority;
	if (cfg->flags & LW_CLASS_F_DSCP)
		lw_mark_dscp(skb, pkt, cfg->dscp);
}

#endif /* LW_RATE_BPF_H */
