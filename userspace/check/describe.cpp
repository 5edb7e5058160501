// SPDX-License-Identifier: GPL-2.0-only
#include "check/describe.h"

#include <algorithm>

namespace lw::check {

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (auto& s : v) out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string describe(const pve::ClassUse& u) {
  if (!u.local()) return u.label + " (" + u.net.str() + ")";
  return u.label + " (" + u.addr->addr.addr.str() + " on " + u.iface->name + ")";
}

pve::Where use_where(const pve::ClassUse& u) { return u.addr ? u.addr->where : u.where; }

bool shares_nic(const pve::ClassUse& a, const pve::ClassUse& b, std::string* nic) {
  for (auto& n : a.nics)
    if (std::find(b.nics.begin(), b.nics.end(), n) != b.nics.end()) {
      if (nic) *nic = n;
      return true;
    }
  return false;
}

}  // namespace lw::check
