// SPDX-License-Identifier: GPL-2.0-only
// The datacenter.cfg reader (pve/datacenter_cfg.h) on arbitrary bytes.
#include "fuzz_support.h"
#include "pve/datacenter_cfg.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lw::fuzz::accepts(
      [&] { lw::pve::parse_datacenter_cfg(lw::fuzz::as_text(data, size), "fuzz/datacenter.cfg"); });
  return 0;
}
