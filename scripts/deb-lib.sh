# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Sourced by build-deb.sh and test-deb-boot.sh: the Debian releases the
# package is built for and where their packages come from (mmdebstrap's own
# mirror arguments; the host's apt sources are never touched).

# Debian release number of a supported release (trixie: Proxmox VE 9,
# bookworm: Proxmox VE 8); fails for any other name.
lw_deb_release_number() {
  case $1 in
    trixie) echo 13 ;;
    bookworm) echo 12 ;;
    *) return 1 ;;
  esac
}

# One mmdebstrap MIRROR argument per line: the release, its updates and its
# security archive, so a build links against what the release ships today.
lw_deb_sources() {
  local release=$1
  local mirror=${LW_DEBIAN_MIRROR:-http://deb.debian.org/debian}
  local security=${LW_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
  printf '%s\n' "deb $mirror $release main" "deb $mirror $release-updates main" \
    "deb $security $release-security main"
}
