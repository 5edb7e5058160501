#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds this tree on Debian trixie (libbpf 1.5: the tcx attach backend,
# docs/attach.md) and runs tests there: by default the tcx end-to-end tests
# (label tcx-e2e), which bookworm's libbpf 1.1 cannot build. Then the BPF
# object trixie's compiler built is verified on every kernel of the matrix
# (scripts/kernel-matrix.sh --load-only).
#
# The root is scripts/build-deb.sh's cached trixie build chroot
# ($LW_DEB_CACHE/build-trixie.tar, made by `scripts/build-deb.sh trixie` when
# missing) plus iproute2 for the tests, unpacked once into
# $LW_DEB_CACHE/test-trixie/ and made again when the chroot tarball changes.
# The build directory ($LW_DEB_CACHE/test-trixie-build) and ccache
# ($LW_DEB_CACHE/ccache-trixie-test) are kept between runs, so a run after a small change
# rebuilds only what changed.
#
# The chroot shares this machine's kernel: it runs in a mount namespace of
# its own with /proc, /sys (bpffs included), /dev and the source tree (read
# only) mounted in, and tmpfs on /run and /tmp, so the network namespaces
# the tests make (lwt*) and every mount go when it ends.
#
# Usage: sudo scripts/test-trixie.sh [CTEST-ARGS...]
#   default CTEST-ARGS: -L '^tcx-e2e$' (see below)
# Needs root. Exit 77 (skipped) when not root or no tarball can be made,
# except with CI=true, where that fails.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
cache=${LW_DEB_CACHE:-/var/cache/lanewarden}
say() { echo "test-trixie: $*"; }
ci() { [[ ${CI:-} =~ ^(1|true|yes|TRUE|True)$ ]]; }
cannot() {
  echo "test-trixie: cannot run: $*" >&2
  if ci; then exit 1; fi
  exit 77
}
[[ $(id -u) == 0 ]] || cannot "needs root (chroot, mounts, BPF)"
for tool in unshare chroot systemd-nspawn flock tar; do
  command -v "$tool" >/dev/null || cannot "$tool is missing"
done
started=$SECONDS

base=$cache/build-trixie.tar
if [[ ! -f $base ]]; then
  say "no $base: making it with scripts/build-deb.sh trixie"
  out=$(mktemp -d /var/tmp/lwttrixie-deb.XXXXXX)
  "$src/scripts/build-deb.sh" trixie "$out" || { rm -rf "$out"; cannot "build-deb.sh trixie failed"; }
  rm -rf "$out"
fi

# --- the test root: the build chroot plus what the tests run ----------------
root=$cache/test-trixie
extra=(iproute2 iputils-ping procps)
key=$({ cat "$base.key" 2>/dev/null; stat -c %Y "$base"; echo "${extra[*]}"; } | sha256sum | cut -c1-16)
exec 9>"$cache/test-trixie.lock"
flock 9 # one run at a time: they share the root and the build directory
if [[ $(cat "$root.key" 2>/dev/null) != "$key" ]]; then
  say "unpacking $base and installing ${extra[*]}"
  rm -rf "$root" "$root.key"
  mkdir -p "$root"
  exec 8>"$cache/build-trixie.lock"
  flock 8 # build-deb.sh may be remaking the tarball
  tar -C "$root" -xf "$base"
  exec 8>&-
  # apt from the release's archive (the chroot's own sources), in a
  # container sharing the host's network.
  if ! systemd-nspawn --quiet --register=no --keep-unit --console=pipe --directory="$root" \
    sh -c "apt-get update -q && apt-get install -y -q --no-install-recommends ${extra[*]} &&
      apt-get clean" </dev/null >"$cache/test-trixie-apt.log" 2>&1; then
    tail -20 "$cache/test-trixie-apt.log" >&2
    rm -rf "$root"
    cannot "could not install ${extra[*]} into the trixie root"
  fi
  echo "$key" >"$root.key"
  say "test root ready in $((SECONDS - started)) s"
fi

build=$cache/test-trixie-build
# Its own ccache: the package build's (ccache-trixie) belongs to the build user.
ccache_dir=$cache/ccache-trixie-test
mkdir -p "$build" "$ccache_dir" "$root/src" "$root/build" "$root/ccache"
# By default only what the bookworm build cannot test: the tcx end-to-end
# tests. The unit and BPF tests run in bookworm's build already (same BPF
# object, same userspace apart from the tcx backend); building them here too
# would double the compile time CI pays. Run them with
#   LW_TRIXIE_TARGETS="lanewarden lw_unit_tests lw_bpf_tests lw_tcx_tests" \
#     scripts/test-trixie.sh -L '^(unit|bpf|tcx-e2e)$' -E '^promtool_rules$'
# (promtool is not in the build chroot). LW_TRIXIE_TARGETS chooses what is built.
if (($#)); then ctest_args=("$@"); else ctest_args=(-L '^tcx-e2e$'); fi
targets=${LW_TRIXIE_TARGETS:-lanewarden lw_tcx_tests}

# shellcheck disable=SC2016 # expanded by the inner shells
inner='set -euo pipefail
cmake -S /src -B /build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLANEWARDEN_FUZZ=OFF \
  -DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/build/configure.log
grep -E "tcx" /build/configure.log || true
if ! nice -n 10 cmake --build /build -j2 --target $targets >/build/build.log 2>&1; then
  grep -E -A3 "error|Error" /build/build.log | head -60 >&2
  echo "test-trixie: the build failed (log: test-trixie-build/build.log)" >&2
  exit 1
fi
ctest --test-dir /build --output-on-failure --timeout 600 "$@"'

# shellcheck disable=SC2016 # "$1"... are the outer script's arguments, passed on
unshare --mount --propagation private -- bash -c '
set -euo pipefail
root=$1 src=$2 build=$3 ccache_dir=$4 inner=$5 targets=$6
shift 6
# The root a mount point of its own: `ip netns` makes "/" a slave mount.
mount --bind "$root" "$root"
mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys"
mount --rbind /dev "$root/dev"
mount -t tmpfs tmpfs "$root/run"
mount -t tmpfs tmpfs "$root/tmp"
mount --bind "$src" "$root/src"
mount -o remount,bind,ro "$root/src"
mount --bind "$build" "$root/build"
mount --bind "$ccache_dir" "$root/ccache"
exec chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
  CCACHE_DIR=/ccache CCACHE_MAXSIZE=2G CI="${CI:-}" targets="$targets" bash -c "$inner" inner "$@"
' outer "$root" "$src" "$build" "$ccache_dir" "$inner" "$targets" "${ctest_args[@]}"

# The BPF object trixie's clang (19) builds is the one the trixie package
# ships; bookworm's clang 14 object is what kernel_matrix checks. Different
# compilers give the verifier different code, so this one is loaded on every
# kernel of the matrix too (load only, about a minute with the kernels
# cached). LW_TRIXIE_KERNELS=0 leaves it out.
if [[ ${LW_TRIXIE_KERNELS:-1} != 0 ]]; then
  rc=0
  "$src/scripts/kernel-matrix.sh" --load-only --build "$build" \
    --results "$build/kernel-matrix-load" || rc=$?
  if ((rc == 77)); then
    cannot "the kernel matrix cannot run here for the trixie object"
  elif ((rc != 0)); then
    echo "test-trixie: the trixie build's BPF object failed the kernel matrix" >&2
    exit 1
  fi
fi
say "done in $((SECONDS - started)) s"
