// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/pin_names.h"

namespace lw::datapath::pins {

std::string tcx_link(uint32_t ifindex, bool ingress) {
  return kTcxPrefix + std::to_string(ifindex) + (ingress ? "_in" : "_eg");
}

std::string path(const std::string& dir, const char* name) { return dir + "/" + name; }

}  // namespace lw::datapath::pins
