#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the .deb with CPack from a configured and built tree and checks it
# without touching the machine: control fields and dependencies (resolvable
# on this bookworm system: apt-get --simulate), contents, the unit
# (systemd-analyze verify on the extracted tree), the man page and the
# completion against the CLI. The package lands in a throwaway directory.
# Usage: [LW_DEB_SKIP_BUILD=1] scripts/test-deb.sh [BUILD_DIR]   (default: build)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$src/build}
[[ -f $build/CPackConfig.cmake ]] || { echo "test-deb: $build is not a configured build tree" >&2; exit 2; }
work=$(mktemp -d /tmp/lwtdeb.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "test-deb: FAIL: $*" >&2; exit 1; }

# LW_DEB_SKIP_BUILD=1: package what is built (the ctest runs after the build).
[[ ${LW_DEB_SKIP_BUILD:-0} == 1 ]] || cmake --build "$build" --target lanewarden lanewarden_man >/dev/null
(cd "$work" && cpack --config "$build/CPackConfig.cmake" -B "$work/out" >/dev/null)
deb=$(ls "$work"/out/lanewarden_*.deb)
echo "test-deb: built $(basename "$deb") ($(du -h "$deb" | cut -f1))"

info=$(dpkg-deb --info "$deb")
for field in "Package: lanewarden" "Architecture: amd64" "Section: net"; do
  grep -q "$field" <<<"$info" || fail "control lacks '$field'"
done
depends=$(dpkg-deb --field "$deb" Depends)
for dep in libbpf1 libprometheus-cpp-pull1.0 libnl-route-3-200 systemd procps; do
  grep -q "$dep" <<<"$depends" || fail "Depends lacks $dep: $depends"
done
for script in postinst prerm postrm; do
  grep -q "$script" <<<"$info" || fail "no $script maintainer script"
done

contents=$(dpkg-deb --contents "$deb")
for path in ./usr/sbin/lanewarden ./usr/lib/systemd/system/lanewarden.service \
  ./usr/share/bash-completion/completions/lanewarden ./usr/share/man/man8/lanewarden.8 \
  ./usr/share/doc/lanewarden/examples/3-node-pve1.toml; do
  grep -q " $path\$" <<<"$contents" || fail "package lacks $path"
done

# Dependencies resolvable from the configured apt sources (nothing installed).
if command -v apt-get >/dev/null; then
  apt-get install --simulate -qq "$deb" >"$work/apt.log" 2>&1 ||
    { cat "$work/apt.log" >&2; fail "apt-get cannot resolve the package's dependencies"; }
fi

root=$work/root
dpkg-deb -x "$deb" "$root"
"$root/usr/sbin/lanewarden" --help >/dev/null || fail "the packaged binary does not run"

# The unit as installed, its ExecStart pointed at the extracted binary.
unit=$work/unit/lanewarden.service
mkdir -p "$work/unit"
sed "s|/usr/sbin/lanewarden|$root/usr/sbin/lanewarden|" \
  "$root/usr/lib/systemd/system/lanewarden.service" >"$unit"
if command -v systemd-analyze >/dev/null; then
  out=$(systemd-analyze verify "$unit" 2>&1 | grep -v "Failed to open /etc/lanewarden\|not a valid\|is marked\|man lanewarden(8)" || true)
  [[ -z $out ]] || { echo "$out" >&2; fail "systemd-analyze verify reports problems"; }
fi
grep -q '^CapabilityBoundingSet=CAP_BPF CAP_NET_ADMIN CAP_PERFMON$' "$unit" || fail "capabilities changed"

# Every subcommand of the CLI is in the completion and the man page.
man=$root/usr/share/man/man8/lanewarden.8
completion=$root/usr/share/bash-completion/completions/lanewarden
for sub in $("$root/usr/sbin/lanewarden" --help | awk '/^Subcommands:/{on=1;next} on && NF {print $1}'); do
  grep -q "commands=.*\\b$sub\\b" "$completion" || fail "completion lacks subcommand $sub"
  grep -q "^\\.SS $sub\$" "$man" || fail "man page lacks subcommand $sub"
done
bash -n "$completion" || fail "completion is not valid bash"
man -l "$man" >/dev/null 2>&1 || true
echo "test-deb: OK"
