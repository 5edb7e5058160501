// SPDX-License-Identifier: GPL-2.0-only
// Wall-clock time in nanoseconds, as JSON output and pinned deadlines use it.
#pragma once

#include <cstdint>

namespace lw {

inline constexpr int64_t kNsPerSec = 1'000'000'000;

// CLOCK_REALTIME in nanoseconds since the epoch.
int64_t realtime_now_ns();

}  // namespace lw
