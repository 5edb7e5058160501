// SPDX-License-Identifier: GPL-2.0-only
// The BPF filesystem that holds lanewarden's pins. Machines without systemd as
// PID 1 (containers, CI runners, rescue shells) often have none mounted; like
// bpftool and cilium-agent, lanewarden then mounts one at /sys/fs/bpf itself.
#pragma once

#include <string>

namespace lw::datapath {

inline constexpr const char* kBpffsMountPoint = "/sys/fs/bpf";

// Makes sure `pin_dir` can hold pins: returns when the nearest existing
// ancestor of `pin_dir` is on bpffs; otherwise, when `pin_dir` lies under
// /sys/fs/bpf, mounts bpffs there (one info line says so). Throws an Error
// that names the reason and the command to run when it may not mount
// (no CAP_SYS_ADMIN, read-only /sys) or when `pin_dir` is elsewhere.
void ensure_bpffs(const std::string& pin_dir);

// True when `path`'s nearest existing ancestor is on bpffs.
bool on_bpffs(const std::string& path);

}  // namespace lw::datapath
