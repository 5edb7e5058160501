// SPDX-License-Identifier: GPL-2.0-only
#pragma once

namespace lw::datapath {

// Routes libbpf's messages to spdlog: warnings always, debug output (verifier
// logs included) only with -vv. Idempotent.
void install_libbpf_logger();

}  // namespace lw::datapath
