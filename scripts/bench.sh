#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# lanewarden against the alternatives, side by side on the same veth path,
# in one run (docs/bench.md has the figures and how to read them):
#
#   bare      no program on the path
#   audit     lanewarden, mode audit (classify, count, report)
#   enforce   lanewarden, mode enforce (the same, and drop violations)
#   nftables  an equivalent ruleset in the netdev ingress and egress hooks:
#             the same classes by port sets and CIDR sets, a counter per
#             class, the same drops, `limit rate` for the migration cap
#
# Rows (one JSON object per line on stdout; a readable summary on stderr):
#   throughput  iperf3 TCP (Ceph port 6800) a -> b: Gbit/s and CPU % per
#               Gbit/s (iperf3's own host+remote CPU), both as ratios to bare;
#               configurations interleaved round by round, median of rounds
#   datapath    `lanewarden bench --format json`: ns/packet against an empty
#               program (BPF_PROG_TEST_RUN)
#   cap         a 200 Mbit/s migration cap (TCP 60000): lanewarden police,
#               lanewarden shape, nftables limit: goodput / cap
#   memory      lanewarden's BPF maps (bpftool: bytes_memlock), the nftables
#               ruleset, and the RSS of `lanewarden run` when it exists
#
#   sudo scripts/bench.sh [--quick] [--seconds S] [--rounds R]
#
# --quick: 1 s runs, one round (a functional slice for the test suite: every
# row present, the numbers meaningless). Default: 5 s runs, 5 rounds, about
# 4 minutes. Names start with lwtbs, addresses are documentation ranges, and
# everything is removed on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
LW=${LW_BINARY:-$ROOT/build/userspace/lanewarden}
SECS=5 ROUNDS=5 QUICK=no
while (($#)); do
	case $1 in
	--quick) SECS=1 ROUNDS=1 QUICK=yes; shift ;;
	--seconds) SECS=${2:?}; shift 2 ;;
	--rounds) ROUNDS=${2:?}; shift 2 ;;
	*) sed -n '23,28p' "$0" >&2; exit 2 ;;
	esac
done
[[ $(id -u) == 0 ]] || { echo "bench: needs root" >&2; exit 1; }
[[ -x $LW ]] || { echo "bench: no lanewarden at $LW (build it or set LW_BINARY)" >&2; exit 1; }

A=lwtbs-a B=lwtbs-b
PIN=/sys/fs/bpf/lwtbs$$
TMP=$(mktemp -d /tmp/lwtbs.XXXXXX)
CAP_MBIT=200
SUMMARY=()

cleanup() {
	"$LW" --netns "$A" --pin-dir "$PIN" detach >/dev/null 2>&1 || true
	rm -rf "$PIN"
	for ns in $A $B; do
		local pids
		pids=$(ip netns pids "$ns" 2>/dev/null || true)
		# shellcheck disable=SC2086
		[[ -n $pids ]] && kill $pids 2>/dev/null
		ip netns del "$ns" 2>/dev/null || true
	done
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

emit() { echo "$1"; }
say() { SUMMARY+=("$1"); }

# --- the path: a -- b over one veth pair (data) and one for Corosync -------
for ns in $A $B; do
	ip netns add "$ns"
	ip -n "$ns" link set lo up
done
ip link add lwtbs-a0 netns $A type veth peer name lwtbs-b0 netns $B
ip link add lwtbs-ac netns $A type veth peer name lwtbs-bc netns $B
ip -n $A addr add 203.0.113.1/28 dev lwtbs-a0   # Ceph public
ip -n $A addr add 203.0.113.33/28 dev lwtbs-a0  # migration
ip -n $B addr add 203.0.113.2/28 dev lwtbs-b0
ip -n $B addr add 203.0.113.34/28 dev lwtbs-b0
ip -n $A addr add 198.51.100.1/28 dev lwtbs-ac  # Corosync link 0
ip -n $B addr add 198.51.100.2/28 dev lwtbs-bc
for l in a0 ac; do ip -n $A link set "lwtbs-$l" up; done
for l in b0 bc; do ip -n $B link set "lwtbs-$l" up; done

# Node a's policy: Corosync alone on its link; storage, migration and
# management on the data link, exclusively; a police cap on migration (no HTB
# on the path, as in the nftables ruleset). cap_mode is filled in per case.
policy() { # mode cap_mode
	cat <<EOF
mode = "$1"
[networks]
corosync = ["198.51.100.0/28"]
management = ["198.51.100.32/28"]
ceph_public = ["203.0.113.0/28"]
ceph_cluster = ["203.0.113.16/28"]
migration = ["203.0.113.32/28"]
[[lane]]
interface = "lwtbs-ac"
classes = ["corosync"]
exclusive = true
[[lane]]
interface = "lwtbs-a0"
classes = ["ceph_public", "ceph_cluster", "migration", "management"]
exclusive = true
[class.migration]
cap = "${CAP_MBIT}mbit"
cap_mode = "$2"
action = "enforce"
EOF
}

lw_apply() { # mode cap_mode
	policy "$1" "$2" >"$TMP/policy.toml"
	"$LW" --netns $A --pin-dir "$PIN" apply "$TMP/policy.toml" >/dev/null 2>"$TMP/apply.err" ||
		{ cat "$TMP/apply.err" >&2; return 1; }
}
lw_detach() { "$LW" --netns $A --pin-dir "$PIN" detach >/dev/null 2>&1 || true; }

# The nftables equivalent on lwtbs-a0: the same classes (either port, either
# address, as lanewarden matches them), a named counter per class, the
# intruder drop of an exclusive lane, and the migration cap.
nft_ruleset() {
	local rate=$((CAP_MBIT / 8))
	cat <<EOF
table netdev lwtbs {
  set corosync_nets { type ipv4_addr; flags interval; elements = { 198.51.100.0/28 } }
  set mgmt_nets { type ipv4_addr; flags interval; elements = { 198.51.100.32/28 } }
  set cephpub_nets { type ipv4_addr; flags interval; elements = { 203.0.113.0/28 } }
  set cephclu_nets { type ipv4_addr; flags interval; elements = { 203.0.113.16/28 } }
  set migr_nets { type ipv4_addr; flags interval; elements = { 203.0.113.32/28 } }
  set corosync_ports { type inet_service; flags interval; elements = { 5405-5412 } }
  set migr_ports { type inet_service; flags interval; elements = { 22, 60000-60050 } }
  set ceph_ports { type inet_service; flags interval; elements = { 3300, 6789, 6800-7300 } }
  set mgmt_ports { type inet_service; flags interval; elements = { 22, 111, 3128, 5900-5999, 8006 } }
  counter infra {}
  counter corosync {}
  counter migration {}
  counter migration_over_cap {}
  counter ceph_public {}
  counter ceph_cluster {}
  counter management {}
  counter intruder {}
  chain classify {
    ether type arp counter name infra accept
    icmp type { destination-unreachable, time-exceeded, parameter-problem } counter name infra accept
    ip protocol udp udp dport @corosync_ports ip saddr @corosync_nets ip daddr @corosync_nets counter name intruder drop
    ip protocol tcp th dport @migr_ports ip saddr @migr_nets goto migration
    ip protocol tcp th dport @migr_ports ip daddr @migr_nets goto migration
    ip protocol tcp th sport @migr_ports ip saddr @migr_nets goto migration
    ip protocol tcp th sport @migr_ports ip daddr @migr_nets goto migration
    ip protocol tcp th dport @ceph_ports ip saddr @cephclu_nets counter name ceph_cluster accept
    ip protocol tcp th dport @ceph_ports ip daddr @cephclu_nets counter name ceph_cluster accept
    ip protocol tcp th sport @ceph_ports ip saddr @cephclu_nets counter name ceph_cluster accept
    ip protocol tcp th sport @ceph_ports ip daddr @cephclu_nets counter name ceph_cluster accept
    ip protocol tcp th dport @ceph_ports ip saddr @cephpub_nets counter name ceph_public accept
    ip protocol tcp th dport @ceph_ports ip daddr @cephpub_nets counter name ceph_public accept
    ip protocol tcp th sport @ceph_ports ip saddr @cephpub_nets counter name ceph_public accept
    ip protocol tcp th sport @ceph_ports ip daddr @cephpub_nets counter name ceph_public accept
    meta l4proto { tcp, udp } th dport @mgmt_ports ip saddr @mgmt_nets counter name management accept
    meta l4proto { tcp, udp } th dport @mgmt_ports ip daddr @mgmt_nets counter name management accept
    meta l4proto { tcp, udp } th sport @mgmt_ports ip saddr @mgmt_nets counter name management accept
    meta l4proto { tcp, udp } th sport @mgmt_ports ip daddr @mgmt_nets counter name management accept
    counter name intruder drop
  }
  chain migration {
    limit rate over $rate mbytes/second burst 4 mbytes counter name migration_over_cap drop
    counter name migration accept
  }
  chain in { type filter hook ingress device "lwtbs-a0" priority 0; policy accept; jump classify; }
  chain out { type filter hook egress device "lwtbs-a0" priority 0; policy accept; jump classify; }
}
EOF
}
nft_on() { nft_ruleset >"$TMP/rules.nft" && ip netns exec $A nft -f "$TMP/rules.nft"; }
nft_off() { ip netns exec $A nft delete table netdev lwtbs 2>/dev/null || true; }

# iperf3 a -> b; prints "bits_per_second cpu_host cpu_remote retransmits".
iperf() { # dst port secs [omit]
	local dst=$1 port=$2 secs=$3 omit=${4:-0} out=$TMP/iperf.json
	ip netns exec $B timeout $((secs + omit + 10)) iperf3 -s -1 -p "$port" -B "$dst" >/dev/null 2>&1 &
	local spid=$!
	for _ in $(seq 20); do
		sleep 0.1
		ip netns exec $B ss -Hltn "sport = :$port" | grep -q . && break
	done
	ip netns exec $A timeout $((secs + omit + 8)) iperf3 -J -c "$dst" -p "$port" -t "$secs" -O "$omit" \
		--connect-timeout 2000 >"$out" 2>/dev/null || true
	wait "$spid" 2>/dev/null || true
	jq -r '"\(.end.sum_received.bits_per_second // 0) \(.end.cpu_utilization_percent.host_total // 0) \(.end.cpu_utilization_percent.remote_total // 0) \(.end.sum_sent.retransmits // 0)"' "$out" 2>/dev/null || echo "0 0 0 0"
}

setup_case() { # name
	case $1 in
	bare) ;;
	audit) lw_apply audit police ;;
	enforce) lw_apply enforce police ;;
	nftables) nft_on ;;
	esac
}
teardown_case() { lw_detach; nft_off; }

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# --- 1. throughput and CPU ---------------------------------------------------
CASES=(bare audit enforce nftables)
for _ in $(seq "$ROUNDS"); do
	for c in "${CASES[@]}"; do
		setup_case "$c"
		read -r bits host remote _ < <(iperf 203.0.113.2 6800 "$SECS")
		teardown_case
		echo "$bits $host $remote" >>"$TMP/tp-$c"
	done
done
declare -A GBIT CPU_PER_GBIT TR CR
for c in "${CASES[@]}"; do
	GBIT[$c]=$(awk '{ print $1 / 1e9 }' "$TMP/tp-$c" | median)
	# CPU % (sender + receiver, each out of 100 % of all cores) per Gbit/s.
	CPU_PER_GBIT[$c]=$(awk '{ if ($1 > 0) print ($2 + $3) / ($1 / 1e9); else print 0 }' "$TMP/tp-$c" | median)
	# Ratios are paired by round (each case against the bare run just before
	# it), then the median: slow drifts of a shared machine cancel out.
	TR[$c]=$(paste -d' ' "$TMP/tp-$c" "$TMP/tp-bare" | awk '{ print ($4 > 0 ? $1 / $4 : 0) }' | median)
	CR[$c]=$(paste -d' ' "$TMP/tp-$c" "$TMP/tp-bare" |
		awk '{ a = $1 > 0 ? ($2 + $3) / $1 : 0; b = $4 > 0 ? ($5 + $6) / $4 : 0; print (b > 0 ? a / b : 0) }' | median)
done
for c in "${CASES[@]}"; do
	tr=$(printf '%.3f' "${TR[$c]}")
	cr=$(printf '%.3f' "${CR[$c]}")
	emit "$(printf '{"bench":"throughput","case":"%s","rounds":%d,"seconds":%d,"gbit":%.3f,"throughput_ratio":%s,"cpu_pct_per_gbit":%.2f,"cpu_ratio":%s}' \
		"$c" "$ROUNDS" "$SECS" "${GBIT[$c]}" "$tr" "${CPU_PER_GBIT[$c]}" "$cr")"
	say "$(printf 'throughput %-9s %7.2f Gbit/s  x%s of bare   CPU %6.2f %%/Gbit/s  x%s of bare' "$c" "${GBIT[$c]}" "$tr" "${CPU_PER_GBIT[$c]}" "$cr")"
done

# --- 2. datapath cost per packet (BPF_PROG_TEST_RUN) ------------------------
bench_args=(--format json)
[[ $QUICK == yes ]] && bench_args+=(--rounds 3 --repeat 20000)
"$LW" bench "${bench_args[@]}" >"$TMP/datapath.json"
while read -r line; do
	emit "$line"
	say "$(jq -r '"datapath   \(.packet | .[0:26] | . + " " * (26 - length)) \(.ns_per_packet * 10 | round / 10) ns/pkt  empty \(.empty_ns_per_packet * 10 | round / 10)  x\(.ratio * 100 | round / 100)"' <<<"$line")"
done <"$TMP/datapath.json"

# --- 3. cap accuracy ---------------------------------------------------------
# The first second is left out (-O 1): a policer's bucket starts full by design.
cap_case() { # name setup
	$2
	read -r bits _ _ retr < <(iperf 203.0.113.34 60000 "$SECS" 1)
	teardown_case
	local ratio
	ratio=$(awk -v b="$bits" -v c="$CAP_MBIT" 'BEGIN { printf "%.3f", b / (c * 1e6) }')
	emit "$(printf '{"bench":"cap","case":"%s","cap_mbit":%d,"seconds":%d,"goodput_mbit":%.1f,"ratio":%s,"retransmits":%d}' \
		"$1" "$CAP_MBIT" "$SECS" "$(awk -v b="$bits" 'BEGIN { print b / 1e6 }')" "$ratio" "$retr")"
	say "$(printf 'cap        %-17s goodput/cap %s  retransmits %s' "$1" "$ratio" "$retr")"
}
cap_case lanewarden_police "lw_apply enforce police"
cap_case lanewarden_shape "lw_apply enforce shape"
cap_case nftables_limit nft_on

# --- 4. memory ---------------------------------------------------------------
lw_apply enforce police
map_bytes=0 maps=0
while read -r f; do
	b=$(bpftool -j map show pinned "$f" 2>/dev/null | jq -r '.bytes_memlock // empty' || true)
	[[ -n $b ]] || continue
	map_bytes=$((map_bytes + b))
	maps=$((maps + 1))
done < <(find "$PIN" -type f)
rss_kb=null
if "$LW" --help 2>/dev/null | grep -qE "^ +run "; then
	policy enforce police >"$TMP/policy.toml"
	"$LW" --netns $A --pin-dir "$PIN" run "$TMP/policy.toml" >"$TMP/run.log" 2>&1 &
	rpid=$!
	sleep 2
	rss_kb=$(awk '/^VmRSS:/ { print $2 }' "/proc/$rpid/status" 2>/dev/null || echo null)
	kill "$rpid" 2>/dev/null || true
	wait "$rpid" 2>/dev/null || true
	[[ -n $rss_kb ]] || rss_kb=null
fi
teardown_case
nft_on
nft_rules=$(ip netns exec $A nft -a list table netdev lwtbs | grep -c 'handle' || true)
teardown_case
emit "$(printf '{"bench":"memory","case":"lanewarden","maps":%d,"map_bytes_memlock":%d,"daemon_rss_kb":%s}' "$maps" "$map_bytes" "$rss_kb")"
emit "$(printf '{"bench":"memory","case":"nftables","objects":%d}' "$nft_rules")"
say "$(printf 'memory     lanewarden %d pinned maps, %d KiB locked; lanewarden run RSS %s KiB; nftables %d objects' \
	"$maps" $((map_bytes / 1024)) "$rss_kb" "$nft_rules")"

{
	echo
	echo "== lanewarden bench suite ($([[ $QUICK == yes ]] && echo "QUICK: numbers not meaningful, " )$ROUNDS round(s) of ${SECS} s; ratios against the bare path of the same run)"
	printf '%s\n' "${SUMMARY[@]}"
} >&2
