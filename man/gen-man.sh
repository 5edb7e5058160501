#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Generates lanewarden.8 from the CLI itself (help2man): the top-level help
# plus every subcommand's --help, so the man page cannot drift from the code.
# Usage: gen-man.sh BINARY VERSION OUTPUT
set -euo pipefail
bin=$1 version=$2 out=$3
include=$(mktemp /tmp/lwman.XXXXXX)
trap 'rm -f "$include"' EXIT
{
  echo "[COMMANDS]"
  for sub in $("$bin" --help | awk '/^Subcommands:/{on=1;next} on && NF {print $1}'); do
    echo ".SS $sub"
    echo ".nf"
    "$bin" "$sub" --help | sed 's/\\/\\\\/g; s/^\./\\\&./'
    echo ".fi"
  done
  cat <<'TXT'
[FILES]
.TP
.I /etc/lanewarden/policy.toml
The node's policy, read by the systemd unit.
.TP
.I /etc/pve/lanewarden.toml
One cluster-wide policy distributed by pmxcfs; lanes with \fBnode = "NAME"\fR apply only on that node.
.TP
.I /sys/fs/bpf/lanewarden
Pinned programs and maps: enforcement outlives the process.
[EXIT STATUS]
0 success; 1 findings (check) or runtime failure; 2 bad usage or invalid policy.
TXT
} > "$include"
help2man --no-info --section 8 --name "keeps Proxmox cluster traffic in its lanes" \
  --version-string "$version" --no-discard-stderr --include "$include" \
  --output "$out" "$bin"
