// SPDX-License-Identifier: GPL-2.0-only
#include "common/iface_name.h"

#include <net/if.h>

namespace lw {

std::optional<std::string> iface_name(uint32_t ifindex) {
  char buf[IF_NAMESIZE] = {};
  if (!if_indextoname(ifindex, buf)) return std::nullopt;
  return std::string(buf);
}

std::string iface_label(uint32_t ifindex) {
  return iface_name(ifindex).value_or("if" + std::to_string(ifindex));
}

std::string IfaceLabels::operator()(uint32_t ifindex) {
  auto it = names_.find(ifindex);
  if (it != names_.end()) return it->second;
  auto name = iface_name(ifindex);
  if (!name) return "if" + std::to_string(ifindex);
  names_.emplace(ifindex, *name);
  return *name;
}

}  // namespace lw
