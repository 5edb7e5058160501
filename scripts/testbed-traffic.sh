#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Bounded traffic between nodes of the simulated cluster (scripts/testbed.sh),
# the kinds a Proxmox cluster carries, with iperf3 (bulk TCP):
#
#   scripts/testbed-traffic.sh KIND --from N --to M [--seconds S] [--streams P]
#                              [--net NETWORK] [--port PORT] [--cc CC] [--dst ADDR]
#
#   KIND        port    network (testbed-lib.sh)
#   ceph        6800    Ceph cluster (full) / Ceph public (budget): OSD replication
#   ceph-mon    3300    Ceph public: msgr2 to a monitor
#   migration   60000   migration: insecure migration / NBD mirror
#   ssh         22      migration: secure migration (SSH to the migration address)
#   mgmt        8006    management: API/GUI (an ISO upload, a backup download)
#
# --net and --port override the kind's defaults; --dst sends to another
# address of node M (a misplaced service). Every run is bounded: iperf3 -t S
# (default 5, at most 120) and a timeout around both ends. Prints one JSON
# object: kind, from, to, src, dst, port, seconds, mbit (received), retransmits.
set -euo pipefail
# shellcheck source=testbed-lib.sh
source "$(dirname "$(readlink -f "$0")")/testbed-lib.sh"

usage() {
	sed -n '6,8p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

kind=${1:-}
[[ -n $kind ]] || usage
shift
from="" to="" secs=5 streams=1 net="" port="" cc="" dst=""
while (($#)); do
	case $1 in
	--from) from=${2:?}; shift 2 ;;
	--to) to=${2:?}; shift 2 ;;
	--seconds) secs=${2:?}; shift 2 ;;
	--streams) streams=${2:?}; shift 2 ;;
	--net) net=${2:?}; shift 2 ;;
	--port) port=${2:?}; shift 2 ;;
	--cc) cc=${2:?}; shift 2 ;;
	--dst) dst=${2:?}; shift 2 ;;
	*) usage ;;
	esac
done
[[ $from =~ ^[1-3]$ && $to =~ ^[1-3]$ && $from != "$to" ]] || usage
if [[ ! $secs =~ ^[0-9]+$ ]] || ((secs < 1 || secs > 120)); then
	echo "testbed-traffic: --seconds 1..120" >&2
	exit 2
fi
if [[ ! $streams =~ ^[0-9]+$ ]] || ((streams < 1 || streams > 8)); then
	echo "testbed-traffic: --streams 1..8" >&2
	exit 2
fi
lwt_require_up
variant=$(lwt_variant)

case $kind in
ceph) def_port=6800 def_net=$([[ $variant == budget ]] && echo cephpub || echo cephclu) ;;
ceph-mon) def_port=3300 def_net=cephpub ;;
migration) def_port=60000 def_net=migr ;;
ssh) def_port=22 def_net=migr ;;
mgmt) def_port=8006 def_net=mgmt ;;
*) usage ;;
esac
port=${port:-$def_port}
net=${net:-$def_net}
src=$(lwt_addr "$net" "$from")
dst=${dst:-$(lwt_addr "$net" "$to")}

out=$(mktemp /tmp/lwttraffic.XXXXXX)
trap 'rm -f "$out"; [[ -n ${spid:-} ]] && kill "$spid" 2>/dev/null || true' EXIT

ip netns exec "$(lwt_node_ns "$to")" timeout $((secs + 8)) iperf3 -s -1 -p "$port" -B "$dst" >/dev/null 2>&1 &
spid=$!
# iperf3's server needs a moment to listen; retry the connection briefly.
for _ in 1 2 3 4 5 6 7 8 9 10; do
	sleep 0.2
	ip netns exec "$(lwt_node_ns "$to")" ss -Hltn "sport = :$port" | grep -q . && break
done
args=(-c "$dst" -p "$port" -B "$src" -t "$secs" -P "$streams" -J --connect-timeout 8000)
[[ -n $cc ]] && args+=(-C "$cc")
ip netns exec "$(lwt_node_ns "$from")" timeout $((secs + 5)) iperf3 "${args[@]}" >"$out" 2>/dev/null || true
wait "$spid" 2>/dev/null || true
spid=""

read -r bits retr < <(jq -r '"\(.end.sum_received.bits_per_second // 0) \(.end.sum_sent.retransmits // 0)"' "$out" 2>/dev/null || echo "0 0")
printf '{"kind":"%s","from":%s,"to":%s,"src":"%s","dst":"%s","port":%s,"seconds":%s,"mbit":%s,"retransmits":%s}\n' \
	"$kind" "$from" "$to" "$src" "$dst" "$port" "$secs" "$(awk -v b="$bits" 'BEGIN { printf "%.1f", b / 1e6 }')" "$retr"
