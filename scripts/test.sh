#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs dependencies, builds, and runs the whole test suite (unit, BPF, e2e).
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
ctest --test-dir "$build" --output-on-failure --timeout 600 "$@"
