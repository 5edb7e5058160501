#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The kernel matrix: boots Debian's kernels in qemu (TCG: no KVM needed) with
# this machine's root filesystem shared read-only over 9p, and in each guest
#   1. loads and verifies every program of lanewarden.bpf.o and empty.bpf.o,
#      recording the verifier's instruction and state counts, or on a
#      rejection the last lines of its log (the reason);
#   2. runs the BPF test suite (tests/lw_bpf_tests, BPF_PROG_TEST_RUN);
#   3. applies a policy with the real lanewarden binary on a veth pair between
#      two namespaces, pings across it, checks the packets were counted, and
#      detaches, checking that no filter or pin is left.
# Kernels come from kernels.conf (scripts/kernel-vm/), are downloaded once with
# apt (never installed) and cached with their initramfs. Prints a table and
# writes results.jsonl (one JSON line per kernel) into the results directory.
# Exits 1 if any kernel fails, 2 on bad usage, 77 when it cannot run here
# (not root, a tool missing) unless CI=true, where that is a failure too.
#
# Usage: scripts/kernel-matrix.sh [OPTIONS]
#   --kernels LIST   comma-separated series from kernels.conf (default: all)
#   --build DIR      build directory to test (default: build)
#   --load-only      only step 1: quick verifier checks
#   --results DIR    where results go (default: /var/tmp/lanewarden-kernel-matrix/TIME)
#   --cache DIR      kernel cache (default: $LW_KERNEL_CACHE or /var/cache/lanewarden/kernels)
#   --refresh        look for newer kernel packages even when cached
#   --timeout S      per guest, boot to power-off (default: 900, 300 with --load-only)
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
vm=$src/scripts/kernel-vm
kernels="" build=$src/build mode=full results="" refresh=() timeout=""
cache=${LW_KERNEL_CACHE:-/var/cache/lanewarden/kernels}
usage() { # exit code: 0 for --help (on stdout), 2 for bad usage (on stderr)
	if (($1)); then exec >&2; fi
	sed -n '/^# Usage:/,/^set -/p' "$0" | sed '$d; s/^# \{0,1\}//'
	exit "$1"
}
while (($#)); do
	case $1 in
	--kernels) kernels=${2:?}; shift ;;
	--build) build=${2:?}; shift ;;
	--load-only) mode=load ;;
	--results) results=${2:?}; shift ;;
	--cache) cache=${2:?}; shift ;;
	--refresh) refresh=(--refresh) ;;
	--timeout) timeout=${2:?}; shift ;;
	-h | --help) usage 0 ;;
	*) echo "kernel-matrix: unknown option $1" >&2; usage 2 ;;
	esac
	shift
done
say() { echo "kernel-matrix: $*"; }
die() { echo "kernel-matrix: $*" >&2; exit 1; }
# 77 is what ctest counts as skipped; CI must never skip (tests/CMakeLists.txt).
cannot_run() {
	echo "kernel-matrix: cannot run: $*" >&2
	[[ ${CI:-} == true ]] && exit 1
	exit 77
}

[[ $(id -u) == 0 ]] || cannot_run "needs root (qemu's 9p export of / and the kernel cache)"
for tool in qemu-system-x86_64 busybox modprobe depmod python3 jq; do
	command -v "$tool" >/dev/null || cannot_run "$tool is missing: run scripts/install-deps.sh"
done
build=$(readlink -f "$build")
need=("$build/bpf/lanewarden.bpf.o" "$build/bpf/empty.bpf.o")
[[ $mode == full ]] && need+=("$build/tests/lw_bpf_tests" "$build/userspace/lanewarden")
for f in "${need[@]}"; do
	[[ -e $f ]] || die "$f is missing: build it first (or pass --build DIR)"
done
[[ -n $kernels ]] || kernels=$(awk '!/^#/ && NF { printf "%s%s", sep, $1; sep = "," }' "$vm/kernels.conf")
IFS=, read -r -a series_list <<<"$kernels"
[[ -n $timeout ]] || timeout=$([[ $mode == load ]] && echo 300 || echo 900)
results=${results:-/var/tmp/lanewarden-kernel-matrix/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$results"
results=$(readlink -f "$results")
: >"$results/results.jsonl"
say "${#series_list[@]} kernel(s) [$kernels], $mode mode, build $build, results in $results"

# Boots one kernel with the job and waits for it to power off (or time out).
boot() { # kdir initrd rdir
	local kdir=$1 initrd=$2 rdir=$3 release
	release=$(cat "$kdir/release")
	cat >"$rdir/job.sh" <<-EOF
		exec /bin/bash $vm/guest.sh $mode $build /run/kmx
	EOF
	# TCG (no KVM here), one host thread for both vCPUs: with multi-threaded
	# TCG, 6.16 once hit "Oops: int3" in netif_rx_internal while ping flipped
	# a static key (text_poke_bp racing the other vCPU's translated code).
	# -nic none: the guest needs no network but its own namespaces. The root
	# share is read-only; the results share is rdir.
	timeout --kill-after=10 "$timeout" qemu-system-x86_64 \
		-machine q35 -accel tcg,thread=single -cpu max -m 2G -smp 2 -nographic -no-reboot \
		-kernel "$kdir/root/boot/vmlinuz-$release" -initrd "$initrd" \
		-append "console=ttyS0 panic=-1 oops=panic loglevel=4 rdinit=/init nokaslr mitigations=off kmx.modules=$kdir/root" \
		-virtfs local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$rdir,mount_tag=kc,security_model=none,multidevs=remap" \
		-nic none -serial mon:stdio </dev/null >"$rdir/console.log" 2>&1 || true
}

start=$SECONDS
for series in "${series_list[@]}"; do
	rdir=$results/$series
	rm -rf "$rdir"
	mkdir -p "$rdir"
	t0=$SECONDS package=""
	if kdir=$("$vm/fetch-kernel.sh" "${refresh[@]}" "$cache" "$series") &&
		initrd=$("$vm/make-initramfs.sh" "$kdir"); then
		package=$(cat "$kdir/package")
		say "$series: booting $package"
		boot "$kdir" "$initrd" "$rdir"
	else
		echo "could not fetch the kernel or build its initramfs" >"$rdir/console.log"
	fi
	"$vm/collect.sh" "$rdir" "$series" "$package" "$mode" "$build" $((SECONDS - t0)) |
		tee -a "$results/results.jsonl" >"$rdir/result.json"
	jq -r '"kernel-matrix: \(.series): \(.result) in \(.seconds) s" +
		(if .problems == [] then "" else ": " + (.problems | join("; ")) end)' "$rdir/result.json"
	# The reason of every rejection: the end of the verifier log.
	jq -r '.programs[] | select(.result != "ok") |
		"--- \(.object) \(.program): \(.result); last \(.log_tail | length) of \(.log_lines) log lines:",
		(.log_tail[] | "    " + .), (.libbpf[]? | "    " + .)' "$rdir/result.json"
	if [[ ! -e $rdir/rc ]]; then
		echo "--- last lines of $rdir/console.log:"
		tail -n 20 "$rdir/console.log" | sed 's/^/    /'
	fi
done
total=$((SECONDS - start))

echo
"$vm/summary.sh" "$results/results.jsonl"
failed=$(jq -s 'map(select(.result != "pass")) | length' "$results/results.jsonl")
say "${#series_list[@]} kernel(s), $failed failed, ${total} s in all; results: $results/results.jsonl"
((failed == 0))
