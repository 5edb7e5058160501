// SPDX-License-Identifier: GPL-2.0-only
// Names of everything tests create in the kernel (namespaces, links, bridges,
// pin dirs). All start with "lwt" so cleanup can never touch anything else,
// and embed the creating pid so parallel test processes neither collide nor
// clean up each other's live objects:
//
//   <prefix>_<pid base 36>-<sequence base 36><suffix>     e.g. "lwte2e_pa8-3a"
//
// Prefixes are "lwt" plus letters/digits only, so the first '_' marks the pid.
// Interface names have 15 characters: keep link prefixes to 5 or fewer.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace lw::test {

inline constexpr std::string_view kTestNamePrefix = "lwt";
inline constexpr size_t kIfNameMax = 15;  // IFNAMSIZ - 1

// Throws std::invalid_argument unless `name` starts with "lwt", is at most
// `max_len` characters and uses only [A-Za-z0-9_.-] (safe in shell commands
// and as interface/namespace names).
void require_test_name(std::string_view name, size_t max_len = kIfNameMax);

// Throws unless `prefix` is "lwt" followed by letters/digits only.
void require_test_prefix(std::string_view prefix);

// A fresh name "<prefix>_<pid36>-<seq36><suffix>", validated as above;
// `suffix` uses letters/digits only.
std::string unique_name(std::string_view prefix, std::string_view suffix = "",
                        size_t max_len = kIfNameMax);

// This process's pid in base 36, as unique_name() embeds it; lets a test
// build a prefix of its own ("lwtsx" + process_tag()).
std::string process_tag();

// The pid embedded by unique_name() in a name that starts with `prefix`, if any.
std::optional<pid_t> name_owner_pid(std::string_view name, std::string_view prefix);

}  // namespace lw::test
