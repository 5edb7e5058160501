// SPDX-License-Identifier: GPL-2.0-only
#include "common/clock.h"

#include <time.h>

namespace lw {

int64_t realtime_now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * kNsPerSec + ts.tv_nsec;
}

}  // namespace lw
