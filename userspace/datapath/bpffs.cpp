// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/bpffs.h"

#include <linux/magic.h>
#include <spdlog/spdlog.h>
#include <sys/mount.h>
#include <sys/vfs.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/error.h"

namespace lw::datapath {
namespace {

namespace fs = std::filesystem;

fs::path nearest_existing(const fs::path& path) {
  fs::path probe = path;
  std::error_code ec;
  while (!probe.empty() && probe != probe.root_path() && !fs::exists(probe, ec))
    probe = probe.parent_path();
  return probe.empty() ? fs::path("/") : probe;
}

bool is_bpffs(const fs::path& path) {
  struct statfs st {};
  return ::statfs(path.c_str(), &st) == 0 && st.f_type == BPF_FS_MAGIC;
}

bool under_mount_point(const fs::path& pin_dir) {
  const fs::path mount_point = kBpffsMountPoint;
  auto rel = pin_dir.lexically_normal().lexically_relative(mount_point);
  return !rel.empty() && *rel.begin() != "..";
}

std::string mount_refusal(int err) {
  switch (err) {
    case EPERM:
    case EACCES:
      return "lanewarden may not mount it here (no CAP_SYS_ADMIN)";
    case EROFS:
      return "lanewarden may not mount it here (/sys is read-only)";
    case ENODEV:
      return "this kernel has no BPF filesystem (CONFIG_BPF_SYSCALL)";
    default:
      return std::string("mounting it failed: ") + std::strerror(err);
  }
}

}  // namespace

bool on_bpffs(const std::string& path) { return is_bpffs(nearest_existing(path)); }

void ensure_bpffs(const std::string& pin_dir) {
  const fs::path probe = nearest_existing(pin_dir);
  if (is_bpffs(probe)) return;

  const std::string manual = "mount it with: mount -t bpf bpf /sys/fs/bpf";
  if (!under_mount_point(pin_dir))
    throw Error("pin directory " + pin_dir + " is not on a BPF filesystem (" + probe.string() +
                " is not bpffs); pick a pin directory under /sys/fs/bpf or " +
                "mount bpffs above it with: mount -t bpf bpf DIR");

  std::error_code ec;
  if (!fs::is_directory(kBpffsMountPoint, ec))
    throw Error(std::string("no BPF filesystem is mounted and ") + kBpffsMountPoint +
                " does not exist (is /sys mounted?)");
  // Private to root, as systemd mounts it: the pins are lanewarden's policy.
  if (::mount("bpf", kBpffsMountPoint, "bpf", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0700") != 0)
    throw Error(std::string("no BPF filesystem is mounted at ") + kBpffsMountPoint + " and " +
                mount_refusal(errno) + "; " + manual);
  spdlog::info("mounted a BPF filesystem at {} (none was mounted)", kBpffsMountPoint);
}

}  // namespace lw::datapath
