// SPDX-License-Identifier: GPL-2.0-only
// The hosts reader (pve/hosts.h) on arbitrary bytes.
#include "fuzz_support.h"
#include "pve/hosts.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lw::fuzz::accepts([&] { lw::pve::parse_hosts(lw::fuzz::as_text(data, size), "fuzz/hosts"); });
  return 0;
}
