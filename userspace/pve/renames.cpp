// SPDX-License-Identifier: GPL-2.0-only
#include "pve/renames.h"

#include <fmt/format.h>

#include <algorithm>

namespace lw::pve {
namespace {

// NIC names in file order: physical stanzas, bond members, bridge ports and
// VLAN raw devices that have no virtual stanza of their own.
std::vector<std::string> nic_names(const Interfaces& ifs) {
  std::vector<std::string> out;
  auto add = [&](const std::string& n) {
    if (n.empty() || std::find(out.begin(), out.end(), n) != out.end()) return;
    const Iface* i = ifs.find(n);
    if (i && i->kind != IfaceKind::physical) return;
    if (n.find('.') != std::string::npos) return;  // eno1.20 follows eno1
    out.push_back(n);
  };
  for (auto& i : ifs.ifaces) {
    if (i.kind == IfaceKind::physical) add(i.name);
    for (auto& s : i.slaves) add(s);
    for (auto& p : i.ports) add(p);
    add(i.vlan_raw);
  }
  return out;
}

// The stanza of `name`, else the first option line that lists it.
Where where_named(const Interfaces& ifs, const std::string& name) {
  if (const Iface* i = ifs.find(name)) return i->where;
  for (auto& i : ifs.ifaces)
    for (auto& [key, value] : i.options) {
      auto words = split_any(value.text, " \t");
      if (std::find(words.begin(), words.end(), name) != words.end()) return value.where;
    }
  return {};
}

bool holds_known_address(const NodeConfig& node, const std::string& name) {
  const Iface* i = node.interfaces.find(name);
  if (!i) return false;
  return std::any_of(i->addresses.begin(), i->addresses.end(), [&](const IfaceAddr& a) {
    return node.live.address_devices.count(a.addr.addr) != 0;
  });
}

}  // namespace

std::vector<Rename> resolve_renames(const NodeConfig& node) {
  std::vector<Rename> out;
  const auto& macs = node.live.link_macs;
  if (macs.empty()) return out;
  auto device_with = [&](const std::string& mac) -> std::string {
    for (auto& [dev, m] : macs)
      if (m == mac) return dev;
    return {};
  };
  for (auto& name : nic_names(node.interfaces)) {
    if (holds_known_address(node, name)) continue;
    Where where = where_named(node.interfaces, name);
    auto here = macs.find(name);
    if (here != macs.end()) {
      for (auto& pin : node.link_pins)
        if (pin.mac == here->second && pin.name != name)
          out.push_back({name, name, pin.name, pin.mac, pin.where, where, Rename::How::pending});
      continue;
    }
    auto pin = std::find_if(node.link_pins.begin(), node.link_pins.end(),
                            [&](const LinkPin& p) { return p.name == name; });
    if (pin == node.link_pins.end()) {
      for (auto& [dev, names] : node.live.udev_names) {
        if (dev == name || std::find(names.begin(), names.end(), name) == names.end()) continue;
        Rename r{name, dev, dev, "", {}, where, Rename::How::by_udev};
        auto mac = macs.find(dev);
        if (mac != macs.end()) r.mac = mac->second;
        for (auto& p : node.link_pins)
          if (p.name == dev) r.pin_where = p.where;
        out.push_back(std::move(r));
        break;
      }
      continue;
    }
    std::string dev = device_with(pin->mac);
    if (!dev.empty() && dev != name)
      out.push_back({name, dev, pin->name, pin->mac, pin->where, where, Rename::How::by_mac});
  }
  return out;
}

std::string Rename::why(const std::string& pin_file) const {
  switch (how) {
    case How::pending:
      return fmt::format("{} pins its MAC {} as {}: the next boot renames {}", pin_file, mac,
                         pinned_name, file_name);
    case How::by_mac:
      return fmt::format("{} pins MAC {} as {}, which the kernel still has on {}", pin_file, mac,
                         pinned_name, kernel_name);
    case How::by_udev:
      return fmt::format(
          "{} is a predictable name udev gives the device with MAC {}; {} renamed "
          "it {}",
          file_name, mac, pin_file.empty() ? "a .link file" : pin_file, kernel_name);
  }
  return {};
}

}  // namespace lw::pve
