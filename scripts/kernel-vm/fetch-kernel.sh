#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Puts one Debian kernel of the matrix into the cache, unless it is there:
#   CACHE/SERIES/root     the linux-image package extracted with dpkg -x
#                         (never installed on the host), depmod'ed
#   CACHE/SERIES/release  its uname -r;  CACHE/SERIES/package  its package name
# and prints CACHE/SERIES. The package is the newest match of the series'
# regex in kernels.conf, found with a private apt configuration (its own
# sources list and lists under CACHE/apt): the system's sources, lists and
# dpkg status are never read nor touched.
# Usage: fetch-kernel.sh [--refresh] CACHE SERIES
#   --refresh  look for a newer package even when the series is cached
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
refresh=0
if [[ ${1:-} == --refresh ]]; then
	refresh=1
	shift
fi
cache=${1:?usage: fetch-kernel.sh [--refresh] CACHE SERIES}
series=${2:?usage: fetch-kernel.sh [--refresh] CACHE SERIES}
dir=$cache/$series
say() { echo "fetch-kernel: $*" >&2; }

regex=$(awk -v s="$series" '!/^#/ && $1 == s { print $2 }' "$here/kernels.conf")
[[ -n $regex ]] || { say "series $series is not in kernels.conf"; exit 2; }

if ((!refresh)) && [[ -s $dir/release ]]; then
	echo "$dir"
	exit 0
fi

# One fetch at a time per cache (two matrix runs may start together).
mkdir -p "$cache/apt/lists/partial" "$cache/apt/cache/archives/partial"
exec 9>"$cache/apt/lock"
flock 9

keyring=/usr/share/keyrings/debian-archive-keyring.gpg
# bookworm's 6.1 and trixie's 6.12 are updated through the security archive.
cat >"$cache/apt/sources.list" <<EOF
deb [signed-by=$keyring] http://deb.debian.org/debian bookworm main
deb [signed-by=$keyring] http://deb.debian.org/debian-security bookworm-security main
deb [signed-by=$keyring] http://deb.debian.org/debian trixie main
deb [signed-by=$keyring] http://deb.debian.org/debian-security trixie-security main
deb [signed-by=$keyring] http://deb.debian.org/debian trixie-backports main
EOF
apt_opts=(
	-o "Dir::Etc::sourcelist=$cache/apt/sources.list" -o Dir::Etc::sourceparts=-
	-o "Dir::State::lists=$cache/apt/lists" -o "Dir::Cache=$cache/apt/cache"
	-o Dir::State::status=/dev/null -o Acquire::Languages=none -o APT::Architectures=amd64
)
# Lists younger than a day are good enough to pick a kernel from.
stamp=$cache/apt/updated
if [[ $refresh == 1 || -z $(find "$stamp" -mmin -1440 2>/dev/null) ]]; then
	say "apt-get update (private lists in $cache/apt)"
	apt-get "${apt_opts[@]}" -qq update >&2
	touch "$stamp"
fi
package=$(apt-cache "${apt_opts[@]}" search --names-only "$regex" | awk '{ print $1 }' | sort -V | tail -n 1)
[[ -n $package ]] || { say "no package matches $regex"; exit 1; }
if [[ -s $dir/release && $(cat "$dir/package" 2>/dev/null) == "$package" ]]; then
	echo "$dir"
	exit 0
fi

say "$series: downloading $package"
work=$(mktemp -d "$cache/.fetch-$series.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Since 6.19 the image package only depends on linux-binary-*, linux-modules-*
# and linux-base-* of the same release: take those along (they end alike).
suffix=${package#linux-image-}
mapfile -t parts < <(apt-cache "${apt_opts[@]}" depends --no-recommends --no-suggests "$package" |
	awk -v s="-$suffix" '$1 ~ /Depends:/ { gsub(/[<>]/, "", $2) }
		$1 ~ /Depends:/ && substr($2, length($2) - length(s) + 1) == s { print $2 }')
# Into a root-only directory: no _apt sandbox (it could not write there).
(cd "$work" && apt-get "${apt_opts[@]}" -o APT::Sandbox::User=root -qq download "$package" "${parts[@]}" >&2)
for deb in "$work"/*.deb; do
	dpkg -x "$deb" "$work/root"
done
rm -f "$work"/*.deb
# trixie is usr-merged: modules under usr/lib, where depmod -b does not look.
[[ -e $work/root/lib ]] || ln -s usr/lib "$work/root/lib"
release=$(ls "$work/root/lib/modules")
[[ -f $work/root/boot/vmlinuz-$release ]] || { say "$package has no boot/vmlinuz-$release"; exit 1; }
depmod -b "$work/root" "$release"
echo "$release" >"$work/release"
echo "$package" >"$work/package"
rm -rf "$dir"
mv "$work" "$dir"
trap - EXIT
echo "$dir"
