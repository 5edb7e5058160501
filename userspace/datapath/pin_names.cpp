// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/pin_names.h"

namespace lw::datapath::pins {

std::string path(const std::string& dir, const char* name) { return dir + "/" + name; }

}  // namespace lw::datapath::pins
