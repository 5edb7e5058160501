#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The .deb on a clean Debian bookworm system, booted with systemd:
#   1. mmdebstrap builds a minimal bookworm root from the Debian archive and
#      apt installs the package there: its dependencies resolve from Debian
#      alone. The package is then removed again, its dependencies stay.
#   2. systemd-nspawn boots that root (systemd as PID 1) in a network
#      namespace of ours, with a veth to a peer namespace, the container's
#      /sys/fs/bpf bound to a pin directory of ours.
#   3. In the running system: dpkg -i (postinst enables the unit, says how to
#      write a policy), a policy for the veth, systemctl start: active once
#      lanewarden reports READY; the main process holds exactly CAP_BPF,
#      CAP_NET_ADMIN and CAP_PERFMON; a ping from the peer is counted as
#      corosync; reload keeps it running; stop leaves the programs attached and
#      pinned, start adopts them; dpkg --purge stops, detaches and leaves no
#      filter, pin, binary or unit.
# Needs root, mmdebstrap, systemd-nspawn (systemd-container) and access to the
# Debian archive (the apt sources install-deps.sh used). About 1-2 minutes.
# Usage: scripts/test-deb-boot.sh [BUILD_DIR | PACKAGE.deb]   (default: build)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
arg=$(readlink -f "${1:-$src/build}")
init=""
fail() {
  echo "test-deb-boot: FAIL: $*" >&2
  # What the booted system said about the unit, when there is one.
  [[ -n $init ]] && timeout 10 nsenter -t "$init" -a journalctl -u lanewarden --no-pager -n 30 >&2 || true
  exit 1
}
say() { echo "test-deb-boot: $*"; }

[[ $(id -u) == 0 ]] || fail "needs root"
for tool in mmdebstrap systemd-nspawn nsenter; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh installs it)"
done

work=$(mktemp -d /tmp/lwtdebboot.XXXXXX)
ns=lwtdeb$$ peer=lwtdebp$$
pins=/sys/fs/bpf/lwtdeb$$
nspawn_pid=""
cleanup() {
  if [[ -n $nspawn_pid ]] && kill -0 "$nspawn_pid" 2>/dev/null; then
    kill "$nspawn_pid" 2>/dev/null || true  # SIGTERM: nspawn shuts the container down
    for _ in $(seq 50); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$nspawn_pid" 2>/dev/null || true
  fi
  ip netns del "$ns" 2>/dev/null || true
  ip netns del "$peer" 2>/dev/null || true
  rm -rf "$pins" "$work"
}
trap cleanup EXIT INT TERM

# --- the package ----------------------------------------------------------
if [[ $arg == *.deb ]]; then
  deb=$arg
else
  [[ -f $arg/CPackConfig.cmake ]] || fail "$arg is not a configured build tree"
  [[ ${LW_DEB_SKIP_BUILD:-0} == 1 ]] || cmake --build "$arg" --target lanewarden lanewarden_man >/dev/null
  (cd "$work" && cpack --config "$arg/CPackConfig.cmake" -B "$work/out" >/dev/null)
  deb=$(ls "$work"/out/lanewarden_*.deb)
fi
cp "$deb" "$work/lanewarden.deb"

# --- 1. a clean bookworm root, dependencies from the Debian archive --------
root=$work/root
say "building a bookworm root with mmdebstrap"
timeout 600 mmdebstrap --quiet --variant=apt --include=systemd-sysv,dbus \
  --customize-hook="copy-in $work/lanewarden.deb /root" \
  --customize-hook='chroot "$1" apt-get install -y -q /root/lanewarden.deb' \
  --customize-hook='chroot "$1" dpkg --purge lanewarden' \
  bookworm "$root" >"$work/mmdebstrap.log" 2>&1 ||
  { tail -20 "$work/mmdebstrap.log" >&2; fail "mmdebstrap or apt could not install the package"; }
grep -q "Setting up lanewarden" "$work/mmdebstrap.log" || fail "apt did not set up lanewarden"

# --- 2. boot it -------------------------------------------------------------
ip netns add "$ns"
ip netns add "$peer"
ip -n "$ns" link add lwtdeb0 type veth peer name lwtdeb1 netns "$peer"
ip -n "$ns" addr add 198.51.100.1/24 dev lwtdeb0
ip -n "$peer" addr add 198.51.100.2/24 dev lwtdeb1
for n in "$ns" "$peer"; do ip -n "$n" link set lo up; done
ip -n "$ns" link set lwtdeb0 up
ip -n "$peer" link set lwtdeb1 up
mkdir -p "$pins"

# nspawn's own defaults are what a container gets, not what a node gives
# the unit: CAP_NET_ADMIN comes only with networking nspawn creates itself,
# and its seccomp filter blocks bpf(2). Both are granted to the container so
# that the unit's own CapabilityBoundingSet is what limits lanewarden.
# --register=no --keep-unit: this machine may have no systemd or machined.
say "booting it with systemd-nspawn"
systemd-nspawn --quiet --boot --directory="$root" --machine="$ns" --register=no --keep-unit \
  --network-namespace-path="/run/netns/$ns" \
  --capability=CAP_BPF,CAP_PERFMON,CAP_NET_ADMIN --system-call-filter=bpf \
  --bind="$pins:/sys/fs/bpf" </dev/null >"$work/boot.log" 2>&1 &
nspawn_pid=$!

for _ in $(seq 100); do
  init=$(pgrep -P "$nspawn_pid" -x systemd || true)
  [[ -n $init ]] && break
  sleep 0.2
done
[[ -n $init ]] || { cat "$work/boot.log" >&2; fail "the container's systemd did not start"; }
in_container() { timeout 60 nsenter -t "$init" -a "$@"; }
# systemctl answers once the container's systemd has its private socket.
state=""
for _ in $(seq 120); do
  state=$(in_container systemctl is-system-running --wait 2>/dev/null || true)
  [[ -n $state ]] && break
  sleep 0.5
done
[[ $state == running ]] || { in_container systemctl --failed --no-pager >&2 || true; fail "system state '$state'"; }

# --- 3. install, start, use, remove ----------------------------------------
cp "$work/lanewarden.deb" "$root/root/lanewarden.deb"
out=$(in_container dpkg -i /root/lanewarden.deb 2>&1) || { echo "$out" >&2; fail "dpkg -i failed"; }
grep -q "no /etc/lanewarden/policy.toml yet" <<<"$out" || fail "postinst did not explain the missing policy: $out"
[[ $(in_container systemctl is-enabled lanewarden) == enabled ]] || fail "postinst did not enable the unit"
[[ $(in_container systemctl is-active lanewarden || true) == inactive ]] || fail "started without a policy"

cat >"$root/etc/lanewarden/policy.toml" <<'EOF'
mode = "audit"
[networks]
corosync = ["198.51.100.0/24"]
[[lane]]
interface = "lwtdeb0"
classes = ["corosync"]
EOF
# Type=notify: start returns once lanewarden said READY (policy in force).
in_container systemctl start lanewarden || fail "start failed"
[[ $(in_container systemctl is-active lanewarden) == active ]] || fail "not active after start"
main=$(in_container systemctl show -p MainPID --value lanewarden)
# The host PID of the unit's main process: NSpid lists the host PID, then
# the container's (grep fails on processes that exit while it reads: fine).
host_main=$( (grep -lE "^NSpid:[[:space:]]+[0-9]+[[:space:]]+$main\$" /proc/[0-9]*/status 2>/dev/null || true) |
  head -1 | cut -d/ -f3)
[[ -n $host_main ]] || fail "cannot find lanewarden's main process (container PID $main)"
# CAP_NET_ADMIN (12), CAP_PERFMON (38), CAP_BPF (39), and nothing else.
want=$(printf '%016x' $(((1 << 12) | (1 << 38) | (1 << 39))))
for set in CapEff CapPrm CapBnd; do
  got=$(awk -v s="$set:" '$1 == s { print $2 }' "/proc/$host_main/status")
  [[ $got == "$want" ]] || fail "$set of lanewarden is $got, want $want (BPF, NET_ADMIN, PERFMON only)"
done
say "unit active, main process capabilities exactly CAP_BPF CAP_NET_ADMIN CAP_PERFMON ($want)"

prog_id() { tc -n "$ns" -j filter show dev lwtdeb0 ingress | jq -r '[.[] | .options.prog.id // empty][0] // empty'; }
id_before=$(prog_id)
[[ -n $id_before ]] || fail "no tc program on lwtdeb0 ingress"
timeout 10 ip netns exec "$peer" ping -q -c 5 -i 0.2 -W 1 198.51.100.1 >/dev/null || fail "ping across the lane failed"
pkts=$(in_container lanewarden status --format json |
  jq -s '[.[] | select(.type == "iface" and .iface == "lwtdeb0") | .counters[] |
    select(.class == "corosync" and .dir == "ingress") | .packets] | add // 0')
((pkts >= 5)) || fail "status counted $pkts corosync packets in, want at least the 5 echo requests"

in_container systemctl reload lanewarden || fail "systemctl reload failed"
sleep 1
[[ $(in_container systemctl is-active lanewarden) == active ]] || fail "reload stopped the service"

in_container systemctl stop lanewarden || fail "systemctl stop failed"
[[ $(prog_id) == "$id_before" ]] || fail "stop detached (enforcement must stay pinned)"
[[ -d $pins/lanewarden ]] || fail "stop removed the pins"
in_container systemctl start lanewarden || fail "systemctl start (restart) failed"
[[ $(prog_id) == "$id_before" ]] || fail "a restart replaced the programs instead of adopting them"

in_container dpkg --purge lanewarden >"$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "dpkg --purge failed"; }
[[ -z $(prog_id) ]] || fail "purge left a tc program on lwtdeb0"
[[ -z $(ls -A "$pins") ]] || fail "purge left pins: $(ls -A "$pins")"
for path in usr/sbin/lanewarden usr/lib/systemd/system/lanewarden.service; do
  [[ ! -e $root/$path ]] || fail "purge left /$path"
done
[[ $(in_container systemctl is-active lanewarden || true) != active ]] || fail "still active after purge"
say "OK: installed from the Debian archive, started, counted, reloaded, restarted without a gap, purged clean"
