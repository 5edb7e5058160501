// SPDX-License-Identifier: GPL-2.0-only
// Captures what spdlog's default logger prints while it lives, for tests that
// check a warning's wording (header-only: unit tests link no extra library).
#pragma once

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>
#include <string>

namespace lw::test {

class CapturedLog {
 public:
  CapturedLog() : saved_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(text_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("lwt-capture", sink));
  }
  ~CapturedLog() { spdlog::set_default_logger(saved_); }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;
  std::string str() const { return text_.str(); }

 private:
  std::ostringstream text_;
  std::shared_ptr<spdlog::logger> saved_;
};

}  // namespace lw::test
