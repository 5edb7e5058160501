// SPDX-License-Identifier: GPL-2.0-only
// Text helpers every reader of configuration needs: one definition of
// whitespace and case for policies, Proxmox files and rates.
#pragma once

#include <string>
#include <string_view>

namespace lw {

// `s` without leading and trailing ASCII whitespace (" \t\r\n\f\v").
std::string_view trim(std::string_view s);
// `s` with ASCII letters lowered; other bytes unchanged.
std::string lower(std::string_view s);

}  // namespace lw
