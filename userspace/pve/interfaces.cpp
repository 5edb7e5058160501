// SPDX-License-Identifier: GPL-2.0-only
#include "pve/interfaces.h"

#include <glob.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace lw::pve {
namespace {

constexpr int kMaxSourceDepth = 8;  // `source` loops end here with an error

// Kernel bonding modes by number and name (Documentation/networking/bonding.rst).
const char* const kBondModes[] = {"balance-rr", "active-backup", "balance-xor", "broadcast",
                                  "802.3ad",    "balance-tlb",   "balance-alb"};

std::string normalize_option(std::string_view name) {
  std::string out = lower(name);
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

class Parser {
 public:
  explicit Parser(std::filesystem::path root) : root_(std::move(root)) {}

  void parse(std::string_view text, const std::string& file, int depth) {
    result_.files.push_back(file);
    Iface* cur = nullptr;
    int lineno = 0, logical_start = 0;
    std::string pending;
    for (std::string_view raw : split_lines(text)) {
      ++lineno;
      if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
      if (pending.empty()) logical_start = lineno;
      auto t = trim(raw);
      if (pending.empty() && !t.empty() && t.front() == '#') continue;
      if (!t.empty() && t.back() == '\\') {  // continuation line
        pending += std::string(t.substr(0, t.size() - 1)) + " ";
        continue;
      }
      std::string line = pending + std::string(t);
      pending.clear();
      if (trim(line).empty()) continue;
      handle(line, Where{file, logical_start}, cur, depth);
    }
  }

  Interfaces finish() {
    for (auto& i : result_.ifaces) classify(i);
    // `bond-master X` on a slave stanza adds it to X (old ifenslave style).
    for (auto& i : result_.ifaces) {
      auto* m = i.option("bond-master");
      if (!m) continue;
      for (auto& b : result_.ifaces)
        if (b.name == m->text &&
            std::find(b.slaves.begin(), b.slaves.end(), i.name) == b.slaves.end()) {
          b.slaves.push_back(i.name);
          b.kind = IfaceKind::bond;
        }
    }
    // An OVSBridge's ports may be listed on the bridge (ovs_ports), on the
    // port (ovs_bridge), or both, as the writer does.
    for (auto& i : result_.ifaces) {
      if (!i.is_ovs() && i.ovs_bridge.empty()) continue;
      for (auto& b : result_.ifaces)
        if (b.kind == IfaceKind::ovs_bridge && b.name == i.ovs_bridge &&
            std::find(b.ports.begin(), b.ports.end(), i.name) == b.ports.end())
          b.ports.push_back(i.name);
    }
    for (auto& i : result_.ifaces) check(i);
    return std::move(result_);
  }

 private:
  Iface& get(const std::string& name, const Where& where) {
    for (auto& i : result_.ifaces)
      if (i.name == name) return i;
    result_.ifaces.push_back(Iface{});
    auto& i = result_.ifaces.back();
    i.name = name;
    i.where = where;
    return i;
  }

  void handle(const std::string& line, const Where& here, Iface*& cur, int depth) {
    auto words = split_any(line, " \t");
    const std::string& kw = words[0];
    if (kw == "auto" || starts_with(kw, "allow-")) {
      for (size_t k = 1; k < words.size(); ++k) autos_.insert(words[k]);
      for (auto& i : result_.ifaces)
        if (autos_.count(i.name)) i.is_auto = true;
      cur = nullptr;
      return;
    }
    if (kw == "iface") {
      if (words.size() < 2) throw ConfigError(here, "'iface' without an interface name");
      if (words.size() == 3 || words.size() > 4)
        throw ConfigError(here, "expected 'iface NAME [inet|inet6 METHOD]'");
      if (words.size() == 4 && words[2] != "inet" && words[2] != "inet6")
        throw ConfigError(here, "address family '" + words[2] + "' is neither inet nor inet6");
      cur = &get(words[1], here);
      if (cur->method.empty() && words.size() == 4) cur->method = words[3];
      if (autos_.count(cur->name)) cur->is_auto = true;
      return;
    }
    if (kw == "mapping") {  // a mapping block's options are not interface options
      cur = nullptr;
      in_mapping_ = true;
      return;
    }
    if (kw == "source" || kw == "source-directory") {
      if (words.size() != 2) throw ConfigError(here, "'" + kw + "' needs exactly one path");
      cur = nullptr;
      in_mapping_ = false;
      include(words[1], kw == "source-directory", here, depth);
      return;
    }
    if (!cur) {
      if (in_mapping_) return;
      throw ConfigError(here, "option '" + kw + "' outside of an iface stanza");
    }
    option(*cur, normalize_option(kw), line.substr(line.find(kw) + kw.size()), here);
  }

  // "ip [-4|-6] route add|replace DEST [via GW] dev X" and the multipath
  // form "... nexthop [via GW] dev X [weight N] nexthop ..."; any other
  // command is not a route and is left alone.
  static void route(Iface& i, const std::string& cmd, const Where& here) {
    auto w = split_any(cmd, " \t");
    size_t k = 0;
    if (k < w.size() && (w[k] == "/sbin/ip" || w[k] == "/usr/sbin/ip" || w[k] == "ip"))
      ++k;
    else
      return;
    while (k < w.size() && w[k].size() > 1 && w[k][0] == '-') ++k;  // -4, -6
    if (k + 2 >= w.size() || (w[k] != "route" && w[k] != "r" && w[k] != "ro")) return;
    if (w[k + 1] != "add" && w[k + 1] != "a" && w[k + 1] != "replace") return;
    auto dest = parse_network(w[k + 2]);
    if (!dest) return;  // "default" and names: not a mesh route
    IfaceRoute r{*dest, {}, here};
    for (size_t j = k + 3; j + 1 < w.size(); ++j)
      if (w[j] == "dev" && std::find(r.devs.begin(), r.devs.end(), w[j + 1]) == r.devs.end())
        r.devs.push_back(w[j + 1]);
    if (r.devs.empty()) r.devs.push_back(i.name);  // "via GW" alone: the stanza's device
    i.routes.push_back(r);
  }

  void option(Iface& i, const std::string& name, std::string_view rest, const Where& here) {
    Value v{std::string(trim(rest)), here};
    if (name == "up" || name == "post-up") route(i, v.text, here);
    if (name == "address") {
      for (auto& a : split_any(v.text, " \t")) {
        auto parsed = parse_if_addr(a);
        if (!parsed) throw ConfigError(here, "'" + a + "' is not an address");
        i.addresses.push_back({*parsed, here});
      }
    } else if (name == "netmask") {
      auto prefix = netmask_prefix(v.text);
      if (!prefix) throw ConfigError(here, "'" + v.text + "' is not a netmask");
      if (!i.addresses.empty() && i.addresses.back().addr.addr.family == AF_INET) {
        auto& last = i.addresses.back().addr;
        last = *parse_if_addr(last.addr.str() + "/" + std::to_string(*prefix));
      }
    } else if (name == "gateway") {
      if (!parse_address(v.text))
        throw ConfigError(here, "gateway '" + v.text + "' is not an address");
      i.gateway = v;
    } else if (name == "mtu" || name == "ovs-mtu") {
      auto m = parse_uint(v.text);
      if (!m || *m < 68 || *m > 65535)
        throw ConfigError(here, "mtu '" + v.text + "' is not 68..65535");
      i.mtu = static_cast<int>(*m);
    }
    i.options[name] = v;
  }

  void include(const std::string& pattern, bool directory, const Where& here, int depth) {
    if (root_.empty()) return;
    if (depth >= kMaxSourceDepth) throw ConfigError(here, "'source' nested too deep (a loop?)");
    std::filesystem::path p(pattern);
    std::filesystem::path full = p.is_absolute()
                                     ? root_ / p.relative_path()
                                     : std::filesystem::path(here.file).parent_path() / p;
    std::vector<std::string> files;
    if (directory) {
      std::error_code ec;
      for (auto& e : std::filesystem::directory_iterator(full, ec)) {
        auto n = e.path().filename().string();
        // run-parts naming: ifupdown's source-directory skips other names
        bool ok = !n.empty() && std::all_of(n.begin(), n.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
        });
        if (ok && e.is_regular_file()) files.push_back(e.path().string());
      }
      std::sort(files.begin(), files.end());
    } else {
      glob_t g{};
      if (glob(full.c_str(), 0, nullptr, &g) == 0)
        for (size_t k = 0; k < g.gl_pathc; ++k) files.push_back(g.gl_pathv[k]);
      globfree(&g);
    }
    for (auto& f : files) {
      if (std::filesystem::is_directory(f)) continue;
      parse(read_required(f), f, depth + 1);
    }
  }

  // `ovs_options tag=14 bond_mode=balance-slb lacp=active ...`: space-separated
  // key=value pairs handed to ovs-vsctl; the ones that place traffic are read.
  void classify_ovs(Iface& i, const Value& type) {
    static const std::map<std::string, IfaceKind> kinds = {{"OVSBridge", IfaceKind::ovs_bridge},
                                                           {"OVSBond", IfaceKind::ovs_bond},
                                                           {"OVSIntPort", IfaceKind::ovs_intport},
                                                           {"OVSPort", IfaceKind::physical}};
    auto k = kinds.find(type.text);
    if (k == kinds.end())
      throw ConfigError(type.where, "ovs_type '" + type.text +
                                        "' is not OVSBridge, OVSBond, OVSIntPort or OVSPort");
    i.kind = k->second;
    if (auto* b = i.option("ovs-bridge")) i.ovs_bridge = b->text;
    if (auto* p = i.option("ovs-ports")) i.ports = split_any(p->text, " \t");
    if (auto* b = i.option("ovs-bonds")) i.slaves = split_any(b->text, " \t");
    if (auto* o = i.option("ovs-options")) {
      for (auto& kv : split_any(o->text, " \t")) {
        auto eq = kv.find('=');
        if (eq == std::string::npos) continue;
        std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
        if (key == "tag") {
          auto tag = parse_uint(value);
          if (!tag || *tag < 1 || *tag > 4094)
            throw ConfigError(o->where, "ovs_options tag=" + value + ": VLAN id must be 1..4094");
          i.ovs_tag = static_cast<int>(*tag);
        } else if (key == "bond_mode") {
          i.ovs_bond_mode = value;
        } else if (key == "lacp") {
          i.ovs_lacp = value;
        }
      }
    }
    if (i.kind != IfaceKind::ovs_bridge && i.kind != IfaceKind::physical && i.ovs_bridge.empty())
      throw ConfigError(i.where, i.name + ": an " + type.text + " needs 'ovs_bridge'");
    if (i.kind == IfaceKind::ovs_bond && i.slaves.size() < 2)
      throw ConfigError(i.where, i.name + ": an OVSBond needs at least two ovs_bonds members");
    if (i.kind == IfaceKind::ovs_bond && i.ovs_bond_mode.empty())
      i.ovs_bond_mode = "active-backup";  // ovs-vswitchd.conf.db(5): the default bond_mode
  }

  void classify(Iface& i) {
    if (auto* type = i.option("ovs-type")) return classify_ovs(i, *type);
    if (auto* link = i.option("link-type"); link && link->text == "dummy") {
      i.kind = IfaceKind::dummy;
      return;
    }
    auto* mode = i.option("bond-mode");
    auto* slaves = i.option("bond-slaves");
    if (!slaves) slaves = i.option("slaves");  // pre-ifupdown2 spelling
    auto* ports = i.option("bridge-ports");
    auto* raw = i.option("vlan-raw-device");
    auto dot = i.name.rfind('.');
    if (i.name == "lo" || i.method == "loopback") {
      i.kind = IfaceKind::loopback;
    } else if (slaves || mode) {
      i.kind = IfaceKind::bond;
      if (slaves && slaves->text != "none") i.slaves = split_any(slaves->text, " \t");
      if (mode) {
        auto m = lower(mode->text);
        if (auto n = parse_uint(m); n && *n < 7) m = kBondModes[*n];
        if (std::find(std::begin(kBondModes), std::end(kBondModes), m) == std::end(kBondModes))
          throw ConfigError(mode->where, "unknown bond-mode '" + mode->text + "'");
        i.bond_mode = m;
      }
      if (auto* r = i.option("bond-lacp-rate")) {
        auto l = lower(r->text);
        if (l == "1" || l == "fast")
          i.lacp_rate = "fast";
        else if (l == "0" || l == "slow")
          i.lacp_rate = "slow";
        else
          throw ConfigError(r->where, "bond-lacp-rate '" + r->text + "' is neither fast nor slow");
      }
    } else if (ports) {
      i.kind = IfaceKind::bridge;
      if (ports->text != "none") i.ports = split_any(ports->text, " \t");
      if (auto* s = i.option("bridge-stp")) {
        auto b = parse_bool(s->text);
        if (!b) throw ConfigError(s->where, "bridge-stp '" + s->text + "' is neither on nor off");
        i.stp = *b;
      }
      if (auto* s = i.option("bridge-vlan-aware"))
        i.vlan_aware = parse_bool(s->text).value_or(false);
    } else if (raw || starts_with(i.name, "vlan") ||
               (dot != std::string::npos && dot > 0 && parse_uint(i.name.substr(dot + 1)))) {
      i.kind = IfaceKind::vlan;
      if (raw) {
        i.vlan_raw = raw->text;
      } else if (dot != std::string::npos) {
        i.vlan_raw = i.name.substr(0, dot);
      } else {
        throw ConfigError(i.where, i.name + ": a vlanN interface needs 'vlan-raw-device'");
      }
      std::optional<long long> id;
      if (auto* v = i.option("vlan-id")) {
        id = parse_uint(v->text);
        if (!id) throw ConfigError(v->where, "vlan-id '" + v->text + "' is not a number");
      } else if (dot != std::string::npos) {
        id = parse_uint(i.name.substr(dot + 1));
      } else {
        auto digits = i.name.find_first_of("0123456789");
        if (digits != std::string::npos) id = parse_uint(i.name.substr(digits));
      }
      if (!id || *id < 1 || *id > 4094)
        throw ConfigError(i.where, i.name + ": VLAN id must be 1..4094");
      i.vlan_id = static_cast<int>(*id);
    }
  }

  void check(const Iface& i) {
    // A stanza that names itself as its own lower device would loop forever later.
    auto self = [&](const std::vector<std::string>& v) {
      return std::find(v.begin(), v.end(), i.name) != v.end();
    };
    if (self(i.slaves) || self(i.ports) || i.vlan_raw == i.name)
      throw ConfigError(i.where, i.name + " lists itself as its own port/slave/raw device");
  }

  std::filesystem::path root_;
  Interfaces result_;
  std::set<std::string> autos_;
  bool in_mapping_ = false;
};

}  // namespace

const char* kind_name(IfaceKind k) {
  switch (k) {
    case IfaceKind::loopback:
      return "loopback";
    case IfaceKind::physical:
      return "physical";
    case IfaceKind::bond:
      return "bond";
    case IfaceKind::bridge:
      return "bridge";
    case IfaceKind::vlan:
      return "vlan";
    case IfaceKind::ovs_bridge:
      return "OVSBridge";
    case IfaceKind::ovs_bond:
      return "OVSBond";
    case IfaceKind::ovs_intport:
      return "OVSIntPort";
    case IfaceKind::dummy:
      return "dummy";
  }
  return "?";
}

bool Iface::is_ovs() const {
  return kind == IfaceKind::ovs_bridge || kind == IfaceKind::ovs_bond ||
         kind == IfaceKind::ovs_intport;
}

const Value* Iface::option(std::string_view name) const {
  auto it = options.find(std::string(name));
  return it == options.end() ? nullptr : &it->second;
}

const Iface* Interfaces::find(std::string_view name) const {
  for (auto& i : ifaces)
    if (i.name == name) return &i;
  return nullptr;
}

bool Interfaces::mentions(std::string_view name) const {
  for (auto& i : ifaces) {
    if (i.name == name || i.vlan_raw == name) return true;
    if (std::find(i.slaves.begin(), i.slaves.end(), name) != i.slaves.end()) return true;
    if (std::find(i.ports.begin(), i.ports.end(), name) != i.ports.end()) return true;
  }
  return false;
}

Interfaces parse_interfaces(std::string_view text, const std::string& file,
                            const std::filesystem::path& root) {
  Parser p(root);
  p.parse(text, file, 0);
  return p.finish();
}

Interfaces read_interfaces(const std::filesystem::path& root) {
  auto path = root / "etc/network/interfaces";
  return parse_interfaces(read_required(path), path.string(), root);
}

}  // namespace lw::pve
