// SPDX-License-Identifier: GPL-2.0-only
#include "support/cleanup.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "support/command.h"
#include "support/names.h"
#include "support/netns.h"

namespace lw::test {

namespace {

constexpr std::string_view kBpfFs = "/sys/fs/bpf";

// Stale = not owned by a live process other than this one.
bool is_stale(const std::string& name, std::string_view prefix) {
  auto owner = name_owner_pid(name, prefix);
  if (!owner || *owner == getpid()) return true;
  return ::kill(*owner, 0) != 0 && errno == ESRCH;
}

std::vector<std::string> netns_names() {
  std::vector<std::string> names;
  std::istringstream in(run_ok("ip netns list", 10s));
  std::string line;
  // Lines look like "NAME" or "NAME (id: 3)".
  while (std::getline(in, line)) {
    std::istringstream words(line);
    std::string name;
    if (words >> name) names.push_back(name);
  }
  return names;
}

std::vector<std::string> root_link_names() {
  std::vector<std::string> names;
  std::istringstream in(run_ok("ip -o link show", 10s));
  std::string line;
  // "7: lwtv_pa8-0a@if6: <BROADCAST,..." -> "lwtv_pa8-0a".
  while (std::getline(in, line)) {
    auto colon = line.find(": ");
    if (colon == std::string::npos) continue;
    auto rest = line.substr(colon + 2);
    auto end = rest.find_first_of("@:");
    names.push_back(rest.substr(0, end));
  }
  return names;
}

}  // namespace

std::vector<std::string> cleanup_stale_lwt_resources(std::string_view prefix) {
  require_test_prefix(prefix);
  std::vector<std::string> removed;
  for (const auto& ns : netns_names()) {
    if (!ns.starts_with(prefix) || !is_stale(ns, prefix)) continue;
    delete_netns(ns);
    removed.push_back("netns " + ns);
  }
  for (const auto& link : root_link_names()) {
    if (!link.starts_with(prefix) || !is_stale(link, prefix)) continue;
    // Deleting one veth end removes its peer, which may be listed next.
    if (run("ip link del " + link, 10s).ok()) removed.push_back("link " + link);
  }
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(kBpfFs, ec)) {
    std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix) || !is_stale(name, prefix)) continue;
    // On bpffs unlink drops the pin (the object lives on while referenced).
    std::filesystem::remove_all(entry.path(), ec);
    if (ec)
      std::cerr << "lw test cleanup: " << entry.path() << ": " << ec.message() << "\n";
    else
      removed.push_back("pin " + entry.path().string());
  }
  return removed;
}

TempPinDir::TempPinDir(std::string_view prefix)
    : path_(std::string(kBpfFs) + "/" + unique_name(prefix, "", 64)) {}

TempPinDir::~TempPinDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace lw::test
