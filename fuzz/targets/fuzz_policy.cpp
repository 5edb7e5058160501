// SPDX-License-Identifier: GPL-2.0-only
// The policy parser on arbitrary bytes. Accepted policies are also compiled
// for the datapath (with every lane's interface "present"), because "the
// parser accepted it" must imply "apply can load it or says why".
#include <optional>
#include <string>

#include "datapath/policy_compiler.h"
#include "fuzz_support.h"
#include "policy/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  lw::policy::Policy policy;
  if (!lw::fuzz::accepts(
          [&] { policy = lw::policy::parse_string(lw::fuzz::as_text(data, size), "fuzz.toml"); }))
    return 0;
  // Stable fake ifindexes: the name's length and first byte.
  auto resolve = [](const std::string& name) -> std::optional<uint32_t> {
    return static_cast<uint32_t>(name.size() * 256 + static_cast<uint8_t>(name[0]) + 2);
  };
  try {
    auto compiled = lw::datapath::compile_policy(policy, resolve, {}, 1);
  } catch (const lw::UsageError&) {
    // Table limits are the compiler's to check (e.g. ranges after flattening).
  }
  return 0;
}
