// SPDX-License-Identifier: GPL-2.0-only
// RFC 4648 base64 (with padding), for binary values inside JSON records.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lw {

std::string base64_encode(std::string_view bytes);
// nullopt for anything that is not canonical padded base64.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace lw
