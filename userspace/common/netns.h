// SPDX-License-Identifier: GPL-2.0-only
#pragma once

#include <string>

namespace lw {

// Moves this process into the named network namespace (/var/run/netns/NAME,
// as `ip netns add` creates them) while keeping its mount namespace, so the
// BPF filesystem and its pins stay visible. `ip netns exec` would remount
// /sys and hide /sys/fs/bpf. Used by --netns to run one simulated node.
void enter_netns(const std::string& name);

}  // namespace lw
