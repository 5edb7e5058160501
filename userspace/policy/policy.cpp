// SPDX-License-Identifier: GPL-2.0-only
// The small behaviours of the policy model itself.
#include "policy/policy.h"

#include <fmt/format.h>

namespace lw::policy {

std::string SourceLocation::str() const {
  if (line <= 0) return file;
  return fmt::format("{}:{}:{}", file, line, column);
}

std::optional<int> class_from_name(std::string_view name) {
  for (size_t i = 0; i < kClassNames.size(); ++i) {
    if (name == kClassNames[i]) return static_cast<int>(i);
  }
  return std::nullopt;
}

std::string class_names(uint32_t mask, std::string_view sep, std::string_view quote) {
  std::string out;
  for (int c = 0; c < LW_NR_CLASSES; c++) {
    if (!(mask & LW_CLASS_BIT(c))) continue;
    if (!out.empty()) out += sep;
    out += fmt::format("{}{}{}", quote, kClassNames[c], quote);
  }
  return out;
}

const char* mode_name(Mode m) { return m == Mode::enforce ? "enforce" : "audit"; }

Mode Policy::action_for(int c) const {
  if (c < 0 || c >= LW_NR_CLASSES || c == LW_CLASS_INFRA) {
    // infra (ARP, ND, LACP, LLDP...) keeps the node reachable: never dropped.
    return Mode::audit;
  }
  const auto& written = classes[c].action;
  if (c == LW_CLASS_COROSYNC) {
    // Dropping Corosync fences nodes: only an explicit [class.corosync]
    // action = "enforce" does it, never the policy-wide mode.
    return written.value_or(Mode::audit);
  }
  return written.value_or(mode);
}

}  // namespace lw::policy
