// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/signals.h"

#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>

#include "common/error.h"

namespace lw::daemon {

SignalFd::SignalFd() {
  sigset_t mask;
  sigemptyset(&mask);
  sigaddset(&mask, SIGHUP);
  sigaddset(&mask, SIGTERM);
  sigaddset(&mask, SIGINT);
  if (pthread_sigmask(SIG_BLOCK, &mask, &old_mask_) != 0)
    throw SystemError("cannot block the daemon's signals", errno);
  fd_ = UniqueFd(signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC));
  if (!fd_) throw SystemError("signalfd failed", errno);
  // A scraper or log reader that goes away must not kill the daemon.
  signal(SIGPIPE, SIG_IGN);
}

SignalFd::~SignalFd() { pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr); }

int SignalFd::read_signal() {
  signalfd_siginfo si{};
  ssize_t n = read(fd_.get(), &si, sizeof(si));
  if (n != static_cast<ssize_t>(sizeof(si))) return 0;
  return static_cast<int>(si.ssi_signo);
}

}  // namespace lw::daemon
