// SPDX-License-Identifier: GPL-2.0-only
// The desired-state record (datapath/state_record.h): what is written is
// read back exactly, HTB tree included, and a record this build cannot
// restore is refused with the reason instead of being misread.
#include <gtest/gtest.h>

#include <cstring>
#include <nlohmann/json.hpp>

#include "common/base64.h"
#include "common/error.h"
#include "datapath/state_record.h"

namespace lw::datapath {
namespace {

DesiredState sample() {
  auto p = std::make_shared<lw_policy>();
  std::memset(p.get(), 0, sizeof(*p));
  p->generation = 7;
  p->n_ifaces = 2;
  p->ifaces[0] = {3, 0, 0x06, LW_LANE_PRESENT};
  p->ifaces[1] = {5, 1, 0x04, LW_LANE_PRESENT | LW_IFACE_SHAPED};
  p->gso_max_segs[1] = 8;
  p->tcp_ports[60000] = 0x04;
  p->latency_alarm_us[LW_CLASS_COROSYNC] = 5000;
  DesiredState s;
  s.policy = p;
  s.ifaces = {{"eth1", 3, 0}, {"eth2", 5, 1}};
  shaping::InterfacePlan ip;
  ip.interface = "eth2";
  ip.link_rate = 1'250'000'000;
  ip.max_packet = 8 * 1514;
  ip.classes = {{0x22, 6'534'876, 6'534'876, 1, "migration cap"},
                {0xff, 1'000'000'000, 1'250'000'000, 1, "default", 12345}};
  s.shaping.interfaces = {ip};
  s.shaping.skb_priority[LW_CLASS_MIGRATION] = 0x1a4e0022;
  s.gso = {{5, 8}};
  s.probes = {200'000'000, {"198.51.100.2", "2001:db8::2"}};
  s.source = "/etc/lanewarden/policy.toml";
  return s;
}

TEST(StateRecord, RoundTripsEverythingReconcileNeeds) {
  const DesiredState s = sample();
  const DesiredState back = parse_state(serialize_state(s), "test");
  ASSERT_TRUE(back.policy);
  EXPECT_EQ(std::memcmp(back.policy.get(), s.policy.get(), sizeof(lw_policy)), 0);
  ASSERT_EQ(back.ifaces.size(), 2u);
  EXPECT_EQ(back.ifaces[1].name, "eth2");
  EXPECT_EQ(back.ifaces[1].ifindex, 5u);
  EXPECT_EQ(back.ifaces[1].slot, 1);
  ASSERT_EQ(back.shaping.interfaces.size(), 1u);
  const auto& ip = back.shaping.interfaces[0];
  EXPECT_EQ(ip.interface, "eth2");
  EXPECT_EQ(ip.link_rate, 1'250'000'000u);
  EXPECT_EQ(ip.max_packet, 8u * 1514);
  ASSERT_EQ(ip.classes.size(), 2u);
  EXPECT_EQ(ip.classes[0].minor, 0x22u);
  EXPECT_EQ(ip.classes[0].rate, 6'534'876u);
  EXPECT_EQ(ip.classes[1].burst, 12345u);
  EXPECT_EQ(back.shaping.skb_priority[LW_CLASS_MIGRATION], 0x1a4e0022u);
  EXPECT_EQ(back.gso, (GsoLimits{{5, 8}}));
  EXPECT_EQ(back.probes.peers, s.probes.peers);
  EXPECT_EQ(back.probes.interval_ns, 200'000'000u);
  EXPECT_EQ(back.source, s.source);
}

TEST(StateRecord, SaysWhatItHoldsInReadableFields) {
  const auto j = nlohmann::json::parse(serialize_state(sample()));
  EXPECT_EQ(j.at("schema"), kStateRecordSchema);
  EXPECT_EQ(j.at("abi"), LW_PIN_ABI_VERSION);
  EXPECT_EQ(j.at("generation"), 7);
  EXPECT_EQ(j.at("gso_max_segs").at("5"), 8);
  EXPECT_EQ(j.at("latency_alarm_us").at(LW_CLASS_COROSYNC), 5000);
  EXPECT_EQ(j.at("policy").at("size"), sizeof(lw_policy));
}

TEST(StateRecord, RefusesWhatThisBuildCannotRestore) {
  auto j = nlohmann::json::parse(serialize_state(sample()));
  auto refused = [](const nlohmann::json& record) {
    try {
      parse_state(record.dump(), "lw_state_prev");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  auto other_schema = j;
  other_schema["schema"] = kStateRecordSchema + 1;
  EXPECT_NE(refused(other_schema).find("record schema"), std::string::npos);
  auto newer = j;
  newer["abi"] = LW_PIN_ABI_VERSION + 1;
  EXPECT_NE(refused(newer).find("cannot put that policy back"), std::string::npos);
  auto shorter = j;
  shorter["policy"]["size"] = sizeof(lw_policy) - 8;
  EXPECT_NE(refused(shorter).find("cannot put that policy back"), std::string::npos);
  auto damaged = j;
  damaged["policy"]["base64"] = "AAAA";
  EXPECT_NE(refused(damaged).find("damaged"), std::string::npos);
  EXPECT_NE(refused(nlohmann::json("not a record")).find("lw_state_prev"), std::string::npos);
}

TEST(Base64, RoundTripsAllLengthsAndRefusesNoise) {
  std::string bytes;
  for (int n = 0; n < 10; n++) {
    EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes) << n;
    bytes += static_cast<char>(0xf0 + n);
  }
  EXPECT_EQ(base64_encode("Man"), "TWFu");
  EXPECT_EQ(base64_encode("Ma"), "TWE=");
  EXPECT_EQ(base64_encode("M"), "TQ==");
  EXPECT_FALSE(base64_decode("TWF"));
  EXPECT_FALSE(base64_decode("TW=u"));
  EXPECT_FALSE(base64_decode("T!Fu"));
}

}  // namespace
}  // namespace lw::datapath
