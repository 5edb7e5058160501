// SPDX-License-Identifier: GPL-2.0-only
// libbpf's messages in spdlog, and the verifier's reason when a kernel
// rejects lanewarden's programs.
#pragma once

#include <string>

namespace lw::datapath {

// Routes libbpf's messages to spdlog: warnings always, debug output only
// with -vv. A verifier log that libbpf reports after a failed load is kept
// for load_error() and printed whole only with -vv. Idempotent.
void install_libbpf_logger();

// The message for a failed skeleton load (`err` as the load returned it),
// one sentence: the kernel release, the program, the verifier's reason (the
// last lines of its log), and a pointer to -vv for the whole log.
std::string load_error(const std::string& what, int err);

// The reason at the end of a verifier log: the last line that is not a
// statistics line, with the instruction it is about when the line before it
// is one. Empty when the log has no such line.
std::string verifier_reason(const std::string& log);

}  // namespace lw::datapath
