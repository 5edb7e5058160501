#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# apply / traffic / status / detach with the real lanewarden binary on the
# running kernel: two namespaces on a veth pair, a Corosync policy on one end,
# IPv4 and IPv6 pings between two Corosync addresses (ICMP echo between them
# is the corosync class). Asserts that every echo request and reply was
# counted on the lane, and that detach leaves no filter, qdisc or pin behind.
# Prints one JSON object ({"e2e": "pass"|"fail", ...}); logs go to stderr.
# Made for the kernel matrix's guests; runs on any host as root too.
# Usage: guest-e2e.sh LANEWARDEN_BINARY
set -euo pipefail
lw=${1:?usage: guest-e2e.sh LANEWARDEN_BINARY}
tag=lwtkm$$
ns_a=${tag}a ns_b=${tag}b pins=/sys/fs/bpf/$tag
work=$(mktemp -d /tmp/lwtkm-e2e.XXXXXX)
count=5
checks=()
exec 3>&1 # the verdict's stdout, whatever a check redirects

cleanup() {
	"$lw" --netns "$ns_a" --pin-dir "$pins" detach >/dev/null 2>&1 || true
	ip netns del "$ns_a" 2>/dev/null || true
	ip netns del "$ns_b" 2>/dev/null || true
	rm -rf "$pins" "$work"
}
trap cleanup EXIT
# Any other failing command still ends in a verdict, naming the command.
trap 'finish fail "line $LINENO failed: $BASH_COMMAND"' ERR
lwn() { "$lw" --netns "$ns_a" --pin-dir "$pins" "$@"; }
finish() { # verdict reason
	local c
	c=$(printf '%s\n' "${checks[@]}" | jq -R . | jq -sc .)
	jq -nc --arg e "$1" --arg why "$2" --argjson checks "$c" '{e2e: $e, reason: $why, checks: $checks}' >&3
}
check() { # what condition...
	local what=$1
	shift
	if "$@"; then
		checks+=("ok: $what")
	else
		checks+=("FAILED: $what")
		finish fail "$what"
		exit 0
	fi
}

ip netns add "$ns_a"
ip netns add "$ns_b"
ip -n "$ns_a" link add lwtkm0 type veth peer name lwtkm1 netns "$ns_b"
for n in a b; do
	ns=${tag}$n
	i=$([[ $n == a ]] && echo 0 || echo 1)
	ip -n "$ns" link set lo up
	ip -n "$ns" addr add "198.51.100.$((i + 1))/24" dev "lwtkm$i"
	ip -n "$ns" addr add "2001:db8:1::$((i + 1))/64" dev "lwtkm$i" nodad
	ip -n "$ns" link set "lwtkm$i" up
done

cat >"$work/policy.toml" <<'EOF'
mode = "audit"
[networks]
corosync = ["198.51.100.0/24", "2001:db8:1::/64"]
[[lane]]
interface = "lwtkm0"
classes = ["corosync"]
EOF
check "apply" lwn apply "$work/policy.toml" --mode audit >&2

# Bounded traffic: count echo requests each way, one second at most per reply.
ping4=$(ip netns exec "$ns_a" ping -n -q -c "$count" -i 0.2 -W 1 198.51.100.2 || true)
ping6=$(ip netns exec "$ns_a" ping -6 -n -q -c "$count" -i 0.2 -W 1 2001:db8:1::2 || true)
echo "$ping4" "$ping6" >&2
replies() { sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$1"; }
got=$(($(replies "$ping4") + $(replies "$ping6")))
check "all $((2 * count)) pings answered (got $got)" test "$got" -eq $((2 * count))

lwn status --format json >"$work/status.json"
counted() { # dir -> corosync packets counted on lwtkm0
	jq -s --arg d "$1" '[.[] | select(.type == "iface" and .iface == "lwtkm0") | .counters[]
		| select(.dir == $d and .class == "corosync") | .packets] | add // 0' "$work/status.json"
}
eg=$(counted egress)
in=$(counted ingress)
check "egress corosync counted $eg of $got requests" test "$eg" -eq "$got"
check "ingress corosync counted $in of $got replies" test "$in" -eq "$got"

check "detach" lwn detach >&2
# Without a clsact qdisc, some kernels answer "tc filter show" with an error.
filters=$(ip netns exec "$ns_a" tc filter show dev lwtkm0 ingress 2>/dev/null || true
	ip netns exec "$ns_a" tc filter show dev lwtkm0 egress 2>/dev/null || true)
check "no filter left after detach" test -z "$filters"
check "no clsact qdisc left after detach" test -z "$(ip netns exec "$ns_a" tc qdisc show dev lwtkm0 | grep clsact || true)"
check "no pin left after detach" test -z "$(ls -A "$pins" 2>/dev/null)"
finish pass ""
