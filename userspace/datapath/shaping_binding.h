// SPDX-License-Identifier: GPL-2.0-only
// Ties the shaping plan to the compiled policy and to this node's qdiscs:
// which interfaces steer by skb->priority, and whether the plan can be
// carried out here at all (checked before anything changes).
#pragma once

#include <vector>

#include "datapath/policy_compiler.h"
#include "shaping/shaping_plan.h"

namespace lw::datapath {

// Marks shaped interfaces and the per-class skb->priority in `p`.
void bind_shaping(lw_policy& p, const shaping::ShapingPlan& plan,
                  const std::vector<IfaceBinding>& ifaces);

// Throws UsageError when the plan cannot work on this node: a foreign root
// qdisc where lanewarden needs its HTB, or pace mode without fq as root.
void check_shaping_possible(const policy::Policy& policy, const shaping::ShapingPlan& plan,
                            const std::vector<IfaceBinding>& ifaces);

// Installs the planned HTBs and removes lanewarden's HTB from attached
// interfaces that no longer need one.
void install_shaping(const shaping::ShapingPlan& plan, const std::vector<IfaceBinding>& ifaces);

}  // namespace lw::datapath
