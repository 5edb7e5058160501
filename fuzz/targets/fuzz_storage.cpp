// SPDX-License-Identifier: GPL-2.0-only
// The storage.cfg reader (pve/storage_cfg.h) on arbitrary bytes.
#include "fuzz_support.h"
#include "pve/storage_cfg.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lw::fuzz::accepts(
      [&] { lw::pve::parse_storage_cfg(lw::fuzz::as_text(data, size), "fuzz/storage.cfg"); });
  return 0;
}
