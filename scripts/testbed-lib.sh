# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Shared layout of the simulated cluster, sourced by testbed.sh,
# testbed-traffic.sh, demo.sh, bench.sh and the tests' scripts. One place
# says which namespace, interface and address every lane of every node has.
#
# Names: nodes are namespaces lwtn1..lwtn3, every switch is a bridge "lwtbr"
# in a namespace of its own (lwts-<lane>; LWT_TESTBED below changes both
# prefixes and the state and pin paths), a node's interface for a lane is
# lwt-<lane> (the same name on every node, so one policy fits all nodes), and
# the switch port towards node N is lwtp<N>-<lane>.
# Addresses: documentation ranges only, one /28 per lane network.

# LWT_TESTBED=<tag> (1-6 of a-z0-9) runs an instance of its own next to the
# default one: namespaces lwt<tag>nN and lwt<tag>s-<lane>, state in
# /tmp/lwttestbed-<tag>, pins /sys/fs/bpf/lwttb<tag>N. Unset: the names below.
LWT_TESTBED=${LWT_TESTBED:-}
if [[ -n $LWT_TESTBED && ! $LWT_TESTBED =~ ^[a-z0-9]{1,6}$ ]]; then
	echo "testbed: LWT_TESTBED='$LWT_TESTBED': 1-6 characters a-z0-9" >&2
	exit 2
fi
LWT_STATE=${LWT_STATE:-/tmp/lwttestbed${LWT_TESTBED:+-$LWT_TESTBED}} # state, configs, logs; removed by `down`
LWT_PIN_PREFIX=/sys/fs/bpf/lwttb$LWT_TESTBED # lanewarden pin dir of node N: ${LWT_PIN_PREFIX}N
lwt_node_ns() { echo "lwt${LWT_TESTBED}n$1"; }     # node N
lwt_switch_ns() { echo "lwt${LWT_TESTBED}s-$1"; } # the switch of a lane
LWT_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LW_BINARY=${LW_BINARY:-}

# Lanes of each variant (topologies of "Proxmox Cluster Network Design").
# "full": its 3-node Ceph topology, one link per network. "budget": its 2-node
# layout, where Corosync link 0 and management share one link (ens18f0 in
# the article; VLANs 10/11 there, two subnets on one untagged link here: this
# kernel has no 802.1Q devices) and storage (Ceph public) and migration share
# the bond.
lwt_lanes() { # variant
	case $1 in
	full) echo coro0 coro1 cephpub cephclu migr mgmt ;;
	budget) echo shared coro1 bond ;;
	switch) echo lan ;;
	*) return 1 ;;
	esac
}
lwt_node_count() { [[ $1 == budget ]] && echo 2 || echo 3; }
# "switch": a budget 3-node cluster with one switch and one port per node
# that carries every network (VLANs on one NIC or bond; untagged subnets
# here), with one Corosync link, as `pvecm create` makes it without --link1.

# Networks (the /28 prefix, without the host part) and the lane carrying them.
#   network   prefix             full lane   budget lane
#   coro0     198.51.100.0/28    coro0       shared
#   coro1     198.51.100.16/28   coro1       coro1
#   mgmt      198.51.100.32/28   mgmt        shared
#   cephpub   203.0.113.0/28     cephpub     bond
#   cephclu   203.0.113.16/28    cephclu     (none)
#   migr      203.0.113.32/28    migr        bond
# switch: every network on lane "lan", no coro1 and no migr.
lwt_net_base() { # network -> "A.B.C. offset"
	case $1 in
	coro0) echo "198.51.100. 0" ;;
	coro1) echo "198.51.100. 16" ;;
	mgmt) echo "198.51.100. 32" ;;
	cephpub) echo "203.0.113. 0" ;;
	cephclu) echo "203.0.113. 16" ;;
	migr) echo "203.0.113. 32" ;;
	*) return 1 ;;
	esac
}
lwt_net_cidr() { # network
	local p o
	read -r p o < <(lwt_net_base "$1")
	echo "${p}${o}/28"
}
lwt_addr() { # network node -> address of node N on that network
	local p o
	read -r p o < <(lwt_net_base "$1")
	echo "${p}$((o + $2))"
}
lwt_lane_of() { # variant network -> lane (interface lwt-<lane>) or nothing
	if [[ $1 == switch ]]; then
		echo lan
		return
	fi
	if [[ $1 == full ]]; then
		echo "$2"
		return
	fi
	case $2 in
	coro0 | mgmt) echo shared ;;
	coro1) echo coro1 ;;
	cephpub | migr) echo bond ;;
	esac
}
lwt_networks() { # variant
	case $1 in
	full) echo coro0 coro1 mgmt cephpub cephclu migr ;;
	budget) echo coro0 coro1 mgmt cephpub migr ;;
	switch) echo coro0 mgmt cephpub cephclu ;;
	esac
}
lwt_has_network() { # variant network
	[[ " $(lwt_networks "$1") " == *" $2 "* ]]
}

lwt_variant() { cat "$LWT_STATE/variant" 2>/dev/null || true; }
lwt_require_up() {
	[[ -f $LWT_STATE/variant ]] || {
		echo "testbed: not up (no $LWT_STATE); run scripts/testbed.sh up" >&2
		exit 1
	}
}

# The lanewarden binary: $LW_BINARY, else build/'s, else the newest build-*/ one.
lwt_find_lanewarden() {
	if [[ -n $LW_BINARY ]]; then
		echo "$LW_BINARY"
		return
	fi
	local b=$LWT_ROOT/build/userspace/lanewarden c
	if [[ ! -x $b ]]; then
		b=""
		for c in "$LWT_ROOT"/build*/userspace/lanewarden; do
			if [[ -x $c ]] && [[ -z $b || $c -nt $b ]]; then
				b=$c
			fi
		done
	fi
	[[ -n $b ]] || {
		echo "testbed: no lanewarden binary (build it, or set LW_BINARY)" >&2
		return 1
	}
	echo "$b"
}

# lanewarden on node N: lwt_lw N ARGS...
lwt_lw() {
	local n=$1
	shift
	"$(lwt_find_lanewarden)" --netns "$(lwt_node_ns "$n")" --pin-dir "${LWT_PIN_PREFIX}$n" "$@"
}

lwt_nsx() { # ns cmd...
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}
