// SPDX-License-Identifier: GPL-2.0-only
#pragma once

namespace lw {

// spdlog to stderr; colours only on a terminal (journald gets plain lines).
// verbose >= 1: debug; verbose >= 2: libbpf's own debug output too.
void setup_logging(int verbose);
int log_verbosity();

}  // namespace lw
