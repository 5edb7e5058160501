#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Checks the .deb that scripts/build-deb.sh built for RELEASE without
# installing it: the version names the release, the dependencies are that
# release's libraries (from dh_shlibdeps: trixie's fmt 10 and spdlog 1.15,
# bookworm's fmt 9 and spdlog 1.10), the maintainer scripts debhelper wrote
# enable the unit without starting it and stop it on removal, the contents
# (binary, unit, completion, man page, examples, copyright), the unit
# (systemd-analyze verify on the extracted tree), and the build's lintian
# run has no error and no warning that is not overridden with a reason.
# Usage: scripts/test-deb.sh bookworm|trixie [OUTDIR]   (default: build/deb/RELEASE)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/deb-lib.sh
. "$src/scripts/deb-lib.sh"
release=${1:-}
number=$(lw_deb_release_number "$release") ||
  { echo "usage: $0 bookworm|trixie [OUTDIR]" >&2; exit 2; }
dir=${2:-$src/build/deb/$release}
fail() { echo "test-deb[$release]: FAIL: $*" >&2; exit 1; }
work=$(mktemp -d /tmp/lwtdeb.XXXXXX)
trap 'rm -rf "$work"' EXIT

debs=("$dir"/lanewarden_*~deb"${number}"u*_*.deb)
[[ -f ${debs[0]} ]] || fail "no lanewarden .deb for $release in $dir (scripts/build-deb.sh $release $dir)"
((${#debs[@]} == 1)) || fail "more than one .deb in $dir: ${debs[*]}"
deb=${debs[0]}
echo "test-deb[$release]: $(basename "$deb") ($(du -h "$deb" | cut -f1))"

field() { dpkg-deb --field "$deb" "$1"; }
[[ $(field Package) == lanewarden ]] || fail "Package is $(field Package)"
[[ $(field Section) == net ]] || fail "Section is $(field Section)"
[[ $(field Version) =~ ^[0-9.]+-[0-9]+~deb${number}u[0-9]+$ ]] ||
  fail "Version $(field Version) does not say Debian $number"

# The libraries of the release it was built on, never the other release's.
depends=$(field Depends)
case $release in
  trixie) want=(libfmt10 libspdlog1.15 libbpf1) other=(libfmt9 libspdlog1.10) ;;
  bookworm) want=(libfmt9 libspdlog1.10 libbpf1) other=(libfmt10 libspdlog1.15) ;;
esac
for dep in "${want[@]}" libprometheus-cpp-pull1.0 libnl-route-3-200 procps; do
  grep -q "\\b$dep\\b" <<<"$depends" || fail "Depends lacks $dep: $depends"
done
for dep in "${other[@]}"; do
  ! grep -q "\\b$dep\\b" <<<"$depends" || fail "Depends has $dep of another release: $depends"
done

# Maintainer scripts: debhelper's systemd snippets plus our two additions.
dpkg-deb --control "$deb" "$work/control"
grep -q "deb-systemd-helper enable" "$work/control/postinst" || fail "postinst does not enable the unit"
! grep -qE "deb-systemd-invoke (\\\$_dh_action|start)" "$work/control/postinst" ||
  fail "postinst starts the unit on a fresh install (no policy exists yet)"
grep -q "try-restart" "$work/control/postinst" || fail "postinst does not restart a running daemon on upgrade"
grep -q "no /etc/lanewarden/policy.toml yet" "$work/control/postinst" || fail "postinst lacks the policy hint"
grep -q "deb-systemd-invoke stop" "$work/control/prerm" || fail "prerm does not stop the unit"
grep -q "lanewarden detach" "$work/control/prerm" || fail "prerm does not detach on removal"
grep -q "deb-systemd-helper purge" "$work/control/postrm" || fail "postrm does not purge the unit's state"

# bookworm's debhelper installs units to /lib, trixie's to /usr/lib (/usr-merge).
unit_dir=usr/lib/systemd/system
[[ $release == bookworm ]] && unit_dir=lib/systemd/system
contents=$(dpkg-deb --contents "$deb")
for path in ./usr/sbin/lanewarden "./$unit_dir/lanewarden.service" \
  ./usr/share/bash-completion/completions/lanewarden ./usr/share/man/man8/lanewarden.8.gz \
  ./usr/share/doc/lanewarden/examples/3-node-pve1.toml ./usr/share/doc/lanewarden/copyright \
  ./usr/share/doc/lanewarden/changelog.Debian.gz ./etc/lanewarden/; do
  grep -q " $path\$" <<<"$contents" || fail "package lacks $path"
done
# The alerting rules for the user's Prometheus (debian/lanewarden.install).
grep -q " ./usr/share/lanewarden/prometheus/lanewarden-rules.yml\$" <<<"$contents" ||
  fail "package lacks the Prometheus alerting rules"
grep -q " ./usr/share/lanewarden/grafana/lanewarden-dashboard.json\$" <<<"$contents" ||
  fail "package lacks the Grafana dashboard"

root=$work/root
dpkg-deb -x "$deb" "$root"
# The unit as installed, its ExecStart pointed at the extracted binary.
unit=$work/unit/lanewarden.service
mkdir -p "$work/unit"
sed "s|/usr/sbin/lanewarden|$root/usr/sbin/lanewarden|" "$root/$unit_dir/lanewarden.service" >"$unit"
if command -v systemd-analyze >/dev/null; then
  out=$(systemd-analyze verify "$unit" 2>&1 |
    grep -v "Failed to open /etc/lanewarden\|not a valid\|is marked\|man lanewarden(8)" || true)
  [[ -z $out ]] || { echo "$out" >&2; fail "systemd-analyze verify reports problems"; }
fi
grep -q '^CapabilityBoundingSet=CAP_BPF CAP_NET_ADMIN CAP_PERFMON$' "$unit" || fail "capabilities changed"
bash -n "$root/usr/share/bash-completion/completions/lanewarden" || fail "completion is not valid bash"

# lintian of the release (build-deb.sh): no error, every warning overridden.
lintian=$dir/lintian.txt
[[ -f $lintian ]] || fail "no lintian.txt in $dir"
! grep -E '^(E|W): ' "$lintian" >&2 || fail "lintian reports the tags above ($lintian)"
echo "test-deb[$release]: OK ($(grep -c '^I: ' "$lintian" || true) lintian info tags, $(grep -c '^N: ' "$lintian" || true) notes)"
