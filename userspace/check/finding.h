// SPDX-License-Identifier: GPL-2.0-only
// One result of `lanewarden check`: which rule, how bad, where, and a fix.
#pragma once

#include <string>

namespace lw::check {

enum class Severity { info = 0, warning = 1, error = 2 };
const char* severity_name(Severity s);

struct Finding {
  std::string id;    // "LW004", stable across releases
  std::string name;  // "corosync-bond-mode"
  Severity severity = Severity::warning;
  std::string file;
  int line = 0;         // 0: the file as a whole
  std::string message;  // specific: names the link, address, interface
  std::string fix;      // one line
  std::string source;   // where the rule comes from
};

}  // namespace lw::check
