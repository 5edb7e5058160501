// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/hist_maps.h"

#include <bpf/bpf.h>

#include <cerrno>
#include <vector>

#include "common/error.h"
#include "datapath/maps.h"

namespace lw::datapath {

HistMaps HistMaps::open(const std::string& pin_dir) {
  UniqueFd fd = open_pinned_map(pin_dir, kHistPin);
  // Builds before pin ABI 2 kept lw_hist per CPU.
  require_value_size(fd.get(), sizeof(lw_hist), "the pinned lw_hist", BPF_MAP_TYPE_ARRAY);
  return HistMaps(std::move(fd));
}

lw_hist HistMaps::read(uint32_t slot, int cls) const {
  lw_hist h{};
  const uint32_t key = hist_key(slot, cls);
  if (bpf_map_lookup_elem(hist_.get(), &key, &h) != 0)
    throw SystemError("cannot read the RTT histogram of slot " + std::to_string(slot), errno);
  return h;
}

void HistMaps::zero_slot(uint32_t slot) const {
  const lw_hist zero{};
  for (int cls = 0; cls < LW_NR_CLASSES; cls++) {
    const uint32_t key = hist_key(slot, cls);
    if (bpf_map_update_elem(hist_.get(), &key, &zero, BPF_ANY) != 0)
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
                  ": nothing is attached, or it was attached by an older lanewarden "
                  "(detach and apply again)");
    throw SystemError("cannot open pinned " + path, err);
  }
  return UniqueFd(fd);
}

}  // namespace lw::datapath
