// SPDX-License-Identifier: GPL-2.0-only
// Invalid policies, each with the exact error the admin reads. docs/architecture.md:
// "Errors name file, line and column" and "a policy that fails validation
// changes nothing in the kernel" (tests/e2e/test_bad_policies_kernel.cpp
// checks the second half through the binary). A lane naming an interface
// that does not exist is only found by compile_policy() with the node's
// interfaces, so the table runs every policy the parser accepts through the
// compiler with a fake node (eth0..eth8 exist, nothing else does).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/error.h"
#include "datapath/policy_compiler.h"
#include "policy/parse.h"

namespace lw::policy {
namespace {

// Literals may hold NUL bytes (binary garbage): keep their full length.
#define TEXT(literal) std::string(literal, sizeof(literal) - 1)
#define NETS "[networks]\ncorosync = [\"10.10.10.0/24\"]\nmigration = [\"10.10.30.0/24\"]\n"
#define LANE "[[lane]]\ninterface = \"eth0\"\nclasses = [\"corosync\"]\n"

struct BadPolicy {
  std::string name;
  std::string toml;
  std::string error;  // the complete what(): "bad.toml:LINE:COLUMN: message"
};

void PrintTo(const BadPolicy& c, std::ostream* os) { *os << c.name; }

// 101 IPv4 networks: one more than the datapath's address table allows.
std::string many_networks() {
  std::string nets;
  for (int i = 0; i < 101; ++i)
    nets += (i ? ", " : "") +
            ("\"10." + std::to_string(i / 256) + "." + std::to_string(i % 256) + ".0/24\"");
  return "[networks]\nmanagement = [" + nets + "]\n" +
         "[[lane]]\ninterface = \"eth0\"\nclasses = [\"management\"]\n";
}

// 129 VLAN lanes on one interface (the table holds 128).
std::string many_vlan_lanes() {
  std::string s = NETS;
  for (int v = 1; v < 130; ++v)
    s += "[[lane]]\ninterface = \"eth0\"\nvlan = " + std::to_string(v) +
         "\nclasses = [\"corosync\"]\n";
  return s;
}

// Lanes on one interface more than lanewarden attaches to.
std::string many_interfaces() {
  std::string s = NETS;
  for (int i = 0; i <= LW_MAX_IFACES; ++i)
    s += "[[lane]]\ninterface = \"eth" + std::to_string(i) + "\"\nclasses = [\"corosync\"]\n";
  return s;
}

const std::vector<BadPolicy>& bad_policies() {
  static const std::vector<BadPolicy> cases = {
      {"EmptyFile", TEXT(""), "bad.toml:1:1: policy is empty: at least one [[lane]] is required"},
      {"OnlyComments", TEXT("# nothing here\n# at all\n"),
       "bad.toml:1:1: policy is empty: at least one [[lane]] is required"},
      {"OnlyBlankLines",
       TEXT("\n\n   \n\x09"
            "\n"),
       "bad.toml:1:1: policy is empty: at least one [[lane]] is required"},
      {"BinaryGarbage",
       TEXT("\x00"
            "\x01"
            "\x02"
            "\xff"
            "\xfe"
            "\x7f"
            ""),
       "bad.toml:1:3: TOML syntax error: Encountered invalid utf-8 sequence"},
      {"InvalidUtf8InString",
       TEXT("mode = \"\xff"
            "\xfe"
            "\"\n" NETS LANE),
       "bad.toml:1:8: TOML syntax error: Encountered invalid utf-8 sequence"},
      {"NulByteInComment",
       TEXT("# a\x00"
            "b\n" NETS LANE),
       "bad.toml:1:4: TOML syntax error: Error while parsing comment: control characters other "
       "than TAB (U+0009) are explicitly prohibited in comments"},
      {"NoLane", TEXT("mode = \"audit\"\n" NETS),
       "bad.toml:1:1: policy has no [[lane]]: at least one [[lane]] is required (a lane says which "
       "classes may use an interface)"},
      {"LaneAsTable", TEXT(NETS "[lane]\ninterface = \"eth0\"\nclasses = [\"corosync\"]\n"),
       "bad.toml:4:1: 'lane' must be an array of tables: write [[lane]], not [lane]"},
      {"LaneEmptyArray", TEXT("lane = []\n" NETS),
       "bad.toml:1:8: 'lane' is empty: at least one [[lane]] is required"},
      {"UnknownTopKey", TEXT("modes = \"audit\"\n" NETS LANE),
       "bad.toml:1:1: unknown key 'modes' in the policy (top level) (did you mean 'mode'?); known "
       "keys: mode, networks, lane, class, probe"},
      {"ModeBadValue", TEXT("mode = \"block\"\n" NETS LANE),
       "bad.toml:1:8: 'mode' must be \"audit\" or \"enforce\", not \"block\""},
      {"ModeWrongType", TEXT("mode = 1\n" NETS LANE),
       "bad.toml:1:8: 'mode' must be a string, not an integer"},
      {"ModeDate", TEXT("mode = 1979-05-27\n" NETS LANE),
       "bad.toml:1:8: 'mode' must be a string, not a date"},
      {"DuplicateKey", TEXT("mode = \"audit\"\nmode = \"enforce\"\n" NETS LANE),
       "bad.toml:2:8: TOML syntax error: Error while parsing key-value pair: cannot redefine "
       "existing string 'mode'"},
      {"DuplicateTable", TEXT(NETS "[networks]\nstorage = [\"10.10.60.0/24\"]\n" LANE),
       "bad.toml:4:1: TOML syntax error: Error while parsing table header: cannot redefine "
       "existing table 'networks'"},
      {"UnknownClassInNetworks", TEXT("[networks]\ncorosink = [\"10.10.10.0/24\"]\n" LANE),
       "bad.toml:2:1: unknown class 'corosink' in [networks] (did you mean 'corosync'?); classes: "
       "other, corosync, migration, ceph_public, ceph_cluster, management, storage, infra"},
      {"NetworksForOther", TEXT("[networks]\nother = [\"10.10.10.0/24\"]\n" LANE),
       "bad.toml:2:1: class 'other' has no networks: it is whatever no other class matched"},
      {"NetworksForInfra", TEXT("[networks]\ninfra = [\"10.10.10.0/24\"]\n" LANE),
       "bad.toml:2:1: class 'infra' has no networks: it is recognised by protocol (ARP, ND, LLDP, "
       "LACP, STP, ICMP errors)"},
      {"NetworksNotTable", TEXT("networks = [\"10.10.10.0/24\"]\n" LANE),
       "bad.toml:1:12: 'networks' must be a table, not an array"},
      {"NetworkListNotArray", TEXT("[networks]\ncorosync = \"10.10.10.0/24\"\n" LANE),
       "bad.toml:2:12: 'networks.corosync' must be an array, not a string"},
      {"NetworkNotString", TEXT("[networks]\ncorosync = [10]\n" LANE),
       "bad.toml:2:13: 'networks.corosync' must be a string, not an integer"},
      {"CidrHostBits", TEXT("[networks]\ncorosync = [\"10.10.10.1/24\"]\n" LANE),
       "bad.toml:2:13: bad network in 'networks.corosync': '10.10.10.1/24' has host bits set: did "
       "you mean '10.10.10.0/24'?"},
      {"CidrPrefixTooLong", TEXT("[networks]\ncorosync = [\"10.10.10.0/33\"]\n" LANE),
       "bad.toml:2:13: bad network in 'networks.corosync': '10.10.10.0/33' has a bad prefix "
       "length: expected 0..32"},
      {"CidrBadOctet", TEXT("[networks]\ncorosync = [\"10.10.300.0/24\"]\n" LANE),
       "bad.toml:2:13: bad network in 'networks.corosync': '10.10.300.0/24' is not a network: "
       "'10.10.300.0' is not an IPv4 or IPv6 address"},
      {"CidrNoPrefix", TEXT("[networks]\ncorosync = [\"10.10.10.0\"]\n" LANE),
       "bad.toml:2:13: bad network in 'networks.corosync': '10.10.10.0' has no prefix length: "
       "write a network such as '10.10.10.0/32'"},
      {"CidrIpv6PrefixTooLong", TEXT("[networks]\ncorosync = [\"2001:db8::/129\"]\n" LANE),
       "bad.toml:2:13: bad network in 'networks.corosync': '2001:db8::/129' has a bad prefix "
       "length: expected 0..128"},
      {"SameClassNetworksOverlap",
       TEXT("[networks]\ncorosync = [\"10.10.10.0/24\", \"10.10.10.128/25\"]\n" LANE),
       "bad.toml:2:30: corosync network 10.10.10.128/25 overlaps 10.10.10.0/24 already listed for "
       "corosync at bad.toml:2:13: list each network once"},
      {"CorosyncOverlapsMigration",
       TEXT("[networks]\ncorosync = [\"10.10.10.0/24\"]\nmigration = [\"10.10.0.0/16\"]\n" LANE),
       "bad.toml:3:14: migration network 10.10.0.0/16 overlaps corosync network 10.10.10.0/24 (at "
       "bad.toml:2:13): Corosync needs networks of its own"},
      {"CorosyncOverlapsManagementV6",
       TEXT("[networks]\nmanagement = [\"2001:db8::/48\"]\ncorosync = "
            "[\"2001:db8:0:1::/64\"]\n" LANE),
       "bad.toml:3:13: corosync network 2001:db8:0:1::/64 overlaps management network "
       "2001:db8::/48 (at bad.toml:2:15): Corosync needs networks of its own"},
      {"TooManyNetworks", many_networks(),
       "bad.toml:2:1605: too many IPv4 networks: the datapath's address table holds at most 100 "
       "per family"},
      {"DuplicateLane", TEXT(NETS LANE LANE),
       "bad.toml:8:13: duplicate lane 'eth0' (untagged): already defined at bad.toml:5:13; merge "
       "the classes into one lane"},
      {"DuplicateVlanLane", TEXT(NETS LANE "vlan = 12\n" LANE "vlan = 12\n"),
       "bad.toml:9:13: duplicate lane 'eth0' vlan 12: already defined at bad.toml:5:13; merge the "
       "classes into one lane"},
      {"LaneWithoutInterface", TEXT(NETS "[[lane]]\nclasses = [\"corosync\"]\n"),
       "bad.toml:4:1: [[lane]] has no 'interface': every lane names the interface it governs"},
      {"InterfaceNameTooLong",
       TEXT(NETS "[[lane]]\ninterface = \"averyveryverylongname\"\nclasses = [\"corosync\"]\n"),
       "bad.toml:5:13: 'averyveryverylongname' is not a valid interface name (1 to 15 characters, "
       "no '/', ':' or whitespace)"},
      {"InterfaceNameWithSlash",
       TEXT(NETS "[[lane]]\ninterface = \"eth/0\"\nclasses = [\"corosync\"]\n"),
       "bad.toml:5:13: 'eth/0' is not a valid interface name (1 to 15 characters, no '/', ':' or "
       "whitespace)"},
      {"InterfaceNameEmpty", TEXT(NETS "[[lane]]\ninterface = \"\"\nclasses = [\"corosync\"]\n"),
       "bad.toml:5:13: '' is not a valid interface name (1 to 15 characters, no '/', ':' or "
       "whitespace)"},
      {"InterfaceNotString", TEXT(NETS "[[lane]]\ninterface = 5\nclasses = [\"corosync\"]\n"),
       "bad.toml:5:13: 'interface' must be a string, not an integer"},
      {"VlanZero", TEXT(NETS LANE "vlan = 0\n"), "bad.toml:7:8: vlan 0 is out of range 1..4094"},
      {"Vlan4095", TEXT(NETS LANE "vlan = 4095\n"),
       "bad.toml:7:8: vlan 4095 is out of range 1..4094"},
      {"VlanNegative", TEXT(NETS LANE "vlan = -1\n"),
       "bad.toml:7:8: vlan -1 is out of range 1..4094"},
      {"VlanString", TEXT(NETS LANE "vlan = \"12\"\n"),
       "bad.toml:7:8: 'vlan' must be an integer 1..4094, not a string"},
      {"VlanFloat", TEXT(NETS LANE "vlan = 12.5\n"),
       "bad.toml:7:8: 'vlan' must be an integer 1..4094, not a float"},
      {"TooManyVlanLanes", many_vlan_lanes(),
       "bad.toml:517:13: too many VLAN lanes: the datapath's VLAN lane table holds at most 128"},
      {"TooManyInterfaces", many_interfaces(),
       "bad.toml:101:13: too many interfaces: lanes name more than 32, the most the datapath can "
       "attach to"},
      {"LaneWithoutClasses", TEXT(NETS "[[lane]]\ninterface = \"eth0\"\n"),
       "bad.toml:4:1: [[lane]] for 'eth0' has no 'classes': list the classes allowed on it"},
      {"LaneClassesEmpty", TEXT(NETS "[[lane]]\ninterface = \"eth0\"\nclasses = []\n"),
       "bad.toml:6:11: 'classes' of the lane for 'eth0' is empty: list at least one class"},
      {"LaneClassesNotArray", TEXT(NETS "[[lane]]\ninterface = \"eth0\"\nclasses = \"corosync\"\n"),
       "bad.toml:6:11: 'classes' must be an array, not a string"},
      {"LaneClassNotString", TEXT(NETS "[[lane]]\ninterface = \"eth0\"\nclasses = [1]\n"),
       "bad.toml:6:12: 'classes' must be a string, not an integer"},
      {"LaneUnknownClass", TEXT(NETS "[[lane]]\ninterface = \"eth0\"\nclasses = [\"corosyn\"]\n"),
       "bad.toml:6:12: unknown class 'corosyn' (did you mean 'corosync'?); classes: other, "
       "corosync, migration, ceph_public, ceph_cluster, management, storage, infra"},
      {"LaneClassTwice",
       TEXT(NETS "[[lane]]\ninterface = \"eth0\"\nclasses = [\"corosync\", \"migration\", "
                 "\"corosync\"]\n"),
       "bad.toml:6:37: class 'corosync' is listed twice in this lane"},
      {"LaneClassWithoutNetworks",
       TEXT(NETS "[[lane]]\ninterface = \"eth0\"\nclasses = [\"corosync\", \"storage\"]\n"),
       "bad.toml:6:24: lane 'eth0' (untagged) allows class 'storage' but [networks] has no storage "
       "entry: the class could never be recognised"},
      {"ExclusiveNotBool", TEXT(NETS LANE "exclusive = \"yes\"\n"),
       "bad.toml:7:13: 'exclusive' must be true or false, not a string"},
      {"UnknownLaneKey", TEXT(NETS LANE "exlusive = true\n"),
       "bad.toml:7:1: unknown key 'exlusive' in [[lane]] (did you mean 'exclusive'?); known keys: "
       "interface, node, vlan, classes, exclusive, no_fragments, link_rate, gso_max_segs"},
      {"LinkRateBareNumber", TEXT(NETS LANE "link_rate = 1000\n"),
       "bad.toml:7:13: 'link_rate': rate '1000' has no unit: write one, e.g. \"5gbit\" or "
       "\"600MiB/s\"; units are required because Proxmox's bwlimit is in KiB/s and is commonly "
       "misread (1000 would be 1000KiB/s in bwlimit terms, not 1000 MiB/s)"},
      {"LinkRateUnknownUnit", TEXT(NETS LANE "link_rate = \"10 furlongs\"\n"),
       "bad.toml:7:13: 'link_rate': rate '10 furlongs' has an unknown unit 'furlongs': use bit/s "
       "units (kbit, mbit, gbit) or byte/s units (KB/s, MB/s, KiB/s, MiB/s, GiB/s)"},
      {"CapBareNumber", TEXT(NETS LANE "[class.migration]\ncap = 5120\n"),
       "bad.toml:8:7: 'cap': rate '5120' has no unit: write one, e.g. \"5gbit\" or \"600MiB/s\"; "
       "units are required because Proxmox's bwlimit is in KiB/s and is commonly misread (5120 "
       "would be 5MiB/s in bwlimit terms, not 5120 MiB/s)"},
      {"CapBareFloat", TEXT(NETS LANE "[class.migration]\ncap = 2.5\n"),
       "bad.toml:8:7: 'cap': rate '2.5' has no unit: write one, e.g. \"5gbit\" or \"600MiB/s\"; "
       "units are required because Proxmox's bwlimit is in KiB/s and is commonly misread (5120 "
       "would be 5MiB/s in bwlimit terms, not 5120 MiB/s)"},
      {"CapAmbiguousMbps", TEXT(NETS LANE "[class.migration]\ncap = \"600mbps\"\n"),
       "bad.toml:8:7: 'cap': rate '600mbps': 'mbps' is ambiguous (tc reads it as bytes/s, most "
       "people as bits/s): write 'mbit' for bits or 'MB/s' for bytes"},
      {"CapNegative", TEXT(NETS LANE "[class.migration]\ncap = \"-5gbit\"\n"),
       "bad.toml:8:7: 'cap': rate '-5gbit' is negative: it must be greater than zero"},
      {"CapZero", TEXT(NETS LANE "[class.migration]\ncap = \"0gbit\"\n"),
       "bad.toml:8:7: 'cap': rate '0gbit' is zero: it must be greater than zero"},
      {"CapPerHour", TEXT(NETS LANE "[class.migration]\ncap = \"5gbit/h\"\n"),
       "bad.toml:8:7: 'cap': rate '5gbit/h' has an unknown unit 'gbit/h': use bit/s units (kbit, "
       "mbit, gbit) or byte/s units (KB/s, MB/s, KiB/s, MiB/s, GiB/s)"},
      {"CapTwice", TEXT(NETS LANE "[class.migration]\ncap = \"5gbit\"\ncap = \"1gbit\"\n"),
       "bad.toml:9:7: TOML syntax error: Error while parsing key-value pair: cannot redefine "
       "existing string 'cap'"},
      {"CapModeWithoutCap", TEXT(NETS LANE "[class.migration]\ncap_mode = \"police\"\n"),
       "bad.toml:8:12: 'cap_mode' has no effect without 'cap'"},
      {"CapModeUnknown",
       TEXT(NETS LANE "[class.migration]\ncap = \"5gbit\"\ncap_mode = \"throttle\"\n"),
       "bad.toml:9:12: 'cap_mode' must be \"shape\", \"police\" or \"pace\", not \"throttle\""},
      {"BurstWithoutCap", TEXT(NETS LANE "[class.migration]\nburst = \"4MiB\"\n"),
       "bad.toml:8:9: 'burst' has no effect without 'cap'"},
      {"BurstBareNumber", TEXT(NETS LANE "[class.migration]\ncap = \"5gbit\"\nburst = 4096\n"),
       "bad.toml:9:9: 'burst' has no unit: write a size such as \"64KiB\" or \"4MiB\""},
      {"BurstIsARate", TEXT(NETS LANE "[class.migration]\ncap = \"5gbit\"\nburst = \"4MiB/s\"\n"),
       "bad.toml:9:9: 'burst': size '4MiB/s' has an unknown unit 'MiB/s': use B, KB, MB, GB, KiB, "
       "MiB, GiB, kbit or mbit"},
      {"PriorityUnknown", TEXT(NETS LANE "[class.corosync]\npriority = \"urgent\"\n"),
       "bad.toml:8:12: 'priority' must be \"normal\" or \"high\", not \"urgent\""},
      {"DscpOutOfRange", TEXT(NETS LANE "[class.corosync]\ndscp = 64\n"),
       "bad.toml:8:8: dscp 64 is out of range 0..63"},
      {"DscpUnknownName", TEXT(NETS LANE "[class.corosync]\ndscp = \"af44\"\n"),
       "bad.toml:8:8: unknown dscp name 'af44': use 0..63 or cs0..cs7, af11..af43, ef"},
      {"DscpWrongType", TEXT(NETS LANE "[class.corosync]\ndscp = true\n"),
       "bad.toml:8:8: 'dscp' must be an integer 0..63 or a name such as \"cs6\", not a boolean"},
      {"TcpPortOutOfRange", TEXT(NETS LANE "[class.migration]\ntcp_ports = [70000]\n"),
       "bad.toml:8:14: port 70000 in 'tcp_ports' is out of range 1..65535"},
      {"TcpPortZero", TEXT(NETS LANE "[class.migration]\ntcp_ports = [0]\n"),
       "bad.toml:8:14: port 0 in 'tcp_ports' is out of range 1..65535"},
      {"TcpPortRangeReversed", TEXT(NETS LANE "[class.migration]\ntcp_ports = [\"7300-6800\"]\n"),
       "bad.toml:8:14: bad port in 'tcp_ports': port range '7300-6800' is reversed: did you mean "
       "'6800-7300'?"},
      {"TcpPortRangeGarbage", TEXT(NETS LANE "[class.migration]\ntcp_ports = [\"22-\"]\n"),
       "bad.toml:8:14: bad port in 'tcp_ports': '22-' is not a port or port range (expected e.g. "
       "22 or 6800-7300)"},
      {"TcpPortWrongType", TEXT(NETS LANE "[class.migration]\ntcp_ports = [true]\n"),
       "bad.toml:8:14: 'tcp_ports' entries must be port numbers or \"first-last\" strings, not a "
       "boolean"},
      {"UdpPortsForOther", TEXT(NETS LANE "[class.other]\nudp_ports = [53]\n"),
       "bad.toml:8:13: class 'other' has no ports: it is whatever no other class matched"},
      {"InfraEnforce", TEXT(NETS LANE "[class.infra]\naction = \"enforce\"\n"),
       "bad.toml:8:10: infra is never dropped (ARP, ND, LACP and LLDP keep the node reachable): "
       "its action cannot be \"enforce\""},
      {"ActionUnknown", TEXT(NETS LANE "[class.migration]\naction = \"drop\"\n"),
       "bad.toml:8:10: 'action' must be \"audit\" or \"enforce\", not \"drop\""},
      {"LatencyBareNumber", TEXT(NETS LANE "[class.corosync]\nlatency_alarm = 5\n"),
       "bad.toml:8:17: 'latency_alarm' has no unit: write a duration such as \"5ms\" or \"500us\""},
      {"LatencyUnknownUnit", TEXT(NETS LANE "[class.corosync]\nlatency_alarm = \"5 parsecs\"\n"),
       "bad.toml:8:17: 'latency_alarm': duration '5 parsecs' has an unknown unit 'parsecs': use "
       "ns, us, ms or s"},
      {"UnknownClassTable", TEXT(NETS LANE "[class.ceph]\naction = \"audit\"\n"),
       "bad.toml:7:8: unknown class 'ceph' in [class]; classes: other, corosync, migration, "
       "ceph_public, ceph_cluster, management, storage, infra"},
      {"UnknownClassKey", TEXT(NETS LANE "[class.migration]\nbandwidth = \"1gbit\"\n"),
       "bad.toml:8:1: unknown key 'bandwidth' in [class.migration]; known keys: action, cap, "
       "cap_mode, burst, priority, dscp, tcp_ports, udp_ports, sctp_ports, qnetd, latency_alarm"},
      {"QnetdOutsideCorosync", TEXT(NETS LANE "[class.management]\nqnetd = \"203.0.113.9\"\n"),
       "bad.toml:8:9: 'qnetd' belongs in [class.corosync], not [class.management]: it is the "
       "QDevice's corosync-qnetd host"},
      {"QnetdPortRange", TEXT(NETS LANE "[class.corosync]\nqnetd = \"203.0.113.9:5403-5404\"\n"),
       "bad.toml:8:9: bad qnetd address: '203.0.113.9:5403-5404': one port, not a range: a "
       "service listens on one"},
      {"ClassNotTable", TEXT(NETS LANE "[class]\ncorosync = 1\n"),
       "bad.toml:8:12: 'class.corosync' must be a table, not an integer"},
      {"UnterminatedString", TEXT("mode = \"audit\n" NETS LANE),
       "bad.toml:1:14: TOML syntax error: Error while parsing string: unescaped control characters "
       "other than TAB (U+0009) are explicitly prohibited"},
      {"UnterminatedTableHeader", TEXT("[networks\n" LANE),
       "bad.toml:1:10: TOML syntax error: Error while parsing table header: expected ']', saw "
       "'\\n'"},
      {"UnknownInterfaceAtCompile",
       TEXT(NETS LANE "[[lane]]\ninterface = \"eth9\"\nclasses = [\"migration\"]\n"),
       "bad.toml:7:1: interface 'eth9' does not exist on this node"},

  };
  return cases;
}

// eth0..eth8 exist on the fake node; eth9 and everything else does not.
std::optional<uint32_t> fake_node(const std::string& name) {
  if (name.size() == 4 && name.starts_with("eth") && name[3] >= '0' && name[3] < '9')
    return static_cast<uint32_t>(name[3] - '0' + 2);
  return std::nullopt;
}

// Parses and, if that passes, compiles; returns what() of the refusal.
std::optional<std::string> refusal(const std::string& toml, const std::string& source) {
  try {
    Policy p = parse_string(toml, source);
    datapath::compile_policy(p, fake_node, {}, 1);
    return std::nullopt;
  } catch (const PolicyError& e) {
    // The parts PolicyError carries must agree with the text.
    EXPECT_EQ(e.what(), e.where().str() + ": " + e.message());
    EXPECT_EQ(e.exit_code(), kExitUsage);
    return e.what();
  } catch (const UsageError& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    return e.what();
  }
}

class BadPolicies : public ::testing::TestWithParam<BadPolicy> {};

TEST_P(BadPolicies, RefusedWithExactError) {
  const BadPolicy& c = GetParam();
  auto error = refusal(c.toml, "bad.toml");
  ASSERT_TRUE(error) << c.name << " was accepted:\n" << c.toml;
  EXPECT_EQ(*error, c.error);
}

// The same refusal through parse_file: the location names the real path.
TEST_P(BadPolicies, FileErrorNamesThePath) {
  const BadPolicy& c = GetParam();
  const auto path = std::filesystem::temp_directory_path() /
                    ("lw-bad-" + std::to_string(getpid()) + "-" + c.name + ".toml");
  {
    std::ofstream out(path, std::ios::binary);
    out.write(c.toml.data(), static_cast<std::streamsize>(c.toml.size()));
  }
  std::optional<std::string> error;
  try {
    datapath::compile_policy(parse_file(path.string()), fake_node, {}, 1);
  } catch (const UsageError& e) {
    error = e.what();
  }
  std::filesystem::remove(path);
  ASSERT_TRUE(error) << c.name << " was accepted from a file";
  // Messages that cite an earlier entry name the file twice.
  std::string expected = c.error;
  for (size_t at = 0; (at = expected.find("bad.toml:", at)) != std::string::npos;
       at += path.string().size())
    expected.replace(at, std::string("bad.toml").size(), path.string());
  EXPECT_EQ(*error, expected);
}

INSTANTIATE_TEST_SUITE_P(Table, BadPolicies, ::testing::ValuesIn(bad_policies()),
                         [](const auto& info) { return info.param.name; });

TEST(BadPoliciesTable, AtLeastFortyDistinctErrors) {
  std::set<std::string> errors;
  for (const auto& c : bad_policies()) errors.insert(c.error);
  EXPECT_GE(bad_policies().size(), 40u);
  EXPECT_GE(errors.size(), 40u);
}

// Every error in the table points into the file: a line and a column >= 1.
TEST(BadPoliciesTable, EveryErrorHasLineAndColumn) {
  for (const auto& c : bad_policies()) {
    int line = 0, column = 0;
    EXPECT_EQ(std::sscanf(c.error.c_str(), "bad.toml:%d:%d: ", &line, &column), 2) << c.name;
    EXPECT_GE(line, 1) << c.name;
    EXPECT_GE(column, 1) << c.name;
  }
}

}  // namespace
}  // namespace lw::policy
