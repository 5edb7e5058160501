#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Prints the kernel matrix's table from its JSON Lines (one line per kernel,
# see collect.sh): kernel, load result, instructions and states (total/peak)
# per program, BPF tests passed/failed/skipped, e2e, seconds, verdict.
# Usage: summary.sh RESULTS.jsonl
set -euo pipefail
jq -rs '
	def prog($p): (map(select(.program == $p)) | first) as $r |
		if $r == null then "-"
		elif $r.insns == null then $r.result
		else "\($r.insns) / \($r.total_states)/\($r.peak_states)" + (if $r.result == "ok" then "" else " \($r.result)" end) end;
	(["kernel", "debian", "cpus", "load", "lw_ingress insns / states", "lw_egress insns / states",
	  "lw_empty", "bpf tests pass/fail/skip", "e2e", "s", "result"] | @tsv),
	(.[] | [.release // .series, .debian // "-", .possible_cpus // "-", .load,
	        (.programs | prog("lw_ingress")), (.programs | prog("lw_egress")), (.programs | prog("lw_empty")),
	        (if .mode == "load" then "(load only)" elif .bpf_tests == null then "none"
	         else "\(.bpf_tests.passed)/\(.bpf_tests.failed)/\(.bpf_tests.skipped)" end),
	        (if .mode == "load" then "-" else (.e2e.e2e // "not run") end),
	        .seconds, .result] | map(tostring) | @tsv)' "$1" |
	# Columns padded to their widest cell (two passes over the rows).
	awk -F '\t' '{ row[NR] = $0; for (i = 1; i <= NF; i++) if (length($i) > w[i]) w[i] = length($i) }
		END { for (r = 1; r <= NR; r++) { n = split(row[r], c, "\t"); line = ""
			for (i = 1; i <= n; i++) line = line sprintf(i < n ? "%-" w[i] "s  " : "%s", c[i]); print line } }'
