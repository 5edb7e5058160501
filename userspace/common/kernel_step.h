// SPDX-License-Identifier: GPL-2.0-only
// Crash-consistency test hook. Every operation that changes kernel state
// lanewarden owns (a map write, a pin, a tc filter, a qdisc, a link setting)
// announces itself with kernel_step() first. With LW_TEST_CRASH_AT=N in the
// environment, the Nth step of the process kills the process with SIGKILL
// just before the operation, as `kill -9` between two kernel operations
// would; the tests then run lanewarden again and check that it ends in the
// desired or the previous state, never a mix. Without the variable this
// only counts.
#pragma once

namespace lw {

void kernel_step(const char* what);

}  // namespace lw
