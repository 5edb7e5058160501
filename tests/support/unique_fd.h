// SPDX-License-Identifier: GPL-2.0-only
// Test helpers own their sockets and namespace handles with the product's
// UniqueFd (common/fd.h), so a failed ASSERT that returns early closes them.
#pragma once

#include "common/fd.h"

namespace lw::test {

using lw::UniqueFd;

}  // namespace lw::test
