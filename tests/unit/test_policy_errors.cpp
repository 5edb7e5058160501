// SPDX-License-Identifier: GPL-2.0-only
// Every kind of invalid policy, each with the exact "file:line:column:" of
// the key or value at fault. A policy either parses whole or throws.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>

#include "policy/parse.h"
#include "test_policy_util.h"

namespace lw::policy {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::kMinimal;
using testing::policy_error;
using ::testing::StartsWith;

using testing::with;

TEST(PolicyErrors, IsAUsageErrorWithExitCode2) {
  try {
    parse_string("", "t.toml");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
  }
  try {
    parse_string("mode = 1\n", "t.toml");
    FAIL();
  } catch (const PolicyError& e) {
    EXPECT_EQ(e.where().file, "t.toml");
    EXPECT_EQ(e.where().line, 1);
    EXPECT_EQ(e.where().column, 8);
    EXPECT_THAT(e.message(), HasSubstr("'mode' must be a string, not an integer"));
    EXPECT_EQ(std::string(e.what()), "t.toml:1:8: " + e.message());
  }
}

TEST(PolicyErrors, EmptyAndLaneless) {
  EXPECT_EQ(policy_error(""), "t.toml:1:1: policy is empty: at least one [[lane]] is required");
  EXPECT_EQ(policy_error("# only a comment\n\n"),
            "t.toml:1:1: policy is empty: at least one [[lane]] is required");
  EXPECT_THAT(policy_error("mode = \"audit\"\n"),
              AllOf(StartsWith("t.toml:1:1: "), HasSubstr("at least one [[lane]] is required")));
  EXPECT_THAT(policy_error("mode = \"audit\"\nlane = []\n"),
              AllOf(StartsWith("t.toml:2:8: "), HasSubstr("'lane' is empty")));
  EXPECT_THAT(policy_error("[lane]\ninterface = \"eth0\"\nclasses = [\"other\"]\n"),
              AllOf(StartsWith("t.toml:1:1: "), HasSubstr("write [[lane]], not [lane]")));
  EXPECT_THAT(policy_error("lane = \"eth0\"\n"),
              AllOf(StartsWith("t.toml:1:8: "), HasSubstr("'lane' must be an array")));
  EXPECT_THAT(policy_error("lane = [1]\n"),
              AllOf(StartsWith("t.toml:1:9: "), HasSubstr("each lane must be a table")));
}

TEST(PolicyErrors, TomlSyntax) {
  EXPECT_THAT(policy_error("mode = \"audit\"\n[[lane]\n"),
              AllOf(StartsWith("t.toml:2:"), HasSubstr("TOML syntax error")));
  EXPECT_THAT(policy_error("mode = \"audit\"\nmode = \"enforce\"\n"),
              AllOf(StartsWith("t.toml:2:"), HasSubstr("TOML syntax error")));
  EXPECT_THAT(policy_error("mode = \"unterminated\n"),
              AllOf(StartsWith("t.toml:1:"), HasSubstr("TOML syntax error")));
}

TEST(PolicyErrors, BinaryGarbageIsACleanError) {
  std::mt19937 rng(1234);  // fixed seed: reproducible
  for (int round = 0; round < 300; ++round) {
    std::string junk(rng() % 512, '\0');
    for (auto& c : junk) c = static_cast<char>(rng());
    try {
      parse_string(junk, "junk.bin");
      ADD_FAILURE() << "garbage parsed, round " << round;
    } catch (const PolicyError& e) {
      EXPECT_THAT(e.what(), StartsWith("junk.bin:")) << round;
    }
  }
  // Printable junk too, closer to a wrong file than to noise.
  EXPECT_THAT(policy_error("\x7f"
                           "ELF\x02\x01\x01"),
              StartsWith("t.toml:1:"));
  EXPECT_THAT(policy_error(std::string("mode = \"audit\0\"\n", 16)), StartsWith("t.toml:1:"));
}

TEST(PolicyErrors, UnknownKeysEverywhere) {
  EXPECT_THAT(policy_error("lanes = 1\n" + std::string(kMinimal)),
              AllOf(StartsWith("t.toml:1:1: "), HasSubstr("unknown key 'lanes'"),
                    HasSubstr("did you mean 'lane'?")));
  // Several unknown keys: the first in the file is reported, not the first
  // in alphabetical order.
  EXPECT_THAT(policy_error("zebra = 1\nalpha = 2\n" + std::string(kMinimal)),
              AllOf(StartsWith("t.toml:1:1: "), HasSubstr("unknown key 'zebra'")));
  // Top-level keys written after a table header belong to that table.
  EXPECT_THAT(policy_error("verbose = true\n" + std::string(kMinimal)),
              AllOf(StartsWith("t.toml:1:1: "), HasSubstr("unknown key 'verbose' in the policy")));
  EXPECT_THAT(
      policy_error("[[lane]]\ninterface = \"eth0\"\nclasses = [\"other\"]\n  exclusiv = true\n"),
      AllOf(StartsWith("t.toml:4:3: "), HasSubstr("unknown key 'exclusiv' in [[lane]]"),
            HasSubstr("did you mean 'exclusive'?")));
  EXPECT_THAT(
      policy_error(with("[class.migration]\ncap = \"1gbit\"\nrate = \"1gbit\"\n")),
      AllOf(StartsWith("t.toml:8:1: "), HasSubstr("unknown key 'rate' in [class.migration]"),
            HasSubstr("known keys: action, cap")));
  EXPECT_THAT(policy_error(with("[class]\nmigrate = {cap = \"1gbit\"}\n")),
              AllOf(StartsWith("t.toml:7:1: "), HasSubstr("unknown class 'migrate'"),
                    HasSubstr("did you mean 'migration'?")));
  EXPECT_THAT(policy_error(with("[class.Corosync]\n")),
              AllOf(StartsWith("t.toml:6:8: "), HasSubstr("unknown class 'Corosync'")));
}

TEST(PolicyErrors, WrongTypes) {
  EXPECT_THAT(
      policy_error("mode = true\n" + std::string(kMinimal)),
      AllOf(StartsWith("t.toml:1:8: "), HasSubstr("'mode' must be a string, not a boolean")));
  EXPECT_THAT(policy_error("mode = \"strict\"\n" + std::string(kMinimal)),
              AllOf(StartsWith("t.toml:1:8: "),
                    HasSubstr("'mode' must be \"audit\" or \"enforce\", not \"strict\"")));
  EXPECT_THAT(policy_error("networks = 1\n[[lane]]\ninterface = \"eth0\"\nclasses = [\"other\"]\n"),
              AllOf(StartsWith("t.toml:1:12: "), HasSubstr("'networks' must be a table")));
  EXPECT_THAT(
      policy_error("[networks]\ncorosync = \"10.0.0.0/24\"\n"),
      AllOf(StartsWith("t.toml:2:12: "), HasSubstr("'networks.corosync' must be an array")));
  EXPECT_THAT(policy_error("[networks]\ncorosync = [\"10.0.0.0/24\", 7]\n"),
              AllOf(StartsWith("t.toml:2:28: "), HasSubstr("must be a string, not an integer")));
  EXPECT_THAT(policy_error("[[lane]]\ninterface = 7\nclasses = [\"other\"]\n"),
              AllOf(StartsWith("t.toml:2:13: "), HasSubstr("'interface' must be a string")));
  EXPECT_THAT(
      policy_error("[[lane]]\ninterface = \"eth0\"\nvlan = \"12\"\nclasses = [\"other\"]\n"),
      AllOf(StartsWith("t.toml:3:8: "),
            HasSubstr("'vlan' must be an integer 1..4094, not a string")));
  EXPECT_THAT(policy_error("[[lane]]\ninterface = \"eth0\"\nclasses = \"other\"\n"),
              AllOf(StartsWith("t.toml:3:11: "), HasSubstr("'classes' must be an array")));
  EXPECT_THAT(
      policy_error("[[lane]]\ninterface = \"eth0\"\nclasses = [\"other\"]\nexclusive = 1\n"),
      AllOf(StartsWith("t.toml:4:13: "), HasSubstr("'exclusive' must be true or false")));
  EXPECT_THAT(policy_error(with("[class.migration]\npriority = 1\n")),
              AllOf(StartsWith("t.toml:7:12: "), HasSubstr("'priority' must be a string")));
  EXPECT_THAT(policy_error(with("[class.migration]\npriority = \"urgent\"\n")),
              AllOf(StartsWith("t.toml:7:12: "), HasSubstr("\"normal\" or \"high\"")));
  EXPECT_THAT(policy_error("class = 3\n" + std::string(kMinimal)),
              AllOf(StartsWith("t.toml:1:9: "), HasSubstr("'class' must be a table")));
  EXPECT_THAT(policy_error(with("[class]\nmigration = 3\n")),
              AllOf(StartsWith("t.toml:7:13: "), HasSubstr("'class.migration' must be a table")));
  EXPECT_THAT(policy_error(with("[class.migration]\ntcp_ports = [true]\n")),
              AllOf(StartsWith("t.toml:7:14: "),
                    HasSubstr("entries must be port numbers or \"first-last\" strings")));
  EXPECT_THAT(policy_error(with("[class.migration]\ntcp_ports = 22\n")),
              AllOf(StartsWith("t.toml:7:13: "), HasSubstr("'tcp_ports' must be an array")));
}

TEST(PolicyErrors, Networks) {
  EXPECT_THAT(policy_error("[networks]\ncorosync = [\"10.10.10.1/24\"]\n"),
              AllOf(StartsWith("t.toml:2:13: "), HasSubstr("host bits set"),
                    HasSubstr("did you mean '10.10.10.0/24'?")));
  EXPECT_THAT(policy_error("[networks]\nstorage = [\"2001:db8::1/64\"]\n"),
              AllOf(StartsWith("t.toml:2:12: "), HasSubstr("'2001:db8::/64'")));
  EXPECT_THAT(policy_error("[networks]\nstorage = [\"10.0.0.0/33\"]\n"),
              AllOf(StartsWith("t.toml:2:12: "), HasSubstr("bad prefix length")));
  EXPECT_THAT(policy_error("[networks]\nstorage = [\"10.0.0.1\"]\n"),
              AllOf(StartsWith("t.toml:2:12: "), HasSubstr("no prefix length")));
  EXPECT_THAT(policy_error("[networks]\nstorage = [\"nas.example\"]\n"),
              AllOf(StartsWith("t.toml:2:12: "), HasSubstr("is not a network")));
  EXPECT_THAT(policy_error("[networks]\nceph = [\"10.0.0.0/24\"]\n"),
              AllOf(StartsWith("t.toml:2:1: "), HasSubstr("unknown class 'ceph'"),
                    HasSubstr("classes: other, corosync")));
  EXPECT_THAT(policy_error("[networks]\nother = [\"10.0.0.0/24\"]\n"),
              AllOf(StartsWith("t.toml:2:1: "), HasSubstr("class 'other' has no networks")));
  EXPECT_THAT(policy_error("[networks]\ninfra = [\"10.0.0.0/24\"]\n"),
              AllOf(StartsWith("t.toml:2:1: "), HasSubstr("recognised by protocol")));
}

TEST(PolicyErrors, NetworkOverlaps) {
  // Corosync overlapping anything else: the second entry is the one at fault.
  EXPECT_THAT(policy_error(R"([networks]
corosync = ["10.10.10.0/24"]
management = ["10.10.0.0/16"]
[[lane]]
interface = "eth0"
classes = ["corosync"]
)"),
              AllOf(StartsWith("t.toml:3:15: "),
                    HasSubstr("management network 10.10.0.0/16 overlaps corosync network "
                              "10.10.10.0/24 (at t.toml:2:13)"),
                    HasSubstr("Corosync needs networks of its own")));
  EXPECT_THAT(policy_error(R"([networks]
storage = ["2001:db8:1::/48"]
corosync = ["2001:db8:1:5::/64"]
[[lane]]
interface = "eth0"
classes = ["other"]
)"),
              AllOf(StartsWith("t.toml:3:13: "), HasSubstr("corosync network 2001:db8:1:5::/64")));
  // The same network twice within one class.
  EXPECT_THAT(policy_error(R"([networks]
migration = ["10.10.30.0/24", "10.10.0.0/16"]
[[lane]]
interface = "eth0"
classes = ["other"]
)"),
              AllOf(StartsWith("t.toml:2:31: "), HasSubstr("already listed for migration"),
                    HasSubstr("list each network once")));
}

TEST(PolicyErrors, Lanes) {
  EXPECT_THAT(policy_error("[[lane]]\nclasses = [\"other\"]\n"),
              AllOf(StartsWith("t.toml:1:1: "), HasSubstr("[[lane]] has no 'interface'")));
  EXPECT_THAT(policy_error("mode = \"audit\"\n[[lane]]\ninterface = \"eth0\"\n"),
              AllOf(StartsWith("t.toml:2:1: "), HasSubstr("has no 'classes'")));
  EXPECT_THAT(policy_error("[[lane]]\ninterface = \"eth0\"\nclasses = []\n"),
              AllOf(StartsWith("t.toml:3:11: "), HasSubstr("'classes' of the lane for 'eth0' is "
                                                           "empty")));
  EXPECT_THAT(policy_error("[[lane]]\ninterface = \"eth0\"\nclasses = [\"other\", \"ceph\"]\n"),
              AllOf(StartsWith("t.toml:3:21: "), HasSubstr("unknown class 'ceph'")));
  EXPECT_THAT(policy_error("[[lane]]\ninterface = \"eth0\"\nclasses = [\"other\", \"other\"]\n"),
              AllOf(StartsWith("t.toml:3:21: "), HasSubstr("listed twice")));
  for (const char* bad : {"", "abcdefghijklmnop", "eth0/1", "eth 0", "eth0:1", ".", ".."}) {
    EXPECT_THAT(
        policy_error(fmt::format("[[lane]]\ninterface = \"{}\"\nclasses = [\"other\"]\n", bad)),
        AllOf(StartsWith("t.toml:2:13: "), HasSubstr("is not a valid interface name")))
        << bad;
  }
  for (const char* bad : {"0", "4095", "-1", "100000"}) {
    EXPECT_THAT(policy_error(fmt::format(
                    "[[lane]]\ninterface = \"eth0\"\nvlan = {}\nclasses = [\"other\"]\n", bad)),
                AllOf(StartsWith("t.toml:3:8: "), HasSubstr("out of range 1..4094")))
        << bad;
  }
}

TEST(PolicyErrors, LaneClassWithoutNetwork) {
  EXPECT_THAT(policy_error("[[lane]]\ninterface = \"eth0\"\nvlan = 20\nclasses = [\"other\", "
                           "\"migration\"]\n"),
              AllOf(StartsWith("t.toml:4:21: "),
                    HasSubstr("lane 'eth0' vlan 20 allows class 'migration' but [networks] has no "
                              "migration entry")));
}

TEST(PolicyErrors, DuplicateLanes) {
  EXPECT_THAT(policy_error(with("[[lane]]\ninterface = \"eth0\"\nclasses = [\"other\"]\n")),
              AllOf(StartsWith("t.toml:7:13: "),
                    HasSubstr("duplicate lane 'eth0' (untagged): already defined at t.toml:4:13")));
  EXPECT_THAT(policy_error(R"([[lane]]
interface = "eth0"
vlan = 12
classes = ["other"]
[[lane]]
interface = "eth1"
vlan = 12
classes = ["other"]
[[lane]]
vlan = 12
interface = "eth0"
classes = ["infra"]
)"),
              AllOf(StartsWith("t.toml:11:13: "), HasSubstr("duplicate lane 'eth0' vlan 12")));
}

TEST(PolicyErrors, DatapathLimits) {
  std::string many_ifaces;
  for (int i = 0; i <= kMaxLaneInterfaces; ++i) {
    many_ifaces += fmt::format("[[lane]]\ninterface = \"eth{}\"\nclasses = [\"other\"]\n", i);
  }
  // The lane one past the limit starts on line 3*limit+1; its interface
  // value is on the next line.
  EXPECT_THAT(policy_error(many_ifaces),
              AllOf(StartsWith(fmt::format("t.toml:{}:13: ", 3 * kMaxLaneInterfaces + 2)),
                    HasSubstr(fmt::format("more than {}", kMaxLaneInterfaces))));

  std::string many_vlans;
  for (int i = 1; i <= kMaxVlanLanes + 1; ++i) {
    many_vlans +=
        fmt::format("[[lane]]\ninterface = \"eth0\"\nvlan = {}\nclasses = [\"other\"]\n", i);
  }
  EXPECT_THAT(policy_error(many_vlans),
              AllOf(StartsWith(fmt::format("t.toml:{}:13: ", 4 * kMaxVlanLanes + 2)),
                    HasSubstr("too many VLAN lanes"), HasSubstr("at most 128")));

  std::string many_nets =
      "lane = [{interface = \"eth0\", classes = [\"other\"]}]\n"
      "[networks]\nstorage = [\n";
  for (int i = 0; i <= kMaxNetworksPerFamily; ++i) {
    many_nets += fmt::format("  \"10.{}.0.0/16\",\n", i);
  }
  many_nets += "]\n";
  EXPECT_THAT(policy_error(many_nets),
              AllOf(StartsWith(fmt::format("t.toml:{}:3: ", 4 + kMaxNetworksPerFamily)),
                    HasSubstr("too many IPv4 networks"), HasSubstr("at most 100 per family")));
}

TEST(PolicyErrors, RatesNeedUnits) {
  auto err = policy_error(with("[class.migration]\ncap = 5120\n"));
  EXPECT_THAT(err, AllOf(StartsWith("t.toml:7:7: "), HasSubstr("'cap': rate '5120' has no unit"),
                         HasSubstr("Proxmox's bwlimit is in KiB/s"),
                         HasSubstr("5120 would be 5MiB/s in bwlimit terms")));
  EXPECT_THAT(policy_error(with("[class.migration]\ncap = \"5120\"\n")),
              AllOf(StartsWith("t.toml:7:7: "), HasSubstr("5120 would be 5MiB/s")));
  EXPECT_THAT(policy_error(with("[class.migration]\ncap = 2.5\n")),
              AllOf(StartsWith("t.toml:7:7: "), HasSubstr("has no unit")));
  EXPECT_THAT(policy_error(with("[class.migration]\ncap = \"5mbps\"\n")),
              AllOf(StartsWith("t.toml:7:7: "), HasSubstr("ambiguous"), HasSubstr("'mbit'"),
                    HasSubstr("'MB/s'")));
  EXPECT_THAT(policy_error(with("[class.migration]\ncap = \"0gbit\"\n")),
              AllOf(StartsWith("t.toml:7:7: "), HasSubstr("is zero")));
  EXPECT_THAT(policy_error(with("[class.migration]\ncap = \"-1gbit\"\n")),
              AllOf(StartsWith("t.toml:7:7: "), HasSubstr("negative")));
  EXPECT_THAT(policy_error(with("[class.migration]\ncap = \"99999999999tbit\"\n")),
              AllOf(StartsWith("t.toml:7:7: "), HasSubstr("too large")));
  EXPECT_THAT(
      policy_error("[[lane]]\ninterface = \"eth0\"\nclasses = [\"other\"]\nlink_rate = 1000\n"),
      AllOf(StartsWith("t.toml:4:13: "), HasSubstr("'link_rate': rate '1000' has no unit")));
  EXPECT_THAT(policy_error(with("[class.migration]\ncap = \"1gbit\"\nburst = 65536\n")),
              AllOf(StartsWith("t.toml:8:9: "), HasSubstr("'burst' has no unit")));
  EXPECT_THAT(policy_error(with("[class.migration]\ncap = \"1gbit\"\nburst = \"64KiB/s\"\n")),
              AllOf(StartsWith("t.toml:8:9: "), HasSubstr("unknown unit")));
  EXPECT_THAT(policy_error(with("[class.corosync]\nlatency_alarm = 5\n")),
              AllOf(StartsWith("t.toml:7:17: "), HasSubstr("'latency_alarm' has no unit")));
  EXPECT_THAT(policy_error(with("[class.corosync]\nlatency_alarm = \"5 parsecs\"\n")),
              AllOf(StartsWith("t.toml:7:17: "), HasSubstr("unknown unit 'parsecs'")));
}

TEST(PolicyErrors, ClassSettings) {
  EXPECT_THAT(
      policy_error(with("[class.migration]\ncap_mode = \"police\"\n")),
      AllOf(StartsWith("t.toml:7:12: "), HasSubstr("'cap_mode' has no effect without 'cap'")));
  EXPECT_THAT(policy_error(with("[class.migration]\nburst = \"4MiB\"\n")),
              AllOf(StartsWith("t.toml:7:9: "), HasSubstr("'burst' has no effect without 'cap'")));
  EXPECT_THAT(policy_error(with("[class.migration]\ncap = \"1gbit\"\ncap_mode = \"drop\"\n")),
              AllOf(StartsWith("t.toml:8:12: "), HasSubstr("\"shape\", \"police\" or \"pace\"")));
  EXPECT_THAT(policy_error(with("[class.migration]\naction = \"drop\"\n")),
              AllOf(StartsWith("t.toml:7:10: "), HasSubstr("'action' must be \"audit\" or "
                                                           "\"enforce\"")));
  EXPECT_THAT(policy_error(with("[class.infra]\naction = \"enforce\"\n")),
              AllOf(StartsWith("t.toml:7:10: "), HasSubstr("infra is never dropped")));
  EXPECT_THAT(policy_error(with("[class.other]\ntcp_ports = [80]\n")),
              AllOf(StartsWith("t.toml:7:13: "), HasSubstr("class 'other' has no ports")));
  EXPECT_THAT(policy_error(with("[class.infra]\nudp_ports = []\n")),
              AllOf(StartsWith("t.toml:7:13: "), HasSubstr("class 'infra' has no ports")));
  for (const char* bad : {"64", "-1"}) {
    EXPECT_THAT(policy_error(with(fmt::format("[class.corosync]\ndscp = {}\n", bad))),
                AllOf(StartsWith("t.toml:7:8: "), HasSubstr("out of range 0..63")))
        << bad;
  }
  for (const char* bad : {"\"cs8\"", "\"af44\"", "\"af51\"", "\"be\""}) {
    EXPECT_THAT(policy_error(with(fmt::format("[class.corosync]\ndscp = {}\n", bad))),
                AllOf(StartsWith("t.toml:7:8: "), HasSubstr("unknown dscp name")))
        << bad;
  }
  EXPECT_THAT(policy_error(with("[class.corosync]\ndscp = 4.5\n")),
              AllOf(StartsWith("t.toml:7:8: "), HasSubstr("'dscp' must be an integer 0..63")));
}

TEST(PolicyErrors, Ports) {
  EXPECT_THAT(
      policy_error(with("[class.migration]\ntcp_ports = [22, 0]\n")),
      AllOf(StartsWith("t.toml:7:18: "), HasSubstr("port 0 in 'tcp_ports' is out of range")));
  EXPECT_THAT(policy_error(with("[class.migration]\ntcp_ports = [65536]\n")),
              AllOf(StartsWith("t.toml:7:14: "), HasSubstr("out of range 1..65535")));
  EXPECT_THAT(policy_error(with("[class.corosync]\nudp_ports = [\"5412-5405\"]\n")),
              AllOf(StartsWith("t.toml:7:14: "), HasSubstr("reversed"),
                    HasSubstr("did you mean '5405-5412'?")));
  EXPECT_THAT(policy_error(with("[class.corosync]\nudp_ports = [\"5405-70000\"]\n")),
              AllOf(StartsWith("t.toml:7:14: "), HasSubstr("port 70000")));
  EXPECT_THAT(policy_error(with("[class.corosync]\nudp_ports = [\"corosync\"]\n")),
              AllOf(StartsWith("t.toml:7:14: "), HasSubstr("is not a port or port range")));
}

TEST(PolicyErrors, MissingFile) {
  try {
    parse_file("/nonexistent/lanewarden/policy.toml");
    FAIL();
  } catch (const PolicyError& e) {
    EXPECT_THAT(e.what(), AllOf(StartsWith("/nonexistent/lanewarden/policy.toml: "),
                                HasSubstr("cannot read policy"), HasSubstr("No such file")));
    EXPECT_EQ(e.exit_code(), kExitUsage);
  }
  try {
    parse_file("/tmp");
    FAIL();
  } catch (const PolicyError& e) {
    EXPECT_THAT(e.what(), HasSubstr("is a directory"));
  }
}

}  // namespace
}  // namespace lw::policy
