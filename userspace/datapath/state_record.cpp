// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/state_record.h"

#include <fmt/format.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "common/base64.h"
#include "common/error.h"

namespace lw::datapath {
namespace {

using nlohmann::json;

json shaping_json(const shaping::ShapingPlan& plan) {
  json ifaces = json::array();
  for (const auto& ip : plan.interfaces) {
    json classes = json::array();
    for (const auto& c : ip.classes)
      classes.push_back({{"minor", c.minor},
                         {"rate", c.rate},
                         {"ceil", c.ceil},
                         {"prio", c.prio},
                         {"burst", c.burst},
                         {"what", c.what}});
    ifaces.push_back({{"interface", ip.interface},
                      {"link_rate", ip.link_rate},
                      {"root_burst", ip.root_burst},
                      {"mtu", ip.mtu},
                      {"max_packet", ip.max_packet},
                      {"classes", std::move(classes)}});
  }
  return {{"interfaces", std::move(ifaces)},
          {"skb_priority",
           std::vector<uint32_t>(std::begin(plan.skb_priority), std::end(plan.skb_priority))}};
}

shaping::ShapingPlan shaping_from(const json& j) {
  shaping::ShapingPlan plan;
  for (const auto& ji : j.at("interfaces")) {
    shaping::InterfacePlan ip;
    ip.interface = ji.at("interface").get<std::string>();
    ip.link_rate = ji.at("link_rate").get<uint64_t>();
    ip.root_burst = ji.value("root_burst", uint32_t{0});
    ip.mtu = ji.at("mtu").get<uint32_t>();
    ip.max_packet = ji.at("max_packet").get<uint64_t>();
    for (const auto& jc : ji.at("classes"))
      ip.classes.push_back({jc.at("minor").get<uint32_t>(), jc.at("rate").get<uint64_t>(),
                            jc.at("ceil").get<uint64_t>(), jc.at("prio").get<uint32_t>(),
                            jc.at("what").get<std::string>(), jc.value("burst", uint32_t{0})});
    plan.interfaces.push_back(std::move(ip));
  }
  const auto prio = j.at("skb_priority").get<std::vector<uint32_t>>();
  for (size_t c = 0; c < prio.size() && c < LW_NR_CLASSES; c++) plan.skb_priority[c] = prio[c];
  return plan;
}

}  // namespace

std::string serialize_state(const DesiredState& s) {
  if (s.empty()) throw Error("an empty desired state is not recorded");
  json ifaces = json::array();
  for (const auto& b : s.ifaces)
    ifaces.push_back({{"name", b.name}, {"ifindex", b.ifindex}, {"slot", b.slot}});
  json gso = json::object();
  for (const auto& [ifindex, segs] : s.gso) gso[std::to_string(ifindex)] = segs;
  const std::string_view raw(reinterpret_cast<const char*>(s.policy.get()), sizeof(lw_policy));
  json j = {
      {"schema", kStateRecordSchema},
      {"abi", LW_PIN_ABI_VERSION},
      {"generation", s.policy->generation},
      {"source", s.source},
      {"ifaces", std::move(ifaces)},
      {"shaping", shaping_json(s.shaping)},
      {"gso_max_segs", std::move(gso)},
      {"latency_alarm_us", std::vector<uint32_t>(std::begin(s.policy->latency_alarm_us),
                                                 std::end(s.policy->latency_alarm_us))},
      {"probes", {{"interval_ns", s.probes.interval_ns}, {"peers", s.probes.peers}}},
      {"attach", std::string(attach_mode_name(s.attach))},
      {"policy", {{"size", sizeof(lw_policy)}, {"base64", base64_encode(raw)}}},
  };
  return j.dump();
}

namespace {

DesiredState state_from(const json& j, const std::string& what) {
  if (!j.is_object()) throw Error(what + " is not a lanewarden state record");
  const int schema = j.value("schema", 0);
  if (schema != kStateRecordSchema)
    throw Error(fmt::format("{} has record schema {}; this build reads schema {}", what, schema,
                            kStateRecordSchema));
  const uint32_t abi = j.value("abi", uint32_t{0});
  const auto& jp = j.at("policy");
  const size_t size = jp.at("size").get<size_t>();
  if (abi < kPolicyLayoutSince || abi > LW_PIN_ABI_VERSION || size != sizeof(lw_policy))
    throw Error(
        fmt::format("{} holds a policy of pinned-state version {} ({} bytes); this build's struct "
                    "lw_policy is version {} ({} bytes): it cannot put that policy back",
                    what, abi, size, LW_PIN_ABI_VERSION, sizeof(lw_policy)));
  const auto raw = base64_decode(jp.at("base64").get<std::string>());
  if (!raw || raw->size() != sizeof(lw_policy)) throw Error(what + ": the policy value is damaged");
  auto policy = std::make_shared<lw_policy>();
  std::memcpy(policy.get(), raw->data(), sizeof(lw_policy));

  DesiredState s;
  s.policy = std::move(policy);
  s.source = j.value("source", "");
  for (const auto& ji : j.at("ifaces"))
    s.ifaces.push_back({ji.at("name").get<std::string>(), ji.at("ifindex").get<uint32_t>(),
                        ji.at("slot").get<uint16_t>()});
  s.shaping = shaping_from(j.at("shaping"));
  s.gso = gso_limits_of(*s.policy);
  s.probes.interval_ns = j.at("probes").value("interval_ns", uint64_t{0});
  s.probes.peers = j.at("probes").value("peers", std::vector<std::string>{});
  // Records of builds before tcx have no "attach": they asked for nothing.
  const std::string attach = j.value("attach", "auto");
  const auto mode = parse_attach_mode(attach);
  if (!mode) throw Error(fmt::format("{} asks for attach mode \"{}\", unknown here", what, attach));
  s.attach = *mode;
  return s;
}

}  // namespace

DesiredState parse_state(const std::string& record, const std::string& what) {
  try {
    return state_from(json::parse(record), what);
  } catch (const json::exception& e) {
    throw Error(what + " is not a readable lanewarden state record: " + e.what());
  }
}

uint64_t recorded_generation(const std::string& record) {
  const json j = json::parse(record, nullptr, false);
  return j.is_object() ? j.value("generation", uint64_t{0}) : 0;
}

}  // namespace lw::datapath
