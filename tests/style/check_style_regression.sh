#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Proves scripts/check-style.sh catches what it is for: it runs the check on
# a small copy of the tree (its .clang-format files, one C++ header, one BPF
# header, one script), clean first, then with one regression at a time, and
# fails unless the check passes the clean copy and fails each regression for
# the right reason. Needs clang-format 14 and shellcheck, as the check does.
set -euo pipefail
src=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
work=$(mktemp -d /tmp/lwtstyle.XXXXXX)
trap 'rm -rf "$work"' EXIT

failures=0
fail() {
	echo "FAIL: $*"
	failures=$((failures + 1))
}

# A fresh copy in $work/tree, not a git checkout (the check lists files with
# find there). Outside git on purpose: a checkout would list only tracked files.
fresh_tree() {
	rm -rf "$work/tree"
	mkdir -p "$work/tree/scripts" "$work/tree/bpf" "$work/tree/userspace/common"
	cp "$src/.clang-format" "$work/tree/"
	cp "$src/bpf/.clang-format" "$src/bpf/bounds.bpf.h" "$work/tree/bpf/"
	cp "$src/userspace/common/text.h" "$work/tree/userspace/common/"
	cp "$src/scripts/check-style.sh" "$src/scripts/test.sh" "$work/tree/scripts/"
}

# expect RC PATTERN DESCRIPTION [VAR=VALUE...]: run the check in the copy
# with the given environment; its exit status must be RC and its output
# must match the extended regex PATTERN.
expect() {
	local rc=$1 pattern=$2 what=$3 got=0 out
	shift 3
	out=$(cd "$work/tree" && env -u CI "$@" scripts/check-style.sh 2>&1) || got=$?
	if [[ $got != "$rc" ]]; then
		fail "$what: exit $got, expected $rc; output:"
		printf '%s\n' "$out" | sed 's/^/  | /'
	elif ! grep -Eq -- "$pattern" <<<"$out"; then
		fail "$what: output lacks /$pattern/:"
		printf '%s\n' "$out" | sed 's/^/  | /'
	else
		echo "ok: $what"
	fi
}

fresh_tree
expect 0 '== clang-format \(14\.' "a clean copy passes"

# C++ that clang-format 14 would rewrite.
fresh_tree
printf 'inline int lwt_style_probe( int x ){return x;}\n' >>"$work/tree/userspace/common/text.h"
expect 1 'needs clang-format: userspace/common/text.h' "misformatted C++ fails"

# A BPF header indented with spaces: bpf/.clang-format (tabs) must apply there.
fresh_tree
sed -i 's/^\t/    /' "$work/tree/bpf/bounds.bpf.h"
expect 1 'needs clang-format: bpf/bounds.bpf.h' "BPF code in C++ style fails"

# An unquoted variable in a script.
fresh_tree
cat >>"$work/tree/scripts/test.sh" <<'BAD'
dir=${1:-/tmp}
ls $dir
BAD
expect 1 'SC2086' "an unquoted variable in scripts/ fails"

# A script without .sh, found by its shebang (as .ci/run is).
fresh_tree
mkdir -p "$work/tree/.ci"
cat >"$work/tree/.ci/run" <<'BAD'
#!/usr/bin/env bash
set -euo pipefail
exec ls $1
BAD
expect 1 'In \.ci/run line 3' "a shebang-only script is checked"

# Another clang-format major version: formatting is not checked, and says so;
# the shell check still runs; CI=true turns the missing check into a failure.
cat >"$work/clang-format-19" <<'FAKE'
#!/bin/sh
echo "Debian clang-format version 19.1.7 (3+b1)"
FAKE
chmod +x "$work/clang-format-19"
fresh_tree
printf 'inline int lwt_style_probe( int x ){return x;}\n' >>"$work/tree/userspace/common/text.h"
expect 0 'NOT CHECKED.*clang-format 14.*version 19' "clang-format 19: formatting skipped, said" \
	CLANG_FORMAT="$work/clang-format-19"
expect 1 'CI=true' "clang-format 19 with CI=true fails" CLANG_FORMAT="$work/clang-format-19" CI=true
cat >>"$work/tree/scripts/test.sh" <<'BAD'
ls $HOME/*
BAD
expect 1 'SC2086' "clang-format 19: shellcheck still fails a script" \
	CLANG_FORMAT="$work/clang-format-19"

if ((failures)); then
	echo "$failures check(s) failed"
	exit 1
fi
echo "all checks passed"
