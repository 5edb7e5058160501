// SPDX-License-Identifier: GPL-2.0-only
// Safety net for crashed or killed test runs: RAII cleans up on every normal
// path, this removes what a SIGKILLed run left behind.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lw::test {

// Removes namespaces, root-namespace links and /sys/fs/bpf entries whose
// names start with `prefix` (which must start with "lwt"; anything else is
// rejected, so nothing outside the tests' own names is ever touched).
// Objects carrying the pid of another live process (names.h) are left alone:
// they belong to a test running in parallel. Returns what was removed, e.g.
// "netns lwte2e_pa8-0".
std::vector<std::string> cleanup_stale_lwt_resources(std::string_view prefix);

// A per-test BPF pin directory path under /sys/fs/bpf ("--pin-dir" for the
// product); not created here, removed recursively on destruction.
class TempPinDir {
 public:
  explicit TempPinDir(std::string_view prefix = "lwtpin");
  ~TempPinDir();
  TempPinDir(const TempPinDir&) = delete;
  TempPinDir& operator=(const TempPinDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace lw::test
