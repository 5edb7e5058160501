// SPDX-License-Identifier: GPL-2.0-only
// Notices when the policy file changes. inotify on the file's directory
// catches an editor writing in place (IN_CLOSE_WRITE) and the rename-into-
// place of tools that write atomically (IN_MOVED_TO). /etc/pve is pmxcfs, a
// FUSE file system that raises no inotify event for a change made on another
// node, so the daemon also compares the file's content on a timer: both paths
// end in changed(), which only says yes when the bytes differ from the ones
// last applied.
#pragma once

#include <string>

#include "common/fd.h"

namespace lw::daemon {

class PolicyWatch {
 public:
  explicit PolicyWatch(std::string path);
  // inotify fd for epoll (readable when something in the directory changed).
  int fd() const { return inotify_.get(); }
  // Drains the inotify queue; true when an event named the policy file.
  bool drain();
  // Remembers the content now in force (call after each apply).
  void remember(const std::string& content);
  // True when the file's content differs from the one remembered (a missing
  // or unreadable file is not a change: the running policy stays).
  bool changed() const;
  const std::string& path() const { return path_; }

 private:
  std::string path_, dir_, base_;
  UniqueFd inotify_;
  std::string applied_;
};

// Reads the whole file into `out`; false when it cannot be read.
bool read_whole_file(const std::string& path, std::string& out);

}  // namespace lw::daemon
