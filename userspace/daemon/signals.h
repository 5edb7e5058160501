// SPDX-License-Identifier: GPL-2.0-only
// SIGHUP, SIGTERM and SIGINT as a readable fd (signalfd), so the daemon's
// one epoll loop sees them like any other input and no handler runs in the
// middle of an apply. Construct it before any thread starts: threads inherit
// the blocked mask, so the signals reach only this fd.
#pragma once

#include <signal.h>

#include "common/fd.h"

namespace lw::daemon {

class SignalFd {
 public:
  SignalFd();
  ~SignalFd();
  SignalFd(const SignalFd&) = delete;
  SignalFd& operator=(const SignalFd&) = delete;
  int fd() const { return fd_.get(); }
  // The next pending signal number, 0 when none is pending.
  int read_signal();

 private:
  sigset_t old_mask_{};
  UniqueFd fd_;
};

}  // namespace lw::daemon
