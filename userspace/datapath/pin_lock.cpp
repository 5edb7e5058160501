// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/pin_lock.h"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <sys/file.h>

#include <cerrno>
#include <filesystem>

#include "common/error.h"

namespace lw::datapath {

PinDirLock::PinDirLock(const std::string& pin_dir) : pin_dir_(pin_dir) {
  std::filesystem::path parent = std::filesystem::path(pin_dir).parent_path();
  if (parent.empty()) parent = ".";
  fd_.reset(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd_) {
    if (errno == ENOENT) return;
    throw SystemError("cannot open " + parent.string() + " to lock " + pin_dir, errno);
  }
  if (::flock(fd_.get(), LOCK_EX | LOCK_NB) == 0) return;
  spdlog::info("waiting for another lanewarden that is changing the state under {}", pin_dir);
  while (::flock(fd_.get(), LOCK_EX) != 0)
    if (errno != EINTR) throw SystemError("cannot lock " + parent.string(), errno);
}

}  // namespace lw::datapath
