// SPDX-License-Identifier: GPL-2.0-only
// What every parser fuzz target asserts: the input is refused with the
// project's usage error (exit code 2, "file:line: message") or accepted;
// anything else escaping (std::out_of_range from a stray .at(), a bad_alloc
// from a length read out of the input, a crash) is a bug. libFuzzer turns the
// escaped exception into an abort() and keeps the input as a crash artifact.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "common/error.h"

namespace lw::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Runs `parse`; returns true when it accepted the input.
template <typename Parse>
bool accepts(Parse&& parse) {
  try {
    parse();
    return true;
  } catch (const lw::UsageError& e) {
    // A refusal must say where: the readers and the policy parser all start
    // their message with the file name they were given.
    if (std::string_view(e.what()).find("fuzz") != 0) {
      std::fprintf(stderr, "usage error without a location: %s\n", e.what());
      std::abort();
    }
    return false;
  }
}

}  // namespace lw::fuzz
