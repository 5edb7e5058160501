#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Builds the initramfs for one cached kernel (see fetch-kernel.sh): static
# busybox, the init next to this script, and the kernel's own modules needed
# to reach the host root (virtio PCI, 9p over virtio, overlayfs), in the order
# modprobe resolves (virtio_ring before virtio: a hand-written order fails).
# Cached as KDIR/initrd-HASH.gz, HASH over init and this script, so a change to
# either builds a new one. Prints its path.
# Usage: make-initramfs.sh KDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kdir=${1:?usage: make-initramfs.sh KDIR}
release=$(cat "$kdir/release")
hash=$(cat "$here/init" "$0" | sha256sum | cut -c1-12)
out=$kdir/initrd-$hash.gz
if [[ -s $out ]]; then
	echo "$out"
	exit 0
fi

work=$(mktemp -d)
tmp=$(mktemp "$kdir/.initrd.XXXXXX")
trap 'rm -rf "$work" "$tmp"' EXIT
mkdir -p "$work"/{bin,dev,proc,sys,newroot,modules}
cp /bin/busybox "$work/bin/busybox"
install -m 755 "$here/init" "$work/init"

# "insmod /path/x.ko.xz" lines; "builtin x" for what the kernel has built in.
modprobe -d "$kdir/root" -S "$release" -a --show-depends virtio_pci 9pnet_virtio 9p overlay |
	awk '$1 == "insmod" { print $2 }' | awk '!seen[$0]++' >"$work/ko-paths"
: >"$work/modules/order"
while read -r ko; do
	name=$(basename "$ko")
	# busybox insmod takes plain modules only.
	case $name in
	*.ko.xz) xz -dc "$ko" >"$work/modules/${name%.xz}" ;;
	*.ko.zst) zstd -qdc "$ko" >"$work/modules/${name%.zst}" ;;
	*.ko.gz) gzip -dc "$ko" >"$work/modules/${name%.gz}" ;;
	*) cp "$ko" "$work/modules/$name" ;;
	esac
	echo "${name%.ko*}.ko" >>"$work/modules/order"
done <"$work/ko-paths"
rm "$work/ko-paths"

# Renamed into place: a second matrix run may be building the same one.
(cd "$work" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -6) >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$out"
echo "$out"
