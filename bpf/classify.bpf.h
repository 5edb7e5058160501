/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Classification and lane lookup against one struct lw_policy. All lookups
 * are fixed-step binary searches over sorted, padded tables inside the policy
 * value: no helper calls and O(log n) in the number of networks, interfaces
 * and lanes. Ports index a direct table.
 */
#ifndef LW_CLASSIFY_BPF_H
#define LW_CLASSIFY_BPF_H

#include "bounds.bpf.h"
#include "parse.bpf.h"

/*
 * Each search finds the last entry whose key is <= the key looked up. It
 * starts at the policy's first step (sized to the used part of the table);
 * entries past the used part are padded with the largest key.
 *
 * What the probes cost (bench, best of rounds): 64-bit index and step and
 * no separate iteration counter (a u8 step halves to 0 in at most 8 rounds,
 * which the verifier sees) take a loop round from ~22 to ~12 instructions.
 * Branchless probes (comparisons turned into masks) were tried and lost:
 * they chain every probe's load to the next, where predicted branches let
 * the CPU run ahead (IPv6: +10 ns). The two IPv4 addresses share one loop,
 * and so do the two IPv6 ones when the policy's boundaries all sit on /64
 * (64-bit compares); with 128-bit compares they cannot, the branches
 * multiply the verifier's states past its limit.
 */
/*
 * One loop searching two addresses `a` and `b` in the sorted table
 * p->`table`, comparing each entry's `field` with them; the classes of the
 * range each lands in go to *ca and *cb. The IPv4 and the /64 IPv6 search
 * are the same loop over different tables and key widths.
 */
#define LW_DEFINE_PAIR_SEARCH(name, key_t, table, field, step_field)                               \
	static __always_inline void name(const struct lw_policy *p, key_t a, key_t b, __u32 *ca,   \
					 __u32 *cb)                                                \
	{                                                                                          \
		__u64 ia = 0, ib = 0, step = p->step_field;                                        \
                                                                                                   \
		for (; step; step >>= 1) { /* at most 8 halvings of a u8 */                        \
			__u64 pa = (ia + step) & (LW_MAX_RANGES - 1);                              \
			__u64 pb = (ib + step) & (LW_MAX_RANGES - 1);                              \
			if (p->table[pa].field <= a)                                               \
				ia = pa;                                                           \
			if (p->table[pb].field <= b)                                               \
				ib = pb;                                                           \
		}                                                                                  \
		*ca = p->table[ia & (LW_MAX_RANGES - 1)].classes;                                  \
		*cb = p->table[ib & (LW_MAX_RANGES - 1)].classes;                                  \
	}

/* Classes whose networks contain each of two v4 addresses (host order). */
LW_DEFINE_PAIR_SEARCH(lw_v4_classes, __u32, v4, start, v4_step)

/*
 * Classes of two v6 addresses when every range starts on a /64 boundary
 * (p->v6_hi_only): start <= address then reduces to start_hi <= hi, so the
 * two searches share one loop of 64-bit compares like IPv4's. Padding starts
 * at all-ones, and a probe that lands on it still reads the last range's
 * classes.
 */
LW_DEFINE_PAIR_SEARCH(lw_v6_hi_classes, __u64, v6, start_hi, v6_step)

static __always_inline int lw_v6_le(const struct lw_v6_range *r, __u64 hi, __u64 lo)
{
	return r->start_hi < hi || (r->start_hi == hi && r->start_lo <= lo);
}

/*
 * One address per loop: interleaving two searches with branching 128-bit
 * compares multiplies the verifier's states past its limit.
 */
static __always_inline __u32 lw_v6_classes(const struct lw_policy *p, __u64 hi, __u64 lo)
{
	__u64 idx = 0, step = p->v6_step;

	for (; step; step >>= 1) { /* at most 8 halvings of a u8 */
		__u64 probe = (idx + step) & (LW_MAX_RANGES - 1);
		if (lw_v6_le(&p->v6[probe], hi, lo))
			idx = probe;
	}
	return p->v6[idx & (LW_MAX_RANGES - 1)].classes;
}

static __always_inline int lw_is_icmp_echo(const struct lw_pkt *pkt)
{
	if (pkt->l4 == IPPROTO_ICMP)
		return pkt->icmp_type == ICMP_ECHO || pkt->icmp_type == ICMP_ECHOREPLY;
	return pkt->icmp_type == ICMPV6_ECHO_REQUEST || pkt->icmp_type == ICMPV6_ECHO_REPLY;
}

/* ICMP errors and IPv6 neighbour discovery/MLD keep the network working: infra. */
static __always_inline int lw_is_icmp_infra(const struct lw_pkt *pkt)
{
	__u8 t = pkt->icmp_type;

	if (pkt->l4 == IPPROTO_ICMP)
		return t == ICMP_DEST_UNREACH || t == ICMP_TIME_EXCEEDED ||
		       t == ICMP_PARAMETERPROB || t == ICMP_SOURCE_QUENCH || t == ICMP_REDIRECT;
	/* Errors (types 0-127), MLD (130-132, 143), then RS, RA, NS, NA, redirect (133-137). */
	return !(t & ICMPV6_INFOMSG_MASK) ||
	       (t >= ICMPV6_MGM_QUERY && t <= LW_ICMPV6_ND_REDIRECT) || t == ICMPV6_MLD2_REPORT;
}

/* ICMP "fragmentation needed" / ICMPv6 "packet too big": an MTU problem on the path. */
static __always_inline int lw_is_icmp_mtu(const struct lw_pkt *pkt)
{
	if (!pkt->has_icmp)
		return 0;
	if (pkt->l4 == IPPROTO_ICMP)
		return pkt->icmp_type == ICMP_DEST_UNREACH && pkt->icmp_code == ICMP_FRAG_NEEDED;
	if (pkt->l4 == IPPROTO_ICMPV6)
		return pkt->icmp_type == ICMPV6_PKT_TOOBIG;
	return 0;
}

/*
 * Classes of the SCTP ports: a scan of the policy's few ranges (knet's
 * ports), only ever run for SCTP packets.
 */
static __always_inline __u32 lw_sctp_classes(const struct lw_policy *p, __u16 sport, __u16 dport)
{
	__u32 cand = 0;

	for (__u32 i = 0; i < LW_MAX_SCTP_PORT_RANGES; i++) {
		if (i >= p->n_sctp_port_ranges)
			break;
		const struct lw_port_range *r = &p->sctp_ports[i];
		if ((r->first <= sport && sport <= r->last) ||
		    (r->first <= dport && dport <= r->last))
			cand |= r->classes;
	}
	return cand;
}

static __always_inline int lw_service_has(const struct lw_service *s, __u64 hi, __u64 lo)
{
	return (hi & s->mask_hi) == s->addr_hi && (lo & s->mask_lo) == s->addr_lo;
}

/*
 * Classes of the one-ended services (struct lw_service) the packet belongs
 * to: the end that has the service's port must have its address too.
 */
static __always_inline __u32 lw_service_classes(const struct lw_policy *p, const struct lw_pkt *pkt)
{
	__u32 found = 0;

	for (__u32 i = 0; i < LW_MAX_SERVICES; i++) {
		if (i >= p->n_services)
			break;
		const struct lw_service *s = &p->services[i];
		if (s->l4 != pkt->l4 || s->family != pkt->family)
			continue;
		if ((s->port == pkt->sport && lw_service_has(s, pkt->src_hi, pkt->src_lo)) ||
		    (s->port == pkt->dport && lw_service_has(s, pkt->dst_hi, pkt->dst_lo)))
			found |= LW_CLASS_BIT(s->cls & (LW_NR_CLASSES - 1));
	}
	return found;
}

static __always_inline __u8 lw_classify(const struct lw_policy *p, const struct lw_pkt *pkt)
{
	if (pkt->infra)
		return LW_CLASS_INFRA;
	if (!pkt->family)
		return LW_CLASS_OTHER;

	__u32 cand;
	switch (pkt->l4) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		if (pkt->has_ports) {
			const __u8 *ports = pkt->l4 == IPPROTO_TCP ? p->tcp_ports : p->udp_ports;
			cand = ports[lw_index_mask(pkt->sport, LW_NR_PORTS - 1)] |
			       ports[lw_index_mask(pkt->dport, LW_NR_PORTS - 1)];
		} else {
			/* Non-first fragment or truncated header: attribute by addresses. */
			cand = pkt->l4 == IPPROTO_TCP ? p->tcp_classes : p->udp_classes;
		}
		break;
	case IPPROTO_SCTP:
		/* As TCP/UDP: without ports, every class that uses SCTP is a candidate. */
		cand =
		    pkt->has_ports ? lw_sctp_classes(p, pkt->sport, pkt->dport) : p->sctp_classes;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if ((pkt->l4 == IPPROTO_ICMP) != (pkt->family == 4))
			return LW_CLASS_OTHER; /* ICMPv6 inside IPv4 or the reverse */
		/*
		 * Only a header that was read has a type: a cut or unparsed one
		 * (non-first fragment, cut behind a first fragment or a broken IPv4
		 * header) would read as type 0, an echo reply or an ICMPv6 error,
		 * and pass as probe or infra. Like TCP and UDP without ports, it is
		 * attributed by its addresses: only Corosync owns ICMP (its probes),
		 * so fragmented pings between link addresses stay Corosync.
		 */
		if (!pkt->has_icmp) {
			cand = LW_CLASS_BIT(LW_CLASS_COROSYNC);
			break;
		}
		if (lw_is_icmp_infra(pkt))
			return LW_CLASS_INFRA;
		/* Echo between Corosync link addresses: knet's and lanewarden's probes. */
		cand = lw_is_icmp_echo(pkt) ? LW_CLASS_BIT(LW_CLASS_COROSYNC) : 0;
		break;
	default:
		return LW_CLASS_OTHER;
	}
	/* One-ended services need their port on the end that has their address. */
	__u32 one_ended = 0;
	if (p->n_services && pkt->has_ports)
		one_ended = lw_service_classes(p, pkt);
	cand |= one_ended;
	/* Ports come first: most guest traffic matches no class and needs no address lookup. */
	if (!cand)
		return LW_CLASS_OTHER;
	__u32 src, dst;
	if (pkt->family == 4)
		lw_v4_classes(p, (__u32)pkt->src_lo, (__u32)pkt->dst_lo, &src, &dst);
	else if (p->v6_hi_only)
		lw_v6_hi_classes(p, pkt->src_hi, pkt->dst_hi, &src, &dst);
	else {
		/* A boundary inside a /64 (a /65 or longer network): full 128-bit compares. */
		src = lw_v6_classes(p, pkt->src_hi, pkt->src_lo);
		dst = lw_v6_classes(p, pkt->dst_hi, pkt->dst_lo);
	}
	/*
	 * Corosync needs both ends in a link network; other classes one end; a
	 * one-ended service matched on its own.
	 */
	__u32 any = (src | dst) & ~LW_CLASS_BIT(LW_CLASS_COROSYNC);
	__u32 both = (src & dst) | any;

	/*
	 * The mask goes through lw_index_mask: clang 19 (trixie) knows
	 * one_ended is a union of class bits, below 256, and masks only the
	 * other half, but the verifier has no bound for a value or-ed in a loop.
	 */
	return p->pick[lw_index_mask((cand & both) | one_ended, sizeof(p->pick) - 1)];
}

/* The lane a packet travels on: the VLAN's own lane, else the interface's. */
struct lw_lane_view {
	__u16 slot;
	__u8 allowed;
	__u8 flags;
	__u8 shaped; /* the interface has lanewarden's HTB: steer with skb->priority */
};

static __always_inline int lw_find_lane(const struct lw_policy *p, __u32 ifindex, __u32 vlan,
					struct lw_lane_view *lane)
{
	if (!p || !lane)
		return 0;
	__u64 idx = 0, step = p->iface_step;

	for (; step; step >>= 1) { /* at most 8 halvings of a u8 */
		__u64 probe = (idx + step) & (LW_MAX_IFACES - 1);
		if (p->ifaces[probe].ifindex <= ifindex)
			idx = probe;
	}
	const struct lw_iface *ifc = &p->ifaces[idx & (LW_MAX_IFACES - 1)];
	if (ifc->ifindex != ifindex) {
		lane->slot = LW_IFACE_SLOT_UNKNOWN;
		lane->allowed = 0;
		lane->flags = 0;
		lane->shaped = 0;
		return 0;
	}
	lane->slot = ifc->slot;
	lane->allowed = ifc->lane_allowed;
	lane->flags = ifc->lane_flags & ~LW_IFACE_SHAPED;
	lane->shaped = (ifc->lane_flags & LW_IFACE_SHAPED) != 0;
	if (!vlan || !p->n_vlan_lanes)
		return 1;

	__u64 key = ((__u64)ifindex << 16) | vlan;
	idx = 0;
	step = p->vlan_step;
	for (; step; step >>= 1) {
		__u64 probe = (idx + step) & (LW_MAX_VLAN_LANES - 1);
		if (p->vlan_lanes[probe].key <= key)
			idx = probe;
	}
	const struct lw_vlan_lane *vl = &p->vlan_lanes[idx & (LW_MAX_VLAN_LANES - 1)];
	if (vl->key == key) {
		lane->allowed = vl->allowed;
		lane->flags = vl->flags;
	}
	return 1;
}

/* Does class `cls` break the lane rules here? */
static __always_inline __u8 lw_lane_violation(const struct lw_policy *p, __u8 cls,
					      const struct lw_lane_view *lane)
{
	__u8 bit = LW_CLASS_BIT(cls);

	if (cls == LW_CLASS_INFRA || (lane->allowed & bit))
		return LW_VIOL_NONE;
	if (lane->flags & LW_LANE_EXCLUSIVE)
		return LW_VIOL_INTRUDER;
	if (p->constrained & bit)
		return LW_VIOL_WRONG_LANE;
	return LW_VIOL_NONE;
}

/*
 * A fragment on a lane that must never see one: on a jumbo-frame storage
 * lane, fragments mean some hop has a smaller MTU. infra is exempt.
 */
static __always_inline __u8 lw_fragment_violation(const struct lw_pkt *pkt, __u8 cls,
						  const struct lw_lane_view *lane)
{
	if (pkt->frag != LW_FRAG_NONE && (lane->flags & LW_LANE_NO_FRAGMENTS) &&
	    cls != LW_CLASS_INFRA)
		return LW_VIOL_FRAGMENT;
	return LW_VIOL_NONE;
}

#endif /* LW_CLASSIFY_BPF_H */
