// SPDX-License-Identifier: GPL-2.0-only
// Helpers shared by the policy parser tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "policy/parse.h"

namespace lw::policy::testing {

// The what() of the PolicyError that parsing `text` as "t.toml" throws, or a
// test failure when it parses.
inline std::string policy_error(std::string_view text) {
  try {
    parse_string(text, "t.toml");
  } catch (const PolicyError& e) {
    return e.what();
  }
  ADD_FAILURE() << "policy parsed but should not have:\n" << text;
  return {};
}

// A minimal valid head: one lane, with its network, so tests can append the
// piece they are about.
inline constexpr std::string_view kMinimal =
    "[networks]\n"
    "corosync = [\"198.51.100.0/24\"]\n"
    "[[lane]]\n"
    "interface = \"eth0\"\n"
    "classes = [\"corosync\"]\n";

// kMinimal followed by `tail`: kMinimal is 5 lines, so `tail` starts on line 6.
inline std::string with(std::string_view tail) { return std::string(kMinimal) + std::string(tail); }

}  // namespace lw::policy::testing
