/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Passive round-trip times, recorded into the histograms of hist.bpf.h.
 *
 * TCP (RFC 7323 timestamps, as pping does it): an egress segment's TSval is
 * remembered with the time it left, unless that TSval of that flow is already
 * being timed (a retransmission or another segment of the same clock tick
 * keeps the first start). The first ingress segment of the reverse flow whose
 * TSecr echoes it yields one sample and removes the start, so later segments
 * echoing the same TSval (duplicate ACKs) yield none. A delayed ACK adds its
 * delay to the sample: that is what the sender experiences.
 *
 * ICMP/ICMPv6 echo: an egress request is remembered by (addresses, identifier,
 * sequence); the ingress reply of the reverse pair yields the sample.
 *
 * Starts live in LRU maps, so unanswered ones are evicted rather than filling
 * them, and a start older than LW_RTT_MAX_AGE_NS never yields a sample.
 */
#ifndef LW_RTT_BPF_H
#define LW_RTT_BPF_H

#include <asm-generic/errno-base.h>

#include "parse.bpf.h"
#include "hist.bpf.h"

#define LW_TCPOPT_EOL 0
#define LW_TCPOPT_NOP 1
#define LW_TCPOPT_TIMESTAMP 8
#define LW_TCPOLEN_TIMESTAMP 10
/*
 * NOP, NOP, timestamp kind and length as one big-endian word: the layout
 * Linux (and RFC 7323 Appendix A) puts first on every segment after the
 * handshake, 12 bytes with the two values.
 */
#define LW_TCPOPT_NOP_NOP_TS 0x0101080A
#define LW_TCPOLEN_NOP_NOP_TS 12
#define LW_TCP_OPTS_MAX 40 /* bytes of options at most (doff 15): also the most iterations */
/* Offsets of TSval and TSecr in NOP NOP TS, and in a timestamp option (kind, len, TSval, TSecr). */
#define LW_NOP_NOP_TS_TSVAL_OFF 4
#define LW_NOP_NOP_TS_TSECR_OFF 8
#define LW_TS_TSVAL_OFF 2
#define LW_TS_TSECR_OFF 6
/*
 * The copy of the option list: 64 bytes, so an index masked with
 * LW_OPT_BUF_MASK stays inside whatever the verifier thinks it is.
 */
#define LW_OPT_BUF_SIZE 64
#define LW_OPT_BUF_MASK (LW_OPT_BUF_SIZE - 1)
/* The last offset a whole timestamp option fits at; masking with 0x1F keeps its reads below 64. */
#define LW_TS_LAST_OFF (LW_TCP_OPTS_MAX - LW_TCPOLEN_TIMESTAMP)
#define LW_TS_OFF_MASK 0x1F
/*
 * Headers in front of L4 that RTT tracking still reads through: the verifier
 * needs a packet offset well below 64 KiB, and only IPv6 extension chains go
 * beyond a few hundred bytes.
 */
#define LW_RTT_MAX_L4_OFF 1024

enum lw_ts_result {
	LW_TS_NONE = 0, /* no timestamp option: nothing to time */
	LW_TS_FOUND = 1,
	LW_TS_BAD = 2, /* malformed or cut option list: counted, nothing timed */
};

/* Why a timed packet yielded no sample: one field of struct lw_rtt_stats each. */
enum lw_rtt_miss {
	LW_RTT_MISS_BAD_OPTIONS,
	LW_RTT_MISS_EXPIRED,
	LW_RTT_MISS_ARM_FAILED,
};

static __always_inline void lw_rtt_count(enum lw_rtt_miss why)
{
	__u32 zero = 0;
	struct lw_rtt_stats *s = bpf_map_lookup_elem(&lw_rtt_stats, &zero);

	if (!s)
		return;
	if (why == LW_RTT_MISS_BAD_OPTIONS)
		s->bad_options++;
	else if (why == LW_RTT_MISS_EXPIRED)
		s->expired++;
	else
		s->arm_failed++;
}

struct lw_tcp_ts {
	__u32 tsval;
	__u32 tsecr;
};

/* State of one walk over a copy of the option list (bpf_loop context). */
struct lw_opt_walk {
	__u8 buf[LW_OPT_BUF_SIZE]; /* the options; LW_TCP_OPTS_MAX bytes at most */
	__u32 len;		   /* bytes of options */
	__u32 off;		   /* next option */
	struct lw_tcp_ts ts;
	int result; /* enum lw_ts_result */
};

/*
 * One option per call. bpf_loop() has the verifier check this callback on its
 * own, once: a plain loop over a variable-length list multiplies its paths per
 * iteration, and the program is close to the verifier's budget already.
 */
static long lw_opt_step(__u32 i, void *ctx)
{
	struct lw_opt_walk *w = ctx;
	__u32 off = w->off;

	if (off >= w->len || off >= LW_TCP_OPTS_MAX)
		return 1; /* result stays LW_TS_NONE */
	off &= LW_OPT_BUF_MASK;
	__u8 kind = w->buf[off];
	if (kind == LW_TCPOPT_EOL)
		return 1;
	if (kind == LW_TCPOPT_NOP) {
		w->off = off + 1;
		return 0;
	}
	__u32 len = off + 1 < w->len ? w->buf[(off + 1) & LW_OPT_BUF_MASK] : 0;
	if (len < 2 || off + len > w->len) {
		w->result = LW_TS_BAD;
		return 1;
	}
	if (kind == LW_TCPOPT_TIMESTAMP) {
		if (len != LW_TCPOLEN_TIMESTAMP) {
			w->result = LW_TS_BAD;
			return 1;
		}
		/* off + 10 <= len <= 40: indexes below stay under 64 after masking */
		__u8 *p = &w->buf[off & LW_TS_OFF_MASK];
		if (off > LW_TS_LAST_OFF) {
			w->result = LW_TS_BAD;
			return 1;
		}
		const __u8 *v = p + LW_TS_TSVAL_OFF, *e = p + LW_TS_TSECR_OFF;
		w->ts.tsval = ((__u32)v[0] << 24) | ((__u32)v[1] << 16) | ((__u32)v[2] << 8) | v[3];
		w->ts.tsecr = ((__u32)e[0] << 24) | ((__u32)e[1] << 16) | ((__u32)e[2] << 8) | e[3];
		w->result = LW_TS_FOUND;
		return 1;
	}
	w->off = off + len;
	return 0;
}

/* Walks a TCP option list of `opt_len` bytes at `opt_off` option by option. */
static __always_inline int lw_tcp_ts_walk(struct __sk_buff *skb, __u32 opt_off, __u32 opt_len,
					  struct lw_tcp_ts *ts)
{
	struct lw_opt_walk w = {.len = opt_len, .result = LW_TS_NONE};

	if (opt_len == 0 || opt_len > LW_TCP_OPTS_MAX)
		return LW_TS_NONE;
	/* doff promised more options than the packet holds: a cut header */
	if (bpf_skb_load_bytes(skb, opt_off, w.buf, opt_len & LW_OPT_BUF_MASK) != 0)
		return LW_TS_BAD;
	bpf_loop(LW_TCP_OPTS_MAX, lw_opt_step, &w, 0);
	if (w.result == LW_TS_FOUND)
		*ts = w.ts;
	return w.result;
}

/*
 * Finds the timestamp option of the TCP header at `th` (offset `off`). Linux
 * (and RFC 7323 Appendix A) puts NOP NOP TS first on every segment after the
 * handshake, so that layout is checked inline; anything else is walked.
 */
static __always_inline int lw_tcp_timestamps(struct __sk_buff *skb, const struct tcphdr *th,
					     __u32 off, void *data_end, struct lw_tcp_ts *ts)
{
	__u32 opt_len = (__u32)th->doff * 4;

	if (opt_len <= sizeof(*th))
		return LW_TS_NONE;
	opt_len -= sizeof(*th);
	__u8 *opt = (__u8 *)(th + 1);

	if (opt_len >= LW_TCPOLEN_NOP_NOP_TS && (void *)(opt + LW_TCPOLEN_NOP_NOP_TS) <= data_end &&
	    *(__u32 *)opt == bpf_htonl(LW_TCPOPT_NOP_NOP_TS)) {
		ts->tsval = bpf_ntohl(*(__u32 *)(opt + LW_NOP_NOP_TS_TSVAL_OFF));
		ts->tsecr = bpf_ntohl(*(__u32 *)(opt + LW_NOP_NOP_TS_TSECR_OFF));
		return LW_TS_FOUND;
	}
	return lw_tcp_ts_walk(skb, off + sizeof(*th), opt_len, ts);
}

/* The key of this packet's flow from the node's side: egress src is local. */
static __always_inline void lw_rtt_make_key(struct lw_rtt_key *k, const struct lw_pkt *pkt, int dir,
					    __u16 sport, __u16 dport, __u32 stamp)
{
	if (dir == LW_DIR_EGRESS) {
		k->local_hi = pkt->src_hi;
		k->local_lo = pkt->src_lo;
		k->remote_hi = pkt->dst_hi;
		k->remote_lo = pkt->dst_lo;
		k->local_port = sport;
		k->remote_port = dport;
	} else {
		k->local_hi = pkt->dst_hi;
		k->local_lo = pkt->dst_lo;
		k->remote_hi = pkt->src_hi;
		k->remote_lo = pkt->src_lo;
		k->local_port = dport;
		k->remote_port = sport;
	}
	k->stamp = stamp;
}

/* Egress: time this key unless it is already being timed. */
static __always_inline void lw_rtt_arm(void *map, const struct lw_rtt_key *k, __u16 slot, __u8 cls)
{
	/*
	 * Look before inserting: an LRU update takes a free node (and may evict)
	 * before it finds out the key exists, and most segments repeat a TSval.
	 */
	if (bpf_map_lookup_elem(map, k))
		return;
	struct lw_rtt_start s = {.ts_ns = bpf_ktime_get_ns(), .slot = slot, .cls = cls};
	long err = bpf_map_update_elem(map, k, &s, BPF_NOEXIST);
	if (err && err != -EEXIST) /* EEXIST: another CPU armed it first */
		lw_rtt_count(LW_RTT_MISS_ARM_FAILED);
}

/* Ingress: the echo of a timed key yields one sample, at most once. */
static __always_inline void lw_rtt_match(void *map, const struct lw_rtt_key *k)
{
	struct lw_rtt_start *s = bpf_map_lookup_elem(map, k);

	if (!s)
		return;
	__u64 now = bpf_ktime_get_ns();
	__u64 start = s->ts_ns;
	__u16 slot = s->slot;
	__u8 cls = s->cls;
	/* Whoever deletes the start owns the sample: two CPUs never both record it. */
	if (bpf_map_delete_elem(map, k) != 0)
		return;
	if (now < start || now - start > LW_RTT_MAX_AGE_NS) {
		lw_rtt_count(LW_RTT_MISS_EXPIRED);
		return;
	}
	lw_hist_record(slot, cls, now - start);
}

static __always_inline void lw_rtt_on_tcp(struct __sk_buff *skb, const struct lw_pkt *pkt, int dir,
					  __u16 slot, __u8 cls)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	__u32 off = pkt->l4_off;

	if (off > LW_RTT_MAX_L4_OFF)
		return;
	const struct tcphdr *th = data + off;
	if ((void *)(th + 1) > data_end)
		return;
	struct lw_tcp_ts ts = {};
	int r = lw_tcp_timestamps(skb, th, off, data_end, &ts);
	if (r != LW_TS_FOUND) {
		if (r == LW_TS_BAD)
			lw_rtt_count(LW_RTT_MISS_BAD_OPTIONS);
		return;
	}
	/*
	 * Same flow and timestamp as the last segment this CPU saw in this
	 * direction: that one was armed or matched already, so this one could
	 * only find the start taken (egress) or gone (ingress). A fingerprint
	 * collision skips one segment: at worst one sample fewer.
	 */
	/* TSecr is only meaningful on ACKs (RFC 7323 3.2); 0 echoes nothing. */
	if (dir == LW_DIR_INGRESS && (!th->ack || !ts.tsecr))
		return;
	__u32 stamp = dir == LW_DIR_EGRESS ? ts.tsval : ts.tsecr;
	__u64 fp = ((__u64)stamp << 32 | ((__u32)pkt->sport << 16 | pkt->dport)) ^ pkt->src_lo ^
		   (pkt->dst_lo << 17) ^ pkt->src_hi ^ (pkt->dst_hi << 7);
	__u32 zero = 0;
	struct lw_rtt_recent *recent = bpf_map_lookup_elem(&lw_rtt_recent, &zero);
	if (!recent)
		return;
	__u64 *last = &recent->last[dir & 1];
	if (*last == fp)
		return;
	*last = fp;

	struct lw_rtt_key k = {};
	if (dir == LW_DIR_EGRESS) {
		lw_rtt_make_key(&k, pkt, dir, pkt->sport, pkt->dport, ts.tsval);
		lw_rtt_arm(&lw_rtt_tcp, &k, slot, cls);
	} else {
		lw_rtt_make_key(&k, pkt, dir, pkt->sport, pkt->dport, ts.tsecr);
		lw_rtt_match(&lw_rtt_tcp, &k);
	}
}

static __always_inline void lw_rtt_on_echo(struct __sk_buff *skb, const struct lw_pkt *pkt, int dir,
					   __u16 slot, __u8 cls)
{
	int v4 = pkt->l4 == IPPROTO_ICMP;
	__u8 request = v4 ? ICMP_ECHO : ICMPV6_ECHO_REQUEST;
	__u8 reply = v4 ? ICMP_ECHOREPLY : ICMPV6_ECHO_REPLY;
	__u8 want = dir == LW_DIR_EGRESS ? request : reply;

	if (pkt->icmp_type != want || pkt->icmp_code != 0)
		return;
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	__u32 off = pkt->l4_off;
	if (off > LW_RTT_MAX_L4_OFF)
		return;
	__u8 *ic = data + off;
	if ((void *)(ic + LW_ICMP_HDR_LEN) > data_end)
		return;
	__u16 id = ((__u16)ic[LW_ICMP_ECHO_ID_OFF] << 8) | ic[LW_ICMP_ECHO_ID_OFF + 1];
	__u16 seq = ((__u16)ic[LW_ICMP_ECHO_SEQ_OFF] << 8) | ic[LW_ICMP_ECHO_SEQ_OFF + 1];
	struct lw_rtt_key k = {};
	/* The identifier stands in for the local port; the remote one stays 0. */
	if (dir == LW_DIR_EGRESS) {
		lw_rtt_make_key(&k, pkt, dir, id, 0, seq);
		lw_rtt_arm(&lw_rtt_echo, &k, slot, cls);
	} else {
		lw_rtt_make_key(&k, pkt, dir, 0, id, seq);
		lw_rtt_match(&lw_rtt_echo, &k);
	}
}

/*
 * Called for every packet that passes; most return after a few compares. A
 * global function, verified once on its own: inlined, its paths would
 * multiply with those of the classifier and push the program past the
 * verifier's budget. The cost is one BPF-to-BPF call per packet.
 */
__noinline int lw_rtt_observe(struct __sk_buff *skb, const struct lw_pkt *pkt, __u32 dir,
			      __u32 slot, __u32 cls)
{
	if (!skb || !pkt)
		return 0;
	if (pkt->l4 == IPPROTO_TCP) {
		if (pkt->has_ports)
			lw_rtt_on_tcp(skb, pkt, dir, slot, cls);
	} else if (pkt->has_icmp && (pkt->l4 == IPPROTO_ICMP || pkt->l4 == IPPROTO_ICMPV6)) {
		lw_rtt_on_echo(skb, pkt, dir, slot, cls);
	}
	return 0;
}

#endif /* LW_RTT_BPF_H */
