// SPDX-License-Identifier: GPL-2.0-only
// How many segments a GSO packet may carry on a slow shaped lane. One 64 KB
// GSO packet is handed to the line whole: at 100 Mbit/s it holds it for 5.2 ms,
// and a Corosync packet queued behind it waits that long whatever its priority.
#pragma once

#include <cstdint>
#include <optional>

namespace lw::policy {

// The segment count that keeps one GSO packet under half a millisecond on a
// line of `bytes_per_sec` (MTU 1500 frames), or nothing when a full 64 KB GSO
// packet already takes at most a millisecond there and no limit is needed.
// Measured (docs/caps.md): at 100 Mbit/s, 4 segments kept Corosync's p99
// within 0.5 ms of idle under a bulk flood, 8 segments did not always.
std::optional<uint32_t> advised_gso_max_segs(uint64_t bytes_per_sec);

}  // namespace lw::policy
