// SPDX-License-Identifier: GPL-2.0-only
#include "common/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

namespace lw {
namespace {
int g_verbosity = 0;
}

void setup_logging(int verbose) {
  g_verbosity = verbose;
  auto logger = spdlog::stderr_color_mt("lanewarden");
  if (!isatty(STDERR_FILENO)) logger->set_color_mode(spdlog::color_mode::never);
  logger->set_pattern("%^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(verbose > 0 ? spdlog::level::debug : spdlog::level::info);
}

int log_verbosity() { return g_verbosity; }

}  // namespace lw
