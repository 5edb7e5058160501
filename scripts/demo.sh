#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The main job: installs dependencies, builds, then
#  - on a Proxmox VE node: lints the network design and derives a policy
#    (read-only: nothing is attached; the README says how to go on);
#  - elsewhere, by default (`scripts/demo.sh` or `scripts/demo.sh switch`):
#    the field proof where Corosync breaks (scripts/field-proof.sh): three
#    nodes behind one switch with 100 Mbit/s ports, a Ceph recovery from
#    every node to every other; without protection Corosync loses its token
#    and forms a new membership, then the same load with lanewarden shaping
#    each node below its share, then with Corosync marked CS6 on a switch
#    that trusts DSCP. About 3 minutes.
#  - `scripts/demo.sh budget`: the simulated budget cluster (scripts/testbed.sh:
#    two nodes in network namespaces, a real Corosync cluster, Corosync link 0
#    and management sharing one 100 Mbit/s link), applies lanewarden on both
#    nodes and plays a scenario: a Ceph flood on the shared link without and
#    with lanewarden (Corosync's own knet latency), a migration under its cap,
#    a misconfigured node sending Ceph over the Corosync link (violations
#    streaming, then dropped), and tears everything down. About 2 minutes.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
root=$PWD
scenario=${1:-switch}
[[ $scenario == switch || $scenario == budget ]] || { echo "usage: $0 [switch|budget]" >&2; exit 2; }

if [[ -n ${LW_BINARY:-} && -x ${LW_BINARY:-} ]]; then
  LW=$(readlink -f "$LW_BINARY")   # an existing build: no install, no build
else
  scripts/install-deps.sh
  cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build build -j"$(nproc)" --target lanewarden
  LW=$root/build/userspace/lanewarden
fi

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [[ -f /etc/pve/corosync.conf ]]; then
  say "Proxmox node detected: linting the network design"
  "$LW" check || true
  say "Policy derived from this node (not applied)"
  "$LW" derive -o /tmp/lanewarden-derived.toml
  cat /tmp/lanewarden-derived.toml
  echo
  echo "Next: review it, then 'lanewarden apply /tmp/lanewarden-derived.toml --mode audit'"
  exit 0
fi

export LW_BINARY=$LW
if [[ $scenario == switch ]]; then
  source "$root/scripts/testbed-lib.sh"
  if [[ -e $LWT_STATE ]]; then
    echo "a testbed is already up: scripts/testbed.sh down removes it" >&2
    exit 1
  fi
  say "A Ceph recovery through one switch: 3 nodes, real Corosync (knet, secauth), 100 Mbit/s ports"
  echo "  every node: one port for Corosync link 0, management, Ceph public and Ceph cluster"
  echo "  the switch: line rate and a deep tail-drop buffer per port (docs/switch.md)"
  echo "  the load: every node sends bulk TCP (iperf3, cubic) to every other node for 20 s"
  echo "  three runs of the same load: unprotected; lanewarden shaping each node to link_rate ="
  echo "  100 Mbit/s / (3 - 1); lanewarden marking Corosync CS6 into a switch that trusts DSCP"
  exec "$root/scripts/field-proof.sh" --phases bare,shaped,dscp
fi

# --- simulated budget cluster (scripts/testbed.sh) ----------------------
TB=$root/scripts/testbed.sh
TRAFFIC=$root/scripts/testbed-traffic.sh
source "$root/scripts/testbed-lib.sh"

# Checked before the trap is set: a testbed someone else brought up is not ours to remove.
if [[ -e $LWT_STATE ]]; then
  echo "a testbed is already up: scripts/testbed.sh down removes it" >&2
  exit 1
fi
cleanup() { "$TB" down >/dev/null 2>&1 || true; }
trap cleanup EXIT INT TERM

# Corosync's own view of link 0 (the shared link), both directions, in ms.
knet_line() {
  "$TB" knet | jq -rs '[.[] | select(.link == 0)] |
    "knet link 0 latency: max \((map(.latency_max_us) | max) / 1000) ms, average \((map(.latency_ave_us) | max) / 1000) ms"'
}
quorum_line() {
  ip netns exec "$(lwt_node_ns 1)" corosync-quorumtool -s | awk '/^Quorate:/ { q = $2 } /^Nodes:/ { n = $2 } END { print "quorum: " (q == "Yes" ? "yes" : "NO") ", " n " nodes" }'
}
# A flood on the shared link: node 1's Ceph client reaches node 2's Ceph
# address through the shared link (a host route, as a wrong netmask or a
# stale route would do). Statistics are cleared once the queues are full.
ceph_flood() { # seconds -> prints the flood's and corosync's figures
  local secs=$1
  "$TRAFFIC" ceph --from 1 --to 2 --dst 203.0.113.12 --cc cubic --streams 2 --seconds "$secs" >"$LWT_STATE/flood.json" &
  local fp=$!
  sleep 2
  "$TB" knet --clear
  # ICMP echo between Corosync link 0 addresses: lanewarden classes it as
  # corosync and times it (hist); ping reports its own view too.
  ip netns exec "$(lwt_node_ns 1)" ping -q -i 0.1 -c $(((secs - 4) * 10)) -w $((secs - 2)) "$(lwt_addr coro0 2)" >"$LWT_STATE/ping.txt" 2>&1 || true
  sleep 0.5
  echo "  $(knet_line)"
  echo "  ping over Corosync link 0: $(awk -F' = ' '/^rtt/ { split($2, v, "/"); printf "avg %s ms, max %s ms", v[2], v[3] }' "$LWT_STATE/ping.txt")"
  echo "  $(quorum_line)"
  wait "$fp" || true
  echo "  Ceph flood over the shared link: $(jq -r .mbit "$LWT_STATE/flood.json") Mbit/s"
}
lw1() { lwt_lw 1 "$@"; }

say "Simulated budget cluster: 2 nodes, real Corosync (knet, 2 links, secauth), 100 Mbit/s links"
"$TB" up --variant budget --rate 100mbit
echo "  lwt-shared  Corosync link 0 (198.51.100.0/28) + management (198.51.100.32/28)"
echo "  lwt-coro1   Corosync link 1 (198.51.100.16/28)"
echo "  lwt-bond    Ceph (203.0.113.0/28) + migration (203.0.113.32/28)"
echo "  $(quorum_line)"

# The misplacement used by the flood: node 2 answers for a Ceph address on
# the shared link, and node 1 routes to it there.
ip -n "$(lwt_node_ns 2)" addr add 203.0.113.12/32 dev lwt-shared
ip -n "$(lwt_node_ns 1)" route add 203.0.113.12/32 dev lwt-shared src 203.0.113.1
ip -n "$(lwt_node_ns 2)" route add 203.0.113.1/32 dev lwt-shared src 203.0.113.12

say "Idle: Corosync's own latency on the shared link"
"$TB" knet --clear
sleep 3
echo "  $(knet_line)"

say "A Ceph flood on the shared link, no lanewarden"
ceph_flood 8

say "lanewarden on both nodes (audit mode: counts and reports, drops nothing)"
sed -n '/^\[\[lane\]\]/,$p' "$LWT_STATE/lwtn1.toml" | grep -v '^#' | grep -v '^$' | sed 's/^/  /'
for n in 1 2; do lwt_lw "$n" apply "$LWT_STATE/lwtn$n.toml" --mode audit; done

say "The same Ceph flood with lanewarden: Corosync first, the shared lane shaped below the line rate"
lw1 watch --duration 10 --class ceph_public >"$LWT_STATE/watch.txt" 2>&1 &
watcher=$!
ceph_flood 8
wait "$watcher" || true
echo "  violations streamed by 'lanewarden watch' (first 3):"
grep -m3 . "$LWT_STATE/watch.txt" | sed 's/^/    /'
if "$LW" --help 2>/dev/null | grep -qE '^ +hist '; then
  echo "  lanewarden's own view of Corosync link 0 during the flood (lanewarden hist, echo RTT):"
  lw1 hist --class corosync --format json | jq -r '.. | objects | select(.iface? == "lwt-shared" and .class? == "corosync" and .count? > 0) |
    "    \(.count) samples: p50 \(.p50_us / 1000 * 100 | round / 100) ms, p99 \(.p99_us / 1000 * 100 | round / 100) ms, max \(.max_us / 1000 * 100 | round / 100) ms"' | head -1 || true
fi

say "A live migration on the bond, capped at 50 Mbit/s (shape), then secure migration over SSH"
"$TRAFFIC" migration --from 1 --to 2 --seconds 4 | jq -r '"  TCP 60000: \(.mbit) Mbit/s (line rate 100 Mbit/s, cap 50 Mbit/s)"'
"$TRAFFIC" ssh --from 1 --to 2 --seconds 3 | jq -r '"  SSH (22) to the migration address: \(.mbit) Mbit/s (the same cap)"'

say "Enforce mode; node 1 is misconfigured and sends Ceph over Corosync link 1"
for n in 1 2; do lwt_lw "$n" apply "$LWT_STATE/lwtn$n.toml" --mode enforce; done
ip -n "$(lwt_node_ns 2)" addr add 203.0.113.13/32 dev lwt-coro1
ip -n "$(lwt_node_ns 1)" route add 203.0.113.13/32 dev lwt-coro1 src 203.0.113.1
ip -n "$(lwt_node_ns 2)" route replace 203.0.113.1/32 dev lwt-coro1 src 203.0.113.13
lw1 watch --duration 4 >"$LWT_STATE/watch2.txt" 2>&1 &
watcher=$!
sleep 0.5
"$TRAFFIC" ceph-mon --from 1 --to 2 --dst 203.0.113.13 --seconds 2 | jq -r '"  Ceph (3300) over Corosync link 1: \(.mbit) Mbit/s got through"'
wait "$watcher" || true
echo "  violations streamed by 'lanewarden watch':"
grep -m4 'iface=lwt-coro1' "$LWT_STATE/watch2.txt" | sed 's/^/    /'
echo "  $(quorum_line)"

say "lanewarden status on node 1"
lw1 status

say "Teardown: testbed down (detaches lanewarden, stops corosync, removes every namespace)"
"$TB" down
trap - EXIT INT TERM
