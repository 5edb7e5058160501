// SPDX-License-Identifier: GPL-2.0-only
// The two IPv6 address searches of classify.bpf.h: the 64-bit one
// (lw_v6_hi_classes, policies whose ranges all start on a /64 boundary) and
// the 128-bit one (any longer prefix). Every address one below, on and one
// above each end of each network goes through the real program, as source
// and as destination, and the class must be what the policy model
// (lw::Cidr::contains) says. The /64 policy runs through both searches,
// the /127 and /128 policy through the 128-bit one only.
#include <set>
#include <string>
#include <vector>

#include "bpf_fixture.h"
#include "policy/parse.h"
#include "policy/policy.h"

namespace lw::test::bpf {
namespace {

using u128 = unsigned __int128;

constexpr const char* kLane = R"(
[[lane]]
interface = "lo"
classes = ["corosync", "migration", "ceph_public", "management", "storage"]
)";

// Every boundary on a /64 (nested and adjacent networks, a /48 and a /63).
constexpr const char* kSlash64Only = R"(mode = "audit"
[networks]
corosync = ["2001:db8:c0::/64"]
migration = ["2001:db8:1:5::/64"]
ceph_public = ["2001:db8:40::/63"]
management = ["2001:db8:1::/48"]
storage = ["2001:db8:42::/64", "2001:db8:43::/64", "2001:db8:61::/56"]
)";

// Boundaries inside a /64: a /65 over a /64 of another class, a /97, a
// /126, a /127 and a /128.
constexpr const char* kLongPrefixes = R"(mode = "audit"
[networks]
corosync = ["2001:db8:c0::/126"]
migration = ["2001:db8:1:5::8000:0/97"]
ceph_public = ["2001:db8:40::/64"]
management = ["2001:db8:1::/48"]
storage = ["2001:db8:60::/127", "2001:db8:60::3/128", "2001:db8:40:0:8000::/65"]
)";

// In none of the networks above.
constexpr const char* kOutside = "2001:db8:ffff::1";

// One port per class that no other class claims, so the class a frame gets
// says whether the address is in that class's networks.
struct ClassPort {
  int cls;
  uint16_t port;
};
constexpr ClassPort kProbes[] = {{LW_CLASS_MIGRATION, 60000},
                                 {LW_CLASS_CEPH_PUBLIC, 3300},
                                 {LW_CLASS_MANAGEMENT, 8006},
                                 {LW_CLASS_STORAGE, 3260}};

u128 value(const lw::Address& a) {
  u128 v = 0;
  for (uint8_t b : a.bytes) v = (v << 8) | b;
  return v;
}

lw::Address address(u128 v) {
  lw::Address a;
  a.family = AF_INET6;
  for (int i = 15; i >= 0; --i, v >>= 8) a.bytes[i] = static_cast<uint8_t>(v);
  return a;
}

// First and last address of each IPv6 network, one below and one above.
std::vector<lw::Address> boundary_addresses(const policy::Policy& p) {
  std::set<u128> out;
  for (const auto& nets : p.networks) {
    for (const auto& n : nets) {
      if (n.addr.family != AF_INET6) continue;
      const u128 first = value(n.addr);
      const u128 span = n.prefix == 0 ? ~u128{0} : (u128{1} << (128 - n.prefix)) - 1;
      const u128 last = first + span;
      for (u128 v : {first - 1, first, first + 1, last - 1, last, last + 1}) out.insert(v);
    }
  }
  std::vector<lw::Address> addrs;
  for (u128 v : out) addrs.push_back(address(v));
  return addrs;
}

bool in_class(const policy::Policy& p, int cls, const lw::Address& a) {
  for (const auto& n : p.networks[cls])
    if (n.contains(a)) return true;
  return false;
}

// Every disagreement as one line, for the failure message.
std::string lines(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& l : v) out += l + "\n";
  return out;
}

class V6SearchPaths : public BpfTest {
 protected:
  // Runs every boundary address through the installed program and returns
  // each frame whose class is not what the model gives it.
  std::vector<std::string> sweep(const policy::Policy& model) {
    std::vector<std::string> wrong;
    auto check = [&](const Bytes& f, int want, const std::string& what) {
      const Outcome got = run_and_count(f);
      if (got.cls != want)
        wrong.push_back(what + ": " + class_name(got.cls) + ", want " + class_name(want));
    };
    for (const auto& a : boundary_addresses(model)) {
      const std::string s = a.str();
      for (const auto& probe : kProbes) {
        const int want = in_class(model, probe.cls, a) ? probe.cls : LW_CLASS_OTHER;
        const std::string port = ", port " + std::to_string(probe.port);
        // The address as destination and as source: the two share a loop.
        check(PacketBuilder().ipv6(kOutside, s).tcp(kGuestPort, probe.port).build(), want,
              s + " as destination" + port);
        check(PacketBuilder().ipv6(s, kOutside).tcp(probe.port, kGuestPort).build(), want,
              s + " as source" + port);
      }
      // Corosync needs both ends in a link network: the address to itself.
      check(PacketBuilder().ipv6(s, s).udp(5405, 5405).build(),
            in_class(model, LW_CLASS_COROSYNC, a) ? LW_CLASS_COROSYNC : LW_CLASS_OTHER,
            s + " to itself, corosync port");
    }
    return wrong;
  }
};

TEST_F(V6SearchPaths, Slash64PolicyGivesTheSameClassesOnBothSearches) {
  const std::string toml = std::string(kSlash64Only) + kLane;
  const policy::Policy model = policy::parse_string(toml, "<slash64>");
  auto compiled = compile_toml(toml, 3);
  ASSERT_EQ(compiled->v6_hi_only, 1);
  ASSERT_GE(boundary_addresses(model).size(), 30u);

  sb().install(*compiled);
  auto wrong = sweep(model);
  EXPECT_TRUE(wrong.empty()) << "64-bit search:\n" << lines(wrong);
  // The same tables through the 128-bit search: exact for any policy.
  compiled->v6_hi_only = 0;
  sb().install(*compiled);
  wrong = sweep(model);
  EXPECT_TRUE(wrong.empty()) << "128-bit search:\n" << lines(wrong);
}

TEST_F(V6SearchPaths, LongPrefixesTakeThe128BitSearchAndStayExact) {
  const std::string toml = std::string(kLongPrefixes) + kLane;
  const policy::Policy model = policy::parse_string(toml, "<long prefixes>");
  auto compiled = compile_toml(toml, 3);
  ASSERT_EQ(compiled->v6_hi_only, 0);

  sb().install(*compiled);
  const auto wrong = sweep(model);
  EXPECT_TRUE(wrong.empty()) << lines(wrong);
}

TEST_F(V6SearchPaths, TheSweepReachesBoundariesTheHighHalfCannotSee) {
  // Forcing the 64-bit search onto the long-prefix tables must go wrong:
  // proof that the sweep above tests the low half, and that the compiler's
  // flag is what keeps such policies exact.
  const std::string toml = std::string(kLongPrefixes) + kLane;
  const policy::Policy model = policy::parse_string(toml, "<long prefixes>");
  auto compiled = compile_toml(toml, 3);
  compiled->v6_hi_only = 1;
  sb().install(*compiled);
  EXPECT_FALSE(sweep(model).empty());
}

}  // namespace
}  // namespace lw::test::bpf
