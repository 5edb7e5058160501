// SPDX-License-Identifier: GPL-2.0-only
// The ceph.conf reader (pve/ceph_conf.h) on arbitrary bytes.
#include "fuzz_support.h"
#include "pve/ceph_conf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lw::fuzz::accepts(
      [&] { lw::pve::parse_ceph_conf(lw::fuzz::as_text(data, size), "fuzz/ceph.conf"); });
  return 0;
}
