// SPDX-License-Identifier: GPL-2.0-only
// How findings are printed: text for people, JSON Lines for scripts.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "check/finding.h"

namespace lw::check {

void print_text(std::ostream& out, const std::string& node, const std::vector<Finding>& findings);
// One object per finding: id, name, severity, file, line, message, fix, source.
void print_json(std::ostream& out, const std::vector<Finding>& findings);

}  // namespace lw::check
