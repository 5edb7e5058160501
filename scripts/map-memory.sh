#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Kernel memory of lanewarden's BPF maps as a function of possible CPUs.
#
# Applies a small policy on a veth in a namespace of its own, reads every
# map's bytes_memlock with bpftool, and extrapolates it to other CPU counts
# with the per-CPU term of each map type, taken from the kernel's own
# accounting (array_map_mem_usage, htab_map_mem_usage):
#   per-CPU array   round_up(value_size, 8) * max_entries     per CPU
#   hash (prealloc) 4 * 8 bucket locks + one extra element     per CPU
#                   (48 + round_up(key, 8) + round_up(value, 8)) + 8
#   LRU hash        4 * 8 bucket locks                         per CPU
#   array, array of maps, ring buffer: nothing per CPU
# Per-CPU arrays reproduce bytes_memlock to the byte (docs/limits.md).
#
#   sudo scripts/map-memory.sh [--cpus N[,N...]] [--format text|json]
#
# Default CPU counts: this machine's, 64, 256 and 512. Names start with
# lwtmm; everything is removed on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
LW=${LW_BINARY:-$ROOT/build/userspace/lanewarden}
CPUS="" FORMAT=text
while (($#)); do
	case $1 in
	--cpus) CPUS=${2:?}; shift 2 ;;
	--format) FORMAT=${2:?}; shift 2 ;;
	*) sed -n '17,20p' "$0" >&2; exit 2 ;;
	esac
done
[[ $(id -u) == 0 ]] || { echo "map-memory: needs root" >&2; exit 1; }
[[ -x $LW ]] || { echo "map-memory: no lanewarden at $LW (build it or set LW_BINARY)" >&2; exit 1; }
for tool in bpftool jq ip; do
	command -v "$tool" >/dev/null || { echo "map-memory: $tool missing (scripts/install-deps.sh)" >&2; exit 1; }
done

here=$(( $(sed 's/.*-//' /sys/devices/system/cpu/possible) + 1 ))
[[ -n $CPUS ]] || CPUS="$here,64,256,512"
NS=lwtmm$$ PEER=lwtmmp$$ PIN=/sys/fs/bpf/lwtmm$$
TMP=$(mktemp -d /tmp/lwtmm.XXXXXX)
cleanup() {
	"$LW" --netns "$NS" --pin-dir "$PIN" detach >/dev/null 2>&1 || true
	rm -rf "$PIN" "$TMP"
	ip netns del "$NS" 2>/dev/null || true
	ip netns del "$PEER" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

ip netns add "$NS"
ip netns add "$PEER"
ip -n "$NS" link add lwtmm0 type veth peer name lwtmm1 netns "$PEER"
ip -n "$NS" link set lwtmm0 up
cat >"$TMP/policy.toml" <<POLICY
mode = "audit"
[networks]
corosync = ["198.51.100.0/24"]
[[lane]]
interface = "lwtmm0"
classes = ["corosync", "other"]
POLICY
"$LW" --netns "$NS" --pin-dir "$PIN" apply "$TMP/policy.toml" >/dev/null 2>&1 ||
	{ echo "map-memory: apply failed" >&2; "$LW" --netns "$NS" --pin-dir "$PIN" apply "$TMP/policy.toml"; exit 1; }

# Every map the programs use, and the policy map inside lw_policy_outer.
ids=$(bpftool -j prog show pinned "$PIN/lw_ingress" | jq -r '.map_ids[]')
# The outer map's value is the inner map's id, as little-endian bytes.
inner=$(bpftool -j map lookup pinned "$PIN/lw_policy_outer" key 0 0 0 0 |
	jq -r '[.value[] | ltrimstr("0x") | explode | map(if . >= 97 then . - 87 else . - 48 end)
		| .[0] * 16 + .[1]] | reverse | reduce .[] as $b (0; . * 256 + $b)')
ids="$ids $(bpftool -j map show pinned "$PIN/lw_links" | jq -r .id) $inner"
for id in $ids; do bpftool -j map show id "$id"; done | jq -s --argjson here "$here" --arg cpus "$CPUS" '
	def r8: ((. + 7) / 8 | floor) * 8;
	def per_cpu:
	  if .type == "percpu_array" then (.bytes_value | r8) * .max_entries
	  elif .type == "hash" then 32 + 8 + 48 + (.bytes_key | r8) + (.bytes_value | r8)
	  elif .type == "lru_hash" then 32
	  else 0 end;
	unique_by(.id) | map({name, type, max_entries, value_size: .bytes_value,
	  memlock: .bytes_memlock, per_cpu: per_cpu}) as $maps
	| ($cpus | split(",") | map(tonumber)) as $ns
	| {possible_cpus_here: $here, maps: $maps,
	   totals: [$ns[] as $n | {cpus: $n,
	     bytes: ([$maps[] | .memlock + (.per_cpu * ($n - $here))] | add)}]}' >"$TMP/memory.json"

if [[ $FORMAT == json ]]; then
	jq -c . "$TMP/memory.json"
	exit 0
fi
jq -r --arg cpus "$CPUS" '
	($cpus | split(",") | map(tonumber)) as $ns | .possible_cpus_here as $here
	| "map\ttype\tentries\tvalue B\tbytes/CPU\t" + ([$ns[] | "at \(.) CPUs"] | join("\t")),
	  (.maps | sort_by(-.per_cpu)[] as $m
	   | "\($m.name)\t\($m.type)\t\($m.max_entries)\t\($m.value_size)\t\($m.per_cpu)\t"
	     + ([$ns[] as $n | ($m.memlock + $m.per_cpu * ($n - $here)) / 1048576
	        | (. * 100 | round / 100 | tostring) + " MiB"] | join("\t"))),
	  "total\t\t\t\t\t" + ([.totals[] | (.bytes / 1048576 * 100 | round / 100 | tostring) + " MiB"] | join("\t"))
' "$TMP/memory.json" | column -t -s $'\t'
