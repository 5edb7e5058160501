// SPDX-License-Identifier: GPL-2.0-only
// DerivedPolicy -> TOML text in the format policy/parse.h reads.
#include <fmt/format.h>

#include "derive/derive.h"
#include "policy/defaults.h"
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

constexpr const char* kOvsComment =
    "# Open vSwitch: an OVSBond is no kernel netdev, so its lanes go on the\n"
    "# member NICs, tagged with each port's access VLAN (ovs_options tag=N):\n"
    "# that is where the bridge's traffic competes for the wire and where\n"
    "# Corosync priority acts. An OVSIntPort (or a bridge with an address) is\n"
    "# the netdev the host's own traffic enters OVS through, untagged: a lane\n"
    "# there too.\n";

void comment_lines(std::string& out, const std::vector<std::string>& lines) {
  for (auto& l : lines) out += "# " + l + "\n";
}

// A TOML array of class names.
std::string class_array(uint8_t classes) {
  return "[" + policy::class_names(classes, ", ", "\"") + "]";
}

// 22 or "60000-60050", as the policy reads them.
std::string port_text(const PortRange& r) {
  if (r.first == r.last) return std::to_string(r.first);
  return fmt::format("\"{}-{}\"", r.first, r.last);
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
  if (p.ovs) out += kOvsComment;
  for (auto& lane : p.lanes) {
    out += "\n[[lane]]\n";
    comment_lines(out, lane.why);
    out += fmt::format("interface = \"{}\"\n", lane.iface);
    if (lane.vlan) out += fmt::format("vlan = {}\n", lane.vlan);
    out += fmt::format("classes = {}\n", class_array(lane.classes));
    if (lane.exclusive)
      out += "exclusive = true  # only Corosync uses this NIC: anything else here is an intruder\n";
  }

  // [class.NAME] sections: migration, corosync, then the others in id order.
  std::array<std::string, LW_NR_CLASSES> sections;
  if (p.migration_cap_kib) {
    sections[LW_CLASS_MIGRATION] += "# " + p.migration_cap_why + "\n";
    sections[LW_CLASS_MIGRATION] +=
        fmt::format("cap = \"{}\"\n", policy::format_rate(*p.migration_cap_kib * 1024));
    sections[LW_CLASS_MIGRATION] += "cap_mode = \"shape\"\n";
  }
  if (p.corosync_priority) {
    sections[LW_CLASS_COROSYNC] += "# " + p.corosync_priority_why + ": Corosync goes first there\n";
    sections[LW_CLASS_COROSYNC] += "priority = \"high\"\n";
  }
  if (p.qnetd) {
    sections[LW_CLASS_COROSYNC] +=
        "# " + p.qnetd->second +
        ":\n# Corosync by the qnetd end alone, whatever the local address\n";
    sections[LW_CLASS_COROSYNC] += fmt::format("qnetd = \"{}\"\n", p.qnetd->first);
  }
  if (!p.corosync_sctp_ports.empty()) {
    std::string list;
    for (auto& [r, why] : p.corosync_sctp_ports) {
      sections[LW_CLASS_COROSYNC] += fmt::format("# SCTP {}: {}\n", port_text(r), why);
      list += (list.empty() ? "" : ", ") + port_text(r);
    }
    sections[LW_CLASS_COROSYNC] += "sctp_ports = [" + list + "]\n";
  }
  for (int c = 1; c < LW_NR_CLASSES; ++c) {
    if (p.extra_tcp_ports[c].empty()) continue;
    std::string list;
    for (auto& r : policy::default_class_policy(c).tcp_ports)
      list += (list.empty() ? "" : ", ") + port_text(r);
    sections[c] += list.empty() ? "# TCP ports:\n" : "# the class's default TCP ports, and:\n";
    for (auto& [r, why] : p.extra_tcp_ports[c]) {
      sections[c] += fmt::format("#   {}: {}\n", port_text(r), why);
      list += (list.empty() ? "" : ", ") + port_text(r);
    }
    sections[c] += "tcp_ports = [" + list + "]\n";
  }
  std::vector<int> order = {LW_CLASS_MIGRATION, LW_CLASS_COROSYNC};
  for (int c = 1; c < LW_NR_CLASSES; ++c)
    if (c != LW_CLASS_MIGRATION && c != LW_CLASS_COROSYNC) order.push_back(c);
  for (int c : order)
    if (!sections[c].empty())
      out += fmt::format("\n[class.{}]\n", policy::kClassNames[c]) + sections[c];
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
