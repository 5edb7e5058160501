// SPDX-License-Identifier: GPL-2.0-only
// The representative frames `lanewarden bench` runs through the programs,
// made with the frame builder (userspace/frames/).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lw::bench {

struct BenchFrame {
  std::string name;
  std::string expect_class;  // what the bench policy must classify it as
  std::vector<uint8_t> bytes;
};

std::vector<BenchFrame> representative_frames();

// The policy the frames are measured against (TOML), with lanes on "lo":
// BPF_PROG_TEST_RUN runs on the loopback device.
const char* bench_policy_toml();

}  // namespace lw::bench
