// SPDX-License-Identifier: GPL-2.0-only
// `lanewarden run`: the long-running form of apply + watch + metrics. One
// epoll loop over a signalfd, the policy file's inotify fd, the violation
// ring buffer and a timer; the metrics endpoint serves on its own threads
// and reads the kernel's counters at scrape time.
#pragma once

#include <optional>
#include <string>

#include "datapath/attach_mechanism.h"
#include "policy/policy.h"

namespace lw::daemon {

struct DaemonOptions {
  std::string policy_file;
  std::string pin_dir;
  std::optional<policy::Mode> mode;        // overrides the policy's mode (--mode)
  std::string metrics = "127.0.0.1:9775";  // "" or "off": no endpoint
  bool detach_on_exit = false;             // SIGTERM/SIGINT detach instead of leaving enforcement
  double recheck_seconds = 5;  // content check of the policy file (pmxcfs sends no inotify)
  bool force = false;          // apply even if the policy would cut this SSH session
  datapath::AttachMode attach = datapath::AttachMode::automatic;  // --attach
};

// Runs until SIGTERM or SIGINT; returns the exit code. Throws (exit 2) when
// the first policy is invalid, and when nothing can be applied at start.
int run_daemon(const DaemonOptions& opts);

}  // namespace lw::daemon
