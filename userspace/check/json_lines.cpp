// SPDX-License-Identifier: GPL-2.0-only
#include "check/json_lines.h"

#include <fmt/format.h>

namespace lw::check {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (c < 0x20)
          out += fmt::format("\\u{:04x}", c);
        else
          out += static_cast<char>(c);  // UTF-8 passes through unchanged
    }
  }
  return out + "\"";
}

std::string json_object(const std::vector<JsonField>& fields) {
  std::string out = "{";
  for (auto& [key, value] : fields) {
    if (out.size() > 1) out += ",";
    out += json_string(key) + ":";
    if (auto* s = std::get_if<std::string>(&value))
      out += json_string(*s);
    else
      out += std::to_string(std::get<int64_t>(value));
  }
  return out + "}";
}

}  // namespace lw::check
