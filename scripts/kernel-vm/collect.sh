#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Turns what one guest left in its results directory (see guest.sh) into one
# JSON line, with the verdict: "pass" only if the guest finished, every
# program loaded and, in full mode, no BPF test failed and the e2e passed.
# Usage: collect.sh RESULT_DIR SERIES PACKAGE MODE BUILD SECONDS
set -euo pipefail
d=$1
json_or() { # file default
	if [[ -s $1 ]] && jq -e . "$1" >/dev/null 2>&1; then cat "$1"; else echo "$2"; fi
}
programs=$( (cat "$d/verify.jsonl" 2>/dev/null || true) | jq -sc .)
# gtest's report: a test passed when it ran to completion without failures
# (the first ten failures are named).
bpf_tests=$(json_or "$d/bpf-tests.json" null | jq -c 'if . == null then null else
	[.testsuites[].testsuite[]] as $t | {
		passed: [$t[] | select(.result == "COMPLETED" and ((.failures // []) | length) == 0)] | length,
		failed: [$t[] | select(((.failures // []) | length) > 0)] | length,
		skipped: [$t[] | select(.result == "SKIPPED")] | length,
		failed_names: [$t[] | select(((.failures // []) | length) > 0) | "\(.classname).\(.name)"][0:10]
	} end')

jq -nc \
	--arg series "$2" --arg package "$3" --arg mode "$4" --arg build "$5" \
	--argjson seconds "$6" \
	--arg rc "$(cat "$d/rc" 2>/dev/null || echo none)" \
	--arg oops "$(grep -a -m 1 -E 'Oops:|BUG:|Kernel panic' "$d/console.log" 2>/dev/null | tr -d '\r' || true)" \
	--argjson kernel "$(json_or "$d/kernel.json" '{}')" \
	--argjson programs "$programs" \
	--argjson bpf_tests "$bpf_tests" \
	--argjson e2e "$(json_or "$d/e2e.json" null)" '
	($programs | map(select(.result != "ok"))) as $bad |
	(if ($programs | length) == 0 then "not run"
	 elif ($bad | length) == 0 then "ok"
	 else $bad | map("\(.program) \(.result)") | join(", ") end) as $load |
	([ if $oops != "" then "guest kernel: \($oops | sub("^\\[[ 0-9.]*\\] "; ""))" else empty end,
	   if $rc == "none" then "the guest did not finish (boot failure or timeout: see console.log)" else empty end,
	   if $load != "ok" then "load: \($load)" else empty end,
	   if $mode == "full" then
	     (if $bpf_tests == null then "BPF tests: no report"
	      elif $bpf_tests.failed > 0 or $bpf_tests.passed == 0 then "BPF tests: \($bpf_tests.failed) failed (\($bpf_tests.failed_names[0:3] | join(", ")))"
	      else empty end),
	     (if $e2e == null then "e2e: no verdict (see e2e.log)"
	      elif $e2e.e2e != "pass" then "e2e failed: \($e2e.reason)" else empty end)
	   else empty end ]) as $problems |
	{series: $series, package: $package, release: $kernel.release, debian: $kernel.debian,
	 possible_cpus: $kernel.possible_cpus, mode: $mode, build: $build, seconds: $seconds,
	 load: $load, programs: $programs, bpf_tests: $bpf_tests, e2e: $e2e,
	 result: (if ($problems | length) == 0 then "pass" else "fail" end), problems: $problems}'
