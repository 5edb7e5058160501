// SPDX-License-Identifier: GPL-2.0-only
// For the foreground commands that run until a count, a duration or Ctrl-C
// (watch, hist, probe, audit): SIGINT and SIGTERM set a flag instead of
// killing the process, so the command prints its summary and removes what it
// set up. No SA_RESTART: a pending epoll_wait/poll returns EINTR at once.
// SIGPIPE is ignored so a reader that went away (`| head`) does not kill us
// before that summary logic runs.
#pragma once

#include <atomic>

namespace lw {

// Installs the handlers (idempotent) and returns the flag they set.
const std::atomic<bool>& stop_on_signals();

}  // namespace lw
