// SPDX-License-Identifier: GPL-2.0-only
// The corosync.conf reader (pve/corosync_conf.h) on arbitrary bytes.
#include "fuzz_support.h"
#include "pve/corosync_conf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lw::fuzz::accepts(
      [&] { lw::pve::parse_corosync_conf(lw::fuzz::as_text(data, size), "fuzz/corosync.conf"); });
  return 0;
}
