// SPDX-License-Identifier: GPL-2.0-only
#include "common/netns.h"

#include <fcntl.h>
#include <sched.h>

#include "common/error.h"
#include "common/fd.h"

namespace lw {

void enter_netns(const std::string& name) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
    throw UsageError("invalid network namespace name '" + name + "'");
  const std::string path = "/var/run/netns/" + name;
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw SystemError("cannot open network namespace " + path, errno);
  if (::setns(fd.get(), CLONE_NEWNET) != 0)
    throw SystemError("cannot enter network namespace " + name, errno);
}

}  // namespace lw
