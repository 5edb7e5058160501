// SPDX-License-Identifier: GPL-2.0-only
// --attach of apply and run: which tc hook the programs go on (docs/attach.md).
#include "cli/commands.h"

namespace lw::cli {

void add_attach_option(CLI::App& cmd, std::string& attach) {
  cmd.add_option("--attach", attach,
                 "tc hook: tcx links (Linux >= 6.6, a build with libbpf >= 1.3), tc (clsact "
                 "filters) or auto (tcx where both have it)")
      ->check(CLI::IsMember({"auto", "tcx", "tc"}))
      ->capture_default_str();
}

}  // namespace lw::cli
