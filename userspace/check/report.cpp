// SPDX-License-Identifier: GPL-2.0-only
#include "check/report.h"

#include <fmt/format.h>

#include "check/json_lines.h"

namespace lw::check {

void print_text(std::ostream& out, const std::string& node, const std::vector<Finding>& findings) {
  int count[3] = {0, 0, 0};
  for (auto& f : findings) ++count[static_cast<int>(f.severity)];
  for (auto& f : findings) {
    std::string where = f.line > 0 ? fmt::format("{}:{}", f.file, f.line) : f.file;
    out << fmt::format("{}: {} {} {}\n", where, severity_name(f.severity), f.id, f.name) << "  "
        << f.message << "\n"
        << "  fix: " << f.fix << "\n"
        << "  source: " << f.source << "\n";
  }
  out << fmt::format("{}: {} error(s), {} warning(s), {} info\n", node, count[2], count[1],
                     count[0]);
}

void print_json(std::ostream& out, const std::vector<Finding>& findings) {
  for (auto& f : findings)
    out << json_object({{"id", f.id},
                        {"name", f.name},
                        {"severity", std::string(severity_name(f.severity))},
                        {"file", f.file},
                        {"line", int64_t{f.line}},
                        {"message", f.message},
                        {"fix", f.fix},
                        {"source", f.source}})
        << "\n";
}

}  // namespace lw::check
