/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The one ABI shared by the BPF programs and the userspace tool. Both sides
 * include this file; tests/unit/test_abi_layout.cpp pins every size and offset.
 * Class ids, verdicts and reasons are ABI: append, never renumber.
 */
#ifndef LANEWARDEN_H
#define LANEWARDEN_H

#include <linux/types.h>
#include <linux/bpf.h> /* struct bpf_spin_lock */

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
	LW_PARSE_NOT_IP = 1, /* an ethertype we do not classify further */
	LW_PARSE_TRUNC_ETH = 2,
	LW_PARSE_TRUNC_VLAN = 3,
	LW_PARSE_VLAN_TOO_DEEP = 4, /* more than two tags in the packet */
	LW_PARSE_TRUNC_IPV4 = 5,
	LW_PARSE_BAD_IPV4_VERSION = 6,
	LW_PARSE_BAD_IPV4_IHL = 7,
	LW_PARSE_BAD_IPV4_LEN = 8, /* tot_len below the header length */
	LW_PARSE_TRUNC_IPV6 = 9,
	LW_PARSE_BAD_IPV6_VERSION = 10,
	LW_PARSE_TRUNC_IPV6_EXT = 11,
	LW_PARSE_IPV6_EXT_TOO_DEEP = 12,
	LW_PARSE_FRAGMENT_FIRST = 13, /* first fragment: ports present */
	LW_PARSE_FRAGMENT_LATER = 14, /* non-first fragment: attributed by addresses */
	LW_PARSE_TRUNC_TCP = 15,
	LW_PARSE_BAD_TCP_DOFF = 16,
	LW_PARSE_TRUNC_UDP = 17,
	LW_PARSE_TRUNC_ICMP = 18,
	LW_PARSE_UNKNOWN_L4 = 19, /* valid IP carrying a protocol we do not parse */
	LW_PARSE_TRUNC_SCTP = 20, /* SCTP common header (12 bytes) cut short */
	LW_NR_PARSE_REASONS = 21,
};

/* Why a packet broke the policy; LW_VIOL_NONE when it did not. */
enum lw_violation {
	LW_VIOL_NONE = 0,
	LW_VIOL_WRONG_LANE = 1, /* class seen on an interface/VLAN not among its lanes */
	LW_VIOL_INTRUDER = 2,	/* foreign class on an exclusive lane */
	LW_VIOL_RATE_CAP = 3,	/* above the class's policed rate */
	LW_VIOL_FRAGMENT = 4,	/* fragment on a lane that must not see any */
	LW_VIOL_MTU = 5,	/* ICMP frag-needed / ICMPv6 packet-too-big received */
	LW_NR_VIOLATIONS = 6,
};

/* Sizes of the policy tables. The binary searches below rely on powers of two. */
#define LW_MAX_IFACES 32 /* interfaces one policy can attach to (docs/limits.md) */
#define LW_IFACE_SLOT_UNKNOWN LW_MAX_IFACES /* counters for an ifindex not in the policy */
#define LW_MAX_VLAN_LANES 128
#define LW_MAX_RANGES 256 /* address ranges per family */
#define LW_NR_PORTS 65536
#define LW_MAX_SERVICES 8	   /* one-ended services (struct lw_service) */
#define LW_MAX_SCTP_PORT_RANGES 16 /* SCTP port ranges of all classes together */

/* Lane flags */
#define LW_LANE_PRESENT 0x1	 /* a lane is defined here */
#define LW_LANE_EXCLUSIVE 0x2	 /* every class not allowed here is an intruder */
#define LW_LANE_NO_FRAGMENTS 0x4 /* any IP fragment here is a violation (jumbo storage lanes) */
#define LW_IFACE_SHAPED 0x80	 /* lw_iface only: lanewarden's HTB is the root qdisc here */

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
	__u8 lane_allowed; /* classes allowed on the interface-wide lane */
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
	__u32 start;   /* host byte order */
	__u32 classes; /* LW_CLASS_BIT set of networks that contain the range */
};

struct lw_v6_range {
	__u64 start_hi; /* host byte order */
	__u64 start_lo;
	__u32 classes;
	__u32 pad;
};

/*
 * A service recognised by one end alone: `port` of transport `l4` on an
 * address inside addr/mask is class `cls`, whatever the other end is. The
 * QDevice's TCP connection to corosync-qnetd is the case: qnetd is a third
 * machine outside the Corosync link networks, and corosync-qdevice connects
 * from whatever address the route picks. The end that has the port must be
 * the one that has the address: a packet to port 5403 elsewhere, or from
 * the qnetd host on another port, does not match.
 */
struct lw_service {
	__u64 addr_hi, addr_lo; /* host byte order, host bits clear; IPv4 in the low 32 bits */
	__u64 mask_hi, mask_lo; /* the prefix as a mask, same layout */
	__u16 port;
	__u8 l4;     /* IPPROTO_TCP, IPPROTO_UDP or IPPROTO_SCTP */
	__u8 family; /* 4 or 6 */
	__u8 cls;    /* enum lw_class */
	__u8 pad[3];
};

/*
 * SCTP ports of a class, as ranges: knet over SCTP (corosync.conf(5),
 * knet_transport) is the only SCTP a Proxmox node speaks, so a short list
 * scanned for SCTP packets alone replaces a third 64 KiB port table.
 */
struct lw_port_range {
	__u16 first, last;
	__u8 classes; /* LW_CLASS_BIT set */
	__u8 pad[3];
};

/* Per-class settings of the datapath. */
struct lw_class_cfg {
	__u32 skb_priority; /* egress of shaped interfaces: HTB class id; 0 leaves it alone */
	__u8 dscp;	    /* DSCP to write, valid when LW_CLASS_F_DSCP is set */
	__u8 flags;	    /* LW_CLASS_F_* */
	__u16 pad;
	/*
	 * police and pace: the rate in bytes/s and the bucket as time credit.
	 * burst_ns is how long the rate takes to fill the bucket (burst bytes);
	 * for pace it is the drop horizon.
	 */
	__u64 rate;
	__u64 burst_ns;
};

#define LW_CLASS_F_DSCP 0x1
#define LW_CLASS_F_POLICE 0x2 /* token bucket per interface, direction and class */
#define LW_CLASS_F_PACE 0x4   /* egress EDT pacing through skb->tstamp (needs fq) */

/*
 * Rate state of one (interface slot, direction, class). For police, credit_ns
 * is the time credit in the bucket and last_ns the last refill; for pace,
 * last_ns is the next departure time.
 */
struct lw_bucket {
	struct bpf_spin_lock lock;
	__u32 pad;
	__u64 credit_ns;
	__u64 last_ns;
};

#define LW_NR_BUCKETS ((LW_MAX_IFACES + 1) * LW_NR_DIRS * LW_NR_CLASSES)

/*
 * One complete policy. It lives as the only element of an inner array map;
 * userspace fills a fresh inner map and swaps it into lw_policy_outer, so a
 * packet sees either the old policy or the new one, never a mix.
 */
struct lw_policy {
	__u64 generation;
	__u32 n_ifaces;
	__u32 n_vlan_lanes;
	__u8 constrained; /* classes that have at least one lane */
	__u8 enforce;	  /* classes whose violations are dropped */
	__u8 tcp_classes; /* classes that use TCP at all (non-first fragments) */
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
	/*
	 * 1 when every IPv6 range starts on a /64 boundary (start_lo == 0:
	 * every network is /64 or shorter, as on nearly every real node). Then
	 * the high 64 bits alone place an address in the table, and the
	 * datapath searches both addresses with one 64-bit compare per step.
	 */
	__u8 v6_hi_only;
	__u8 n_services;	 /* used entries of services[] */
	__u8 n_sctp_port_ranges; /* used entries of sctp_ports[] */
	__u8 sctp_classes;	 /* classes that use SCTP at all (non-first fragments) */
	__u8 pad[4];
	/* Precedence when several classes match: best class for each bit set. */
	__u8 pick[256];
	struct lw_class_cfg cls[LW_NR_CLASSES];
	struct lw_iface ifaces[LW_MAX_IFACES];		   /* sorted by ifindex, padded */
	struct lw_vlan_lane vlan_lanes[LW_MAX_VLAN_LANES]; /* sorted by key, padded */
	struct lw_v4_range v4[LW_MAX_RANGES];
	struct lw_v6_range v6[LW_MAX_RANGES];
	/* Candidate classes by port, per transport. */
	__u8 tcp_ports[LW_NR_PORTS];
	__u8 udp_ports[LW_NR_PORTS];
	/*
	 * GSO limit per interface, parallel to ifaces[] (0: leave the
	 * interface's own value). Only userspace reads it: the policy map
	 * carries it so that a rollback to this policy restores it too.
	 */
	__u16 gso_max_segs[LW_MAX_IFACES];
	/*
	 * Latency alarm per class in microseconds (0: none). Only userspace
	 * reads it: `watch` compares each interval's p99 with it, and it lives
	 * here so that a separate process knows the policy's thresholds.
	 */
	__u32 latency_alarm_us[LW_NR_CLASSES];
	struct lw_service services[LW_MAX_SERVICES];
	struct lw_port_range sctp_ports[LW_MAX_SCTP_PORT_RANGES];
};

/*
 * What lanewarden attached to one interface, kept in the pinned lw_links map
 * so that a later apply, status or detach knows exactly what it owns.
 */
struct lw_link {
	char ifname[16];
	__u32 slot;
	__u32 flags; /* LW_LINK_* */
};

#define LW_LINK_CREATED_CLSACT 0x1 /* lanewarden created the clsact qdisc */
#define LW_LINK_INGRESS 0x2
#define LW_LINK_EGRESS 0x4
/*
 * Attached through tcx links (kernel >= 6.6) pinned under the pin directory
 * as lw_tcx_<ifindex>_in and lw_tcx_<ifindex>_eg instead of clsact filters
 * (docs/attach.md). Set together with LW_LINK_INGRESS | LW_LINK_EGRESS.
 */
#define LW_LINK_TCX 0x8

/* Where lanewarden's filters sit on the clsact hooks: first, and recognisable. */
#define LW_TC_PRIORITY 1
#define LW_TC_HANDLE 0x1a4e

/*
 * Violation bookkeeping of one interface slot, shared by all CPUs, in a map of its own
 * (lw_violations) so that a packet without a violation never touches it.
 * n[][][] counts violating packets exactly, whatever flood control does to
 * the events; events + suppressed + lost add up to the violations that
 * reached the event path (the rest is still pending in lw_flood).
 */
struct lw_violation_counters {
	__u64 n[LW_NR_DIRS][LW_NR_VIOLATIONS][LW_NR_CLASSES];
	__u64 events;	  /* events written to the ring buffer */
	__u64 suppressed; /* violations folded into a later event by flood control */
	__u64 lost;	  /* ring buffer full: event reservation failed */
	__u64 pad;
};

/* One violation event in the lw_events ring buffer. */
struct lw_event {
	__u64 ts_ns;	      /* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
	__u64 suppressed;     /* identical violations folded into this event */
	__u64 src_hi, src_lo; /* host byte order; IPv4 in the low 32 bits of src_lo */
	__u64 dst_hi, dst_lo;
	__u32 ifindex;
	__u32 len; /* skb->len */
	__u16 sport, dport;
	__u16 vlan;   /* 0: untagged */
	__u8 kind;    /* enum lw_violation */
	__u8 cls;     /* enum lw_class */
	__u8 dir;     /* enum lw_dir */
	__u8 verdict; /* LW_VERDICT_AUDIT (passed) or LW_VERDICT_DROP */
	__u8 family;  /* 0, 4 or 6 */
	__u8 l4;      /* IPPROTO_* */
	__u8 pad[4];
};

/*
 * Flood control: at most one event per key and interval. The key is the
 * violation (kind, class, interface, direction) and the flow's 5-tuple.
 */
struct lw_flood_key {
	__u64 src_hi, src_lo;
	__u64 dst_hi, dst_lo;
	__u32 ifindex;
	__u16 sport, dport;
	__u8 kind, cls, dir, l4;
	__u32 pad;
};

struct lw_flood_state {
	__u64 last_ns;	  /* when the last event for this key was emitted */
	__u64 suppressed; /* violations since then, folded into the next event */
};

#define LW_EVENTS_RINGBUF_BYTES (256 * 1024)
#define LW_FLOOD_KEYS 16384
#define LW_DEFAULT_EVENT_INTERVAL_NS 1000000000ULL

/*
 * A pending `apply --confirm`, in the userspace-only pinned hash map
 * lw_confirm keyed by a random token. Whoever deletes the token's entry first
 * decides: `lanewarden confirm` (the new policy stays) or the watchdog at the
 * deadline (the policy pinned as lw_policy_prev, or nothing, comes back).
 */
struct lw_confirm {
	__u64 generation;   /* the policy generation awaiting confirmation */
	__u64 deadline_ns;  /* CLOCK_REALTIME */
	__u32 had_previous; /* 0: restoring means detaching everything */
	__u32 pad;
};

/* Load-time constants, set between open() and load(). */
struct lw_rodata {
	__u64 event_interval_ns; /* flood control interval; 0: LW_DEFAULT_EVENT_INTERVAL_NS */
};

/*
 * ---- Passive RTT and latency histograms (bpf/rtt.bpf.h, bpf/hist.bpf.h) ----
 *
 * Log-linear buckets (HDR-style) over nanoseconds: bucket 0 holds everything
 * below 2^LW_HIST_MIN_EXP ns, then every power of two [2^e, 2^(e+1)) for
 * e = LW_HIST_MIN_EXP..LW_HIST_MAX_EXP is split into LW_HIST_SUB equal
 * sub-buckets, and the last bucket holds everything from 2^(LW_HIST_MAX_EXP+1).
 * A sub-bucket is at most 1/LW_HIST_SUB of its lower bound wide.
 */
#define LW_HIST_SUB_BITS 3
#define LW_HIST_SUB (1u << LW_HIST_SUB_BITS) /* 8 sub-buckets per power of two */
#define LW_HIST_MIN_EXP 9		     /* 512 ns: 1 us falls in a regular bucket */
#define LW_HIST_MAX_EXP 34		     /* last octave 17.2-34.4 s */
#define LW_HIST_NR_OCTAVES (LW_HIST_MAX_EXP - LW_HIST_MIN_EXP + 1)
#define LW_HIST_NR_BUCKETS (LW_HIST_NR_OCTAVES * LW_HIST_SUB + 2) /* + underflow, overflow */
/* lw_hist key: slot * LW_NR_CLASSES + class */
#define LW_HIST_KEYS ((LW_MAX_IFACES + 1) * LW_NR_CLASSES)

/* RTT histogram of one (interface slot, class), shared by all CPUs (atomic updates). */
struct lw_hist {
	__u64 count;
	__u64 sum_ns;
	__u64 max_ns;
	__u64 pad;
	__u64 buckets[LW_HIST_NR_BUCKETS];
};

/*
 * An outstanding RTT measurement, seen from this node: the egress packet's
 * source is `local`. TCP: ports and the TSval the peer will echo in TSecr.
 * ICMP/ICMPv6 echo: local_port is the identifier, remote_port 0, stamp the
 * sequence number.
 */
struct lw_rtt_key {
	__u64 local_hi, local_lo; /* host byte order; IPv4 in the low 32 bits */
	__u64 remote_hi, remote_lo;
	__u16 local_port, remote_port;
	__u32 stamp;
};

/* When the timed packet left, and where its sample goes. */
struct lw_rtt_start {
	__u64 ts_ns; /* bpf_ktime_get_ns() at egress */
	__u16 slot;  /* interface slot of the egress packet */
	__u8 cls;    /* class of the egress packet */
	__u8 pad[5];
};

/* Per-CPU counts of RTT tracking that yielded no sample. */
struct lw_rtt_stats {
	__u64 bad_options; /* TCP option list malformed or cut: no timestamps used */
	__u64 expired;	   /* echo matched after LW_RTT_MAX_AGE_NS: discarded */
	__u64 arm_failed;  /* the start could not be stored (map update error) */
	__u64 pad;
};

#define LW_RTT_TCP_ENTRIES 16384
#define LW_RTT_ECHO_ENTRIES 4096
#define LW_RTT_MAX_AGE_NS 10000000000ULL /* 10 s: older starts never yield a sample */

/*
 * ---- Version of the pinned state (userspace only; docs/state.md) ----
 *
 * The pin directory holds one lw_meta array map (one element) written by the
 * build that loaded the pinned programs. A build compares it with its own
 * before it touches anything: older pins are upgraded in place, newer ones
 * are refused. Pins without lw_meta come from a build before versioning
 * (pinned-state version 0).
 *
 * Bump LW_PIN_ABI_VERSION whenever the layout or meaning of a pinned map's
 * key or value changes, and record that version as the map's "layout since"
 * in userspace/datapath/pin_names.h, so an upgrade resets that map instead of
 * carrying values of another layout over.
 *
 * struct lw_pin_meta only ever grows at its end: abi_version stays at offset
 * 0, so every build can read at least that much of any lw_meta.
 */
/*
 * 1: versioned pins, desired-state records.
 * 2: lw_hist and lw_violations shared by all CPUs instead of per CPU;
 *    LW_MAX_IFACES 64 -> 32 (lw_counters, lw_links and struct lw_policy).
 * 3: LW_LINK_TCX in lw_links and the lw_tcx_* link pins: a build of version 2
 *    would put clsact filters beside the tcx links and leave their pins.
 * 4: LW_PARSE_TRUNC_SCTP (lw_counters' parse[] grows by one reason);
 *    services[] and sctp_ports[] at the end of struct lw_policy.
 */
#define LW_PIN_ABI_VERSION 4

struct lw_pin_meta {
	__u32 abi_version;  /* LW_PIN_ABI_VERSION of the build that pinned */
	__u32 meta_size;    /* sizeof(struct lw_pin_meta) of that build */
	__u64 program_hash; /* FNV-1a 64 of the BPF object it loaded */
};

#endif /* LANEWARDEN_H */
