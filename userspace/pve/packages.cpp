// SPDX-License-Identifier: GPL-2.0-only
#include "pve/packages.h"

#include <cctype>
#include <fstream>
#include <sstream>

#include "pve/text.h"

namespace lw::pve {
namespace {

int order(char c) {
  if (std::isdigit(static_cast<unsigned char>(c))) return 0;
  if (std::isalpha(static_cast<unsigned char>(c))) return c;
  if (c == '~') return -1;
  if (c) return c + 256;
  return 0;
}

// dpkg's verrevcmp: alternating non-digit and digit runs.
int compare_part(std::string_view a, std::string_view b) {
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    int first_diff = 0;
    while ((i < a.size() && !std::isdigit(static_cast<unsigned char>(a[i]))) ||
           (j < b.size() && !std::isdigit(static_cast<unsigned char>(b[j])))) {
      int ac = i < a.size() ? order(a[i]) : 0;
      int bc = j < b.size() ? order(b[j]) : 0;
      if (ac != bc) return ac - bc;
      ++i;
      ++j;
    }
    while (i < a.size() && a[i] == '0') ++i;
    while (j < b.size() && b[j] == '0') ++j;
    while (i < a.size() && std::isdigit(static_cast<unsigned char>(a[i])) && j < b.size() &&
           std::isdigit(static_cast<unsigned char>(b[j]))) {
      if (!first_diff) first_diff = a[i] - b[j];
      ++i;
      ++j;
    }
    if (i < a.size() && std::isdigit(static_cast<unsigned char>(a[i]))) return 1;
    if (j < b.size() && std::isdigit(static_cast<unsigned char>(b[j]))) return -1;
    if (first_diff) return first_diff;
  }
  return 0;
}

struct Split {
  long epoch = 0;
  std::string_view upstream, revision;
};

Split split_version(std::string_view v) {
  Split s;
  if (auto colon = v.find(':'); colon != std::string_view::npos) {
    auto e = parse_uint(v.substr(0, colon));
    s.epoch = e ? static_cast<long>(*e) : 0;
    v.remove_prefix(colon + 1);
  }
  if (auto dash = v.rfind('-'); dash != std::string_view::npos) {
    s.upstream = v.substr(0, dash);
    s.revision = v.substr(dash + 1);
  } else {
    s.upstream = v;
  }
  return s;
}

}  // namespace

int compare_debian_versions(std::string_view a, std::string_view b) {
  Split x = split_version(a), y = split_version(b);
  if (x.epoch != y.epoch) return x.epoch < y.epoch ? -1 : 1;
  if (int c = compare_part(x.upstream, y.upstream)) return c;
  return compare_part(x.revision, y.revision);
}

Packages parse_dpkg_status(std::string_view text, const std::string& file) {
  Packages p;
  p.file = file;
  std::string name, status, version;
  auto flush = [&] {
    bool installed = status.size() >= 9 && status.ends_with(" installed");
    if (installed && name == "corosync") p.corosync = version;
    if (installed && (name == "libknet1" || name == "libknet1t64")) p.knet = version;
    name.clear();
    status.clear();
    version.clear();
  };
  for (auto& line : split_any(text, "\n")) {
    if (line[0] == ' ' || line[0] == '\t') continue;  // continuation of a long field
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    auto key = std::string_view(line).substr(0, colon);
    auto val = std::string(trim(std::string_view(line).substr(colon + 1)));
    if (key == "Package") {
      flush();  // stanzas start with Package (blank lines are gone after split_any)
      name = val;
    }
    if (key == "Status") status = val;
    if (key == "Version") version = val;
  }
  flush();
  return p;
}

Packages read_packages(const std::filesystem::path& root) {
  auto path = root / "var/lib/dpkg/status";
  std::ifstream in(path);
  if (!in) return {};
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_dpkg_status(ss.str(), path.string());
}

}  // namespace lw::pve
