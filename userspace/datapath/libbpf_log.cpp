// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/libbpf_log.h"

#include <bpf/libbpf.h>
#include <spdlog/spdlog.h>

#include <cstdarg>
#include <cstdio>
#include <string>

#include "common/logging.h"

namespace lw::datapath {
namespace {

int print(enum libbpf_print_level level, const char* fmt, va_list args) {
  char buf[1024];
  int n = std::vsnprintf(buf, sizeof(buf), fmt, args);
  std::string line(buf, n > 0 ? std::min<size_t>(n, sizeof(buf) - 1) : 0);
  while (!line.empty() && line.back() == '\n') line.pop_back();
  if (level == LIBBPF_DEBUG && log_verbosity() < 2) return 0;
  // bpf_tc_hook_create() on an interface that already has a clsact qdisc
  // fails with EEXIST, which lanewarden expects and handles; libbpf still
  // prints the kernel's extack for it. It is not worth a warning.
  if (line.find("Exclusivity flag on") != std::string::npos) level = LIBBPF_DEBUG;
  if (level == LIBBPF_WARN)
    spdlog::warn("libbpf: {}", line);
  else
    spdlog::debug("libbpf: {}", line);
  return 0;
}

}  // namespace

void install_libbpf_logger() { libbpf_set_print(print); }

}  // namespace lw::datapath
