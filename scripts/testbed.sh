#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# A simulated Proxmox cluster on one machine: nodes are network namespaces,
# every lane is a link of its own through a switch (a bridge in a namespace
# of its own), and a real Corosync 3 cluster (Debian's corosync, knet, two
# links, secauth as Proxmox sets it up) runs across the nodes.
#
#   scripts/testbed.sh up [--variant full|budget|switch] [--rate RATE]
#                         [--qos none|dscp] [--buffer BYTES]
#   scripts/testbed.sh status        exit 0 when up and quorate
#   scripts/testbed.sh knet [--clear] corosync's own per-link latency (JSON lines)
#   scripts/testbed.sh port --qos none|dscp   the switch ports' queues (switch)
#   scripts/testbed.sh down          removes everything; safe to run any time
#
# full:   3 nodes, the article's 3-node Ceph topology: Corosync link 0, Corosync
#         link 1, Ceph public, Ceph cluster, migration, management.
# budget: 2 nodes, the article's 2-node layout: Corosync link 0 and management
#         share one link ("shared"), Corosync link 1, a "bond" with storage
#         (Ceph public) and migration.
# switch: 3 nodes, one switch, one port per node carrying Corosync link 0,
#         management, Ceph public and Ceph cluster (docs/switch.md).
# --rate: every switch port sends at most RATE towards its node (TBF), which
#         models the line rate of the nodes' NICs (e.g. 1gbit, 100mbit).
#         switch: an HTB at RATE with a tail-drop buffer of BYTES instead
#         (default 256kb); --qos dscp adds a strict-priority queue for DSCP
#         CS6/EF, as "trust dscp" does on a switch.
#
# Traffic: scripts/testbed-traffic.sh. Layout and addresses: testbed-lib.sh.
# Policies for lanewarden: policies/testbed/<variant>.toml, copied per node to
# $LWT_STATE/lwtnN.toml with the link rate filled in. Needs root.
set -euo pipefail
# shellcheck source=testbed-lib.sh
source "$(dirname "$(readlink -f "$0")")/testbed-lib.sh"

usage() {
	sed -n '9,15p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

log() { printf 'testbed: %s\n' "$*" >&2; }

# --- down ---------------------------------------------------------------
# Every name this script can create, whatever the variant: `down` works even
# when `up` failed half-way or the state directory is gone.
all_switch_namespaces() {
	local lane
	for lane in coro0 coro1 cephpub cephclu migr mgmt shared bond lan; do lwt_switch_ns "$lane"; done
}
all_node_namespaces() { local n; for n in 1 2 3; do lwt_node_ns "$n"; done; }

# Exact names only: other tests' namespaces may share a prefix.
ns_exists() { ip netns list | awk '{ print $1 }' | grep -qxF "$1"; }

kill_namespace_processes() { # ns
	local pids
	pids=$(ip netns pids "$1" 2>/dev/null || true)
	[[ -n $pids ]] || return 0
	# shellcheck disable=SC2086
	kill $pids 2>/dev/null || true
	for _ in $(seq 30); do
		[[ -z $(ip netns pids "$1" 2>/dev/null || true) ]] && return 0
		sleep 0.1
	done
	# shellcheck disable=SC2046
	kill -9 $(ip netns pids "$1" 2>/dev/null || true) 2>/dev/null || true
}

cmd_down() {
	local n ns lw
	lw=$(lwt_find_lanewarden 2>/dev/null || true)
	for n in 1 2 3; do
		# corosync first, by the pid `up` recorded, so it leaves the cluster cleanly.
		if [[ -f $LWT_STATE/lwtn$n/corosync.pid ]]; then
			kill "$(cat "$LWT_STATE/lwtn$n/corosync.pid")" 2>/dev/null || true
		fi
		if [[ -e ${LWT_PIN_PREFIX}$n ]]; then
			if [[ -n $lw ]] && ns_exists "$(lwt_node_ns "$n")"; then
				"$lw" --netns "$(lwt_node_ns "$n")" --pin-dir "${LWT_PIN_PREFIX}$n" detach >/dev/null 2>&1 || true
			fi
			rm -rf "${LWT_PIN_PREFIX}$n"
		fi
	done
	for ns in $(all_node_namespaces) $(all_switch_namespaces); do
		ns_exists "$ns" || continue
		kill_namespace_processes "$ns"
		ip netns del "$ns" 2>/dev/null || true
	done
	rm -rf "$LWT_STATE"
	log "down: no $(lwt_node_ns "*")/$(lwt_switch_ns "*") namespace, pin or state left"
}

# --- up -----------------------------------------------------------------
make_switches() { # variant rate
	local lane sw
	for lane in $(lwt_lanes "$1"); do
		sw=$(lwt_switch_ns "$lane")
		ip netns add "$sw"
		ip -n "$sw" link set lo up
		ip -n "$sw" link add lwtbr type bridge stp_state 0 forward_delay 0
		ip -n "$sw" link set lwtbr up
	done
}

# TBF on the switch port: what the port sends towards the node. Burst of a
# few ms at the rate (at least 64 KB, so one GSO packet fits), queue of about
# 20 ms like a modest switch buffer.
rate_limit_port() { # ns dev rate
	local bits burst limit
	bits=$(rate_bits "$3")
	burst=$((bits / 8 / 250))
	((burst < 65536)) && burst=65536
	limit=$((bits / 8 / 50))
	((limit < 2 * burst)) && limit=$((2 * burst))
	ip netns exec "$1" tc qdisc replace dev "$2" root tbf rate "$3" burst "$burst" limit "$limit"
}

rate_bits() { # 100mbit -> 100000000 (tc's bit units only)
	local v=${1,,}
	case $v in
	*gbit) echo $((${v%gbit} * 1000000000)) ;;
	*mbit) echo $((${v%mbit} * 1000000)) ;;
	*kbit) echo $((${v%kbit} * 1000)) ;;
	*) log "rate '$1': write it as Nkbit, Nmbit or Ngbit"; return 1 ;;
	esac
}

# The egress queue of a switch port (switch variant): the line rate and one
# tail-drop buffer, like a switch without QoS; with qos dscp, frames marked
# CS6 or EF (Corosync with lanewarden's dscp = "cs6") go to a strict-priority
# queue first, as "trust dscp" with a priority queue does. Both queues get the
# buffer; the bulk queue is guaranteed 1% of the line.
switch_port_queue() { # ns dev rate qos buffer
	local ns=$1 dev=$2 rate=$3 qos=$4 buf=$5 bits
	bits=$(rate_bits "$rate")
	lwt_nsx "$ns" tc qdisc del dev "$dev" root 2>/dev/null || true
	lwt_nsx "$ns" tc qdisc add dev "$dev" root handle 1: htb default 20
	lwt_nsx "$ns" tc class add dev "$dev" parent 1: classid 1:1 htb rate "$rate" ceil "$rate" quantum 60000
	if [[ $qos == dscp ]]; then
		lwt_nsx "$ns" tc class add dev "$dev" parent 1:1 classid 1:20 htb rate "$((bits / 100))bit" ceil "$rate" prio 1 quantum 60000
		lwt_nsx "$ns" tc class add dev "$dev" parent 1:1 classid 1:10 htb rate "$rate" ceil "$rate" prio 0 quantum 60000
		lwt_nsx "$ns" tc qdisc add dev "$dev" parent 1:10 bfifo limit "$buf"
		local tos
		for tos in 0xc0 0xb8; do # DSCP CS6 (48) and EF (46), ECN bits ignored
			lwt_nsx "$ns" tc filter add dev "$dev" parent 1: protocol ip prio 1 u32 match ip dsfield "$tos" 0xfc flowid 1:10
		done
	else
		lwt_nsx "$ns" tc class add dev "$dev" parent 1:1 classid 1:20 htb rate "$rate" ceil "$rate" prio 1 quantum 60000
	fi
	lwt_nsx "$ns" tc qdisc add dev "$dev" parent 1:20 bfifo limit "$buf"
}

make_nodes() { # variant rate
	local variant=$1 rate=$2 n lane net ns sw
	for n in $(seq "$(lwt_node_count "$variant")"); do
		ns=$(lwt_node_ns "$n")
		ip netns add "$ns"
		ip -n "$ns" link set lo up
		for lane in $(lwt_lanes "$variant"); do
			sw=$(lwt_switch_ns "$lane")
			ip link add "lwt-$lane" netns "$ns" type veth peer name "lwtp$n-$lane" netns "$sw"
			ip -n "$sw" link set "lwtp$n-$lane" master lwtbr up
			ip -n "$ns" link set "lwt-$lane" up
			if [[ $variant == switch ]]; then
				switch_port_queue "$sw" "lwtp$n-$lane" "$rate" "$(cat "$LWT_STATE/qos")" "$(cat "$LWT_STATE/buffer")"
			elif [[ -n $rate ]]; then
				rate_limit_port "$sw" "lwtp$n-$lane" "$rate"
			fi
		done
		for net in $(lwt_networks "$variant"); do
			ip -n "$ns" addr add "$(lwt_addr "$net" "$n")/28" dev "lwt-$(lwt_lane_of "$variant" "$net")"
		done
	done
}

write_corosync_conf() { # variant node
	local variant=$1 me=$2 n
	cat <<EOF
# Node lwtn$me of the lanewarden testbed (generated by scripts/testbed.sh).
# Like a Proxmox corosync.conf: knet, its links, secauth with a keyfile made
# by corosync-keygen. knet ping options live inside each interface block; a
# small knet_ping_precision makes the reported latency follow the last second
# instead of minutes of history (docs/testbed.md "Corosync").
totem {
  version: 2
  cluster_name: lwtestbed
  config_version: 1
  transport: knet
  link_mode: passive
  ip_version: ipv4
  secauth: on
  crypto_cipher: aes256
  crypto_hash: sha256
  keyfile: $LWT_STATE/authkey
  interface {
    linknumber: 0
    knet_ping_interval: ${LWT_KNET_PING_INTERVAL:-250}
    knet_ping_precision: ${LWT_KNET_PING_PRECISION:-4}
  }
EOF
	lwt_has_network "$variant" coro1 && cat <<EOF
  interface {
    linknumber: 1
    knet_ping_interval: ${LWT_KNET_PING_INTERVAL:-250}
    knet_ping_precision: ${LWT_KNET_PING_PRECISION:-4}
  }
EOF
	cat <<EOF
}
nodelist {
EOF
	for n in $(seq "$(lwt_node_count "$variant")"); do
		cat <<EOF
  node {
    name: lwtn$n
    nodeid: $n
    quorum_votes: 1
    ring0_addr: $(lwt_addr coro0 "$n")
EOF
		lwt_has_network "$variant" coro1 && echo "    ring1_addr: $(lwt_addr coro1 "$n")"
		echo "  }"
	done
	cat <<EOF
}
quorum {
  provider: corosync_votequorum
}
logging {
  to_syslog: no
  to_stderr: no
  to_logfile: yes
  logfile: $LWT_STATE/lwtn$me/corosync.log
  timestamp: hires
}
system {
  state_dir: $LWT_STATE/lwtn$me
}
EOF
}

start_corosync() { # variant
	local n dir
	corosync-keygen -k "$LWT_STATE/authkey" >/dev/null 2>&1
	for n in $(seq "$(lwt_node_count "$1")"); do
		dir=$LWT_STATE/lwtn$n
		write_corosync_conf "$1" "$n" >"$dir/corosync.conf"
		# The pid/lock file is fixed at /run/corosync.pid: each node gets a
		# private /run in a mount namespace of its own. Every step execs, so
		# $! is corosync's own pid.
		# shellcheck disable=SC2016 # "$1" is the inner sh's argument, expanded there
		setsid ip netns exec "$(lwt_node_ns "$n")" unshare -m --propagation private \
			sh -c 'mount -t tmpfs lwttmpfs /run && exec corosync -f -c "$1"' sh "$dir/corosync.conf" \
			</dev/null >"$dir/corosync.out" 2>&1 &
		echo $! >"$dir/corosync.pid"
	done
}

wait_quorum() { # variant seconds
	local n deadline=$((SECONDS + $2))
	while ((SECONDS < deadline)); do
		local all=yes
		for n in $(seq "$(lwt_node_count "$1")"); do
			quorate "$n" || { all=no; break; }
		done
		[[ $all == yes ]] && return 0
		sleep 0.5
	done
	return 1
}

quorate() { # node
	ip netns exec "$(lwt_node_ns "$1")" corosync-quorumtool -s 2>/dev/null | grep -Eq '^Quorate:[[:space:]]+Yes'
}

write_policies() { # variant rate
	local n src=$LWT_ROOT/policies/testbed/$1.toml link_rate=$2
	if [[ $1 == switch ]]; then
		# Every other node may send to one node at once (a Ceph recovery):
		# each node's share of that node's port is the line rate / (N - 1).
		# lanewarden shapes to 95 % of link_rate, so the senders together
		# stay below the port's rate and the queue stays on the nodes.
		local share=$(($(rate_bits "$2") / 1000 / ($(lwt_node_count "$1") - 1)))
		link_rate=$([[ $((share % 1000)) == 0 ]] && echo "$((share / 1000))mbit" || echo "${share}kbit")
	fi
	for n in $(seq "$(lwt_node_count "$1")"); do
		if [[ -n $link_rate ]]; then
			# The GSO limit lanewarden advises for the rate (half a
			# millisecond of line per GSO packet); none above ~500 Mbit/s.
			local segs
			segs=$(awk -v b="$(rate_bits "$link_rate")" 'BEGIN { s = int(b / 8 * 0.0005 / 1514);
				if (65536 * 8 / b <= 0.001) print "none"; else print (s < 1 ? 1 : s) }')
			sed -e "s/^link_rate = .*/link_rate = \"$link_rate\"/" \
				-e "$([[ $segs == none ]] && echo '/^gso_max_segs = /d' || echo "s/^gso_max_segs = .*/gso_max_segs = $segs/")" "$src"
		else
			# No modelled line rate: nothing to shape the lane below.
			sed -e '/^link_rate = /d' -e '/^gso_max_segs = /d' "$src"
		fi >"$LWT_STATE/lwtn$n.toml"
	done
}

cmd_up() {
	local variant=full rate="" qos=none buffer=256kb
	while (($#)); do
		case $1 in
		--variant) variant=${2:?}; shift 2 ;;
		--rate) rate=${2:?}; shift 2 ;;
		--qos) qos=${2:?}; shift 2 ;;
		--buffer) buffer=${2:?}; shift 2 ;;
		*) usage ;;
		esac
	done
	lwt_lanes "$variant" >/dev/null || usage
	[[ $qos == none || $qos == dscp ]] || usage
	[[ $buffer =~ ^[0-9]+(b|kb|mb)?$ ]] || usage
	[[ $variant != switch || -n $rate ]] || { log "switch: needs --rate (the ports' line rate)"; exit 2; }
	[[ -z $rate ]] || rate_bits "$rate" >/dev/null
	[[ $(id -u) == 0 ]] || { log "needs root"; exit 1; }
	if [[ -e $LWT_STATE ]] || ns_exists "$(lwt_node_ns 1)"; then
		log "already up (or left over): run scripts/testbed.sh down first"
		exit 1
	fi
	# Any failure below exits (set -e), from whichever function: the EXIT
	# trap then removes what was built so far.
	trap 'log "up failed; tearing down"; cmd_down' EXIT
	mkdir -p "$LWT_STATE"
	echo "$variant" >"$LWT_STATE/variant"
	echo "$rate" >"$LWT_STATE/rate"
	echo "$qos" >"$LWT_STATE/qos"
	echo "$buffer" >"$LWT_STATE/buffer"
	for n in $(seq "$(lwt_node_count "$variant")"); do mkdir -p "$LWT_STATE/lwtn$n"; done

	make_switches "$variant"
	make_nodes "$variant" "$rate"
	write_policies "$variant" "$rate"
	start_corosync "$variant"
	if ! wait_quorum "$variant" "${LWT_QUORUM_TIMEOUT:-30}"; then
		log "corosync did not reach quorum; logs in $LWT_STATE/lwtn*/corosync.log:"
		tail -n 5 "$LWT_STATE"/lwtn*/corosync.log >&2 || true
		false
	fi
	trap - EXIT
	log "up: variant $variant, $(lwt_node_count "$variant") nodes, rate ${rate:-unlimited}, quorate after ${SECONDS}s"
}

# --- status -------------------------------------------------------------
cmd_status() {
	lwt_require_up
	local variant n ok=0 lw
	variant=$(lwt_variant)
	echo "variant: $variant   rate: $(cat "$LWT_STATE/rate")   state: $LWT_STATE"
	for n in $(seq "$(lwt_node_count "$variant")"); do
		echo
		echo "== $(lwt_node_ns "$n")"
		ip -n "$(lwt_node_ns "$n")" -br addr show | grep '^lwt-' | sed 's/@[^ ]*//' | awk '{ $2 = ""; print "  " $0 }'
		if kill -0 "$(cat "$LWT_STATE/lwtn$n/corosync.pid")" 2>/dev/null; then
			echo "  corosync: running (pid $(cat "$LWT_STATE/lwtn$n/corosync.pid"))"
		else
			echo "  corosync: NOT running"
			ok=1
		fi
		quorate "$n" || ok=1
		if [[ -e ${LWT_PIN_PREFIX}$n ]]; then
			echo "  lanewarden: pinned at ${LWT_PIN_PREFIX}$n"
		else
			echo "  lanewarden: not applied"
		fi
	done
	echo
	echo "== corosync-quorumtool -s ($(lwt_node_ns 1))"
	ip netns exec "$(lwt_node_ns 1)" corosync-quorumtool -s || ok=1
	echo
	echo "== corosync-cfgtool -s ($(lwt_node_ns 1))"
	ip netns exec "$(lwt_node_ns 1)" corosync-cfgtool -s || true
	return $ok
}

# --- knet latency -------------------------------------------------------
# corosync's own view of each link: stats.knet.nodeN.linkM.latency_* (µs),
# one JSON object per (node, peer, link). --clear resets the statistics.
cmd_knet() {
	lwt_require_up
	local n
	if [[ ${1:-} == --clear ]]; then
		for n in $(seq "$(lwt_node_count "$(lwt_variant)")"); do
			ip netns exec "$(lwt_node_ns "$n")" corosync-cmapctl -m stats -s stats.clear.knet u8 1 >/dev/null
		done
		return
	fi
	for n in $(seq "$(lwt_node_count "$(lwt_variant)")"); do
		ip netns exec "$(lwt_node_ns "$n")" corosync-cmapctl -m stats stats.knet. |
			awk -v me="$n" '
			# "stats.knet.node2.link0.latency_ave (u32) = 123" (mawk: no match() arrays)
			$1 ~ /^stats\.knet\.node[0-9]+\.link[0-9]+\./ {
				split($1, f, ".")
				k = substr(f[3], 5) " " substr(f[4], 5); v[k, f[5]] = $NF; keys[k] = 1
			}
			END {
				for (k in keys) {
					split(k, p, " ")
					if (p[1] == me) continue
					printf "{\"node\":%d,\"peer\":%d,\"link\":%d,\"connected\":%d,\"latency_ave_us\":%d,\"latency_max_us\":%d,\"latency_min_us\":%d,\"latency_samples\":%d,\"down_count\":%d}\n",
						me, p[1], p[2], v[k, "connected"], v[k, "latency_ave"], v[k, "latency_max"], v[k, "latency_min"], v[k, "latency_samples"], v[k, "down_count"]
				}
			}' | sort
	done
}

# --- switch ports ------------------------------------------------------
# Reconfigure every port of the one switch (variant switch) in place:
# corosync and lanewarden keep running.
cmd_port() {
	lwt_require_up
	[[ $(lwt_variant) == switch && ${1:-} == --qos && (${2:-} == none || ${2:-} == dscp) ]] || usage
	local n
	echo "$2" >"$LWT_STATE/qos"
	for n in $(seq "$(lwt_node_count switch)"); do
		switch_port_queue "$(lwt_switch_ns lan)" "lwtp$n-lan" "$(cat "$LWT_STATE/rate")" "$2" "$(cat "$LWT_STATE/buffer")"
	done
}

case ${1:-} in
up) shift; cmd_up "$@" ;;
port) shift; cmd_port "$@" ;;
down) cmd_down ;;
status) cmd_status ;;
knet) shift; cmd_knet "$@" ;;
*) usage ;;
esac
