// SPDX-License-Identifier: GPL-2.0-only
#include "check/check.h"

#include <algorithm>

#include "check/report.h"
#include "check/rules.h"
#include "common/error.h"
#include "policy/parse.h"
#include "pve/node.h"

namespace lw::check {

int run_check(const CheckOptions& opts, std::ostream& out) {
  if (opts.format != "text" && opts.format != "json")
    throw lw::UsageError("--format must be text or json, not '" + opts.format + "'");
  auto node = pve::load_node(opts.root, opts.live);
  PolicyFacts facts;
  if (!opts.policy.empty()) {
    auto policy = policy::parse_file(opts.policy);
    facts.file = opts.policy;
    facts.corosync_dscp = policy.classes[LW_CLASS_COROSYNC].dscp;
  }
  auto findings = run_rules(node, facts);
  if (opts.format == "json")
    print_json(out, findings);
  else
    print_text(out, node.hostname, findings);
  bool error = std::any_of(findings.begin(), findings.end(),
                           [](const Finding& f) { return f.severity == Severity::error; });
  return error ? lw::kExitFailure : lw::kExitOk;
}

}  // namespace lw::check
