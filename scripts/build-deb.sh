#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the lanewarden .deb for one Debian release on that release, the way
# sbuild does: `dpkg-buildpackage -b` as an unprivileged user in a clean
# chroot of the release (mmdebstrap, the release's own -dev packages), no
# network during the build, then lintian of the same release on the result.
# The version says the release: 0.2.0-1 in debian/changelog becomes
# 0.2.0-1~deb13u1 for trixie and 0.2.0-1~deb12u1 for bookworm (an entry
# added to the copy of the source that is built, as backports do).
#
# The chroot (buildd variant, Build-Depends, lintian, ccache) is cached as a
# tarball in $LW_DEB_CACHE (default /var/cache/lanewarden), made again when
# debian/control changes or after $LW_DEB_CACHE_DAYS days (default 7) so that
# builds follow the release's updates; without a cache it is made from the
# archive. ccache keeps its cache there too (ccache-RELEASE).
# DEB_BUILD_OPTIONS defaults to "nocheck" (no test compiled); pass e.g.
# DEB_BUILD_OPTIONS= to build and run the unit tests too.
#
# Output in OUTDIR (default build/deb/RELEASE): the .deb, the .buildinfo and
# .changes, build.log and lintian.txt. Fails on any lintian error.
# Needs root, mmdebstrap and systemd-nspawn (scripts/install-deps.sh).
# Usage: scripts/build-deb.sh bookworm|trixie [OUTDIR]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/deb-lib.sh
. "$src/scripts/deb-lib.sh"

release=${1:-}
number=$(lw_deb_release_number "$release") ||
  { echo "usage: $0 bookworm|trixie [OUTDIR]" >&2; exit 2; }
out=$(mkdir -p "${2:-$src/build/deb/$release}" && cd "${2:-$src/build/deb/$release}" && pwd)
cache=${LW_DEB_CACHE:-/var/cache/lanewarden}
build_options=${DEB_BUILD_OPTIONS-nocheck}
say() { echo "build-deb[$release]: $*"; }
fail() { echo "build-deb[$release]: FAIL: $*" >&2; exit 1; }

[[ $(id -u) == 0 ]] || fail "needs root (mmdebstrap, systemd-nspawn)"
for tool in mmdebstrap systemd-nspawn dpkg-parsechangelog flock; do
  command -v "$tool" >/dev/null || fail "$tool is missing (scripts/install-deps.sh installs it)"
done

work=$(mktemp -d "/var/tmp/lwtbuild-$release.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
started=$SECONDS

# --- the chroot: made once, then reused while debian/control is unchanged ---
mkdir -p "$cache"
tarball=$cache/build-$release.tar
# Besides the Build-Depends: lintian of the release, and ccache, whose cache
# ($cache/ccache-RELEASE) makes a rebuild of unchanged sources quick. No man
# pages, translations or docs but copyrights: nothing in the build reads
# them, and man-db's trigger has nothing to index.
chroot_opts=(--variant=buildd '--include=lintian,ccache' --dpkgopt=force-unsafe-io
  --aptopt='Acquire::Languages "none"' --dpkgopt='path-exclude=/usr/share/man/*'
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright')
key=$({ lw_deb_sources "$release"; echo "${chroot_opts[*]}"; cat "$src/debian/control"; } |
  sha256sum | cut -c1-16)
exec 9>"$cache/build-$release.lock"
flock 9 # two builds of one release share the tarball: one makes it
if [[ -f $tarball && $(cat "$tarball.key" 2>/dev/null) == "$key" &&
  -n $(find "$tarball" -mtime -"${LW_DEB_CACHE_DAYS:-7}") ]]; then
  say "chroot from cache $tarball"
else
  say "making the $release build chroot (buildd, Build-Depends, lintian, ccache) with mmdebstrap"
  mapfile -t sources < <(lw_deb_sources "$release")
  # apt-get build-dep reads debian/control: the chroot has exactly the
  # release's Build-Depends (all of them, also the test ones behind <!nocheck>).
  # shellcheck disable=SC2016 # "$1" is the chroot, expanded by mmdebstrap's hooks
  if ! TMPDIR=$work nice timeout 1800 mmdebstrap "${chroot_opts[@]}" \
    --customize-hook='mkdir "$1/tmp/lwsrc"' --customize-hook="copy-in $src/debian /tmp/lwsrc" \
    --customize-hook='chroot "$1" apt-get build-dep -y -q /tmp/lwsrc' \
    --customize-hook='rm -rf "$1/tmp/lwsrc"; chroot "$1" apt-get clean' \
    --customize-hook='chroot "$1" useradd --create-home --uid 2000 lwbuild' \
    "$release" "$work/chroot.tar" "${sources[@]}" >"$work/mmdebstrap.log" 2>&1; then
    tail -30 "$work/mmdebstrap.log" >&2
    fail "mmdebstrap could not make the $release chroot"
  fi
  mv "$work/chroot.tar" "$tarball"
  echo "$key" >"$tarball.key"
  say "chroot made in $((SECONDS - started)) s ($(du -h "$tarball" | cut -f1))"
fi
root=$work/root
mkdir "$root"
tar -C "$root" -xf "$tarball"
exec 9>&-

# --- the source, with the release's changelog entry on top ------------------
base=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)
upstream=${base%-*}
version=$base~deb${number}u1
tree=$root/build/lanewarden-$upstream
mkdir -p "$tree"
# The working tree as it is, without build directories: in a git checkout
# what git tracks plus new files it does not ignore.
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$src" && git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' f; do [[ -e $f ]] && printf '%s\0' "$f"; done |
    tar --null -T - -cf -) | tar -C "$tree" -xf -
else
  tar -C "$src" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$tree" -xf -
fi
# The entry's date is the source's (the commit's), not the build's, so that
# rebuilding a commit gives the same package (SOURCE_DATE_EPOCH); it must be
# later than the entry below it.
base_epoch=$(dpkg-parsechangelog -l "$src/debian/changelog" -S Timestamp)
epoch=$(git -C "$src" log -1 --format=%ct 2>/dev/null || echo 0)
((epoch > base_epoch)) || epoch=$((base_epoch + 1))
{
  printf 'lanewarden (%s) %s; urgency=medium\n\n' "$version" "$release"
  printf '  * Built for Debian %s %s by scripts/build-deb.sh.\n\n' "$number" "$release"
  printf ' -- %s  %s\n\n' "$(dpkg-parsechangelog -l "$src/debian/changelog" -S Maintainer)" \
    "$(LC_ALL=C date -u -R -d "@$epoch")"
  cat "$src/debian/changelog"
} >"$tree/debian/changelog"
chown -R 2000:2000 "$root/build"

# --- build and lint inside the release, without network ---------------------
say "dpkg-buildpackage -b of $version (DEB_BUILD_OPTIONS='$build_options')"
build_started=$SECONDS
profiles=""
[[ " $build_options " == *" nocheck "* ]] && profiles=-Pnocheck
ccache_dir=$cache/ccache-$release
mkdir -p "$ccache_dir"
chown 2000:2000 "$ccache_dir"
if ! nice systemd-nspawn --quiet --register=no --keep-unit --private-network --console=pipe \
  --directory="$root" --chdir="/build/lanewarden-$upstream" --bind="$ccache_dir:/ccache" \
  --setenv=DEB_BUILD_OPTIONS="$build_options parallel=$(nproc)" --setenv=LC_ALL=C.UTF-8 \
  --setenv=HOME=/home/lwbuild --setenv=CCACHE_DIR=/ccache --setenv=CCACHE_MAXSIZE=2G \
  --setenv=CMAKE_C_COMPILER_LAUNCHER=ccache --setenv=CMAKE_CXX_COMPILER_LAUNCHER=ccache \
  runuser -u lwbuild -- dpkg-buildpackage -b -uc -us $profiles \
  </dev/null >"$out/build.log" 2>&1; then
  tail -40 "$out/build.log" >&2
  fail "dpkg-buildpackage failed (log: $out/build.log)"
fi
say "built in $((SECONDS - build_started)) s"

rm -f "$out"/lanewarden*~deb"${number}"u*
cp "$root"/build/lanewarden*"_$version"_* "$out/"
deb=$out/lanewarden_${version}_$(dpkg --print-architecture).deb
[[ -f $deb ]] || fail "no $(basename "$deb") built"

built=()
for f in "$out"/*_"${version}"_*.deb; do built+=("/lwout/${f##*/}"); done
# lintian of the release the package is for, with the package's own
# overrides, on every package built (the binary and its -dbgsym).
systemd-nspawn --quiet --register=no --keep-unit --private-network --console=pipe \
  --directory="$root" --bind-ro="$out:/lwout" \
  lintian --display-info --fail-on error --allow-root "${built[@]}" </dev/null >"$out/lintian.txt" 2>&1 ||
  { cat "$out/lintian.txt" >&2; fail "lintian reports errors"; }
say "lintian: $(grep -c '^E:' "$out/lintian.txt" || true) errors, $(grep -c '^W:' "$out/lintian.txt" || true) warnings ($out/lintian.txt)"
say "OK: $deb ($(du -h "$deb" | cut -f1)) in $((SECONDS - started)) s"
