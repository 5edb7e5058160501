// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/maps.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include <cstring>

#include "common/error.h"

namespace lw::datapath {

int possible_cpus() {
  static const int n = libbpf_num_possible_cpus();
  if (n <= 0) throw SystemError("cannot count possible CPUs", n);
  return n;
}

lw_iface_counters read_counters(int fd, uint32_t slot) {
  std::vector<lw_iface_counters> per_cpu(possible_cpus());
  if (bpf_map_lookup_elem(fd, &slot, per_cpu.data()) != 0)
    throw SystemError("cannot read counters of slot " + std::to_string(slot), errno);
  lw_iface_counters sum{};
  for (const auto& cpu : per_cpu)
    for (int d = 0; d < LW_NR_DIRS; d++)
      for (int c = 0; c < LW_NR_CLASSES; c++)
        for (int v = 0; v < LW_NR_VERDICTS; v++) {
          sum.c[d][c][v].packets += cpu.c[d][c][v].packets;
          sum.c[d][c][v].bytes += cpu.c[d][c][v].bytes;
        }
  for (const auto& cpu : per_cpu)
    for (int d = 0; d < LW_NR_DIRS; d++)
      for (int r = 0; r < LW_NR_PARSE_REASONS; r++) sum.parse[d][r] += cpu.parse[d][r];
  return sum;
}

void zero_counters(int fd, uint32_t slot) {
  std::vector<lw_iface_counters> zeros(possible_cpus());
  std::memset(zeros.data(), 0, zeros.size() * sizeof(lw_iface_counters));
  if (bpf_map_update_elem(fd, &slot, zeros.data(), BPF_ANY) != 0)
    throw SystemError("cannot reset counters of slot " + std::to_string(slot), errno);
}

void add_violations(lw_violation_counters& a, const lw_violation_counters& b) {
  for (int d = 0; d < LW_NR_DIRS; d++)
    for (int k = 0; k < LW_NR_VIOLATIONS; k++)
      for (int c = 0; c < LW_NR_CLASSES; c++) a.n[d][k][c] += b.n[d][k][c];
  a.events += b.events;
  a.suppressed += b.suppressed;
  a.lost += b.lost;
}

lw_violation_counters read_violations(int fd, uint32_t slot) {
  lw_violation_counters v{};
  if (bpf_map_lookup_elem(fd, &slot, &v) != 0)
    throw SystemError("cannot read violation counters of slot " + std::to_string(slot), errno);
  return v;
}

void zero_violations(int fd, uint32_t slot) {
  const lw_violation_counters zero{};
  if (bpf_map_update_elem(fd, &slot, &zero, BPF_ANY) != 0)
    throw SystemError("cannot reset violation counters of slot " + std::to_string(slot), errno);
}

std::map<uint32_t, lw_link> read_links(int fd) {
  std::map<uint32_t, lw_link> out;
  uint32_t key = 0, next = 0;
  uint32_t* prev = nullptr;
  while (bpf_map_get_next_key(fd, prev, &next) == 0) {
    lw_link link{};
    if (bpf_map_lookup_elem(fd, &next, &link) == 0) out[next] = link;
    key = next;
    prev = &key;
  }
  return out;
}

void write_link(int fd, uint32_t ifindex, const lw_link& link) {
  if (bpf_map_update_elem(fd, &ifindex, &link, BPF_ANY) != 0)
    throw SystemError("cannot record the attachment of ifindex " + std::to_string(ifindex), errno);
}

void delete_link(int fd, uint32_t ifindex) { bpf_map_delete_elem(fd, &ifindex); }

UniqueFd active_policy_map(int outer_fd) {
  uint32_t zero = 0, inner_id = 0;
  // Userspace lookups in a map-in-map return the inner map's id.
  if (bpf_map_lookup_elem(outer_fd, &zero, &inner_id) != 0) return UniqueFd();
  return UniqueFd(bpf_map_get_fd_by_id(inner_id));
}

std::unique_ptr<lw_policy> read_active_policy(int outer_fd) {
  UniqueFd inner = active_policy_map(outer_fd);
  if (!inner) return nullptr;
  auto p = std::make_unique<lw_policy>();
  uint32_t zero = 0;
  if (bpf_map_lookup_elem(inner.get(), &zero, p.get()) != 0)
    throw SystemError("cannot read the active policy", errno);
  return p;
}

void swap_policy(int outer_fd, const lw_policy& p) {
  UniqueFd inner(bpf_map_create(BPF_MAP_TYPE_ARRAY, "lw_policy", sizeof(uint32_t),
                                sizeof(lw_policy), 1, nullptr));
  if (!inner) throw SystemError("cannot create a policy map", errno);
  uint32_t zero = 0;
  if (bpf_map_update_elem(inner.get(), &zero, &p, BPF_ANY) != 0)
    throw SystemError("cannot fill the policy map", errno);
  int fd = inner.get();
  // The one atomic step: from here packets see the new policy.
  if (bpf_map_update_elem(outer_fd, &zero, &fd, BPF_ANY) != 0)
    throw SystemError("cannot swap in the new policy", errno);
}

void restore_policy_map(int outer_fd, int inner_fd) {
  uint32_t zero = 0;
  if (inner_fd >= 0)
    bpf_map_update_elem(outer_fd, &zero, &inner_fd, BPF_ANY);
  else
    bpf_map_delete_elem(outer_fd, &zero);
}

}  // namespace lw::datapath
