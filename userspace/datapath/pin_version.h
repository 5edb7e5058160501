// SPDX-License-Identifier: GPL-2.0-only
// The version of what is pinned (lw_meta, struct lw_pin_meta) against this
// build's: decides whether the pins are used as they are, upgraded in place,
// or refused because a newer lanewarden pinned them.
#pragma once

#include <cstdint>
#include <string>

#include "common/fd.h"

namespace lw::datapath {

struct PinnedVersion {
  bool present = false;       // programs are pinned (lw_ingress exists)
  uint32_t abi = 0;           // LW_PIN_ABI_VERSION of the pinning build; 0: no lw_meta
  uint64_t program_hash = 0;  // of the BPF object it loaded; 0: unknown
};

enum class PinsAre {
  absent,          // nothing pinned: a first load
  current,         // this build's programs and layouts
  other_programs,  // same layouts, other programs (another build of this version)
  older,           // an older pinned-state version: upgrade
  newer,           // a newer pinned-state version: refuse, change nothing
};

// FNV-1a 64 of the BPF object embedded in this build.
uint64_t this_program_hash();

// Reads lw_meta under `pin_dir`; reads only what the writer's meta_size and
// this build's struct have in common.
PinnedVersion read_pinned_version(const std::string& pin_dir);

PinsAre compare_pins(const PinnedVersion& pinned, uint32_t abi, uint64_t program_hash);

// read + compare against this build; throws Error for newer pins, naming
// both versions, before anything changes.
PinsAre inspect_pins(const std::string& pin_dir);

// A new, unpinned lw_meta describing this build.
UniqueFd create_meta_map();

}  // namespace lw::datapath
