// SPDX-License-Identifier: GPL-2.0-only
// The /proc/net/bonding/* reader (pve/live_state.h) on arbitrary bytes: check
// reads it from --root trees an admin may have copied from anywhere.
#include "fuzz_support.h"
#include "pve/live_state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lw::fuzz::accepts(
      [&] { lw::pve::parse_proc_bonding(lw::fuzz::as_text(data, size), "fuzz/bond0"); });
  return 0;
}
