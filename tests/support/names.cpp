// SPDX-License-Identifier: GPL-2.0-only
#include "support/names.h"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <stdexcept>

namespace lw::test {

namespace {

std::string base36(unsigned long v) {
  static const char* digits = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string out;
  do {
    out.insert(out.begin(), digits[v % 36]);
    v /= 36;
  } while (v);
  return out;
}

bool name_char_ok(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-' || c == '.';
}

}  // namespace

void require_test_name(std::string_view name, size_t max_len) {
  if (!name.starts_with(kTestNamePrefix))
    throw std::invalid_argument("test object name must start with \"lwt\": \"" + std::string(name) +
                                "\"");
  if (name.size() > max_len)
    throw std::invalid_argument("test object name longer than " + std::to_string(max_len) +
                                " characters: \"" + std::string(name) + "\"");
  for (char c : name)
    if (!name_char_ok(c))
      throw std::invalid_argument("bad character in test object name: \"" + std::string(name) +
                                  "\"");
}

void require_test_prefix(std::string_view prefix) {
  require_test_name(prefix, 64);
  for (char c : prefix)
    if (!std::isalnum(static_cast<unsigned char>(c)))
      throw std::invalid_argument("test name prefix must be \"lwt\" plus letters/digits: \"" +
                                  std::string(prefix) + "\"");
}

std::string process_tag() { return base36(static_cast<unsigned long>(getpid())); }

std::string unique_name(std::string_view prefix, std::string_view suffix, size_t max_len) {
  static std::atomic<unsigned long> sequence{0};
  require_test_prefix(prefix);
  for (char c : suffix)
    if (!std::isalnum(static_cast<unsigned char>(c)))
      throw std::invalid_argument("test name suffix must be letters/digits: \"" +
                                  std::string(suffix) + "\"");
  std::string name(prefix);
  name += '_';
  name += process_tag();
  name += '-';
  name += base36(sequence++);
  name += suffix;
  require_test_name(name, max_len);
  return name;
}

std::optional<pid_t> name_owner_pid(std::string_view name, std::string_view prefix) {
  if (!name.starts_with(prefix)) return std::nullopt;
  // The pid sits between the first '_' and the next '-' (prefixes have neither).
  auto underscore = name.find('_');
  if (underscore == std::string_view::npos) return std::nullopt;
  auto rest = name.substr(underscore + 1);
  auto dash = rest.find('-');
  if (dash == 0 || dash == std::string_view::npos || dash > 7) return std::nullopt;
  unsigned long pid = 0;
  for (char c : rest.substr(0, dash)) {
    int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'z') ? c - 'a' + 10 : -1;
    if (d < 0) return std::nullopt;
    pid = pid * 36 + static_cast<unsigned long>(d);
  }
  return static_cast<pid_t>(pid);
}

}  // namespace lw::test
