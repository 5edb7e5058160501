#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The field proof where Corosync breaks: a Ceph recovery on a one-switch
# cluster (scripts/testbed.sh up --variant switch), first without
# lanewarden's protection, then with it, for two kinds of switch:
#
#   scripts/field-proof.sh [--phases bare,shaped,dscp] [--seconds S]
#                          [--load all|one] [--streams P] [--json]
#
#   bare    lanewarden in audit mode, observing only (no priority, shaping
#           or marking): its probes and latency alarms run, nothing else.
#   shaped  switch without QoS: the testbed policy in enforce mode, each node
#           shaped below its share of a port (link_rate = line / (N - 1)).
#   dscp    switch that trusts DSCP (a strict-priority queue for CS6/EF on
#           every port): Corosync marked CS6, no link_rate.
#
# Load: every node sends bulk TCP (iperf3, cubic, P streams, Ceph OSD ports)
# to every other node (all) or nodes 2..N into node 1 (one), for S seconds
# (default 20, 8 streams). Per phase it prints corosync's own evidence (token warnings
# and losses, retransmit lists, membership changes, quorum, knet latency),
# lanewarden's first latency alarm and the Ceph throughput; --json prints one
# JSON object per phase instead. Uses the instance LWT_TESTBED names; brings
# a switch testbed up when none is, and takes down only what it brought up.
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=testbed-lib.sh
source "$here/testbed-lib.sh"
TB=$here/testbed.sh
TRAFFIC=$here/testbed-traffic.sh

usage() {
	sed -n '7,8p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

phases=bare,shaped,dscp secs=20 load=all streams=8 json=no
while (($#)); do
	case $1 in
	--phases) phases=${2:?}; shift 2 ;;
	--seconds) secs=${2:?}; shift 2 ;;
	--load) load=${2:?}; shift 2 ;;
	--streams) streams=${2:?}; shift 2 ;;
	--json) json=yes; shift ;;
	*) usage ;;
	esac
done
[[ $load == all || $load == one ]] || usage
if [[ ! $secs =~ ^[0-9]+$ ]] || ((secs < 10 || secs > 110)); then
	echo "field-proof: --seconds 10..110" >&2
	exit 2
fi
for p in ${phases//,/ }; do [[ $p == bare || $p == shaped || $p == dscp ]] || usage; done
[[ $(id -u) == 0 ]] || { echo "field-proof: needs root" >&2; exit 1; }

say() { [[ $json == yes ]] || printf '%s\n' "$*"; }

ours=no
if [[ -f $LWT_STATE/variant ]]; then
	[[ $(lwt_variant) == switch ]] || { echo "field-proof: the testbed up is not the switch variant" >&2; exit 1; }
else
	ours=yes
fi
workers=()
cleanup() {
	local p
	for p in "${workers[@]}"; do kill "$p" 2>/dev/null || true; done
	if [[ $ours == yes ]]; then "$TB" down >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT INT TERM
if [[ $ours == yes ]]; then
	"$TB" up --variant switch --rate "${LWT_FIELD_RATE:-100mbit}" --buffer "${LWT_FIELD_BUFFER:-32mb}" >&2
fi
nodes=$(lwt_node_count switch)
work=$LWT_STATE/field
mkdir -p "$work"

# --- policies: what each phase applies on every node -------------------
# From the testbed's per-node policy (priority, link_rate, gso_max_segs,
# dscp, probes): "observe" keeps only classification, probes and alarms.
write_phase_policies() {
	local n src
	for n in $(seq "$nodes"); do
		src=$LWT_STATE/lwtn$n.toml
		sed -e 's/^priority = "high"/priority = "normal"/' -e '/^link_rate = /d' -e '/^gso_max_segs = /d' \
			-e '/^dscp = /d' "$src" >"$work/observe$n.toml"
		sed -e '/^dscp = /d' "$src" >"$work/shaped$n.toml"
		sed -e '/^link_rate = /d' "$src" >"$work/dscp$n.toml"
	done
}

# --- corosync's evidence ------------------------------------------------
srp_sum() { # key: summed over the nodes
	local n t=0 v
	for n in $(seq "$nodes"); do
		v=$(lwt_nsx "$(lwt_node_ns "$n")" corosync-cmapctl -m stats "stats.srp.$1" 2>/dev/null | awk '{ print $NF }')
		t=$((t + ${v:-0}))
	done
	echo "$t"
}
log_lines() { # node -> current line count of its corosync log
	wc -l <"$LWT_STATE/lwtn$1/corosync.log"
}
log_since() { # node start-line -> the log lines after it
	tail -n +"$(($2 + 1))" "$LWT_STATE/lwtn$1/corosync.log"
}
# "Dec 07 04:54:38.083 [..." -> epoch ms (corosync logs local time, hires)
log_ms() { date -d "$(cut -c1-19 <<<"$1")" +%s%3N; }
quorate_all() {
	local n
	for n in $(seq "$nodes"); do
		lwt_nsx "$(lwt_node_ns "$n")" corosync-quorumtool -s 2>/dev/null | grep -Eq '^Quorate:[[:space:]]+Yes' || return 1
	done
}
wait_quorate() { # seconds
	local until=$((SECONDS + $1))
	while ((SECONDS < until)); do
		quorate_all && return 0
		sleep 0.5
	done
	return 1
}
knet_max_us() { # worst link-0 latency_max over every node and peer
	"$TB" knet | jq -s '[.[] | select(.link == 0) | .latency_max_us] | max // 0'
}

# --- the load -----------------------------------------------------------
start_load() { # -> workers, outputs in $work/load-F-T.json
	local f t
	rm -f "$work"/load-*.json
	for f in $(seq "$nodes"); do
		for t in $(seq "$nodes"); do
			((f == t)) && continue
			[[ $load == one && $t != 1 ]] && continue
			"$TRAFFIC" ceph --from "$f" --to "$t" --port $((6800 + 10 * f + t)) --streams "$streams" \
				--cc cubic --seconds "$secs" >"$work/load-$f-$t.json" 2>/dev/null &
			workers+=($!)
		done
	done
}
load_mbit() { jq -s '[.[].mbit] | add // 0 | . * 10 | round / 10' "$work"/load-*.json; }

# --- one phase ----------------------------------------------------------
run_phase() { # name
	local name=$1 n pol mode
	case $name in
	bare) pol=observe mode=audit ;;
	shaped) pol=shaped mode=enforce ;;
	dscp) pol=dscp mode=enforce ;;
	esac
	"$TB" port --qos "$([[ $name == dscp ]] && echo dscp || echo none)"
	for n in $(seq "$nodes"); do
		lwt_lw "$n" apply "$work/$pol$n.toml" --mode "$mode" >/dev/null
	done
	wait_quorate 30 || true

	# Idle first: the bound the protected phases are held to.
	"$TB" knet --clear
	sleep 4
	local idle_us
	idle_us=$(knet_max_us)

	local -a start_line
	for n in $(seq "$nodes"); do start_line[n]=$(log_lines "$n"); done
	local lost0 retx0
	lost0=$(srp_sum operational_token_lost)
	retx0=$(srp_sum mcast_retx)
	# lanewarden's alarms: its own probes on every Corosync link, the
	# datapath times them, watch compares each second's p99 with the
	# corosync class's latency_alarm (5 ms by default).
	local watchers=()
	for n in $(seq "$nodes"); do
		lwt_lw "$n" probe "$work/$pol$n.toml" --interval 100ms --duration $((secs + 6)) >/dev/null 2>&1 &
		watchers+=($!)
		lwt_lw "$n" watch --format json --duration $((secs + 6)) --alarm-interval 1s \
			>"$work/watch-$name-$n.json" 2>/dev/null &
		watchers+=($!)
	done
	workers+=("${watchers[@]}")
	sleep 1
	"$TB" knet --clear
	local t0_ms
	t0_ms=$(date +%s%3N)
	workers=("${watchers[@]}")
	start_load
	local polls=0 lost_polls=0 end=$((SECONDS + secs + 3))
	while ((SECONDS < end)); do
		polls=$((polls + 1))
		quorate_all || lost_polls=$((lost_polls + 1))
		sleep 1
	done
	local latency_us
	latency_us=$(knet_max_us)
	# What the switch's priority queue carried (dscp): Corosync's CS6 frames.
	local prio_pkts=0
	if [[ $name == dscp ]]; then
		for n in $(seq "$nodes"); do
			prio_pkts=$((prio_pkts + $(lwt_nsx "$(lwt_switch_ns lan)" tc -s class show dev "lwtp$n-lan" classid 1:10 |
				awk '/Sent/ { print $4; exit }')))
		done
	fi
	wait "${workers[@]}" 2>/dev/null || true
	workers=()
	# A lost token ends in a new membership some seconds later: wait for
	# quorum (or 20 s) before reading the logs, so it is counted here.
	local quorum_now
	quorum_now=$(wait_quorate 20 && echo true || echo false)
	sleep 1

	# corosync's evidence over the phase
	local all_log="$work/corosync-$name.log"
	: >"$all_log"
	for n in $(seq "$nodes"); do log_since "$n" "${start_line[n]}" | sed "s/^/lwtn$n /" >>"$all_log"; done
	local warnings retr memb failed first_warn="" first_alarm="" lead=""
	warnings=$(grep -c 'Token has not been received' "$all_log" || true)
	retr=$(grep -c 'Retransmit List' "$all_log" || true)
	memb=$({ grep -o 'A new membership ([0-9a-f.:]*)' "$all_log" || true; } | sort -u | wc -l)
	failed=$(grep -c 'A processor failed' "$all_log" || true)
	local line
	line=$({ grep -E 'Token has not been received|A processor failed|Retransmit List' "$all_log" || true; } | cut -d' ' -f2- | sort | head -1)
	[[ -n $line ]] && first_warn=$(($(log_ms "$line") - t0_ms))
	local alarm_ts
	alarm_ts=$(cat "$work"/watch-"$name"-*.json | jq -r 'select(.kind? == "latency" and .class == "corosync") | .ts' 2>/dev/null | sort | head -1)
	local alarms
	alarms=$(cat "$work"/watch-"$name"-*.json | jq -r 'select(.kind? == "latency" and .class == "corosync") | .ts' 2>/dev/null | wc -l)
	[[ -n $alarm_ts ]] && first_alarm=$(($(date -d "$alarm_ts" +%s%3N) - t0_ms))
	[[ -n $first_warn && -n $first_alarm ]] && lead=$((first_warn - first_alarm))

	local lost retx mbit
	lost=$(($(srp_sum operational_token_lost) - lost0))
	retx=$(($(srp_sum mcast_retx) - retx0))
	mbit=$(load_mbit)

	if [[ $json == yes ]]; then
		jq -cn --arg phase "$name" --arg load "$load" --argjson secs "$secs" --argjson streams "$streams" \
			--argjson idle "$idle_us" --argjson lat "$latency_us" --argjson lost "$lost" --argjson retx "$retx" \
			--argjson warnings "$warnings" --argjson retr "$retr" --argjson memb "$memb" --argjson failed "$failed" \
			--argjson polls "$polls" --argjson lost_polls "$lost_polls" --argjson mbit "$mbit" \
			--argjson alarms "$alarms" --arg first_warn "$first_warn" --arg first_alarm "$first_alarm" \
			--arg lead "$lead" --argjson prio_pkts "$prio_pkts" --argjson quorum_after "$quorum_now" --arg load_avg "$(cut -d' ' -f1-3 /proc/loadavg)" \
			--arg rate "$(cat "$LWT_STATE/rate")" --arg buffer "$(cat "$LWT_STATE/buffer")" \
			'{phase: $phase, load: $load, seconds: $secs, streams: $streams, rate: $rate, buffer: $buffer,
			  idle_latency_max_us: $idle, latency_max_us: $lat,
			  operational_token_lost: $lost, mcast_retx: $retx, token_warnings: $warnings,
			  retransmit_lists: $retr, processor_failed: $failed, new_memberships: $memb,
			  quorum_polls: $polls, quorum_lost_polls: $lost_polls, quorate_after: $quorum_after,
			  ceph_mbit: $mbit, latency_alarms: $alarms, switch_priority_queue_packets: $prio_pkts,
			  first_corosync_warning_ms: ($first_warn | tonumber? // null),
			  first_alarm_ms: ($first_alarm | tonumber? // null),
			  alarm_lead_ms: ($lead | tonumber? // null), loadavg: $load_avg}'
	else
		say ""
		say "== $name: $(phase_title "$name")"
		say "  knet link 0 latency_max: idle $(ms "$idle_us") ms, under load $(ms "$latency_us") ms"
		say "  corosync: $lost token lost, $warnings \"Token has not been received\", $failed \"A processor failed\","
		say "            $retr \"Retransmit List\", $retx mcast_retx, $memb new membership(s)"
		say "  quorum: lost in $lost_polls of $polls polls (1/s, every node); quorate after the load: $quorum_now"
		say "  lanewarden latency alarms (corosync, p99 > 5 ms): $alarms${first_alarm:+, first ${first_alarm} ms into the load}"
		[[ -n $first_warn ]] && say "  corosync's first warning ${first_warn} ms into the load${lead:+: the alarm came ${lead} ms earlier}"
		say "  Ceph recovery ($load, $streams streams per pair, cubic): $mbit Mbit/s in total"
		[[ $name != dscp ]] || say "  the switch ports' priority queue sent $prio_pkts packets (CS6-marked Corosync)"
	fi
	# Let a deep switch buffer drain before the next phase.
	sleep 3
}
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
phase_title() {
	case $1 in
	bare) echo "no protection (lanewarden observing in audit mode), switch without QoS" ;;
	shaped) echo "lanewarden enforce, each node shaped to link_rate = line / (N - 1), switch without QoS" ;;
	dscp) echo "lanewarden enforce, Corosync marked CS6, switch trusting DSCP (strict-priority queue)" ;;
	esac
}

write_phase_policies
say "field proof: $nodes nodes, one switch, ports $(cat "$LWT_STATE/rate") with a $(cat "$LWT_STATE/buffer") buffer; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for p in ${phases//,/ }; do run_phase "$p"; done
for n in $(seq "$nodes"); do lwt_lw "$n" detach >/dev/null 2>&1 || true; done
"$TB" port --qos none
