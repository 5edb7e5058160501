/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Packet parsing with a bounds-checked cursor (after xdp-tools'
 * parsing_helpers.h, stricter): every parser checks its header fits, validates
 * what it can (version, ihl, doff), advances the cursor and records in
 * struct lw_pkt how far the packet was valid. A parser that fails leaves the
 * fields it could not read zero and sets pkt->reason.
 */
#ifndef LW_PARSE_BPF_H
#define LW_PARSE_BPF_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/icmpv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "lanewarden.h"

#define LW_MAX_VLAN_TAGS 2 /* 802.1ad outer + 802.1Q inner */
#define LW_MAX_IPV6_EXT 6  /* extension headers walked before giving up */

/* linux/icmp.h drags in libc headers that do not build for -target bpf. */
#define ICMP_ECHOREPLY 0
#define ICMP_DEST_UNREACH 3
#define ICMP_SOURCE_QUENCH 4
#define ICMP_REDIRECT 5
#define ICMP_ECHO 8
#define ICMP_TIME_EXCEEDED 11
#define ICMP_PARAMETERPROB 12
#define ICMP_FRAG_NEEDED 4

/* The last neighbour discovery type (RFC 4861: 133-137); uapi names none of them. */
#define LW_ICMPV6_ND_REDIRECT 137

/* type, code, checksum and the 4-byte rest of header (echo identifier, sequence) */
#define LW_ICMP_HDR_LEN 8
#define LW_ICMP_ECHO_ID_OFF 4
#define LW_ICMP_ECHO_SEQ_OFF 6

/*
 * SCTP common header (RFC 9260 3.1): source and destination port, then the
 * verification tag and the CRC32c checksum. uapi's linux/sctp.h defines it
 * but pulls in headers that do not build for -target bpf.
 */
struct lw_sctp_hdr {
	__be16 source;
	__be16 dest;
	__be32 vtag;
	__le32 checksum;
};

#define LW_VLAN_VID_MASK 0x0FFF /* the 12-bit VLAN id of a TCI (PCP 3, DEI 1, VID 12) */

/* IPv4 frag_off in host order: flags(3) | offset(13, 8-byte units) (RFC 791) */
#define LW_IP_MF 0x2000
#define LW_IP_OFFSET_MASK 0x1FFF
/* IPv6 fragment header: offset(13) | reserved(2) | M(1) (RFC 8200 4.5) */
#define LW_IP6_FRAG_OFFSET_MASK 0xFFF8
#define LW_IP6_FRAG_MF 0x0001
#define LW_IP6_FRAG_HDR_LEN 8

#define ETH_P_8021AD_ 0x88A8
#define ETH_P_LLDP_ 0x88CC
#define ETH_P_SLOW_ 0x8809

enum lw_frag {
	LW_FRAG_NONE = 0,
	LW_FRAG_FIRST = 1,
	LW_FRAG_LATER = 2,
};

struct lw_cursor {
	void *pos;
	void *end;
};

/* What the parser learned; addresses and ports in host byte order. */
struct lw_pkt {
	__u64 src_hi, src_lo; /* IPv4 lives in src_lo (low 32 bits) */
	__u64 dst_hi, dst_lo;
	__u16 sport, dport;
	__u16 vlan;  /* outermost VLAN id, 0 when untagged */
	__u8 family; /* 0, 4 or 6 */
	__u8 l4;     /* IPPROTO_*, 0 when unknown */
	__u8 has_ports;
	__u8 frag; /* enum lw_frag */
	__u8 icmp_type, icmp_code;
	__u8 has_icmp; /* icmp_type/code were read: an unread type 0 means nothing */
	__u8 infra;    /* link-layer control traffic (ARP, LLDP, STP, LACP) */
	__u8 reason;   /* enum lw_parse_reason */
	__u8 l3_off;   /* offset of the IP header from the frame start */
	__u16 hdr_len; /* bytes before the TCP/UDP/SCTP payload: replicated per GSO segment */
	__u16 l4_off; /* offset of the TCP/UDP/SCTP/ICMP header, valid when has_ports or has_icmp */
};

static __always_inline int lw_is_vlan_proto(__u16 h_proto)
{
	return h_proto == bpf_htons(ETH_P_8021Q) || h_proto == bpf_htons(ETH_P_8021AD_);
}

/*
 * Reserved link-local group 01:80:C2:00:00:0X carries STP, LACP, LLDP and
 * other bridge control protocols: never a tenant's traffic.
 */
static __always_inline int lw_is_link_local_mac(const unsigned char *d)
{
	return d[0] == 0x01 && d[1] == 0x80 && d[2] == 0xC2 && d[3] == 0x00 && d[4] == 0x00 &&
	       (d[5] & 0xF0) == 0x00;
}

/*
 * Ethernet and up to LW_MAX_VLAN_TAGS tags. Returns 0 and the ethertype
 * (network order) in *proto, or -1 with pkt->reason set. (0 is a valid value
 * of the type/length field, so it cannot also mean "failed".)
 */
static __always_inline int lw_parse_eth(struct lw_cursor *c, struct lw_pkt *pkt, int *link_local,
					__u16 *proto_out)
{
	struct ethhdr *eth = c->pos;

	if ((void *)(eth + 1) > c->end) {
		pkt->reason = LW_PARSE_TRUNC_ETH;
		return -1;
	}
	c->pos = eth + 1;
	*link_local = lw_is_link_local_mac(eth->h_dest);

	/* struct ethhdr is packed: through its member clang loads byte by byte. */
	__u16 proto = *(const __u16 *)((const __u8 *)eth + offsetof(struct ethhdr, h_proto));

#pragma unroll
	for (int i = 0; i < LW_MAX_VLAN_TAGS; i++) {
		if (!lw_is_vlan_proto(proto))
			break;
		struct lw_vlan_hdr {
			__be16 tci;
			__be16 proto;
		} *vh = c->pos;
		if ((void *)(vh + 1) > c->end) {
			pkt->reason = LW_PARSE_TRUNC_VLAN;
			return -1;
		}
		/* The outermost tag names the lane; an offloaded tag is outer still. */
		if (!pkt->vlan)
			pkt->vlan = bpf_ntohs(vh->tci) & LW_VLAN_VID_MASK;
		proto = vh->proto;
		c->pos = vh + 1;
	}
	if (lw_is_vlan_proto(proto)) {
		pkt->reason = LW_PARSE_VLAN_TOO_DEEP;
		return -1;
	}
	*proto_out = proto;
	return 0;
}

static __always_inline int lw_parse_ipv4(struct lw_cursor *c, struct lw_pkt *pkt)
{
	struct iphdr *ip = c->pos;

	if ((void *)(ip + 1) > c->end) {
		pkt->reason = LW_PARSE_TRUNC_IPV4;
		return -1;
	}
	if (ip->version != 4) {
		pkt->reason = LW_PARSE_BAD_IPV4_VERSION;
		return -1;
	}
	__u32 hlen = ip->ihl * 4;
	if (hlen < sizeof(*ip)) {
		pkt->reason = LW_PARSE_BAD_IPV4_IHL;
		return -1;
	}
	/* Addresses are valid from here on, whatever follows. */
	pkt->family = 4;
	pkt->src_lo = bpf_ntohl(ip->saddr);
	pkt->dst_lo = bpf_ntohl(ip->daddr);
	pkt->l4 = ip->protocol;
	if (bpf_ntohs(ip->tot_len) < hlen) {
		pkt->reason = LW_PARSE_BAD_IPV4_LEN;
		return -1;
	}
	if (c->pos + hlen > c->end) {
		pkt->reason = LW_PARSE_TRUNC_IPV4;
		return -1;
	}
	c->pos += hlen;

	__u16 frag = bpf_ntohs(ip->frag_off);
	if (frag & LW_IP_OFFSET_MASK) {
		pkt->frag = LW_FRAG_LATER;
		pkt->reason = LW_PARSE_FRAGMENT_LATER;
		return -1;
	}
	if (frag & LW_IP_MF) {
		pkt->frag = LW_FRAG_FIRST;
		pkt->reason = LW_PARSE_FRAGMENT_FIRST;
	}
	return 0;
}

/* Two 64-bit loads and byte swaps (unaligned packet loads are fine for tc programs). */
static __always_inline void lw_load_v6(__u64 *hi, __u64 *lo, const struct in6_addr *a)
{
	*hi = bpf_be64_to_cpu(*(const __u64 *)&a->in6_u.u6_addr32[0]);
	*lo = bpf_be64_to_cpu(*(const __u64 *)&a->in6_u.u6_addr32[2]);
}

/*
 * The extension headers walked (hop-by-hop 0, routing 43, fragment 44, AH 51,
 * destination options 60) as one bit test instead of five compares: every
 * IPv6 packet asks this twice.
 */
#define LW_IPV6_EXT_MASK                                                                           \
	((1ULL << IPPROTO_HOPOPTS) | (1ULL << IPPROTO_ROUTING) | (1ULL << IPPROTO_FRAGMENT) |      \
	 (1ULL << IPPROTO_AH) | (1ULL << IPPROTO_DSTOPTS))

static __always_inline int lw_is_ipv6_ext(__u8 nh)
{
	return nh < 8 * sizeof(__u64) && ((1ULL << nh) & LW_IPV6_EXT_MASK);
}

struct lw_ipv6_ext {
	__u8 nexthdr;
	__u8 hdrlen;
	__be16 frag_off; /* only meaningful in a fragment header */
};

static __always_inline int lw_parse_ipv6(struct lw_cursor *c, struct lw_pkt *pkt)
{
	struct ipv6hdr *ip6 = c->pos;

	if ((void *)(ip6 + 1) > c->end) {
		pkt->reason = LW_PARSE_TRUNC_IPV6;
		return -1;
	}
	if (ip6->version != 6) {
		pkt->reason = LW_PARSE_BAD_IPV6_VERSION;
		return -1;
	}
	pkt->family = 6;
	lw_load_v6(&pkt->src_hi, &pkt->src_lo, &ip6->saddr);
	lw_load_v6(&pkt->dst_hi, &pkt->dst_lo, &ip6->daddr);
	c->pos = ip6 + 1;

	__u8 nh = ip6->nexthdr;

#pragma unroll
	for (int i = 0; i < LW_MAX_IPV6_EXT; i++) {
		if (!lw_is_ipv6_ext(nh))
			break;
		struct lw_ipv6_ext *ext = c->pos;
		if ((void *)(ext + 1) > c->end) {
			pkt->l4 = nh;
			pkt->reason = LW_PARSE_TRUNC_IPV6_EXT;
			return -1;
		}
		__u32 len;
		if (nh == IPPROTO_FRAGMENT) {
			len = LW_IP6_FRAG_HDR_LEN;
			__u16 off = bpf_ntohs(ext->frag_off);
			if (off & LW_IP6_FRAG_OFFSET_MASK) {
				pkt->l4 = ext->nexthdr;
				pkt->frag = LW_FRAG_LATER;
				pkt->reason = LW_PARSE_FRAGMENT_LATER;
				return -1;
			}
			if (off & LW_IP6_FRAG_MF) {
				pkt->frag = LW_FRAG_FIRST;
				pkt->reason = LW_PARSE_FRAGMENT_FIRST;
			}
		} else if (nh == IPPROTO_AH) {
			len = ((__u32)ext->hdrlen + 2) * 4; /* RFC 4302: 32-bit words minus 2 */
		} else {
			len = ((__u32)ext->hdrlen + 1) * 8; /* RFC 8200: 8-octet units minus 1 */
		}
		nh = ext->nexthdr;
		if (c->pos + len > c->end) {
			pkt->reason = LW_PARSE_TRUNC_IPV6_EXT;
			return -1;
		}
		c->pos += len;
	}
	pkt->l4 = nh;
	if (lw_is_ipv6_ext(nh)) {
		pkt->reason = LW_PARSE_IPV6_EXT_TOO_DEEP;
		return -1;
	}
	return 0;
}

/* Only sets a reason when the packet had none yet (a first fragment keeps its own). */
static __always_inline void lw_set_reason(struct lw_pkt *pkt, __u8 reason)
{
	if (pkt->reason == LW_PARSE_OK)
		pkt->reason = reason;
}

static __always_inline void lw_parse_l4(struct lw_cursor *c, struct lw_pkt *pkt)
{
	switch (pkt->l4) {
	case IPPROTO_TCP: {
		struct tcphdr *th = c->pos;
		if ((void *)(th + 1) > c->end) {
			lw_set_reason(pkt, LW_PARSE_TRUNC_TCP);
			return;
		}
		pkt->sport = bpf_ntohs(th->source);
		pkt->dport = bpf_ntohs(th->dest);
		pkt->has_ports = 1;
		pkt->hdr_len += th->doff * 4;
		if (th->doff < 5)
			lw_set_reason(pkt, LW_PARSE_BAD_TCP_DOFF);
		return;
	}
	case IPPROTO_UDP: {
		struct udphdr *uh = c->pos;
		if ((void *)(uh + 1) > c->end) {
			lw_set_reason(pkt, LW_PARSE_TRUNC_UDP);
			return;
		}
		pkt->sport = bpf_ntohs(uh->source);
		pkt->dport = bpf_ntohs(uh->dest);
		pkt->has_ports = 1;
		pkt->hdr_len += sizeof(*uh);
		return;
	}
	case IPPROTO_SCTP: {
		/* knet's SCTP transport (corosync.conf(5), knet_transport). */
		struct lw_sctp_hdr *sh = c->pos;
		if ((void *)(sh + 1) > c->end) {
			lw_set_reason(pkt, LW_PARSE_TRUNC_SCTP);
			return;
		}
		pkt->sport = bpf_ntohs(sh->source);
		pkt->dport = bpf_ntohs(sh->dest);
		pkt->has_ports = 1;
		pkt->hdr_len += sizeof(*sh);
		return;
	}
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6: {
		/* ICMP belongs to IPv4 and ICMPv6 to IPv6: crossed, the type rules lie. */
		if ((pkt->l4 == IPPROTO_ICMP) != (pkt->family == 4)) {
			lw_set_reason(pkt, LW_PARSE_UNKNOWN_L4);
			return;
		}
		__u8 *ic = c->pos;
		if (ic + LW_ICMP_HDR_LEN > (__u8 *)c->end) {
			lw_set_reason(pkt, LW_PARSE_TRUNC_ICMP);
			return;
		}
		pkt->icmp_type = ic[0];
		pkt->icmp_code = ic[1];
		pkt->has_icmp = 1;
		return;
	}
	default:
		lw_set_reason(pkt, LW_PARSE_UNKNOWN_L4);
	}
}

/*
 * Parses the frame at [data, data_end). `tci_vlan` is the offloaded VLAN id
 * from skb->vlan_tci (0 if none): the kernel strips the outer tag into the skb
 * on receive, so the packet then holds only inner tags, if any.
 */
static __always_inline void lw_parse_packet(void *data, void *data_end, __u16 tci_vlan,
					    struct lw_pkt *pkt)
{
	struct lw_cursor c = {.pos = data, .end = data_end};

	int link_local = 0;

	pkt->vlan = tci_vlan;
	__u16 proto = 0;
	if (lw_parse_eth(&c, pkt, &link_local, &proto) < 0)
		return;

	if (proto != bpf_htons(ETH_P_IP) && proto != bpf_htons(ETH_P_IPV6)) {
		/*
		 * ARP, LLDP and LACP are infra, and so is any other non-IP frame
		 * sent to the reserved link-local group (STP BPDUs are 802.3 length
		 * frames to 01:80:C2:00:00:00); other 802.3 frames are not. An IP
		 * packet never qualifies by its MAC alone, or crafted frames could
		 * dodge the lanes.
		 */
		if (proto == bpf_htons(ETH_P_ARP) || proto == bpf_htons(ETH_P_LLDP_) ||
		    proto == bpf_htons(ETH_P_SLOW_) || link_local)
			pkt->infra = 1;
		pkt->reason = LW_PARSE_NOT_IP;
		return;
	}

	pkt->l3_off = (__u8)(c.pos - data); /* at most 14 + 2 tags: fits */
	int ret = proto == bpf_htons(ETH_P_IP) ? lw_parse_ipv4(&c, pkt) : lw_parse_ipv6(&c, pkt);
	if (ret == 0) {
		pkt->hdr_len = (__u16)(c.pos - data);
		pkt->l4_off = pkt->hdr_len;
		lw_parse_l4(&c, pkt);
		if (!pkt->has_ports)
			pkt->hdr_len = 0;
	}
}

#endif /* LW_PARSE_BPF_H */
