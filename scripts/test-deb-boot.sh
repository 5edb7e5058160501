#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The .deb that scripts/build-deb.sh built for RELEASE (trixie: Proxmox VE 9,
# bookworm: Proxmox VE 8), on a clean system of that release booted with
# systemd:
#   1. mmdebstrap builds a minimal root of the release from the Debian
#      archive and apt installs the package there: its dependencies resolve
#      from that release alone. The package is then purged, its dependencies
#      stay.
#   2. systemd-nspawn boots that root (systemd as PID 1) in a network
#      namespace of ours, with a veth to a peer namespace, the container's
#      /sys/fs/bpf bound to a pin directory of ours.
#   3. In the running system: dpkg -i of the same package with a lower
#      version (postinst enables the unit, does not start it, says how to
#      write a policy), a policy for the veth, systemctl start: active once
#      lanewarden reports READY; the main process holds exactly CAP_BPF,
#      CAP_NET_ADMIN and CAP_PERFMON; a ping from the peer is counted as
#      corosync; reload keeps it running; the upgrade to the package under
#      test restarts the daemon, which adopts the pinned programs (no gap);
#      stop leaves the programs attached and pinned, start adopts them; the
#      man page and the completion list every subcommand of the installed
#      binary; dpkg --purge stops, detaches and leaves no filter, pin,
#      binary or unit.
# Needs root, mmdebstrap, systemd-nspawn (systemd-container) and the Debian
# archive. About 1-3 minutes.
# Usage: scripts/test-deb-boot.sh bookworm|trixie [OUTDIR | PACKAGE.deb]
#        (default: build/deb/RELEASE, as scripts/build-deb.sh writes it)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/deb-lib.sh
. "$src/scripts/deb-lib.sh"
release=${1:-}
number=$(lw_deb_release_number "$release") ||
  { echo "usage: $0 bookworm|trixie [OUTDIR | PACKAGE.deb]" >&2; exit 2; }
arg=$(readlink -f "${2:-$src/build/deb/$release}")
init=""
fail() {
  echo "test-deb-boot[$release]: FAIL: $*" >&2
  # What the booted system said about the unit, when there is one.
  if [[ -n $init ]]; then timeout 10 nsenter -t "$init" -a journalctl -u lanewarden --no-pager -n 30 >&2 || true; fi
  exit 1
}
say() { echo "test-deb-boot[$release]: $*"; }

[[ $(id -u) == 0 ]] || fail "needs root"
for tool in mmdebstrap systemd-nspawn nsenter; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh installs it)"
done

work=$(mktemp -d /tmp/lwtpkboot.XXXXXX)
ns=lwtpk$$ peer=lwtpkp$$
nspawn_pid=""
cleanup() {
  if [[ -n $nspawn_pid ]] && kill -0 "$nspawn_pid" 2>/dev/null; then
    kill "$nspawn_pid" 2>/dev/null || true  # SIGTERM: nspawn shuts the container down
    for _ in $(seq 50); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$nspawn_pid" 2>/dev/null || true
  fi
  ip netns del "$ns" 2>/dev/null || true
  ip netns del "$peer" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# --- the package, and the same package one version lower --------------------
if [[ $arg == *.deb ]]; then
  deb=$arg
else
  debs=("$arg"/lanewarden_*~deb"${number}"u*_*.deb)
  [[ -f ${debs[0]} ]] || fail "no lanewarden .deb for $release in $arg (scripts/build-deb.sh $release $arg)"
  deb=${debs[0]}
fi
version=$(dpkg-deb --field "$deb" Version)
[[ $version == *~deb${number}u* ]] || fail "$(basename "$deb") is not built for Debian $number ($release)"
cp "$deb" "$work/lanewarden.deb"
# What the build and this kernel allow: tcx with libbpf >= 1.3 (trixie) on Linux >= 6.6.
want_hook=clsact
if [[ $release == trixie ]] && printf '%s\n' 6.6 "$(uname -r)" | sort -V -C; then want_hook=tcx; fi
# The upgrade path: the package as an earlier build of it would be installed.
# Where this build attaches with tcx, the earlier one attaches with clsact,
# as every build before tcx and every bookworm build does, so the upgrade
# crosses from cls_bpf filters to tcx links on a running node.
previous=${version%u*}u0
previous_hook=$want_hook
dpkg-deb -R "$deb" "$work/previous"
sed -i "s/^Version: .*/Version: $previous/" "$work/previous/DEBIAN/control"
if [[ $want_hook == tcx ]]; then
  previous_hook=clsact
  unit=$(find "$work/previous" -path '*/systemd/system/lanewarden.service')
  [[ -n $unit ]] || fail "no lanewarden.service in $(basename "$deb")"
  sed -i 's|^ExecStart=/usr/sbin/lanewarden run |&--attach tc |' "$unit"
  grep -q -- '--attach tc' "$unit" || fail "cannot make the earlier build attach with clsact: $unit"
fi
dpkg-deb --root-owner-group -b "$work/previous" "$work/lanewarden-previous.deb" >/dev/null
rm -rf "$work/previous"

# --- 1. a clean root of the release, dependencies from its archive ----------
root=$work/root
say "building a $release root with mmdebstrap"
mapfile -t sources < <(lw_deb_sources "$release")
# shellcheck disable=SC2016 # "$1" is the root, expanded by mmdebstrap's hooks
TMPDIR=$work timeout 900 nice mmdebstrap --quiet --variant=apt --include=systemd-sysv,dbus \
  --customize-hook="copy-in $work/lanewarden.deb /root" \
  --customize-hook='chroot "$1" apt-get install -y -q /root/lanewarden.deb' \
  --customize-hook='chroot "$1" dpkg --purge lanewarden' \
  "$release" "$root" "${sources[@]}" >"$work/mmdebstrap.log" 2>&1 ||
  { tail -20 "$work/mmdebstrap.log" >&2; fail "mmdebstrap or apt could not install the package"; }
grep -q "Setting up lanewarden" "$work/mmdebstrap.log" || fail "apt did not set up lanewarden"

# --- 2. boot it -------------------------------------------------------------
ip netns add "$ns"
ip netns add "$peer"
ip -n "$ns" link add lwtpk0 type veth peer name lwtpk1 netns "$peer"
ip -n "$ns" addr add 198.51.100.1/24 dev lwtpk0
ip -n "$peer" addr add 198.51.100.2/24 dev lwtpk1
for n in "$ns" "$peer"; do ip -n "$n" link set lo up; done
ip -n "$ns" link set lwtpk0 up
ip -n "$peer" link set lwtpk1 up

# nspawn's own defaults are what a container gets, not what a node gives
# the unit: CAP_NET_ADMIN comes only with networking nspawn creates itself,
# and its seccomp filter blocks bpf(2). Both are granted to the container so
# that the unit's own CapabilityBoundingSet is what limits lanewarden.
# --register=no --keep-unit: this machine may have no systemd or machined.
say "booting it with systemd-nspawn"
systemd-nspawn --quiet --boot --directory="$root" --machine="$ns" --register=no --keep-unit \
  --network-namespace-path="/run/netns/$ns" \
  --capability=CAP_BPF,CAP_PERFMON,CAP_NET_ADMIN --system-call-filter=bpf \
  </dev/null >"$work/boot.log" 2>&1 &
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
# systemd mounts bpffs at /sys/fs/bpf early at boot on a host, but not as
# PID 1 of a container (and refuses a mount unit for it): mounted here, in
# the container's own mount namespace, it is what a node gives the unit.
in_container mount -t bpf -o mode=0700,nosuid,nodev,noexec bpf /sys/fs/bpf ||
  fail "cannot mount bpffs on the container's /sys/fs/bpf"
[[ $(in_container stat -f -c %T /sys/fs/bpf) == bpf_fs ]] || fail "no bpffs on the container's /sys/fs/bpf"
# What a fresh bpffs holds already (the kernel's maps.debug, progs.debug).
bpffs_before=$(in_container ls -A /sys/fs/bpf)

# --- 3. install, start, use, upgrade, remove --------------------------------
cp "$work/lanewarden-previous.deb" "$work/lanewarden.deb" "$root/root/"
out=$(in_container dpkg -i /root/lanewarden-previous.deb 2>&1) || { echo "$out" >&2; fail "dpkg -i failed"; }
grep -q "no /etc/lanewarden/policy.toml yet" <<<"$out" || fail "postinst did not explain the missing policy: $out"
[[ $(in_container systemctl is-enabled lanewarden) == enabled ]] || fail "postinst did not enable the unit"
[[ $(in_container systemctl is-active lanewarden || true) == inactive ]] || fail "started without a policy"

cat >"$root/etc/lanewarden/policy.toml" <<'EOF'
mode = "audit"
[networks]
corosync = ["198.51.100.0/24"]
[[lane]]
interface = "lwtpk0"
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

# The program on lwtpk0's ingress: a cls_bpf filter (clsact), or the tcx
# link pinned in the container's bpffs (a trixie build, libbpf 1.5, on a
# kernel >= 6.6: docs/attach.md), read through /proc/PID/root.
ifindex=$(ip -n "$ns" -j link show lwtpk0 | jq '.[0].ifindex')
prog_id() {
  local id
  id=$(tc -n "$ns" -j filter show dev lwtpk0 ingress | jq -r '[.[] | .options.prog.id // empty][0] // empty')
  if [[ -z $id ]]; then
    id=$(bpftool -j link show pinned "/proc/$init/root/sys/fs/bpf/lanewarden/lw_tcx_${ifindex}_in" 2>/dev/null |
      jq -r '.prog_id // empty')
  fi
  echo "$id"
}
id_before=$(prog_id)
[[ -n $id_before ]] || fail "no tc program or tcx link on lwtpk0 ingress"
hook=$(in_container lanewarden status --format json |
  jq -r 'select(.type == "iface" and .iface == "lwtpk0") | .hook')
[[ $hook == "$previous_hook" ]] || fail "status says hook '$hook' on lwtpk0, want $previous_hook"
say "attached with $hook (program id $id_before)"
timeout 10 ip netns exec "$peer" ping -q -c 5 -i 0.2 -W 1 198.51.100.1 >/dev/null || fail "ping across the lane failed"
pkts=$(in_container lanewarden status --format json |
  jq -s '[.[] | select(.type == "iface" and .iface == "lwtpk0") | .counters[] |
    select(.class == "corosync" and .dir == "ingress") | .packets] | add // 0')
((pkts >= 5)) || fail "status counted $pkts corosync packets in, want at least the 5 echo requests"

in_container systemctl reload lanewarden || fail "systemctl reload failed"
sleep 1
[[ $(in_container systemctl is-active lanewarden) == active ]] || fail "reload stopped the service"

# The upgrade: postinst restarts the running daemon, which adopts the pins.
out=$(in_container dpkg -i /root/lanewarden.deb 2>&1) || { echo "$out" >&2; fail "the upgrade failed"; }
[[ $(in_container dpkg-query -W -f "\${Version}" lanewarden) == "$version" ]] || fail "not upgraded to $version"
[[ $(in_container systemctl is-active lanewarden) == active ]] || fail "not active after the upgrade"
[[ $(in_container systemctl show -p MainPID --value lanewarden) != "$main" ]] ||
  fail "the upgrade did not restart the daemon"
[[ $(prog_id) == "$id_before" ]] || fail "the upgrade replaced the programs instead of adopting them"
[[ -f $root/etc/lanewarden/policy.toml ]] || fail "the upgrade removed the policy"
hook=$(in_container lanewarden status --format json |
  jq -r 'select(.type == "iface" and .iface == "lwtpk0") | .hook')
[[ $hook == "$want_hook" ]] || fail "after the upgrade status says hook '$hook' on lwtpk0, want $want_hook"
if [[ $previous_hook != "$want_hook" ]]; then
  [[ -z $(tc -n "$ns" filter show dev lwtpk0 ingress) && -z $(tc -n "$ns" filter show dev lwtpk0 egress) ]] ||
    fail "the move to $want_hook left cls_bpf filters on lwtpk0"
fi
before=$pkts
timeout 10 ip netns exec "$peer" ping -q -c 5 -i 0.2 -W 1 198.51.100.1 >/dev/null || fail "ping after the upgrade failed"
pkts=$(in_container lanewarden status --format json |
  jq -s '[.[] | select(.type == "iface" and .iface == "lwtpk0") | .counters[] |
    select(.class == "corosync" and .dir == "ingress") | .packets] | add // 0')
((pkts >= before + 5)) || fail "after the upgrade status counted $pkts corosync packets in, want at least $((before + 5))"
say "upgraded from $previous ($previous_hook) to $version ($hook): restarted, programs adopted, counting"

in_container systemctl stop lanewarden || fail "systemctl stop failed"
[[ $(prog_id) == "$id_before" ]] || fail "stop detached (enforcement must stay pinned)"
in_container test -d /sys/fs/bpf/lanewarden || fail "stop removed the pins"
in_container systemctl start lanewarden || fail "systemctl start (restart) failed"
[[ $(prog_id) == "$id_before" ]] || fail "a restart replaced the programs instead of adopting them"

# Man page and completion as installed cover every subcommand of the binary.
man=$(in_container zcat /usr/share/man/man8/lanewarden.8.gz)
completion=$(cat "$root/usr/share/bash-completion/completions/lanewarden")
subs=$(in_container lanewarden --help | awk '/^Subcommands:/{on=1;next} on && NF {print $1}')
[[ -n $subs ]] || fail "lanewarden --help lists no subcommand"
for sub in $subs; do
  grep -q "commands=.*\\b$sub\\b" <<<"$completion" || fail "completion lacks subcommand $sub"
  grep -q "^\\.SS $sub\$" <<<"$man" || fail "man page lacks subcommand $sub"
done

in_container dpkg --purge lanewarden >"$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "dpkg --purge failed"; }
[[ -z $(prog_id) ]] || fail "purge left a tc program or tcx link on lwtpk0"
left=$(in_container ls -A /sys/fs/bpf)
[[ $left == "$bpffs_before" ]] || fail "purge left pins: $(comm -13 <(echo "$bpffs_before") <(echo "$left"))"
for path in usr/sbin/lanewarden lib/systemd/system/lanewarden.service usr/lib/systemd/system/lanewarden.service \
  usr/share/man/man8/lanewarden.8.gz etc/systemd/system/multi-user.target.wants/lanewarden.service; do
  [[ ! -e $root/$path ]] || fail "purge left /$path"
done
[[ $(in_container systemctl is-active lanewarden || true) != active ]] || fail "still active after purge"
[[ -z $(in_container dpkg-query -W -f "\${Status}" lanewarden 2>/dev/null) ]] || fail "dpkg still knows lanewarden"
say "OK: $version installed from the $release archive, started, counted, reloaded, upgraded and restarted without a gap, purged clean"
