// SPDX-License-Identifier: GPL-2.0-only
// Naming and address policy of the test support: these checks are what keeps
// tests from touching anything outside their own "lwt" objects and the
// documentation address ranges.
#include <gtest/gtest.h>
#include <unistd.h>

#include "support/addr.h"
#include "support/names.h"
#include "support/netns.h"
#include "support/privilege.h"

namespace lw::test {
namespace {

TEST(SupportNames, RejectsNamesWithoutLwtPrefix) {
  EXPECT_THROW(require_test_name("eth0"), std::invalid_argument);
  EXPECT_THROW(require_test_name("vmbr0"), std::invalid_argument);
  EXPECT_THROW(require_test_name("LWTx"), std::invalid_argument);
  EXPECT_THROW(require_test_name("lwt0123456789abc"), std::invalid_argument);  // 16 chars
  EXPECT_THROW(require_test_name("lwt a"), std::invalid_argument);
  EXPECT_THROW(require_test_name("lwt;rm"), std::invalid_argument);
  EXPECT_NO_THROW(require_test_name("lwt0123456789ab"));  // 15 chars
  EXPECT_THROW(require_test_prefix("lwt_x"), std::invalid_argument);
  EXPECT_THROW(require_test_prefix("lwt-x"), std::invalid_argument);
  EXPECT_THROW(unique_name("node"), std::invalid_argument);
}

TEST(SupportNames, UniqueNamesEmbedThePid) {
  std::string a = unique_name("lwte", "a");
  std::string b = unique_name("lwte", "a");
  EXPECT_NE(a, b);
  EXPECT_TRUE(a.starts_with("lwte_"));
  EXPECT_TRUE(a.ends_with("a"));
  EXPECT_LE(a.size(), kIfNameMax);
  EXPECT_EQ(name_owner_pid(a, "lwte"), getpid());
  EXPECT_EQ(name_owner_pid(a, "lwt"), getpid());  // a shorter prefix still finds it
  EXPECT_FALSE(name_owner_pid("lwtexplicit", "lwt"));
  EXPECT_EQ(name_owner_pid("lwtx_pa8-0a", "lwtx"), 32768);
  // Too long for an interface name: a clear error, not a truncated name.
  EXPECT_THROW(unique_name("lwtverylongprefix", "a"), std::invalid_argument);
  EXPECT_NO_THROW(unique_name("lwtverylongprefix", "", 64));
}

TEST(SupportNames, NetNsRejectsForeignPrefixBeforeTouchingAnything) {
  // Throws from name validation, so this runs unprivileged.
  EXPECT_THROW(NetNs("test"), std::invalid_argument);
  EXPECT_THROW(NetNs("node1"), std::invalid_argument);
}

TEST(SupportAddr, OnlyDocumentationRanges) {
  EXPECT_TRUE(is_test_address("198.51.100.7"));
  EXPECT_TRUE(is_test_address("203.0.113.1/24"));
  EXPECT_TRUE(is_test_address("2001:db8::1"));
  EXPECT_TRUE(is_test_address("2001:db8:ffff::1/64"));
  EXPECT_FALSE(is_test_address("192.0.2.1"));  // this machine's uplink
  EXPECT_FALSE(is_test_address("10.10.10.1"));
  EXPECT_FALSE(is_test_address("198.51.101.1"));
  EXPECT_FALSE(is_test_address("2001:db9::1"));
  EXPECT_FALSE(is_test_address("fe80::1"));
  EXPECT_FALSE(is_test_address("bogus"));
  EXPECT_NO_THROW(require_test_cidr("198.51.100.1/24"));
  EXPECT_NO_THROW(require_test_cidr("2001:db8::1/64"));
  EXPECT_THROW(require_test_cidr("192.0.2.10/24"), std::invalid_argument);
  EXPECT_THROW(require_test_cidr("198.51.100.1/16"), std::invalid_argument);  // covers 198.51.x
  EXPECT_THROW(require_test_cidr("2001:db8::1/16"), std::invalid_argument);
  EXPECT_THROW(require_test_cidr("198.51.100.1/abc"), std::invalid_argument);
}

TEST(SupportAddr, ParsesAndFormatsMac) {
  Mac m = parse_mac("02:0a:FF:00:10:9c");
  EXPECT_EQ(m, (Mac{0x02, 0x0a, 0xff, 0x00, 0x10, 0x9c}));
  EXPECT_EQ(format_mac(m), "02:0a:ff:00:10:9c");
  EXPECT_THROW(parse_mac("02:0a:ff:00:10"), std::invalid_argument);
  EXPECT_THROW(parse_mac("02-0a-ff-00-10-9c"), std::invalid_argument);
}

TEST(SupportPrivilege, CiModeReadsTheEnvironment) {
  const char* old = getenv("CI");
  std::string saved = old ? old : "";
  setenv("CI", "true", 1);
  EXPECT_TRUE(ci_mode());
  setenv("CI", "TRUE", 1);
  EXPECT_TRUE(ci_mode());
  setenv("CI", "false", 1);
  EXPECT_FALSE(ci_mode());
  unsetenv("CI");
  EXPECT_FALSE(ci_mode());
  if (old) setenv("CI", saved.c_str(), 1);
}

TEST(SupportPrivilege, MacroSkipsOrPasses) {
  // As root with BPF this passes through; elsewhere it skips (or fails in CI),
  // which is the behaviour under test either way.
  LW_REQUIRE_ROOT_OR_FAIL();
  EXPECT_EQ(privileged_unavailable_reason(), "");
}

}  // namespace
}  // namespace lw::test
