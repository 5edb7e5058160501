#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs dependencies, builds, and runs the whole test suite (unit, BPF, e2e,
# the trixie package and the kernel matrix).
# Privileged tests fail (never skip) when CI=true and they cannot run.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
scripts/install-deps.sh
build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)"
# The previous build for the upgrade test (cached in the build tree; the test
# builds it itself when this did not, and says why it cannot).
scripts/build-previous.sh "$build" || echo "test.sh: no previous build; the upgrade test reports why" >&2
# Without arguments: everything but the bookworm package (label package-bookworm:
# 25-40 minutes from nothing; `scripts/test.sh -L package-bookworm`) and the
# full kernel matrix (label kernels-full: the BPF tests and an apply in every
# guest, about 12 minutes; `scripts/test.sh -L kernels-full`). The load-only
# matrix (label kernels: both programs verified on every kernel, about 3
# minutes) runs, which keeps the whole run near the 45 minutes it may take.
# Arguments replace this selection: they go to ctest.
if (($# == 0)); then
  set -- -LE 'package-bookworm|kernels-full'
fi
ctest --test-dir "$build" --output-on-failure --timeout 600 "$@"
