// SPDX-License-Identifier: GPL-2.0-only
// How the interfaces of /etc/network/interfaces stack: which stanza holds an
// address, and which NIC or bond (with which VLAN tag) finally carries the
// traffic of an interface: vmbr0.20 -> vmbr0 -> bond0 (tag 20) -> eno1, eno2.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pve/interfaces.h"

namespace lw::pve {

// Where tc sees an interface's traffic: a physical NIC or a bond, plus the
// 802.1Q tag the traffic carries there (0 = untagged).
struct Attach {
  std::string iface;
  int vlan = 0;
  auto operator<=>(const Attach&) const = default;
  std::string str() const;  // "bond0" or "bond0 VLAN 20"
};

struct LocalAddr {
  const Iface* iface = nullptr;
  const IfaceAddr* addr = nullptr;
};

class Topology {
 public:
  explicit Topology(const Interfaces& ifs);

  const Interfaces& interfaces() const { return ifs_; }
  // The stanza configured with exactly this address.
  LocalAddr owner_of(const Address& a) const;
  // Local addresses inside `net`, in file order.
  std::vector<LocalAddr> locals_in(const Cidr& net) const;
  // NIC or bond below `iface` with its tag; a bridge yields one per port.
  std::vector<Attach> attach_points(std::string_view iface) const;
  // Physical NICs below `iface`, through bonds (bond slaves).
  std::vector<std::string> physical_nics(std::string_view iface) const;
  // Every stanza on the way down from `iface`, itself included.
  std::vector<const Iface*> chain(std::string_view iface) const;
  // True when some bridge sits on top of this NIC/bond, so guests may send through it.
  bool carries_guests(std::string_view attach_iface) const;
  // The MTU the kernel ends up with: the configured one, else inherited: a
  // VLAN takes its raw device's, a bridge the smallest of its ports' (the
  // bridge driver adjusts to it), anything else 1500.
  int effective_mtu(std::string_view iface, int depth = 0) const;

 private:
  void walk(std::string_view name, int vlan, bool through_bonds, int depth,
            std::vector<Attach>& out, std::vector<const Iface*>* chain) const;
  const Interfaces& ifs_;
};

}  // namespace lw::pve
