// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/hist_maps.h"

#include <bpf/bpf.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "datapath/maps.h"

namespace lw::datapath {

std::vector<lw_hist> read_hist_per_cpu(int fd, uint32_t slot, int cls) {
  std::vector<lw_hist> per_cpu(possible_cpus());
  uint32_t key = hist_key(slot, cls);
  if (bpf_map_lookup_elem(fd, &key, per_cpu.data()) != 0)
    throw SystemError("cannot read the RTT histogram of slot " + std::to_string(slot), errno);
  return per_cpu;
}

void zero_hist_slot(int fd, uint32_t slot) {
  std::vector<lw_hist> zeros(possible_cpus());
  std::memset(zeros.data(), 0, zeros.size() * sizeof(lw_hist));
  for (int cls = 0; cls < LW_NR_CLASSES; cls++) {
    uint32_t key = hist_key(slot, cls);
    if (bpf_map_update_elem(fd, &key, zeros.data(), BPF_ANY) != 0)
      throw SystemError("cannot reset the RTT histograms of slot " + std::to_string(slot), errno);
  }
}

lw_rtt_stats read_rtt_stats(int fd) {
  std::vector<lw_rtt_stats> per_cpu(possible_cpus());
  uint32_t zero = 0;
  if (bpf_map_lookup_elem(fd, &zero, per_cpu.data()) != 0)
    throw SystemError("cannot read the RTT tracking counters", errno);
  lw_rtt_stats sum{};
  for (const auto& c : per_cpu) {
    sum.bad_options += c.bad_options;
    sum.expired += c.expired;
    sum.arm_failed += c.arm_failed;
  }
  return sum;
}

UniqueFd open_pinned_map(const std::string& pin_dir, const char* name) {
  const std::string path = pin_dir + "/" + name;
  int fd = bpf_obj_get(path.c_str());
  if (fd < 0) {
    int err = errno;
    if (err == ENOENT)
      throw Error("no " + std::string(name) + " under " + pin_dir +
                  ": nothing is attached, or it was attached by a lanewarden without RTT "
                  "histograms (detach and apply again)");
    throw SystemError("cannot open pinned " + path, err);
  }
  return UniqueFd(fd);
}

}  // namespace lw::datapath
