// SPDX-License-Identifier: GPL-2.0-only
#include "support/privilege.h"

#include <linux/bpf.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "datapath/bpffs.h"

namespace lw::test {

namespace {

// Effective capability bits from /proc/self/status (no libcap dependency).
uint64_t effective_caps() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("CapEff:", 0) == 0) return std::strtoull(line.c_str() + 7, nullptr, 16);
  return 0;
}

// Creating a one-entry array map is the cheapest proof that bpf() works here
// (not blocked by seccomp, unprivileged_bpf_disabled, or a missing CONFIG).
std::string bpf_probe() {
  bpf_attr attr{};
  attr.map_type = BPF_MAP_TYPE_ARRAY;
  attr.key_size = 4;
  attr.value_size = 4;
  attr.max_entries = 1;
  long fd = syscall(__NR_bpf, BPF_MAP_CREATE, &attr, sizeof attr);
  if (fd < 0) return std::string("bpf(BPF_MAP_CREATE) failed: ") + std::strerror(errno);
  close(static_cast<int>(fd));
  return {};
}

}  // namespace

std::string privileged_unavailable_reason() {
  constexpr uint64_t kNetAdmin = 1ull << 12, kSysAdmin = 1ull << 21;
  uint64_t caps = effective_caps();
  if (geteuid() != 0 && (caps & (kNetAdmin | kSysAdmin)) != (kNetAdmin | kSysAdmin))
    return "not root (needs CAP_NET_ADMIN and CAP_SYS_ADMIN)";
  if (std::string why = bpf_probe(); !why.empty()) return why;
  // Tests pin under /sys/fs/bpf: mount bpffs there when it is missing, as
  // lanewarden itself does on its first apply (tested on its own in
  // tests/e2e/test_bpffs_mount.cpp).
  try {
    datapath::ensure_bpffs(datapath::kBpffsMountPoint);
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

bool ci_mode() {
  const char* v = std::getenv("CI");
  if (!v) return false;
  std::string s(v);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s == "true" || s == "1" || s == "yes";
}

}  // namespace lw::test
