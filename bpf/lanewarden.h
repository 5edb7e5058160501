/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The one ABI shared by the BPF programs and the userspace tool. Both sides
 * include this file; tests/unit/test_abi_layout.cpp pins every size and offset.
 * Class ids, verdicts and reasons are ABI: append, never renumber.
 */
#ifndef LANEWARDEN_H
#define LANEWARDEN_H

#include <linux/types.h>

enum lw_class {
	LW_CLASS_OTHER = 0,
	LW_CLASS_COROSYNC = 1,
	LW_CLASS_MIGRATION = 2,
	LW_CLASS_CEPH_PUBLIC = 3,
	LW_CLASS_CEPH_CLUSTER = 4,
	LW_CLASS_MANAGEMENT = 5,
	LW_CLASS_STORAGE = 6,
	LW_CLASS_INFRA = 7,
	LW_NR_CLASSES = 8,
};

#define LW_CLASS_BIT(c) (1u << (c))

enum lw_dir {
	LW_DIR_INGRESS = 0,
	LW_DIR_EGRESS = 1,
	LW_NR_DIRS = 2,
};

/* What happened to a packet. AUDIT: a violation that was let through. */
enum lw_verdict {
	LW_VERDICT_PASS = 0,
	LW_VERDICT_AUDIT = 1,
	LW_VERDICT_DROP = 2,
	LW_NR_VERDICTS = 3,
};

/*
 * Why the parser stopped where it did. Every packet is counted under exactly
 * one reason, so the reason counters add up to the packet count. Anything but
 * LW_PARSE_OK means "classified as far as the headers were valid".
 */
enum lw_parse_reason {
	LW_PARSE_OK = 0,
	LW_PARSE_NOT_IP = 1,           /* an ethertype we do not classify further */
	LW_PARSE_TRUNC_ETH = 2,
	LW_PARSE_TRUNC_VLAN = 3,
	LW_PARSE_VLAN_TOO_DEEP = 4,    /* more than two tags in the packet */
	LW_PARSE_TRUNC_IPV4 = 5,
	LW_PARSE_BAD_IPV4_VERSION = 6,
	LW_PARSE_BAD_IPV4_IHL = 7,
	LW_PARSE_BAD_IPV4_LEN = 8,     /* tot_len below the header length */
	LW_PARSE_TRUNC_IPV6 = 9,
	LW_PARSE_BAD_IPV6_VERSION = 10,
	LW_PARSE_TRUNC_IPV6_EXT = 11,
	LW_PARSE_IPV6_EXT_TOO_DEEP = 12,
	LW_PARSE_FRAGMENT_FIRST = 13,  /* first fragment: ports present */
	LW_PARSE_FRAGMENT_LATER = 14,  /* non-first fragment: attributed by addresses */
	LW_PARSE_TRUNC_TCP = 15,
	LW_PARSE_BAD_TCP_DOFF = 16,
	LW_PARSE_TRUNC_UDP = 17,
	LW_PARSE_TRUNC_ICMP = 18,
	LW_PARSE_UNKNOWN_L4 = 19,      /* valid IP carrying a protocol we do not parse */
	LW_NR_PARSE_REASONS = 20,
};

/* Why a packet broke the policy; LW_VIOL_NONE when it did not. */
enum lw_violation {
	LW_VIOL_NONE = 0,
	LW_VIOL_WRONG_LANE = 1, /* class seen on an interface/VLAN not among its lanes */
	LW_VIOL_INTRUDER = 2,   /* foreign class on an exclusive lane */
	LW_VIOL_RATE_CAP = 3,   /* above the class's policed rate */
	LW_VIOL_FRAGMENT = 4,   /* fragment on a lane that must not see any */
	LW_VIOL_MTU = 5,        /* ICMP frag-needed / ICMPv6 packet-too-big received */
	LW_NR_VIOLATIONS = 6,
};

/* Sizes of the policy tables. The binary searches below rely on powers of two. */
#define LW_MAX_IFACES 64            /* interfaces one policy can attach to */
#define LW_IFACE_SLOT_UNKNOWN LW_MAX_IFACES /* counters for an ifindex not in the policy */
#define LW_MAX_VLAN_LANES 128
#define LW_MAX_RANGES 256           /* address ranges per family */
#define LW_NR_PORTS 65536

/* Lane flags */
#define LW_LANE_PRESENT 0x1         /* a lane is defined here */
#define LW_LANE_EXCLUSIVE 0x2       /* every class not allowed here is an intruder */

struct lw_counter {
	__u64 packets;
	__u64 bytes;
};

/*
 * Per-CPU counters of one interface slot: packets and bytes by direction,
 * class and verdict, and packets by parse reason (one value, so the datapath
 * pays for one map lookup per packet).
 */
struct lw_iface_counters {
	struct lw_counter c[LW_NR_DIRS][LW_NR_CLASSES][LW_NR_VERDICTS];
	__u64 parse[LW_NR_DIRS][LW_NR_PARSE_REASONS];
};

/*
 * An interface the policy knows. `slot` indexes the counter map and is stable
 * for as long as the interface stays attached, across policy swaps.
 */
struct lw_iface {
	__u32 ifindex;
	__u16 slot;
	__u8 lane_allowed;  /* classes allowed on the interface-wide lane */
	__u8 lane_flags;
};

/* A lane bound to one VLAN of an interface; key = ifindex << 16 | vlan id. */
struct lw_vlan_lane {
	__u64 key;
	__u8 allowed;
	__u8 flags;
	__u8 pad[6];
};

/* Address ranges: sorted by start, first start is 0, padded with the last range. */
struct lw_v4_range {
	__u32 start;        /* host byte order */
	__u32 classes;      /* LW_CLASS_BIT set of networks that contain the range */
};

struct lw_v6_range {
	__u64 start_hi;     /* host byte order */
	__u64 start_lo;
	__u32 classes;
	__u32 pad;
};

/* Per-class settings of the datapath. */
struct lw_class_cfg {
	__u32 skb_priority; /* 0: leave skb->priority alone */
	__u8 dscp;          /* DSCP to write, valid when LW_CLASS_F_DSCP is set */
	__u8 flags;
	__u16 pad;
};

#define LW_CLASS_F_DSCP 0x1

/*
 * One complete policy. It lives as the only element of an inner array map;
 * userspace fills a fresh inner map and swaps it into lw_policy_outer, so a
 * packet sees either the old policy or the new one, never a mix.
 */
struct lw_policy {
	__u64 generation;
	__u32 n_ifaces;
	__u32 n_vlan_lanes;
	__u8 constrained;   /* classes that have at least one lane */
	__u8 enforce;       /* classes whose violations are dropped */
	__u8 tcp_classes;   /* classes that use TCP at all (non-first fragments) */
	__u8 udp_classes;
	/*
	 * First step of each binary search: the largest power of two below the
	 * table's used length (0 for one entry), so a small policy pays for its
	 * size, not for the table's capacity.
	 */
	__u8 v4_step;
	__u8 v6_step;
	__u8 iface_step;
	__u8 vlan_step;
	/* Precedence when several classes match: best class for each bit set. */
	__u8 pick[256];
	struct lw_class_cfg cls[LW_NR_CLASSES];
	struct lw_iface ifaces[LW_MAX_IFACES];        /* sorted by ifindex, padded */
	struct lw_vlan_lane vlan_lanes[LW_MAX_VLAN_LANES]; /* sorted by key, padded */
	struct lw_v4_range v4[LW_MAX_RANGES];
	struct lw_v6_range v6[LW_MAX_RANGES];
	/* Candidate classes by port, per transport. */
	__u8 tcp_ports[LW_NR_PORTS];
	__u8 udp_ports[LW_NR_PORTS];
};

/*
 * What lanewarden attached to one interface, kept in the pinned lw_links map
 * so that a later apply, status or detach knows exactly what it owns.
 */
struct lw_link {
	char ifname[16];
	__u32 slot;
	__u32 flags;        /* LW_LINK_* */
};

#define LW_LINK_CREATED_CLSACT 0x1 /* lanewarden created the clsact qdisc */
#define LW_LINK_INGRESS 0x2
#define LW_LINK_EGRESS 0x4

/* Where lanewarden's filters sit on the clsact hooks: first, and recognisable. */
#define LW_TC_PRIORITY 1
#define LW_TC_HANDLE 0x1a4e

/* Load-time constants, set between open() and load(). */
struct lw_rodata {
	__u32 reserved;
};

#endif /* LANEWARDEN_H */
