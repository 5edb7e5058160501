// SPDX-License-Identifier: GPL-2.0-only
// Per-class defaults from docs/architecture.md "Traffic classes":
// what a class looks like before the policy says anything about it.
#pragma once

#include "policy/policy.h"

namespace lw::policy {

// Ports, priority and cap mode a class has when [class.NAME] does not set them.
ClassPolicy default_class_policy(int class_id);

}  // namespace lw::policy
