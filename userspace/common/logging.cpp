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
  auto mode = isatty(STDERR_FILENO) ? spdlog::color_mode::automatic : spdlog::color_mode::never;
  auto logger = spdlog::get("lanewarden");
  if (!logger) logger = spdlog::stderr_color_mt("lanewarden", mode);
  logger->set_pattern("%^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(verbose > 0 ? spdlog::level::debug : spdlog::level::info);
}

int log_verbosity() { return g_verbosity; }

}  // namespace lw
