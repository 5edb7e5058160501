#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The main job: installs dependencies, builds, then
#  - on a Proxmox VE node: lints the network design and derives a policy
#    (read-only: nothing is attached; the README says how to go on);
#  - elsewhere: simulates two nodes in network namespaces, applies lanewarden
#    on one, and shows correct traffic, a misplaced Ceph flow on the Corosync
#    link (audited, then dropped in enforce mode), and a clean detach.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
root=$PWD

scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" --target lanewarden
LW=$root/build/userspace/lanewarden

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

# --- simulated two-node cluster -------------------------------------------
P=lwtdemo$$
NS1=${P}-pve1 NS2=${P}-pve2 SW=${P}-sw PIN=/sys/fs/bpf/${P}
POLICY=/tmp/${P}.toml

cleanup() {
  "$LW" --netns "$NS1" --pin-dir "$PIN" detach >/dev/null 2>&1 || true
  for ns in "$NS1" "$NS2" "$SW"; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$PIN" "$POLICY"
}
trap cleanup EXIT INT TERM

say "Simulated cluster: pve1 and pve2, a Corosync link and a shared link, switches in $SW"
for ns in "$NS1" "$NS2" "$SW"; do ip netns add "$ns"; ip -n "$ns" link set lo up; done
for br in brcoro brshared; do
  ip -n "$SW" link add "$br" type bridge
  ip -n "$SW" link set "$br" up
done
n=0
for ns in "$NS1" "$NS2"; do
  n=$((n + 1))
  for lane in coro shared; do
    ip link add "lwt${lane}${n}" netns "$ns" type veth peer name "lwt${lane}${n}p" netns "$SW"
    ip -n "$SW" link set "lwt${lane}${n}p" master "br${lane}" up
    ip -n "$ns" link set "lwt${lane}${n}" up
  done
  ip -n "$ns" addr add "198.51.100.${n}/25" dev "lwtcoro${n}"          # Corosync link 0
  ip -n "$ns" addr add "203.0.113.${n}/25" dev "lwtshared${n}"         # Ceph public
  ip -n "$ns" addr add "198.51.100.$((128 + n))/25" dev "lwtshared${n}" # management
done

cat >"$POLICY" <<TOML
# pve1 in the simulated cluster: link 0 is Corosync's alone.
mode = "audit"
[networks]
corosync = ["198.51.100.0/25"]
ceph_public = ["203.0.113.0/25"]
management = ["198.51.100.128/25"]
[[lane]]
interface = "lwtcoro1"
classes = ["corosync"]
exclusive = true
[[lane]]
interface = "lwtshared1"
classes = ["ceph_public", "management", "other"]
TOML

say "lanewarden apply (audit mode) on pve1"
cat "$POLICY"
"$LW" --netns "$NS1" --pin-dir "$PIN" apply "$POLICY"

say "Normal traffic: Corosync heartbeats, Ceph and the GUI on the shared link"
ip netns exec "$NS2" iperf3 -s -1 -p 6800 -B 203.0.113.2 >/dev/null 2>&1 &
ip netns exec "$NS1" ping -q -c 5 -i 0.2 198.51.100.2 | tail -1
for _ in 1 2 3 4 5; do
  ip netns exec "$NS1" bash -c 'echo heartbeat > /dev/udp/198.51.100.2/5405' 2>/dev/null || true
done
sleep 0.5
ip netns exec "$NS1" iperf3 -c 203.0.113.2 -p 6800 -t 2 -B 203.0.113.1 | tail -4 | head -2 || true

say "Misconfiguration: a Ceph client reaches pve2's Ceph address over the Corosync link"
ip -n "$NS2" addr add 203.0.113.100/32 dev lwtcoro2
ip -n "$NS1" route add 203.0.113.100/32 dev lwtcoro1
ip netns exec "$NS2" iperf3 -s -1 -p 6789 -B 203.0.113.100 >/dev/null 2>&1 &
# Violations stream while it happens (flood control: one event per flow per second).
"$LW" --netns "$NS1" --pin-dir "$PIN" watch --duration 3 &
watcher=$!
sleep 0.5
ip netns exec "$NS1" iperf3 -c 203.0.113.100 -p 6789 -t 1 | tail -4 | head -2 || true
wait "$watcher" || true

say "lanewarden status: every packet counted per interface and class; the intruder shows up"
"$LW" --netns "$NS1" --pin-dir "$PIN" status

say "Enforce mode: the same misplaced flow is now dropped, Corosync keeps flowing"
"$LW" --netns "$NS1" --pin-dir "$PIN" apply "$POLICY" --mode enforce
ip netns exec "$NS2" iperf3 -s -1 -p 6789 -B 203.0.113.100 >/dev/null 2>&1 &
sleep 0.5
if ip netns exec "$NS1" timeout 5 iperf3 -c 203.0.113.100 -p 6789 -t 1 --connect-timeout 2000 >/dev/null 2>&1; then
  echo "unexpected: the misplaced Ceph flow got through"
else
  echo "misplaced Ceph flow refused on the Corosync link (dropped by lanewarden)"
fi
ip netns exec "$NS1" ping -q -c 3 -i 0.2 198.51.100.2 | tail -1
"$LW" --netns "$NS1" --pin-dir "$PIN" status | sed -n '1,/^lwtshared1/p'

say "lanewarden detach: nothing left behind"
"$LW" --netns "$NS1" --pin-dir "$PIN" detach
ip netns exec "$NS1" tc qdisc show dev lwtcoro1
[[ -e $PIN ]] && echo "pin directory still present!" || echo "pin directory removed"
