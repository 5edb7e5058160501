// SPDX-License-Identifier: GPL-2.0-only
// The /etc/network/interfaces reader (pve/interfaces.h) on arbitrary bytes.
// With an empty root, `source` lines are ignored: the fuzzer must never make
// the reader open files of the machine it runs on.
#include "fuzz_support.h"
#include "pve/interfaces.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lw::fuzz::accepts(
      [&] { lw::pve::parse_interfaces(lw::fuzz::as_text(data, size), "fuzz/interfaces", {}); });
  return 0;
}
