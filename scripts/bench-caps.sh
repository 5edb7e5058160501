#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Longer measurements behind docs/caps.md, in throwaway network namespaces:
#
#  1. caps: a 50 Mbit/s migration cap (TCP port 60000) in shape and police
#     mode, 20 s iperf3 runs with BBR (the machine default) and cubic:
#     goodput / cap and retransmits.
#  2. contention: a 100 Mbit/s bottleneck in a "switch" namespace (a bridge,
#     TBF on the port towards the receiver), bulk TCP on Ceph port 6800
#     saturating it, and a Corosync-like UDP probe (port 5405, 100 probes/s)
#     measuring RTT p50/p99: idle, loaded without lanewarden, loaded with
#     lanewarden (priority only, priority + link_rate, priority + link_rate
#     + gso_max_segs), with one sender and with two senders towards one node.
#
# Prints one JSON object per measurement on stdout and a readable summary at
# the end. Needs root, iperf3, tc, python3 and a built lanewarden:
#   sudo LW_BINARY=build/userspace/lanewarden scripts/bench-caps.sh [seconds]
# PARTS=caps or PARTS=contention runs only that part (default: both);
# CAP_MBIT=200 changes the cap of part 1 (default 50), CAP_BURST=16MiB its
# police bucket (default: lanewarden's).
# Only documentation addresses (198.51.100.0/24, 203.0.113.0/24) and names
# starting with "lwtb" are used; everything is removed on exit.
set -euo pipefail

LW_BINARY=${LW_BINARY:-$(dirname "$0")/../build/userspace/lanewarden}
SECS=${1:-20}          # iperf3 run length for the cap measurements
PARTS=${PARTS:-caps,contention}
CAP_MBIT=${CAP_MBIT:-50}  # the migration cap of part 1 (Mbit/s)
LOAD_SECS=12           # bulk transfer length for the contention cases
PROBES=800             # 8 s of probes at 10 ms, started 2 s into the load
TMP=$(mktemp -d /tmp/lwtb.XXXXXX)
PIN=/sys/fs/bpf/lwtb$$
NSES=(lwtb-a lwtb-b lwtb-c lwtb-sw)
SUMMARY=()

cleanup() {
	for ns in "${NSES[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
	done
	for pin in "$PIN"*; do
		[ -e "$pin" ] || continue
		for ns in lwtb-a lwtb-c; do
			"$LW_BINARY" --netns "$ns" --pin-dir "$pin" detach >/dev/null 2>&1 || true
		done
		rm -rf "$pin"
	done
	for ns in "${NSES[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

[ "$(id -u)" = 0 ] || { echo "bench-caps: needs root" >&2; exit 1; }
[ -x "$LW_BINARY" ] || { echo "bench-caps: no lanewarden binary at $LW_BINARY (set LW_BINARY)" >&2; exit 1; }

nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

new_ns() {
	ip netns add "$1"
	nsx "$1" ip link set lo up
}

# The Corosync-like probe: UDP 5405 -> 5405, 100 per second, RTT in µs.
cat >"$TMP/probe.py" <<'EOF'
import socket, sys, time, json
mode = sys.argv[1]
if mode == "echo":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((sys.argv[2], 5405))
    while True:
        d, a = s.recvfrom(2048)
        s.sendto(d, a)
src, dst, n = sys.argv[2], sys.argv[3], int(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((src, 5405))
s.settimeout(2.0)
rtts, lost = [], 0
for i in range(n):
    t0 = time.monotonic_ns()
    s.sendto(i.to_bytes(4, "big") + b"x" * 96, (dst, 5405))
    while True:
        try:
            d, _ = s.recvfrom(2048)
        except socket.timeout:
            lost += 1
            break
        if int.from_bytes(d[:4], "big") == i:
            rtts.append((time.monotonic_ns() - t0) / 1000.0)
            break
    time.sleep(max(0.0, 0.01 - (time.monotonic_ns() - t0) / 1e9))
rtts.sort()
q = lambda p: rtts[min(len(rtts) - 1, int(p * len(rtts)))] if rtts else -1
print(json.dumps({"probes": n, "lost": lost, "p50_us": round(q(0.50), 1),
                  "p99_us": round(q(0.99), 1), "max_us": round(rtts[-1], 1) if rtts else -1}))
EOF

# iperf3 between namespaces; prints "goodput_bits retransmits".
iperf_run() {
	local cli=$1 srv=$2 dst=$3 port=$4 secs=$5; shift 5
	nsx "$srv" timeout $((secs + 15)) iperf3 -s -1 -p "$port" -B "$dst" >/dev/null 2>&1 &
	local spid=$!
	sleep 0.5
	nsx "$cli" timeout $((secs + 10)) iperf3 -J -c "$dst" -p "$port" -t "$secs" "$@" >"$TMP/iperf.json" || true
	wait "$spid" 2>/dev/null || true
	jq -r '"\(.end.sum_received.bits_per_second // 0) \(.end.sum_sent.retransmits // 0)"' "$TMP/iperf.json"
}

apply_policy() { # ns pin toml
	printf '%s\n' "$3" >"$TMP/$1.toml"
	"$LW_BINARY" --netns "$1" --pin-dir "$2" apply "$TMP/$1.toml" >/dev/null
}
detach() { "$LW_BINARY" --netns "$1" --pin-dir "$2" detach >/dev/null 2>&1 || true; }

############################################################################
# 1. Caps: node a -- node b on one veth pair.
if [[ $PARTS == *caps* ]]; then
new_ns lwtb-a
new_ns lwtb-b
ip link add lwtb-a0 netns lwtb-a type veth peer name lwtb-b0 netns lwtb-b
nsx lwtb-a ip addr add 198.51.100.1/24 dev lwtb-a0
nsx lwtb-b ip addr add 198.51.100.2/24 dev lwtb-b0
nsx lwtb-a ip link set lwtb-a0 up
nsx lwtb-b ip link set lwtb-b0 up

cap_policy() { # cap_mode
	local burst_line=""
	[ -n "${CAP_BURST:-}" ] && burst_line="burst = \"$CAP_BURST\""
	cat <<EOF
mode = "audit"
[networks]
corosync = ["203.0.113.0/26"]
migration = ["198.51.100.0/24"]
[[lane]]
interface = "lwtb-a0"
classes = ["corosync", "migration", "other"]
[class.migration]
cap = "${CAP_MBIT}mbit"
cap_mode = "$1"
action = "enforce"
$burst_line
EOF
}

for mode in ${CAP_MODES:-shape police}; do
	apply_policy lwtb-a "${PIN}cap" "$(cap_policy "$mode")"
	for cc in bbr cubic; do
		read -r bits retr < <(iperf_run lwtb-a lwtb-b 198.51.100.2 60000 "$SECS" -C "$cc")
		ratio=$(awk -v b="$bits" -v c="$CAP_MBIT" 'BEGIN { printf "%.3f", b / (c * 1e6) }')
		mbit=$(awk -v b="$bits" 'BEGIN { printf "%.1f", b / 1e6 }')
		echo "{\"bench\":\"cap\",\"mode\":\"$mode\",\"cc\":\"$cc\",\"cap_mbit\":$CAP_MBIT,\"seconds\":$SECS,\"goodput_mbit\":$mbit,\"ratio\":$ratio,\"retransmits\":$retr}"
		SUMMARY+=("$(printf 'cap %-6s %-5s  goodput %6s Mbit/s  ratio %s  retransmits %s' "$mode" "$cc" "$mbit" "$ratio" "$retr")")
	done
	detach lwtb-a "${PIN}cap"
done
ip netns del lwtb-a
ip netns del lwtb-b
fi
[[ $PARTS == *contention* ]] || { printf '%s\n' "${SUMMARY[@]}"; exit 0; }

############################################################################
# 2. Contention: senders a (and c) -- switch -- receiver b, 100 Mbit/s
# towards b. The switch port holds at most 1 MB (80 ms at 100 Mbit/s), a
# modest switch buffer; TBF segments GSO packets, the bridge does not.
new_ns lwtb-a
new_ns lwtb-b
new_ns lwtb-c
new_ns lwtb-sw
nsx lwtb-sw ip link add lwtb-br type bridge
nsx lwtb-sw ip link set lwtb-br up
i=1
for n in a b c; do
	ip link add "lwtb-${n}0" netns "lwtb-$n" type veth peer name "lwtb-s$n" netns lwtb-sw
	nsx "lwtb-$n" ip addr add "198.51.100.$i/24" dev "lwtb-${n}0"
	nsx "lwtb-$n" ip addr add "203.0.113.$i/26" dev "lwtb-${n}0"
	nsx "lwtb-$n" ip link set "lwtb-${n}0" up
	nsx lwtb-sw ip link set "lwtb-s$n" master lwtb-br up
	i=$((i + 1))
done
nsx lwtb-sw tc qdisc add dev lwtb-sb root tbf rate 100mbit burst 64kb limit 1mb
nsx lwtb-b python3 "$TMP/probe.py" echo 203.0.113.2 &
sleep 0.3

sender_policy() { # iface link_rate gso_max_segs
	echo 'mode = "audit"
[networks]
corosync = ["203.0.113.0/26"]
ceph_cluster = ["198.51.100.0/24"]
[[lane]]
interface = "'"$1"'"
classes = ["corosync", "ceph_cluster", "other"]'
	[ -n "$2" ] && echo "link_rate = \"$2\""
	[ -n "${3:-}" ] && echo "gso_max_segs = $3"
	echo '[class.corosync]
priority = "high"'
}

# case senders lanewarden link_rate [gso_max_segs]
contention() {
	local name=$1 senders=$2 lw=$3 rate=$4 gso=${5:-}
	local pids=()
	if [ "$lw" = yes ]; then
		apply_policy lwtb-a "${PIN}a" "$(sender_policy lwtb-a0 "$rate" "$gso")"
		[ "$senders" = 2 ] && apply_policy lwtb-c "${PIN}c" "$(sender_policy lwtb-c0 "$rate" "$gso")"
	fi
	if [ "$senders" != 0 ]; then
		nsx lwtb-b timeout $((LOAD_SECS + 10)) iperf3 -s -1 -p 6800 -B 198.51.100.2 >/dev/null 2>&1 &
		pids+=($!)
		[ "$senders" = 2 ] && { nsx lwtb-b timeout $((LOAD_SECS + 10)) iperf3 -s -1 -p 6801 -B 198.51.100.2 >/dev/null 2>&1 & pids+=($!); }
		sleep 0.5
		nsx lwtb-a timeout $((LOAD_SECS + 5)) iperf3 -c 198.51.100.2 -p 6800 -t "$LOAD_SECS" -J >"$TMP/load-a.json" 2>/dev/null &
		pids+=($!)
		# Port 6801: still Ceph's OSD range (6800-7300), a second server.
		[ "$senders" = 2 ] && { nsx lwtb-c timeout $((LOAD_SECS + 5)) iperf3 -c 198.51.100.2 -p 6801 -t "$LOAD_SECS" -J >"$TMP/load-c.json" 2>/dev/null & pids+=($!); }
		sleep 2
	fi
	local res
	res=$(nsx lwtb-a python3 "$TMP/probe.py" probe 203.0.113.1 203.0.113.2 "$PROBES")
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	local load=0
	if [ "$senders" != 0 ]; then
		load=$(cat "$TMP"/load-*.json 2>/dev/null | jq -s '[.[].end.sum_received.bits_per_second // 0] | add / 1e6 | . * 10 | round / 10')
		rm -f "$TMP"/load-*.json
	fi
	detach lwtb-a "${PIN}a"
	detach lwtb-c "${PIN}c"
	local p50 p99 lost
	p50=$(jq -r .p50_us <<<"$res"); p99=$(jq -r .p99_us <<<"$res"); lost=$(jq -r .lost <<<"$res")
	echo "{\"bench\":\"contention\",\"case\":\"$name\",\"senders\":$senders,\"lanewarden\":\"$lw\",\"link_rate\":\"$rate\",\"gso_max_segs\":\"$gso\",\"bulk_mbit\":$load,\"probe\":$res}"
	SUMMARY+=("$(printf 'rtt %-48s p50 %8s us  p99 %8s us  lost %s  bulk %s Mbit/s' "$name" "$p50" "$p99" "$lost" "$load")")
}

contention "idle" 0 no ""
contention "1 sender, no lanewarden" 1 no ""
contention "1 sender, priority" 1 yes ""
contention "1 sender, priority + link_rate 100mbit" 1 yes "100mbit"
contention "1 sender, priority + link_rate 100mbit + gso 8" 1 yes "100mbit" 8
contention "1 sender, priority + link_rate 100mbit + gso 4" 1 yes "100mbit" 4
contention "2 senders, no lanewarden" 2 no ""
contention "2 senders, priority + link_rate 100mbit" 2 yes "100mbit"
contention "2 senders, priority + link_rate 50mbit" 2 yes "50mbit"
contention "2 senders, priority + link_rate 50mbit + gso 8" 2 yes "50mbit" 8

echo
echo "== bench-caps summary (cap 50 Mbit/s, bottleneck 100 Mbit/s) =="
printf '%s\n' "${SUMMARY[@]}"
