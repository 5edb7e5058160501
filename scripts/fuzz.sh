#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Longer fuzzing campaign than the ctest slice:
#   scripts/fuzz.sh [SECONDS] [--frames N] [--seed S] [--target NAME]...
# runs every libFuzzer target (policy parser, Proxmox readers) for SECONDS
# each (default 60), then the differential datapath test (needs root) over N
# frames (default 1000000) from seed S (default: a fresh one, printed so a
# failure can be replayed with --seed). Corpora accumulate in
# $BUILD_DIR/fuzz/work/<target>/corpus across runs; crashes are kept in
# .../artifacts. Exit status: non-zero if any target or the differential failed.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

seconds=60 frames=1000000 seed=$(( $(date +%s) % 1000000007 )) targets=()
while (($#)); do
  case $1 in
    --frames) frames=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --target) targets+=("$2"); shift 2 ;;
    -h|--help) sed -n '3,11p' "$0"; exit 0 ;;
    *) seconds=$1; shift ;;
  esac
done

build=${BUILD_DIR:-build}
cmake -S . -B "$build" -DLANEWARDEN_FUZZ=ON >/dev/null
cmake --build "$build" -j"$(nproc)"

if ((${#targets[@]} == 0)); then
  for src in fuzz/targets/fuzz_*.cpp; do
    t=${src##*/fuzz_}
    targets+=("${t%.cpp}")
  done
fi

failed=()
for t in "${targets[@]}"; do
  echo "== fuzz $t for ${seconds}s"
  if ! fuzz/run.sh "$build/fuzz/clang" "$t" "$build/fuzz/work" -max_total_time="$seconds" \
      2> >(grep -E '^(stat::|Done|==[0-9]+==|SUMMARY)' >&2); then
    failed+=("fuzz:$t")
  fi
done

echo "== differential: $frames frames, seed $seed"
if ! LW_DIFF_FRAMES=$frames LW_DIFF_SEED=$seed \
    "$build/tests/lw_bpf_tests" --gtest_filter='Differential*'; then
  failed+=("differential (seed $seed)")
fi

if ((${#failed[@]})); then
  echo "FAILED: ${failed[*]} (crash inputs under $build/fuzz/work/*/artifacts)" >&2
  exit 1
fi
echo "fuzzing found nothing"
