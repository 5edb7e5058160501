// SPDX-License-Identifier: GPL-2.0-only
// DerivedPolicy -> TOML text in the format policy/parse.h reads.
#include <fmt/format.h>

#include "derive/derive.h"
#include "policy/policy.h"
#include "policy/rate.h"

namespace lw::derive {
namespace {

constexpr const char* kLaneComment =
    "# Lanes name the device where lanewarden's tc programs attach: the physical\n"
    "# NIC, or the bond itself when the traffic leaves through a bond (tc on a\n"
    "# bond sees all of its traffic before the bond spreads it over its slaves).\n"
    "# Bridges are looked through to their ports. A VLAN sub-interface\n"
    "# (bond0.20, vmbr0.20, vlan20) becomes a lane on the NIC or bond below it\n"
    "# with `vlan = N`: the tag is visible there (in the frame or in\n"
    "# skb->vlan_tci), and that device's queue is where the VLANs compete, so\n"
    "# one attach point per NIC lets Corosync priority work across VLANs.\n";

void comment_lines(std::string& out, const std::vector<std::string>& lines) {
  for (auto& l : lines) out += "# " + l + "\n";
}

// A TOML array of class names.
std::string class_array(uint8_t classes) {
  return "[" + policy::class_names(classes, ", ", "\"") + "]";
}

}  // namespace

std::string render_toml(const DerivedPolicy& p) {
  std::string out;
  out +=
      fmt::format("# lanewarden policy for node {}, written by `lanewarden derive` from\n", p.node);
  out += "# /etc/pve and /etc/network/interfaces. Review it, apply it in audit mode,\n";
  out += "# watch the violations, then switch `mode` to \"enforce\".\n";
  out += "mode = \"audit\"\n";
  if (!p.notes.empty()) {
    out += "\n# Left out:\n";
    for (auto& n : p.notes) out += "#   " + n + "\n";
  }

  out += "\n[networks]\n";
  for (int c = 1; c < LW_NR_CLASSES; ++c) {
    if (p.networks[c].empty()) continue;
    comment_lines(out, p.network_why[c]);
    std::string list;
    for (auto& n : p.networks[c])
      list += fmt::format("{}\"{}\"", list.empty() ? "" : ", ", n.str());
    out += fmt::format("{} = [{}]\n", policy::kClassNames[c], list);
  }

  out += "\n";
  out += kLaneComment;
  for (auto& lane : p.lanes) {
    out += "\n[[lane]]\n";
    comment_lines(out, lane.why);
    out += fmt::format("interface = \"{}\"\n", lane.iface);
    if (lane.vlan) out += fmt::format("vlan = {}\n", lane.vlan);
    out += fmt::format("classes = {}\n", class_array(lane.classes));
    if (lane.exclusive)
      out += "exclusive = true  # only Corosync uses this NIC: anything else here is an intruder\n";
  }

  if (p.migration_cap_kib) {
    out += "\n[class.migration]\n";
    out += "# " + p.migration_cap_why + "\n";
    out += fmt::format("cap = \"{}\"\n", policy::format_rate(*p.migration_cap_kib * 1024));
    out += "cap_mode = \"shape\"\n";
  }
  if (p.corosync_priority) {
    out += "\n[class.corosync]\n";
    out += "# " + p.corosync_priority_why + ": Corosync goes first there\n";
    out += "priority = \"high\"\n";
  }
  if (!p.probe_peers.empty()) {
    out += "\n[probe]\n";
    out += "# knet encrypts Corosync's packets, so lanewarden measures the links with\n";
    out += "# echo probes to the other nodes' link addresses, each through its lane.\n";
    out += "interval = \"200ms\"\n";
    out += "peers = [\n";
    for (auto& [addr, why] : p.probe_peers)
      out += fmt::format("  \"{}\",  # {}\n", addr.str(), why);
    out += "]\n";
  }
  return out;
}

}  // namespace lw::derive
