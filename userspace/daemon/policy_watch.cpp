// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/policy_watch.h"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"

namespace lw::daemon {

bool read_whole_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

PolicyWatch::PolicyWatch(std::string path) : path_(std::move(path)) {
  std::filesystem::path p(path_);
  dir_ = p.has_parent_path() ? p.parent_path().string() : ".";
  base_ = p.filename().string();
  inotify_ = UniqueFd(inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!inotify_) throw SystemError("inotify_init1 failed", errno);
  if (inotify_add_watch(inotify_.get(), dir_.c_str(),
                        IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE_SELF) < 0)
    // Not fatal: the content timer still notices changes.
    spdlog::warn("cannot watch {} for policy changes ({}); checking it on a timer only", dir_,
                 std::strerror(errno));
}

bool PolicyWatch::drain() {
  alignas(inotify_event) char buf[4096];
  bool ours = false;
  for (;;) {
    ssize_t n = read(inotify_.get(), buf, sizeof(buf));
    if (n <= 0) break;
    for (char* p = buf; p < buf + n;) {
      auto* ev = reinterpret_cast<inotify_event*>(p);
      if (ev->len && base_ == ev->name) ours = true;
      p += sizeof(inotify_event) + ev->len;
    }
  }
  return ours;
}

void PolicyWatch::remember(const std::string& content) { applied_ = content; }

bool PolicyWatch::changed() const {
  std::string now;
  if (!read_whole_file(path_, now)) return false;
  return now != applied_;
}

}  // namespace lw::daemon
