#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the lanewarden binary of the commit before versioned pinned state
# (the last build whose pins carry no lw_meta), for the upgrade test
# (tests/e2e/test_upgrade.cpp): `git archive` of that commit into
# BUILD_DIR/previous/src, only the `lanewarden` target, with ccache when it
# is installed. Reuses an earlier result of the same commit.
# Usage: scripts/build-previous.sh BUILD_DIR   -> BUILD_DIR/previous/lanewarden
# Exit 1 with the reason when the commit is not in this clone (a shallow CI
# clone needs `git fetch --unshallow`).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: build-previous.sh BUILD_DIR}
commit=${LW_PREVIOUS_COMMIT:-a989492051a4d32e2fd093796361562af3e16897}
out=$build/previous
if [[ -x $out/lanewarden && $(cat "$out/commit" 2>/dev/null) == "$commit" ]]; then
  echo "build-previous: $out/lanewarden is the build of $commit"
  exit 0
fi
if ! git -C "$src" cat-file -e "$commit^{commit}" 2>/dev/null; then
  echo "build-previous: commit $commit is not in the clone at $src (shallow clone?" \
    "run: git fetch --unshallow)" >&2
  exit 1
fi
start=$(date +%s)
rm -rf "$out"
mkdir -p "$out/src"
git -C "$src" archive "$commit" | tar -x -C "$out/src"
# The build tree sits at src/build, as in a developer's checkout, so the
# compiler sees the same relative paths and ccache (base_dir) hits whatever
# any checkout of this tree already compiled.
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$out/src" -B "$out/src/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLANEWARDEN_TESTS=OFF \
  -DLANEWARDEN_FUZZ=OFF "${launcher[@]}" >"$out/configure.log"
cmake --build "$out/src/build" --target lanewarden -j"$(nproc)" >"$out/build.log"
cp "$out/src/build/userspace/lanewarden" "$out/lanewarden"
echo "$commit" >"$out/commit"
echo "build-previous: built $commit in $(($(date +%s) - start)) s -> $out/lanewarden"
