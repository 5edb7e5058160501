// SPDX-License-Identifier: GPL-2.0-only
// The frr.conf and daemons readers (pve/frr_conf.h) on arbitrary bytes, and
// what derive asks of the result: the members and links of every router.
#include "fuzz_support.h"
#include "pve/frr_conf.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto text = lw::fuzz::as_text(data, size);
  lw::fuzz::accepts([&] {
    auto conf = lw::pve::parse_frr_conf(text, "fuzz/frr.conf");
    lw::pve::parse_frr_daemons(text, "fuzz/daemons", conf);
    lw::pve::Interfaces ifs;
    lw::pve::merge_frr_addresses(conf, ifs);
    for (auto& r : conf.routers) {
      conf.links(r.instance, ifs);
      for (auto& i : ifs.ifaces)
        for (auto& a : i.addresses) conf.routing(i.name, a.addr.addr, ifs);
    }
  });
  return 0;
}
