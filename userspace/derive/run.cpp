// SPDX-License-Identifier: GPL-2.0-only
// `lanewarden derive` end to end: read, derive, write.
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "derive/derive.h"

namespace lw::derive {

void run_derive(const DeriveOptions& opts, std::ostream& out) {
  auto node = pve::load_node(opts.root, opts.live);
  std::string text = render_toml(derive_policy(node));
  if (opts.output.empty() || opts.output == "-") {
    out << text;
    return;
  }
  // Temp file + rename: a policy file is either the old one or complete.
  std::string tmp = opts.output + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    if (!f) throw lw::SystemError("cannot write " + tmp, errno);
    f << text;
    f.flush();
    if (!f) throw lw::SystemError("cannot write " + tmp, errno);
  }
  if (std::rename(tmp.c_str(), opts.output.c_str()) != 0) {
    int err = errno;
    std::remove(tmp.c_str());
    throw lw::SystemError("cannot rename " + tmp + " to " + opts.output, err);
  }
}

}  // namespace lw::derive
