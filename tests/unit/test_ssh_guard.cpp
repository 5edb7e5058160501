// SPDX-License-Identifier: GPL-2.0-only
// The SSH-session guard `apply` and `run` share: SSH_CONNECTION parsing and
// the decision taken on the reason a policy would drop the session (whether
// the programs drop the flow is proven in tests/e2e/test_enforce_confirm.cpp).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>

#include "common/error.h"
#include "datapath/mgmt_guard.h"
#include "support/captured_log.h"

namespace lw {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr const char* kSession = "203.0.113.194 50022 203.0.113.193 22";
constexpr const char* kReason = "this policy would drop the SSH connection you are running it from";

TEST(SshGuard, ParsesSshConnection) {
  auto c = datapath::parse_ssh_connection(kSession);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->client.str(), "203.0.113.194");
  EXPECT_EQ(c->server.str(), "203.0.113.193");
  EXPECT_EQ(c->client_port, 50022);
  EXPECT_EQ(c->server_port, 22);
  EXPECT_TRUE(datapath::parse_ssh_connection("2001:db8::2 50022 2001:db8::1 22"));
  EXPECT_FALSE(datapath::parse_ssh_connection(""));
  EXPECT_FALSE(datapath::parse_ssh_connection("203.0.113.194 50022 203.0.113.193"));
  EXPECT_FALSE(datapath::parse_ssh_connection("203.0.113.194 0 203.0.113.193 22"));
  EXPECT_FALSE(datapath::parse_ssh_connection("203.0.113.194 1 2001:db8::1 22"));
  EXPECT_FALSE(datapath::parse_ssh_connection("203.0.113.194 1 203.0.113.193 22 x"));
}

// Records what the guard asked, and answers with a fixed reason.
struct FakeReason {
  explicit FakeReason(std::optional<std::string> a) : answer(std::move(a)) {}
  std::optional<std::string> answer;
  int calls = 0;
  std::optional<datapath::SshConnection> seen;
  datapath::DropReasonFn fn() {
    return [this](const datapath::SshConnection& c) {
      calls++;
      seen = c;
      return answer;
    };
  }
};

TEST(SshGuard, NoSessionIsNotChecked) {
  FakeReason r{kReason};
  test::CapturedLog log;
  EXPECT_NO_THROW(datapath::guard_ssh_session(nullptr, false, r.fn()));
  EXPECT_NO_THROW(datapath::guard_ssh_session("", false, r.fn()));
  EXPECT_EQ(r.calls, 0);
  EXPECT_THAT(log.str(), IsEmpty());
}

TEST(SshGuard, UnparsableSessionIsWarnedAboutAndNotChecked) {
  FakeReason r{kReason};
  test::CapturedLog log;
  EXPECT_NO_THROW(datapath::guard_ssh_session("203.0.113.194 50022", false, r.fn()));
  EXPECT_EQ(r.calls, 0);
  EXPECT_THAT(log.str(), HasSubstr("cannot parse SSH_CONNECTION '203.0.113.194 50022': the "
                                   "management connection is not checked"));
}

TEST(SshGuard, SessionThePolicyKeepsPasses) {
  FakeReason r{std::nullopt};
  test::CapturedLog log;
  EXPECT_NO_THROW(datapath::guard_ssh_session(kSession, false, r.fn()));
  ASSERT_EQ(r.calls, 1);
  EXPECT_EQ(r.seen->server.str(), "203.0.113.193");
  EXPECT_EQ(r.seen->client_port, 50022);
  EXPECT_THAT(log.str(), IsEmpty());
}

TEST(SshGuard, SessionThePolicyDropsIsRefusedWithExitTwo) {
  FakeReason r{kReason};
  try {
    datapath::guard_ssh_session(kSession, false, r.fn());
    FAIL() << "the guard let a policy through that drops the session";
  } catch (const UsageError& e) {
    EXPECT_EQ(e.exit_code(), kExitUsage);
    EXPECT_STREQ(e.what(), kReason);
  }
}

TEST(SshGuard, ForceTurnsTheRefusalIntoAWarning) {
  FakeReason r{kReason};
  test::CapturedLog log;
  EXPECT_NO_THROW(datapath::guard_ssh_session(kSession, true, r.fn()));
  EXPECT_EQ(r.calls, 1);
  EXPECT_THAT(log.str(), HasSubstr(std::string(kReason) + " (applied anyway: --force)"));
}

}  // namespace
}  // namespace lw
