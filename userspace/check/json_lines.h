// SPDX-License-Identifier: GPL-2.0-only
// Minimal JSON Lines writing: one flat object of string and integer fields
// per line (docs/architecture.md "Contracts": JSON output is JSON Lines with snake_case keys).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace lw::check {

// Quoted JSON string: escapes '"', '\\' and control characters (RFC 8259 §7).
std::string json_string(std::string_view s);

using JsonField = std::pair<std::string, std::variant<std::string, int64_t>>;
// {"k":"v","n":1} without a trailing newline; fields keep their order.
std::string json_object(const std::vector<JsonField>& fields);

}  // namespace lw::check
