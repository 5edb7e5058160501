#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The alerting rules the package ships (packaging/prometheus/): valid for
# Prometheus (`promtool check rules`) and doing what their unit tests say
# (`promtool test rules`). promtool is in Debian's `prometheus` package;
# without it the test is skipped (exit 77), and fails when CI=true.
set -euo pipefail
src=${LW_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if ! command -v promtool >/dev/null; then
	[[ ${CI:-} =~ ^(1|true|yes)$ ]] && {
		echo "promtool_rules: promtool missing (scripts/install-deps.sh installs prometheus)" >&2
		exit 1
	}
	echo "promtool_rules: promtool missing; skipped" >&2
	exit 77
fi
cd "$src/packaging/prometheus"
promtool check rules lanewarden-rules.yml
promtool test rules tests/lanewarden-rules.test.yml
