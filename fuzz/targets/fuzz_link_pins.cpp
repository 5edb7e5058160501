// SPDX-License-Identifier: GPL-2.0-only
// The systemd .link reader of pve-network-interface-pinning's files
// (pve/link_pins.h) on arbitrary bytes.
#include "fuzz_support.h"
#include "pve/link_pins.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lw::fuzz::accepts(
      [&] { lw::pve::parse_link_file(lw::fuzz::as_text(data, size), "fuzz/50-pve-nic0.link"); });
  return 0;
}
