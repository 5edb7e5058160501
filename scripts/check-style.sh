#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Checks formatting and shell scripts without changing anything:
#   clang-format --dry-run -Werror on every C/C++ file (.clang-format, and
#   bpf/.clang-format for the kernel side), shellcheck on scripts/.
# Exit status 1 when either finds something. CLANG_FORMAT and SHELLCHECK
# choose the binaries (clang-format's output differs between major versions,
# so compare with the one CI uses).
#   scripts/check-style.sh [--format-only | --shell-only]
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."

clang_format=${CLANG_FORMAT:-clang-format}
shellcheck=${SHELLCHECK:-shellcheck}
do_format=1 do_shell=1
case ${1:-} in
  --format-only) do_shell=0 ;;
  --shell-only) do_format=0 ;;
  "") ;;
  *) sed -n '3,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac

# Tracked files when this is a git checkout, else everything outside build dirs.
list() {
  if git rev-parse --git-dir >/dev/null 2>&1; then
    git ls-files -- "$@"
  else
    local args=() p
    for p in "$@"; do args+=(-o -path "./$p"); done
    find . -path './build*' -prune -o \( -false "${args[@]}" \) -type f -print | sed 's|^\./||'
  fi
}

status=0

if ((do_format)); then
  mapfile -t sources < <(list '*.c' '*.h' '*.cpp' '*.hpp' | sort)
  echo "== clang-format ($("$clang_format" --version | grep -o '[0-9][0-9.]*' | head -1)): ${#sources[@]} files"
  bad=0
  for f in "${sources[@]}"; do
    if ! "$clang_format" --dry-run -Werror "$f" 2>/dev/null; then
      echo "needs clang-format: $f"
      bad=$((bad + 1))
    fi
  done
  if ((bad)); then
    echo "clang-format: $bad of ${#sources[@]} files differ (see: $clang_format --dry-run FILE)"
    status=1
  fi
fi

if ((do_shell)); then
  mapfile -t scripts < <(list 'scripts/*.sh' 'scripts/**/*.sh' | sort -u)
  echo "== shellcheck ($("$shellcheck" --version | sed -n 's/^version: //p')): ${#scripts[@]} scripts"
  # -x with the script's own directory: testbed.sh sources testbed-lib.sh.
  if ! "$shellcheck" -x --source-path=SCRIPTDIR "${scripts[@]}"; then
    status=1
  fi
fi

exit "$status"
