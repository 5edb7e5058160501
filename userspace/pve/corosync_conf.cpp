// SPDX-License-Identifier: GPL-2.0-only
#include "pve/corosync_conf.h"

#include <algorithm>
#include <set>

namespace lw::pve {
namespace {

struct Section {
  std::string name;
  Where where;
  std::vector<std::pair<std::string, Value>> keys;
  std::vector<Section> children;
};

// Strips a comment: corosync.conf(5) only knows lines starting with '#', but
// people (and the article "Proxmox Cluster Network Design") write
// "token: 3000  # ms"; a '#' after whitespace is taken as a comment too,
// which no valid value contains.
std::string_view strip_comment(std::string_view line) {
  auto t = trim(line);
  if (!t.empty() && t[0] == '#') return {};
  for (size_t i = 1; i < t.size(); ++i)
    if (t[i] == '#' && (t[i - 1] == ' ' || t[i - 1] == '\t')) return trim(t.substr(0, i));
  return t;
}

Section parse_tree(std::string_view text, const std::string& file) {
  Section root;
  root.where = {file, 0};
  std::vector<Section*> stack{&root};
  int lineno = 0;
  for (std::string_view raw_line : split_lines(text)) {
    auto line = strip_comment(raw_line);
    ++lineno;
    Where here{file, lineno};
    if (line.empty()) continue;
    if (line == "}") {
      if (stack.size() == 1) throw ConfigError(here, "'}' without an open section");
      stack.pop_back();
      continue;
    }
    if (line.back() == '{') {
      auto name = std::string(trim(line.substr(0, line.size() - 1)));
      if (name.empty() || name.find_first_of(" \t:") != std::string::npos)
        throw ConfigError(here, "bad section name '" + name + "'");
      stack.back()->children.push_back(Section{name, here, {}, {}});
      stack.push_back(&stack.back()->children.back());
      continue;
    }
    auto colon = line.find(':');
    if (colon == std::string_view::npos)
      throw ConfigError(
          here, "expected 'key: value', 'section {' or '}', got '" + std::string(line) + "'");
    auto key = std::string(trim(line.substr(0, colon)));
    if (key.empty() || key.find_first_of(" \t{}") != std::string::npos)
      throw ConfigError(here, "bad key '" + key + "'");
    stack.back()->keys.push_back({key, Value{std::string(trim(line.substr(colon + 1))), here}});
  }
  if (stack.size() > 1)
    throw ConfigError(stack.back()->where, "section '" + stack.back()->name + "' is never closed");
  return root;
}

const Value* find_key(const Section& s, std::string_view key) {
  const Value* found = nullptr;
  for (auto& [k, v] : s.keys)
    if (k == key) found = &v;  // the last one wins, as in corosync
  return found;
}

std::optional<Value> opt_key(const Section& s, std::string_view key) {
  if (auto* v = find_key(s, key)) return *v;
  return std::nullopt;
}

int to_int(const Value& v, std::string_view key) {
  auto n = parse_uint(v.text);
  if (!n || *n > 1000000000)
    throw ConfigError(v.where, std::string(key) + ": '" + v.text + "' is not a number");
  return static_cast<int>(*n);
}

CorosyncInterface read_interface(const Section& s) {
  CorosyncInterface i;
  i.where = s.where;
  const Value* n = find_key(s, "linknumber");
  if (!n) n = find_key(s, "ringnumber");  // corosync 2 spelling, still accepted
  if (n) i.link = to_int(*n, "linknumber");
  if (i.link > 7) throw ConfigError(n->where, "linknumber must be 0..7 (knet has 8 links)");
  if (auto* p = find_key(s, "knet_link_priority"))
    i.knet_link_priority = to_int(*p, "knet_link_priority");
  if (auto* p = find_key(s, "mcastport")) i.mcastport = to_int(*p, "mcastport");
  i.knet_transport = opt_key(s, "knet_transport");
  if (i.knet_transport && i.knet_transport->text != "udp" && i.knet_transport->text != "sctp")
    throw ConfigError(i.knet_transport->where,
                      "knet_transport '" + i.knet_transport->text + "' is neither udp nor sctp");
  return i;
}

CorosyncNode read_node(const Section& s) {
  CorosyncNode n;
  n.where = s.where;
  for (auto& [k, v] : s.keys) {
    if (k == "name")
      n.name = v.text;
    else if (k == "nodeid")
      n.nodeid = to_int(v, k);
    else if (starts_with(k, "ring") && k.size() > 9 && k.substr(k.size() - 5) == "_addr") {
      auto num = parse_uint(std::string_view(k).substr(4, k.size() - 9));
      if (!num || *num > 7) throw ConfigError(v.where, "'" + k + "': ring number must be 0..7");
      if (v.text.empty()) throw ConfigError(v.where, "'" + k + "' is empty");
      n.ring_addr[static_cast<int>(*num)] = v;
    }
  }
  return n;
}

QDevice read_qdevice(const Section& s) {
  QDevice q;
  q.where = s.where;
  if (auto* m = find_key(s, "model")) q.model = m->text;
  for (auto& sub : s.children) {
    if (sub.name != "net") continue;
    q.host = opt_key(sub, "host");
    q.algorithm = opt_key(sub, "algorithm");
    if (auto* p = find_key(sub, "port")) {
      q.port = to_int(*p, "port");
      if (q.port < 1 || q.port > 65535) throw ConfigError(p->where, "port must be 1..65535");
    }
  }
  return q;
}

}  // namespace

const CorosyncNode* CorosyncConf::node(std::string_view name) const {
  for (auto& n : nodes)
    if (n.name == name) return &n;
  return nullptr;
}

const CorosyncInterface* CorosyncConf::interface(int link) const {
  for (auto& i : interfaces)
    if (i.link == link) return &i;
  return nullptr;
}

std::vector<int> CorosyncConf::links() const {
  std::set<int> s;
  for (auto& i : interfaces) s.insert(i.link);
  for (auto& n : nodes)
    for (auto& [l, _] : n.ring_addr) s.insert(l);
  return {s.begin(), s.end()};
}

int CorosyncConf::primary_link() const {
  auto ls = links();
  if (ls.empty()) return 0;
  // Unset priorities count as the lowest; ties go to the lower link number.
  int best = ls.front();
  int best_prio = -1;
  for (int l : ls) {
    auto* i = interface(l);
    int p = i && i->knet_link_priority ? *i->knet_link_priority : -1;
    if (p > best_prio) {
      best_prio = p;
      best = l;
    }
  }
  return best;
}

std::optional<long long> CorosyncConf::int_value(const std::optional<Value>& v) const {
  if (!v) return std::nullopt;
  return parse_uint(v->text);
}

CorosyncConf parse_corosync_conf(std::string_view text, const std::string& file) {
  Section root = parse_tree(text, file);
  CorosyncConf c;
  c.file = file;
  c.quorum_where = {file, 0};
  for (auto& top : root.children) {
    if (top.name == "totem") {
      if (auto* v = find_key(top, "cluster_name")) c.cluster_name = v->text;
      c.token = opt_key(top, "token");
      c.consensus = opt_key(top, "consensus");
      c.token_coefficient = opt_key(top, "token_coefficient");
      for (auto* v : {&c.token, &c.consensus, &c.token_coefficient})
        if (*v) to_int(**v, "timeout");  // validate: milliseconds
      c.secauth = opt_key(top, "secauth");
      c.crypto_cipher = opt_key(top, "crypto_cipher");
      c.crypto_hash = opt_key(top, "crypto_hash");
      c.transport = opt_key(top, "transport");
      c.link_mode = opt_key(top, "link_mode");
      c.ip_dscp = opt_key(top, "ip_dscp");
      for (auto& sub : top.children)
        if (sub.name == "interface") c.interfaces.push_back(read_interface(sub));
    } else if (top.name == "nodelist") {
      for (auto& sub : top.children)
        if (sub.name == "node") c.nodes.push_back(read_node(sub));
    } else if (top.name == "quorum") {
      c.quorum_where = top.where;
      c.two_node_value = opt_key(top, "two_node");
      if (c.two_node_value) c.two_node = parse_bool(c.two_node_value->text).value_or(false);
      c.wait_for_all = opt_key(top, "wait_for_all");
      for (auto& sub : top.children)
        if (sub.name == "device") c.qdevice = read_qdevice(sub);
    }
  }
  return c;
}

}  // namespace lw::pve
