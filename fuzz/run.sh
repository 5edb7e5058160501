#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Runs one libFuzzer target with its seed corpus.
#   fuzz/run.sh FUZZER_DIR TARGET WORK_DIR [libFuzzer options...]
# TARGET is the part after "fuzz_" (policy, corosync, ...). Seeds come from
# the repository (example policies, Proxmox fixture trees) and are copied into
# WORK_DIR/TARGET/seeds, because libFuzzer writes new inputs into the first
# corpus directory and must never write into the source tree. Crashes land in
# WORK_DIR/TARGET/artifacts; the exit code is libFuzzer's (0: nothing found).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)
bin_dir=$1 target=$2 work=$3
shift 3

fixtures=$root/tests/fixtures/pve
case $target in
  policy)     seeds=("$root"/policies/*.toml "$fixtures"/expected/*.toml) ;;
  corosync)   mapfile -t seeds < <(find "$fixtures" -name corosync.conf) ;;
  ceph)       mapfile -t seeds < <(find "$fixtures" -name ceph.conf) ;;
  datacenter) mapfile -t seeds < <(find "$fixtures" -name datacenter.cfg) ;;
  storage)    mapfile -t seeds < <(find "$fixtures" -name storage.cfg) ;;
  hosts)      mapfile -t seeds < <(find "$fixtures" -path '*/etc/hosts') ;;
  interfaces) mapfile -t seeds < <(find "$fixtures" -path '*/etc/network/*' -type f) ;;
  bonding)    mapfile -t seeds < <(find "$fixtures" -path '*/proc/net/bonding/*' -type f) ;;
  frr)        mapfile -t seeds < <(find "$fixtures" -path '*/etc/frr/*' -type f) ;;
  link_pins)  mapfile -t seeds < <(find "$fixtures" -name '*.link' -type f) ;;
  *) echo "unknown fuzz target '$target'" >&2; exit 2 ;;
esac

dir=$work/$target
rm -rf "$dir/seeds"
mkdir -p "$dir/seeds" "$dir/corpus" "$dir/artifacts"
for s in "${seeds[@]}"; do
  # Flattened path as the name: fixture trees all use the same file names.
  cp "$s" "$dir/seeds/$(realpath --relative-to="$root" "$s" | tr / _)"
done

dict=()
[[ -f $root/fuzz/dicts/$target.dict ]] && dict=(-dict="$root/fuzz/dicts/$target.dict")
exec "$bin_dir/fuzz_$target" "${dict[@]}" -artifact_prefix="$dir/artifacts/" \
  -max_len=16384 -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
  "$@" "$dir/corpus" "$dir/seeds"
