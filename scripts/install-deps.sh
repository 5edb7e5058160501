#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Installs every build, test and runtime dependency of lanewarden from Debian
# bookworm packages. Idempotent: packages already present are left alone.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config clang llvm bpftool
  libbpf-dev libelf-dev zlib1g-dev
  libcli11-dev libspdlog-dev libfmt-dev libtomlplusplus-dev nlohmann-json3-dev
  libnl-3-dev libnl-route-3-dev prometheus-cpp-dev
  googletest libgtest-dev libgmock-dev
  # run and test: namespaces, qdiscs, traffic, a real corosync
  iproute2 nftables iperf3 iputils-ping corosync libcmap-dev libcorosync-common-dev
  curl python3 procps
  # audit report rendered headless in a test; man page from the CLI; package checks
  chromium help2man dpkg-dev
  # the .deb built in a clean chroot of its release (scripts/build-deb.sh: lintian runs
  # there) and booted on a clean root of it (scripts/test-deb-boot.sh)
  mmdebstrap systemd-container
  # testbed, demo and bench scripts: JSON from iperf3, corosync stats and lanewarden
  jq
  # scripts/check-style.sh
  clang-format shellcheck
  # kernel matrix (scripts/kernel-matrix.sh): Debian kernels booted under qemu
  qemu-system-x86 busybox-static kmod
  # alerting rules (promtool check/test rules) and the Prometheus the e2e test starts
  prometheus
  # lanewarden top (ncurses), driven in tmux by its e2e test
  libncurses-dev tmux
  # the routed full mesh e2e test (tests/e2e/test_frr_mesh.cpp): zebra and ospfd
  frr
  # Open vSwitch e2e (tests/e2e/test_ovs_userspace.cpp): private ovsdb-server and
  # ovs-vswitchd per test namespace; the package's own service is not used (below)
  openvswitch-switch
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: need root to install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # The tests run private instances of these daemons in their own namespaces;
  # on a systemd host apt also started the system services. Stop and disable
  # them, but only those this run installed: a Proxmox node's own corosync (or
  # an OVS or FRR it runs) was installed before and is never touched.
  declare -A test_only_units=(
    [corosync]="corosync.service" [prometheus]="prometheus.service" [frr]="frr.service"
    [openvswitch-switch]="openvswitch-switch.service ovs-vswitchd.service ovsdb-server.service"
  )
  if [[ -d /run/systemd/system ]]; then
    for p in "${missing[@]}"; do
      [[ -n ${test_only_units[$p]:-} ]] || continue
      # shellcheck disable=SC2086 # a list of unit names
      systemctl disable --now ${test_only_units[$p]} >/dev/null 2>&1 || true
      echo "install-deps: $p is for the tests only: its system service is stopped and disabled"
    done
  fi
fi
echo "install-deps: all ${#packages[@]} packages present"
