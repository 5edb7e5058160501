#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Checks formatting and shell scripts without changing anything:
#   clang-format --dry-run -Werror on every C/C++ file (.clang-format, and
#   bpf/.clang-format for the kernel side); shellcheck -x on every shell
#   script of the tree (*.sh, or a sh/bash/dash shebang: .ci/run, debian/).
# The tree is formatted with clang-format 14 (Debian bookworm). Other major
# versions format some constructs differently, so formatting is checked with
# 14 only: clang-format-14, else clang-format when it is 14. Without it the
# check says so and runs shellcheck alone; with CI=true that is a failure.
# Exit status: 0 clean, 1 findings (or no clang-format 14 in CI), 2 usage
# or no shellcheck. CLANG_FORMAT and SHELLCHECK name the binaries.
#   scripts/check-style.sh [--format-only | --shell-only]
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

readonly format_major=14
shellcheck=${SHELLCHECK:-shellcheck}
do_format=1 do_shell=1
case ${1:-} in
  --format-only) do_shell=0 ;;
  --shell-only) do_format=0 ;;
  "") ;;
  *) sed -n '3,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac

# In a git checkout the tracked files and the new ones git does not ignore
# (a file is checked before its first commit), else every file outside build
# directories (a copy of the tree, as the style test makes).
list_files() {
  if git rev-parse --git-dir >/dev/null 2>&1; then
    git ls-files --cached --others --exclude-standard
  else
    find . \( -path './build*' -o -path ./.git \) -prune -o -type f -print | sed 's|^\./||'
  fi
}

major_of() { "$1" --version 2>/dev/null | sed -n 's/.*version \([0-9]*\)\..*/\1/p' | head -1; }

# The clang-format to check with, or nothing: CLANG_FORMAT when set, else
# the first of clang-format-14 and clang-format that is version 14.
pick_clang_format() {
  local candidates=(clang-format-"$format_major" clang-format) c
  [[ -n ${CLANG_FORMAT:-} ]] && candidates=("$CLANG_FORMAT")
  for c in "${candidates[@]}"; do
    command -v "$c" >/dev/null 2>&1 || continue
    if [[ $(major_of "$c") == "$format_major" ]]; then
      echo "$c"
      return
    fi
  done
}

is_shell_script() {
  [[ -f $1 && ! -L $1 ]] || return 1
  [[ $1 == *.sh ]] && return 0
  head -n 1 -- "$1" | grep -Eq '^#!.*[/ ](ba|da)?sh( |$)'
}

mapfile -t files < <(list_files | sort)
status=0

if ((do_format)); then
  sources=()
  for f in "${files[@]}"; do
    case $f in *.c | *.h | *.cpp | *.hpp) [[ -f $f && ! -L $f ]] && sources+=("$f") ;; esac
  done
  clang_format=$(pick_clang_format)
  if [[ -z $clang_format ]]; then
    found=${CLANG_FORMAT:-clang-format}
    found_major=$(major_of "$found" || true)
    echo "== clang-format: NOT CHECKED. The tree is formatted with clang-format $format_major" \
      "and $found is ${found_major:+version }${found_major:-not installed};" \
      "install clang-format-$format_major (Debian bookworm: clang-format) to check formatting."
    if [[ ${CI:-} == true ]]; then
      echo "clang-format: CI=true, and formatting cannot be checked here"
      status=1
    fi
  else
    echo "== clang-format ($("$clang_format" --version | grep -o '[0-9][0-9.]*' | head -1)):" \
      "${#sources[@]} files"
    # One run over all files (one per file takes minutes); its warnings name
    # each file that differs.
    format_rc=0
    format_out=$(printf '%s\0' "${sources[@]}" |
      xargs -0 -r "$clang_format" --dry-run -Werror 2>&1 >/dev/null) || format_rc=$?
    mapfile -t bad < <(sed -n \
      's/^\(.*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' <<<"$format_out" |
      sort -u)
    for f in "${bad[@]}"; do
      [[ -n $f ]] && echo "needs clang-format: $f"
    done
    if [[ -n ${bad[0]:-} ]]; then
      echo "clang-format: ${#bad[@]} of ${#sources[@]} files differ" \
        "(see: $clang_format --dry-run FILE; fix: $clang_format -i FILE)"
      status=1
    elif ((format_rc)); then
      # It failed without naming a file: a bad .clang-format, a crash.
      printf '%s\n' "$format_out" | head -20
      echo "clang-format: failed (exit $format_rc) without a formatting finding"
      status=1
    fi
  fi
fi

if ((do_shell)); then
  if ! command -v "$shellcheck" >/dev/null 2>&1; then
    echo "shellcheck: $shellcheck is not installed (scripts/install-deps.sh installs it)" >&2
    exit 2
  fi
  scripts=()
  for f in "${files[@]}"; do
    is_shell_script "$f" && scripts+=("$f")
  done
  echo "== shellcheck ($("$shellcheck" --version | sed -n 's/^version: //p')): ${#scripts[@]} scripts"
  # -x with each script's own directory: testbed.sh sources testbed-lib.sh.
  if ! "$shellcheck" -x --source-path=SCRIPTDIR "${scripts[@]}"; then
    status=1
  fi
fi

exit "$status"
