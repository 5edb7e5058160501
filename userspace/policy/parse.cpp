// SPDX-License-Identifier: GPL-2.0-only
// TOML -> Policy. This file knows the key names and types of the format; the
// checks that need the whole policy live in validate.cpp. Every error carries
// the location of the offending key or value from toml++'s source regions.
#include "policy/parse.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <span>
#include <sstream>

#include "policy/defaults.h"
#include "policy/node_lanes.h"
#include "policy/rate.h"
#include "policy/service.h"
#include "policy/validate.h"

namespace lw::policy {

PolicyError::PolicyError(SourceLocation where, const std::string& message)
    : UsageError(where.str() + ": " + message), where_(std::move(where)), message_(message) {}

namespace {

using Keys = std::span<const std::string_view>;

constexpr std::string_view kTopKeys[] = {"mode", "networks", "lane", "class", "probe"};
constexpr std::string_view kProbeKeys[] = {"interval", "peers"};
// Probes every few ms would be traffic of their own; one a minute measures nothing.
constexpr uint64_t kMinProbeIntervalNs = 10'000'000;
constexpr uint64_t kMaxProbeIntervalNs = 60'000'000'000;
constexpr std::string_view kLaneKeys[] = {"interface", "node",         "vlan",      "classes",
                                          "exclusive", "no_fragments", "link_rate", "gso_max_segs"};
constexpr std::string_view kClassKeys[] = {"action",     "cap",   "cap_mode",     "burst",
                                           "priority",   "dscp",  "tcp_ports",    "udp_ports",
                                           "sctp_ports", "qnetd", "latency_alarm"};

const char* type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    default:
      return "nothing";
  }
}

// Levenshtein distance, for "did you mean" on misspelt keys and classes.
size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1] ? 1u : 0u)});
      diag = up;
    }
  }
  return row[b.size()];
}

size_t common_prefix(std::string_view a, std::string_view b) {
  size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

// A name within two edits, else one sharing a long prefix ("migrate" ->
// "migration"); nothing when the word resembles no name.
template <typename Names>
std::string suggestion(std::string_view word, const Names& names) {
  std::string_view best;
  size_t best_distance = 3;
  for (std::string_view n : names) {
    size_t d = edit_distance(word, n);
    if (d < best_distance) best_distance = d, best = n;
  }
  if (best.empty()) {
    size_t best_prefix = 4;
    for (std::string_view n : names) {
      size_t p = common_prefix(word, n);
      if (p > best_prefix) best_prefix = p, best = n;
    }
  }
  return best.empty() ? std::string() : fmt::format(" (did you mean '{}'?)", best);
}

std::string join(Keys keys) {
  std::string out;
  for (auto k : keys) out += (out.empty() ? "" : ", ") + std::string(k);
  return out;
}

// Linux dev_valid_name(): 1..15 bytes, not "." or "..", no '/', ':' or space.
bool valid_ifname(std::string_view name) {
  if (name.empty() || name.size() >= 16 || name == "." || name == "..") return false;
  return std::none_of(name.begin(), name.end(), [](char c) {
    return c == '/' || c == ':' || std::isspace(static_cast<unsigned char>(c)) ||
           static_cast<unsigned char>(c) < 0x20;
  });
}

// DSCP names from RFC 2474 (class selectors), RFC 2597 (AF) and RFC 3246 (EF).
std::optional<uint8_t> dscp_from_name(std::string_view name) {
  std::string n(name);
  for (auto& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (n == "ef") return 46;
  if (n.size() == 3 && n.starts_with("cs") && n[2] >= '0' && n[2] <= '7') return (n[2] - '0') * 8;
  if (n.size() == 4 && n.starts_with("af") && n[2] >= '1' && n[2] <= '4' && n[3] >= '1' &&
      n[3] <= '3') {
    return (n[2] - '0') * 8 + (n[3] - '0') * 2;
  }
  return std::nullopt;
}

class Reader {
 public:
  Reader(std::string source, std::string node)
      : source_(std::move(source)), node_(std::move(node)) {}

  Policy read(const toml::table& root);

 private:
  SourceLocation at(const toml::source_region& r) const {
    return SourceLocation{source_, static_cast<int>(r.begin.line),
                          static_cast<int>(r.begin.column)};
  }
  SourceLocation file_start() const { return SourceLocation{source_, 1, 1}; }

  [[noreturn]] void fail(const toml::source_region& r, const std::string& message) const {
    throw PolicyError(at(r), message);
  }

  void reject_unknown_keys(const toml::table& t, Keys allowed, std::string_view where) const {
    // toml++ iterates keys sorted by name: report the first unknown one in
    // file order, which is the one a reader fixes first.
    const toml::key* first = nullptr;
    for (auto&& [key, node] : t) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      if (!first || before(key.source(), first->source())) first = &key;
    }
    if (first) {
      fail(first->source(), fmt::format("unknown key '{}' in {}{}; known keys: {}", first->str(),
                                        where, suggestion(first->str(), allowed), join(allowed)));
    }
  }
  static bool before(const toml::source_region& a, const toml::source_region& b) {
    return std::pair{a.begin.line, a.begin.column} < std::pair{b.begin.line, b.begin.column};
  }

  const std::string& expect_string(const toml::node& n, std::string_view key) const {
    if (!n.is_string())
      fail(n.source(), fmt::format("'{}' must be a string, not {}", key, type_name(n)));
    return n.as_string()->get();
  }
  int64_t expect_integer(const toml::node& n, std::string_view key, std::string_view range) const {
    if (!n.is_integer()) {
      fail(n.source(), fmt::format("'{}' must be an integer {}, not {}", key, range, type_name(n)));
    }
    return n.as_integer()->get();
  }
  bool expect_bool(const toml::node& n, std::string_view key) const {
    if (!n.is_boolean()) {
      fail(n.source(), fmt::format("'{}' must be true or false, not {}", key, type_name(n)));
    }
    return n.as_boolean()->get();
  }
  const toml::array& expect_array(const toml::node& n, std::string_view key) const {
    if (!n.is_array())
      fail(n.source(), fmt::format("'{}' must be an array, not {}", key, type_name(n)));
    return *n.as_array();
  }
  const toml::table& expect_table(const toml::node& n, std::string_view key) const {
    if (!n.is_table())
      fail(n.source(), fmt::format("'{}' must be a table, not {}", key, type_name(n)));
    return *n.as_table();
  }

  Mode read_mode(const toml::node& n, std::string_view key) const {
    const auto& s = expect_string(n, key);
    if (s == "audit") return Mode::audit;
    if (s == "enforce") return Mode::enforce;
    fail(n.source(), fmt::format("'{}' must be \"audit\" or \"enforce\", not \"{}\"", key, s));
  }

  Rate read_rate(const toml::node& n, std::string_view key) const {
    if (n.is_integer() || n.is_floating_point()) {
      std::string number = n.is_integer() ? std::to_string(n.as_integer()->get())
                                          : fmt::format("{}", n.as_floating_point()->get());
      fail(n.source(), fmt::format("'{}': {}", key, bare_rate_message(number)));
    }
    const auto& text = expect_string(n, key);
    std::string error;
    auto value = parse_rate(text, &error);
    if (!value) fail(n.source(), fmt::format("'{}': {}", key, error));
    return Rate{*value, text};
  }

  Rate read_size(const toml::node& n, std::string_view key) const {
    if (n.is_integer() || n.is_floating_point()) {
      fail(n.source(),
           fmt::format("'{}' has no unit: write a size such as \"64KiB\" or \"4MiB\"", key));
    }
    const auto& text = expect_string(n, key);
    std::string error;
    auto value = parse_size(text, &error);
    if (!value) fail(n.source(), fmt::format("'{}': {}", key, error));
    return Rate{*value, text};
  }

  void read_networks(const toml::node& n, Policy& p);
  void read_lane(const toml::node& n, Policy& p);
  void read_class(const toml::key& name, const toml::node& n, Policy& p) const;
  void read_probe(const toml::node& n, Policy& p) const;
  std::vector<PortRange> read_ports(const toml::node& n, std::string_view key) const;
  std::vector<Service> read_qnetd(const toml::node& n) const;

  std::string source_;
  std::string node_;  // lanes of other nodes are dropped before validation
  detail::ParseRecord record_;
};

Policy Reader::read(const toml::table& root) {
  if (root.empty()) {
    throw PolicyError(file_start(), "policy is empty: at least one [[lane]] is required");
  }
  reject_unknown_keys(root, kTopKeys, "the policy (top level)");

  Policy p;
  p.source = source_;
  for (int c = 0; c < LW_NR_CLASSES; ++c) p.classes[c] = default_class_policy(c);

  if (auto* n = root.get("mode")) p.mode = read_mode(*n, "mode");
  if (auto* n = root.get("networks")) read_networks(*n, p);

  auto* lanes = root.get("lane");
  if (!lanes) {
    throw PolicyError(file_start(),
                      "policy has no [[lane]]: at least one [[lane]] is required (a lane says "
                      "which classes may use an interface)");
  }
  if (lanes->is_table()) {
    fail(lanes->source(), "'lane' must be an array of tables: write [[lane]], not [lane]");
  }
  const auto& lane_array = expect_array(*lanes, "lane");
  if (lane_array.empty()) {
    fail(lanes->source(), "'lane' is empty: at least one [[lane]] is required");
  }
  for (const auto& lane : lane_array) read_lane(lane, p);

  if (auto* n = root.get("class")) {
    for (auto&& [name, node] : expect_table(*n, "class")) read_class(name, node, p);
  }
  if (auto* n = root.get("probe")) read_probe(*n, p);

  // Keys come out of toml++ sorted by name; overlap errors should blame the
  // entry written later, so put the networks back in file order.
  std::stable_sort(
      record_.networks.begin(), record_.networks.end(), [](const auto& a, const auto& b) {
        return std::pair{a.where.line, a.where.column} < std::pair{b.where.line, b.where.column};
      });
  detail::keep_lanes_of_node(p, record_, node_, file_start());
  detail::validate(p, record_);
  return p;
}

void Reader::read_networks(const toml::node& n, Policy& p) {
  for (auto&& [key, value] : expect_table(n, "networks")) {
    auto c = class_from_name(key.str());
    if (!c) {
      fail(key.source(), fmt::format("unknown class '{}' in [networks]{}; classes: {}", key.str(),
                                     suggestion(key.str(), kClassNames), class_names(kAllClasses)));
    }
    if (*c == LW_CLASS_OTHER || *c == LW_CLASS_INFRA) {
      fail(key.source(),
           fmt::format(
               "class '{}' has no networks: {}", key.str(),
               *c == LW_CLASS_OTHER
                   ? "it is whatever no other class matched"
                   : "it is recognised by protocol (ARP, ND, LLDP, LACP, STP, ICMP errors)"));
    }
    std::string what = fmt::format("networks.{}", key.str());
    for (const auto& element : expect_array(value, what)) {
      const auto& text = expect_string(element, what);
      std::string error;
      auto cidr = parse_cidr(text, &error);
      if (!cidr) fail(element.source(), fmt::format("bad network in '{}': {}", what, error));
      p.networks[*c].push_back(*cidr);
      record_.networks.push_back({*c, *cidr, at(element.source())});
    }
  }
}

void Reader::read_lane(const toml::node& n, Policy& p) {
  if (!n.is_table()) {
    fail(n.source(), fmt::format("each lane must be a table ([[lane]]), not {}", type_name(n)));
  }
  const auto& t = *n.as_table();
  reject_unknown_keys(t, kLaneKeys, "[[lane]]");
  Lane lane;
  lane.where = at(t.source());
  detail::LaneEntry entry;

  auto* iface = t.get("interface");
  if (!iface)
    fail(t.source(), "[[lane]] has no 'interface': every lane names the interface it governs");
  lane.interface = expect_string(*iface, "interface");
  if (!valid_ifname(lane.interface)) {
    fail(iface->source(), fmt::format("'{}' is not a valid interface name (1 to 15 characters, no "
                                      "'/', ':' or whitespace)",
                                      lane.interface));
  }
  if (auto* v = t.get("node")) {
    lane.node = expect_string(*v, "node");
    if (!valid_node_name(lane.node))
      fail(v->source(), fmt::format("'{}' is not a node name (letters, digits and '-', as in "
                                    "/etc/pve/nodes/NAME)",
                                    lane.node));
  }
  entry.interface_where = at(iface->source());

  if (auto* v = t.get("vlan")) {
    int64_t vlan = expect_integer(*v, "vlan", "1..4094");
    // 0 means "priority tag only" and 4095 is reserved (802.1Q).
    if (vlan < 1 || vlan > 4094)
      fail(v->source(), fmt::format("vlan {} is out of range 1..4094", vlan));
    lane.vlan = static_cast<uint16_t>(vlan);
  }

  auto* classes = t.get("classes");
  if (!classes) {
    fail(t.source(),
         fmt::format("[[lane]] for '{}' has no 'classes': list the classes allowed on it",
                     lane.interface));
  }
  const auto& list = expect_array(*classes, "classes");
  if (list.empty()) {
    fail(classes->source(),
         fmt::format("'classes' of the lane for '{}' is empty: list at least one "
                     "class",
                     lane.interface));
  }
  for (const auto& element : list) {
    const auto& name = expect_string(element, "classes");
    auto c = class_from_name(name);
    if (!c) {
      fail(element.source(), fmt::format("unknown class '{}'{}; classes: {}", name,
                                         suggestion(name, kClassNames), class_names(kAllClasses)));
    }
    if (lane.classes & LW_CLASS_BIT(*c)) {
      fail(element.source(), fmt::format("class '{}' is listed twice in this lane", name));
    }
    lane.classes |= static_cast<uint8_t>(LW_CLASS_BIT(*c));
    entry.class_refs.emplace_back(*c, at(element.source()));
  }

  if (auto* v = t.get("exclusive")) lane.exclusive = expect_bool(*v, "exclusive");
  if (auto* v = t.get("no_fragments")) lane.no_fragments = expect_bool(*v, "no_fragments");
  if (auto* v = t.get("link_rate")) lane.link_rate = read_rate(*v, "link_rate");
  if (auto* v = t.get("gso_max_segs")) {
    // The kernel's GSO_MAX_SEGS is 65535; 0 would disable GSO in a way the
    // kernel accepts but no lane needs.
    int64_t segs = expect_integer(*v, "gso_max_segs", "1..65535");
    if (segs < 1 || segs > 65535)
      fail(v->source(), fmt::format("gso_max_segs {} is out of range 1..65535", segs));
    lane.gso_max_segs = static_cast<uint32_t>(segs);
  }

  p.lanes.push_back(std::move(lane));
  record_.lanes.push_back(std::move(entry));
}

std::vector<PortRange> Reader::read_ports(const toml::node& n, std::string_view key) const {
  std::vector<PortRange> ports;
  for (const auto& element : expect_array(n, key)) {
    if (element.is_integer()) {
      int64_t port = element.as_integer()->get();
      if (port < 1 || port > 65535) {
        fail(element.source(), fmt::format("port {} in '{}' is out of range 1..65535", port, key));
      }
      ports.push_back({static_cast<uint16_t>(port), static_cast<uint16_t>(port)});
    } else if (element.is_string()) {
      std::string error;
      auto range = parse_port_range(element.as_string()->get(), &error);
      if (!range) fail(element.source(), fmt::format("bad port in '{}': {}", key, error));
      ports.push_back(*range);
    } else {
      fail(element.source(), fmt::format("'{}' entries must be port numbers or \"first-last\" "
                                         "strings, not {}",
                                         key, type_name(element)));
    }
  }
  return ports;
}

// One string or an array of them: a qnetd host reachable over IPv4 and IPv6
// has an address of each.
std::vector<Service> Reader::read_qnetd(const toml::node& n) const {
  std::vector<const toml::node*> items;
  if (n.is_array()) {
    for (const auto& element : *n.as_array()) items.push_back(&element);
    if (items.empty()) fail(n.source(), "'qnetd' is empty: leave it out, or name the qnetd host");
  } else if (n.is_string()) {
    items.push_back(&n);
  } else {
    fail(n.source(), fmt::format("'qnetd' must be a string such as \"203.0.113.9:5403\" or an "
                                 "array of them, not {}",
                                 type_name(n)));
  }
  std::vector<Service> out;
  for (const auto* item : items) {
    const auto& text = expect_string(*item, "qnetd");
    std::string error;
    auto endpoint = parse_service_endpoint(text, kQnetdDefaultPort, &error);
    if (!endpoint) fail(item->source(), fmt::format("bad qnetd address: {}", error));
    for (const auto& seen : out)
      if (seen.net == endpoint->net && seen.port == endpoint->port)
        fail(item->source(),
             fmt::format("qnetd {} port {} is listed twice", endpoint->net.str(), endpoint->port));
    out.push_back(Service{endpoint->net, endpoint->port, at(item->source())});
  }
  return out;
}

void Reader::read_class(const toml::key& name, const toml::node& n, Policy& p) const {
  auto c = class_from_name(name.str());
  if (!c) {
    fail(name.source(), fmt::format("unknown class '{}' in [class]{}; classes: {}", name.str(),
                                    suggestion(name.str(), kClassNames), class_names(kAllClasses)));
  }
  std::string where = fmt::format("[class.{}]", name.str());
  const auto& t = expect_table(n, fmt::format("class.{}", name.str()));
  reject_unknown_keys(t, kClassKeys, where);
  ClassPolicy& cls = p.classes[*c];
  cls.where = at(name.source());

  if (auto* v = t.get("action")) {
    cls.action = read_mode(*v, "action");
    if (*c == LW_CLASS_INFRA && *cls.action == Mode::enforce) {
      fail(v->source(),
           "infra is never dropped (ARP, ND, LACP and LLDP keep the node reachable): "
           "its action cannot be \"enforce\"");
    }
  }
  if (auto* v = t.get("cap")) cls.cap = read_rate(*v, "cap");
  if (auto* v = t.get("cap_mode")) {
    if (!cls.cap) fail(t.get("cap_mode")->source(), "'cap_mode' has no effect without 'cap'");
    const auto& mode = expect_string(*v, "cap_mode");
    // "pace" needs the fq qdisc; the datapath refuses it where fq is missing.
    if (mode == "shape")
      cls.cap_mode = CapMode::shape;
    else if (mode == "police")
      cls.cap_mode = CapMode::police;
    else if (mode == "pace")
      cls.cap_mode = CapMode::pace;
    else
      fail(v->source(),
           fmt::format("'cap_mode' must be \"shape\", \"police\" or \"pace\", not \"{}\"", mode));
  }
  if (auto* v = t.get("burst")) {
    if (!cls.cap) fail(v->source(), "'burst' has no effect without 'cap'");
    cls.cap_burst = read_size(*v, "burst");
  }
  if (auto* v = t.get("priority")) {
    const auto& prio = expect_string(*v, "priority");
    if (prio == "normal")
      cls.priority = Priority::normal;
    else if (prio == "high")
      cls.priority = Priority::high;
    else
      fail(v->source(), fmt::format("'priority' must be \"normal\" or \"high\", not \"{}\"", prio));
  }
  if (auto* v = t.get("dscp")) {
    if (v->is_integer()) {
      int64_t d = v->as_integer()->get();
      if (d < 0 || d > 63) fail(v->source(), fmt::format("dscp {} is out of range 0..63", d));
      cls.dscp = static_cast<uint8_t>(d);
    } else if (v->is_string()) {
      auto d = dscp_from_name(v->as_string()->get());
      if (!d) {
        fail(v->source(),
             fmt::format("unknown dscp name '{}': use 0..63 or cs0..cs7, af11..af43, ef",
                         v->as_string()->get()));
      }
      cls.dscp = *d;
    } else {
      fail(v->source(),
           fmt::format("'dscp' must be an integer 0..63 or a name such as \"cs6\", not {}",
                       type_name(*v)));
    }
  }
  for (auto [key, ports] : {std::pair{"tcp_ports", &cls.tcp_ports},
                            {"udp_ports", &cls.udp_ports},
                            {"sctp_ports", &cls.sctp_ports}}) {
    auto* v = t.get(key);
    if (!v) continue;
    if (*c == LW_CLASS_OTHER || *c == LW_CLASS_INFRA) {
      fail(v->source(), fmt::format("class '{}' has no ports: {}", name.str(),
                                    *c == LW_CLASS_OTHER ? "it is whatever no other class matched"
                                                         : "it is recognised by protocol"));
    }
    *ports = read_ports(*v, key);  // written ports replace the defaults
  }
  if (auto* v = t.get("sctp_ports")) cls.sctp_ports_where = at(v->source());
  if (auto* v = t.get("qnetd")) {
    if (*c != LW_CLASS_COROSYNC) {
      fail(v->source(), fmt::format("'qnetd' belongs in [class.corosync], not [class.{}]: it is "
                                    "the QDevice's corosync-qnetd host",
                                    name.str()));
    }
    cls.services = read_qnetd(*v);
  }
  if (auto* v = t.get("latency_alarm")) {
    if (v->is_integer() || v->is_floating_point()) {
      fail(v->source(),
           "'latency_alarm' has no unit: write a duration such as \"5ms\" or \"500us\"");
    }
    std::string error;
    auto ns = parse_duration(expect_string(*v, "latency_alarm"), &error);
    if (!ns) fail(v->source(), fmt::format("'latency_alarm': {}", error));
    cls.latency_alarm_ns = *ns;
  }
}

void Reader::read_probe(const toml::node& n, Policy& p) const {
  const auto& t = expect_table(n, "probe");
  reject_unknown_keys(t, kProbeKeys, "[probe]");
  ProbePolicy& probe = p.probe;
  probe.where = at(t.source());
  if (auto* v = t.get("interval")) {
    if (v->is_integer() || v->is_floating_point()) {
      fail(v->source(), "'interval' has no unit: write a duration such as \"200ms\"");
    }
    std::string error;
    auto ns = parse_duration(expect_string(*v, "interval"), &error);
    if (!ns) fail(v->source(), fmt::format("'interval': {}", error));
    if (*ns < kMinProbeIntervalNs || *ns > kMaxProbeIntervalNs) {
      fail(v->source(),
           fmt::format("'interval' {} is out of range 10ms..60s", v->as_string()->get()));
    }
    probe.interval_ns = *ns;
  }
  if (auto* v = t.get("peers")) {
    for (const auto& element : expect_array(*v, "peers")) {
      const auto& text = expect_string(element, "peers");
      std::string error;
      auto addr = parse_address(text, &error);
      if (!addr) fail(element.source(), fmt::format("bad address in 'peers': {}", error));
      if (std::find(probe.peers.begin(), probe.peers.end(), *addr) != probe.peers.end()) {
        fail(element.source(), fmt::format("peer {} is listed twice", addr->str()));
      }
      probe.peers.push_back(*addr);
      probe.peer_where.push_back(at(element.source()));
    }
  }
}

}  // namespace

Policy parse_string(std::string_view toml_text, const std::string& source_name,
                    const std::string& node) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    throw PolicyError(
        SourceLocation{source_name, static_cast<int>(std::max<uint32_t>(begin.line, 1)),
                       static_cast<int>(std::max<uint32_t>(begin.column, 1))},
        fmt::format("TOML syntax error: {}", e.description()));
  }
  return Reader(source_name, node).read(root);
}

Policy parse_string(std::string_view toml_text, const std::string& source_name) {
  return parse_string(toml_text, source_name, this_node_name());
}

Policy parse_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    throw PolicyError(SourceLocation{path, 0, 0}, "cannot read policy: is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int err = errno;
    throw PolicyError(SourceLocation{path, 0, 0},
                      fmt::format("cannot read policy: {}", std::strerror(err)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw PolicyError(SourceLocation{path, 0, 0}, "cannot read policy: read error");
  }
  return parse_string(text.str(), path);
}

}  // namespace lw::policy
