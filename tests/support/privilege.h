// SPDX-License-Identifier: GPL-2.0-only
// Gate for tests that need root and BPF. Locally such a test is skipped with
// the reason; in CI (CI=true) it fails, so a misconfigured runner can never
// turn the privileged suites green by skipping them.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace lw::test {

// Empty if this process can create namespaces and load BPF; otherwise why not
// (not root / missing capabilities, bpf() refused, bpffs not mounted).
std::string privileged_unavailable_reason();
// True when the environment says CI=true (also "1"/"yes", any case).
bool ci_mode();

}  // namespace lw::test

// Use as the first statement of a TEST body or a fixture's SetUp(). It
// returns from the enclosing function (void), like GTEST_SKIP/GTEST_FAIL.
#define LW_REQUIRE_ROOT_OR_FAIL()                                                     \
  do {                                                                                \
    const std::string lw_why_ = ::lw::test::privileged_unavailable_reason();          \
    if (!lw_why_.empty()) {                                                           \
      if (::lw::test::ci_mode())                                                      \
        GTEST_FAIL() << "privileged test cannot run in CI: " << lw_why_;              \
      else                                                                            \
        GTEST_SKIP() << "needs root and BPF (" << lw_why_ << "); fails when CI=true"; \
    }                                                                                 \
  } while (0)

// The name the test plan uses.
#define require_root_or_fail() LW_REQUIRE_ROOT_OR_FAIL()
