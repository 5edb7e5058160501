// SPDX-License-Identifier: GPL-2.0-only
// Full-mesh networks without a switch: LW029.
#include <fmt/format.h>

#include "check/describe.h"
#include "check/rules.h"

namespace lw::check {
namespace {

// LW029: a multipath route spreads flows by a hash of the packet; policy 0
// (the kernel default) hashes on the addresses alone, so between two nodes
// every flow takes the same link (kernel docs, ip-sysctl:
// fib_multipath_hash_policy).
void check_ecmp_hash(CheckContext& ctx) {
  auto policy = ctx.node.live.fib_multipath_hash_policy;
  if (policy && *policy != 0) return;
  for (auto& i : ctx.node.interfaces.ifaces)
    for (auto& r : i.routes) {
      if (r.devs.size() < 2) continue;
      std::string route = fmt::format("ECMP route to {} over {}", r.dest.str(), join(r.devs));
      const char* fix =
          "set net.ipv4.fib_multipath_hash_policy = 1 in /etc/sysctl.d/ (hash on the ports "
          "too, so the flows between two nodes use every path)";
      if (policy) {
        ctx.report("LW029", r.where,
                   route +
                       ": net.ipv4.fib_multipath_hash_policy is 0, so the kernel picks the "
                       "path from the addresses alone and all traffic between two nodes "
                       "takes one link while the other idles",
                   fix);
      } else {
        ctx.report("LW029", r.where,
                   route +
                       ": net.ipv4.fib_multipath_hash_policy is unknown (check did not run "
                       "on the node); at the kernel default 0 all traffic between two "
                       "nodes takes one link",
                   fix, Severity::info);
      }
    }
}

}  // namespace

void check_mesh(CheckContext& ctx) { check_ecmp_hash(ctx); }

}  // namespace lw::check
