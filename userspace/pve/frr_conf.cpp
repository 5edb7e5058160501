// SPDX-License-Identifier: GPL-2.0-only
#include "pve/frr_conf.h"

#include <algorithm>
#include <set>

namespace lw::pve {
namespace {

const std::set<std::string> kRouted = {"openfabric", "isis", "ospf", "ospf6"};

// Commands that only exist at the top level: a line starting with one of
// them ends an `interface` or `router` section even without `exit` or `!`
// (FRR falls back to the parent node for a command the section lacks).
bool top_level(const std::vector<std::string>& w) {
  static const std::set<std::string> words = {
      "hostname",      "frr",         "log",   "service", "line",   "password",
      "enable",        "debug",       "vrf",   "key",     "agentx", "segment-routing",
      "route-map",     "access-list", "bfd",   "mpls",    "fpm",    "zebra",
      "nexthop-group", "interface",   "router"};
  static const std::set<std::string> ip_words = {
      "forwarding",   "route",   "prefix-list",    "protocol",          "nht",
      "import-table", "as-path", "community-list", "extcommunity-list", "large-community-list"};
  if (words.count(w[0])) return true;
  return (w[0] == "ip" || w[0] == "ipv6") && w.size() > 1 && ip_words.count(w[1]);
}

IfaceAddr read_addr(const std::string& text, const Where& where) {
  auto a = parse_if_addr(text);
  if (!a) throw ConfigError(where, "'" + text + "' is not an address with a prefix");
  return {*a, where};
}

void interface_line(FrrIface& fi, const std::vector<std::string>& w, const Where& here) {
  auto route = [&](std::string protocol, std::string name, std::string area = "") {
    fi.routing.push_back({fi.name, {std::move(protocol), std::move(name)}, area, false, here});
  };
  size_t n = w.size();
  if ((w[0] == "ip" || w[0] == "ipv6") && n >= 3 && w[1] == "address") {
    fi.addresses.push_back(read_addr(w[2], here));
  } else if ((w[0] == "ip" || w[0] == "ipv6") && n >= 4 && w[1] == "router" &&
             (w[2] == "openfabric" || w[2] == "isis")) {
    bool known = std::any_of(fi.routing.begin(), fi.routing.end(), [&](auto& r) {
      return r.instance == FrrInstance{w[2], w[3]};
    });
    if (!known) route(w[2], w[3]);  // ip and ipv6 of one instance: one membership
  } else if ((w[0] == "openfabric" || w[0] == "isis") && n >= 2 && w[1] == "passive") {
    fi.passive.push_back(w[0]);
  } else if (w[0] == "ip" && n >= 4 && w[1] == "ospf" && w[2] == "area") {
    route("ospf", "", w[3]);
  } else if (w[0] == "ip" && n >= 5 && w[1] == "ospf" && w[3] == "area") {
    route("ospf", w[2], w[4]);  // multi-instance: `ip ospf N area A`
  } else if (w[0] == "ip" && n >= 3 && w[1] == "ospf" && w[2] == "passive") {
    fi.passive.push_back("ospf");
  } else if (w[0] == "ipv6" && n >= 4 && w[1] == "ospf6" && w[2] == "area") {
    route("ospf6", "", w[3]);
  } else if (w[0] == "ipv6" && n >= 3 && w[1] == "ospf6" && w[2] == "passive") {
    fi.passive.push_back("ospf6");
  }
}

void router_line(FrrRouter& r, const std::vector<std::string>& w, const Where& here) {
  size_t n = w.size();
  if (w[0] == "network" && n >= 4 && w[2] == "area") {
    auto net = parse_network(w[1]);
    if (!net) throw ConfigError(here, "'" + w[1] + "' is not a prefix");
    r.networks.emplace_back(*net, here);
  } else if (w[0] == "interface" && n >= 4 && w[2] == "area") {
    r.interfaces.emplace_back(w[1], here);
  } else if (w[0] == "passive-interface" && n >= 2) {
    if (w[1] == "default")
      r.passive_default = true;
    else
      r.passive_interface[w[1]] = true;
  } else if (w[0] == "no" && n >= 3 && w[1] == "passive-interface") {
    if (w[2] == "default")
      r.passive_default = false;
    else
      r.passive_interface[w[2]] = false;
  } else if (w[0] == "redistribute" && std::find(w.begin(), w.end(), "connected") != w.end()) {
    r.redistribute_connected = true;
  } else if (w[0] == "maximum-paths" && n >= 2) {
    if (auto v = parse_uint(w[1])) r.maximum_paths = static_cast<int>(*v);
  }
}

bool is_loopback_or_dummy(const std::string& name, const Interfaces& ifs) {
  if (name == "lo") return true;
  const Iface* i = ifs.find(name);
  return i && (i->kind == IfaceKind::loopback || i->kind == IfaceKind::dummy);
}

}  // namespace

std::string FrrInstance::str() const { return name.empty() ? protocol : protocol + " " + name; }

const char* FrrInstance::daemon() const {
  if (protocol == "openfabric") return "fabricd";
  if (protocol == "isis") return "isisd";
  if (protocol == "ospf6") return "ospf6d";
  return "ospfd";
}

bool FrrIface::is_passive(std::string_view protocol) const {
  return std::find(passive.begin(), passive.end(), protocol) != passive.end();
}

const FrrIface* FrrConf::iface(std::string_view name) const {
  for (auto& i : interfaces)
    if (i.name == name) return &i;
  return nullptr;
}

const FrrRouter* FrrConf::router(const FrrInstance& i) const {
  for (auto& r : routers)
    if (r.instance == i) return &r;
  return nullptr;
}

bool FrrConf::enabled(const FrrInstance& i) const {
  if (daemons_file.empty()) return true;
  auto it = daemons.find(i.daemon());
  return it != daemons.end() && it->second;
}

std::vector<FrrIfaceRouting> FrrConf::members(const FrrInstance& i, const Interfaces& ifs) const {
  std::vector<FrrIfaceRouting> out;
  const FrrRouter* r = router(i);
  if (!r) return out;  // `ip router openfabric 1` without `router openfabric 1` runs nothing
  auto add = [&](FrrIfaceRouting m) {
    const FrrIface* fi = iface(m.iface);
    if (fi && fi->is_passive(i.protocol)) m.passive = true;
    auto pi = r->passive_interface.find(m.iface);
    if (pi != r->passive_interface.end() ? pi->second : r->passive_default) m.passive = true;
    bool known = std::any_of(out.begin(), out.end(), [&](auto& o) { return o.iface == m.iface; });
    if (!known) out.push_back(std::move(m));
  };
  for (auto& fi : interfaces)
    for (auto& m : fi.routing)
      if (m.instance == i) add(m);
  for (auto& [name, where] : r->interfaces) add({name, i, "", false, where});
  // `network P area A` enables OSPF on every interface with an address in P.
  for (auto& [net, where] : r->networks)
    for (auto& ifc : ifs.ifaces)
      for (auto& a : ifc.addresses)
        if (net.contains(a.addr.addr)) add({ifc.name, i, "", false, where});
  return out;
}

std::vector<FrrInstance> FrrConf::routing(std::string_view name, const Address& addr,
                                          const Interfaces& ifs) const {
  std::vector<FrrInstance> out;
  for (auto& r : routers) {
    bool member = r.redistribute_connected;
    for (auto& m : members(r.instance, ifs)) member |= m.iface == name;
    for (auto& [net, where] : r.networks) member |= net.contains(addr);
    if (member) out.push_back(r.instance);
  }
  return out;
}

std::vector<FrrLink> FrrConf::links(const FrrInstance& i, const Interfaces& ifs) const {
  std::vector<FrrLink> out;
  for (auto& m : members(i, ifs))
    if (!m.passive && !is_loopback_or_dummy(m.iface, ifs)) out.push_back({i, m.iface, m.where});
  return out;
}

FrrConf parse_frr_conf(std::string_view text, const std::string& file) {
  FrrConf conf;
  conf.file = file;
  FrrIface* in_iface = nullptr;
  FrrRouter* in_router = nullptr;
  int lineno = 0;
  for (std::string_view raw : split_lines(text)) {
    ++lineno;
    Where here{file, lineno};
    auto line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    if (line.front() == '!') {  // frr writes one between sections
      in_iface = nullptr;
      in_router = nullptr;
      continue;
    }
    auto w = split_any(line, " \t");
    if (w[0] == "exit" || w[0] == "end" || w[0] == "exit-vrf") {
      in_iface = nullptr;
      in_router = nullptr;
      continue;
    }
    bool indented = raw.front() == ' ' || raw.front() == '\t';
    // OSPFv3's `interface IF area A` is a router command, not a new section.
    bool ospf6_iface = in_router && w[0] == "interface" && w.size() >= 4 && w[2] == "area";
    if (!ospf6_iface && (!indented || w[0] == "interface" || w[0] == "router") && top_level(w)) {
      // Sections lanewarden does not read (router bgp, line vty, an
      // interface in a VRF: a mesh lives in the default one) leave both null.
      in_iface = nullptr;
      in_router = nullptr;
      if (w[0] == "interface" && w.size() >= 2) {
        if (w.size() >= 4 && w[2] == "vrf") continue;
        conf.interfaces.push_back({w[1], here, {}, {}, {}});
        in_iface = &conf.interfaces.back();
      } else if (w[0] == "router" && w.size() >= 2 && kRouted.count(w[1])) {
        std::string name = w.size() >= 3 ? w[2] : "";
        if (name == "vrf") continue;
        conf.routers.push_back({{w[1], name}, here, {}, {}, false, {}, false, {}});
        in_router = &conf.routers.back();
      }
      continue;
    }
    if (in_iface)
      interface_line(*in_iface, w, here);
    else if (in_router)
      router_line(*in_router, w, here);
  }
  return conf;
}

void parse_frr_daemons(std::string_view text, const std::string& file, FrrConf& conf) {
  conf.daemons_file = file;
  for (std::string_view raw : split_lines(text)) {
    auto line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string name(trim(line.substr(0, eq)));
    std::string value = lower(trim(line.substr(eq + 1)));
    if (name.find('_') != std::string::npos || name.find(' ') != std::string::npos)
      continue;  // zebra_options=..., vtysh_enable=...: not a daemon switch
    if (value.size() >= 2 && (value.front() == '"' || value.front() == '\''))
      value = value.substr(1, value.size() - 2);
    if (auto b = parse_bool(value)) conf.daemons[name] = *b;
  }
}

void merge_frr_addresses(const FrrConf& conf, Interfaces& ifs) {
  for (auto& fi : conf.interfaces) {
    if (fi.addresses.empty()) continue;
    auto it = std::find_if(ifs.ifaces.begin(), ifs.ifaces.end(),
                           [&](const Iface& i) { return i.name == fi.name; });
    if (it == ifs.ifaces.end()) {
      Iface made;
      made.name = fi.name;
      made.kind = fi.name == "lo" ? IfaceKind::loopback : IfaceKind::physical;
      made.method = "manual";
      made.where = fi.where;
      ifs.ifaces.push_back(std::move(made));
      it = std::prev(ifs.ifaces.end());
    }
    for (auto& a : fi.addresses) {
      bool known = std::any_of(it->addresses.begin(), it->addresses.end(),
                               [&](const IfaceAddr& x) { return x.addr.addr == a.addr.addr; });
      if (!known) it->addresses.push_back(a);
    }
  }
}

}  // namespace lw::pve
