#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# A bounded slice of the benchmark suite: `scripts/bench.sh --quick` (1 s
# runs, one round) must print well-formed JSON Lines with every row present
# and sane fields. No performance assertion: the figures of a 1 s run on a
# shared machine mean nothing; docs/bench.md has the real ones.
# Needs root: skipped (exit 77) without it, failed when CI=true.
set -euo pipefail
src=${LW_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if [[ $(id -u) != 0 ]]; then
	[[ ${CI:-} =~ ^(1|true|yes)$ ]] && { echo "bench_quick: needs root (CI)" >&2; exit 1; }
	echo "bench_quick: needs root; skipped" >&2
	exit 77
fi
out=$(mktemp /tmp/lwtbq.XXXXXX)
trap 'rm -f "$out"' EXIT
timeout 150 "$src/scripts/bench.sh" --quick >"$out"

fail() { echo "bench_quick: $*" >&2; cat "$out" >&2; exit 1; }
jq -e . "$out" >/dev/null || fail "output is not JSON Lines"
row() { jq -s -e "$1" "$out" >/dev/null || fail "missing or malformed: $1"; }
for c in bare audit enforce nftables; do
	row "[.[] | select(.bench == \"throughput\" and .case == \"$c\" and (.gbit | type) == \"number\" and (.throughput_ratio | type) == \"number\" and (.cpu_ratio | type) == \"number\")] | length == 1"
done
row '[.[] | select(.bench == "throughput" and .case == "bare")][0].throughput_ratio == 1'
row '[.[] | select(.bench == "throughput")] | all(.gbit > 0)'
row '[.[] | select(.bench == "datapath" and (.ns_per_packet | type) == "number" and .ratio > 0)] | length >= 1'
for c in lanewarden_police lanewarden_shape nftables_limit; do
	row "[.[] | select(.bench == \"cap\" and .case == \"$c\" and .goodput_mbit > 0 and (.ratio | type) == \"number\")] | length == 1"
done
row '[.[] | select(.bench == "memory" and .case == "lanewarden" and .maps > 0 and .map_bytes_memlock > 0)] | length == 1'
row '[.[] | select(.bench == "memory" and .case == "nftables" and .objects > 0)] | length == 1'
# Nothing of the run is left behind.
! ip netns list | grep -q '^lwtbs-' || fail "namespaces left behind"
for pin in /sys/fs/bpf/lwtbs*; do [[ -e $pin ]] && fail "pin $pin left behind"; done
echo "bench_quick: $(wc -l <"$out") rows, all present"
