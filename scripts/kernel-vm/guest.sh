#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# What the kernel matrix runs inside each guest (chrooted into the host's root,
# see init), writing its results into OUT, the share the host reads back:
#   kernel.json    uname -r, the Debian version, possible CPUs
#   verify.jsonl   per program: verifier result, instruction and state counts,
#                  the log's last lines on a rejection (bpf-verify.py)
#   bpf-tests.json the BPF test suite's gtest report      (not with "load")
#   e2e.json       apply/traffic/status/detach (guest-e2e.sh) (not with "load")
# Each step runs even when an earlier one failed; the host judges the results.
# Usage: guest.sh load|full BUILD_DIR OUT
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=$1 build=$2 out=$3
say() { echo "kmx-guest: [$(cut -d" " -f1 /proc/uptime)] $*"; }

ip link set lo up

debian=$(sed -n 's/.* Debian \([^ ]*\) .*/\1/p' /proc/version)
jq -nc --arg release "$(uname -r)" --arg debian "$debian" \
	--arg possible "$(cat /sys/devices/system/cpu/possible)" \
	--argjson nr_possible "$(getconf _NPROCESSORS_CONF)" \
	'{release: $release, debian: $debian, possible_cpus: $possible, nr_possible_cpus: $nr_possible}' \
	>"$out/kernel.json"
say "$(uname -r) (Debian $debian), possible CPUs $(cat /sys/devices/system/cpu/possible)"

say "loading and verifying the BPF objects"
# lw_policy_template only carries BTF; lanewarden never creates it either.
python3 "$here/bpf-verify.py" --skip-map lw_policy_template \
	"$build/bpf/lanewarden.bpf.o" "$build/bpf/empty.bpf.o" >"$out/verify.jsonl"
jq -r '"kmx-guest:   \(.object) \(.program): \(.result) \(.insns // "?") insns"' "$out/verify.jsonl"
[[ $mode == load ]] && exit 0

say "BPF test suite (BPF_PROG_TEST_RUN)"
# Pace.BeyondTheHorizonDrops measures time: it assumes 150 test runs take far
# less than one pacing interval, which emulation (TCG) does not keep. It runs
# natively in the bpf label; here it would only measure qemu.
"$build/tests/lw_bpf_tests" --gtest_filter=-Pace.BeyondTheHorizonDrops \
	--gtest_output="json:$out/bpf-tests.json" >"$out/bpf-tests.log" 2>&1
rc=$?
say "  exit $rc; $(jq -r '"\(.tests) tests, \(.failures) failed"' "$out/bpf-tests.json" 2>/dev/null)"

say "apply/detach with real traffic"
"$here/guest-e2e.sh" "$build/userspace/lanewarden" >"$out/e2e.json" 2>"$out/e2e.log"
say "  $(cat "$out/e2e.json")"
