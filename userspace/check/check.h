// SPDX-License-Identifier: GPL-2.0-only
// `lanewarden check`: read the node's configuration, run every rule, print.
#pragma once

#include <ostream>
#include <string>

namespace lw::check {

struct CheckOptions {
  std::string root;             // "" = the running system
  std::string format = "text";  // text | json
  bool live = false;            // --live: --root is this node's, ask the kernel too
  std::string policy;           // --policy FILE: explain what its choices do with the node's
};

// Returns the exit code: 1 when any finding is an error, else 0. Unreadable
// or malformed configuration throws pve::ConfigError (exit code 2).
int run_check(const CheckOptions& opts, std::ostream& out);

}  // namespace lw::check
