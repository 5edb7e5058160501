// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/maps.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/btf.h>

#include <cstring>

#include "common/error.h"
#include "common/kernel_step.h"

namespace lw::datapath {

int possible_cpus() {
  static const int n = libbpf_num_possible_cpus();
  if (n <= 0) throw SystemError("cannot count possible CPUs", n);
  return n;
}

void require_value_size(int fd, size_t size, const char* what, std::optional<uint32_t> type) {
  bpf_map_info info{};
  uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(fd, &info, &len) != 0)
    throw SystemError(std::string("cannot inspect ") + what, errno);
  // A per-CPU map of the same value size returns one value per CPU: reading
  // it into one struct would overrun it.
  if (type && info.type != *type)
    throw Error(std::string(what) + " is a map of another type (" + std::to_string(info.type) +
                "): it was pinned by another lanewarden version (an apply upgrades it)");
  if (info.value_size != size)
    throw Error(std::string(what) + " holds values of " + std::to_string(info.value_size) +
                " bytes, this build's are " + std::to_string(size) +
                ": it was pinned by another lanewarden version (an apply upgrades it)");
}

lw_iface_counters read_counters(int fd, uint32_t slot) {
  require_value_size(fd, sizeof(lw_iface_counters), "the pinned lw_counters",
                     BPF_MAP_TYPE_PERCPU_ARRAY);
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
  kernel_step("zero the counters of a slot");
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
  require_value_size(fd, sizeof(lw_violation_counters), "the pinned lw_violations",
                     BPF_MAP_TYPE_ARRAY);
  lw_violation_counters v{};
  if (bpf_map_lookup_elem(fd, &slot, &v) != 0)
    throw SystemError("cannot read violation counters of slot " + std::to_string(slot), errno);
  return v;
}

void zero_violations(int fd, uint32_t slot) {
  const lw_violation_counters zero{};
  kernel_step("zero the violation counters of a slot");
  if (bpf_map_update_elem(fd, &slot, &zero, BPF_ANY) != 0)
    throw SystemError("cannot reset violation counters of slot " + std::to_string(slot), errno);
}

std::map<uint32_t, lw_link> read_links(int fd) {
  require_value_size(fd, sizeof(lw_link), "the pinned lw_links");
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
  kernel_step("record an attachment");
  if (bpf_map_update_elem(fd, &ifindex, &link, BPF_ANY) != 0)
    throw SystemError("cannot record the attachment of ifindex " + std::to_string(ifindex), errno);
}

void delete_link(int fd, uint32_t ifindex) {
  kernel_step("forget an attachment");
  bpf_map_delete_elem(fd, &ifindex);
}

UniqueFd active_policy_map(int outer_fd) {
  uint32_t zero = 0, inner_id = 0;
  // Userspace lookups in a map-in-map return the inner map's id.
  if (bpf_map_lookup_elem(outer_fd, &zero, &inner_id) != 0) return UniqueFd();
  return UniqueFd(bpf_map_get_fd_by_id(inner_id));
}

std::unique_ptr<lw_policy> read_active_policy(int outer_fd) {
  UniqueFd inner = active_policy_map(outer_fd);
  if (!inner) return nullptr;
  require_value_size(inner.get(), sizeof(lw_policy), "the policy in force");
  auto p = std::make_unique<lw_policy>();
  uint32_t zero = 0;
  if (bpf_map_lookup_elem(inner.get(), &zero, p.get()) != 0)
    throw SystemError("cannot read the active policy", errno);
  return p;
}

namespace {

// The object's BTF ids of the policy map's key (__u32) and value (struct
// lw_policy), found through any map of the same object.
struct PolicyBtf {
  UniqueFd btf;
  uint32_t key = 0, value = 0;
};

PolicyBtf policy_btf(int object_map_fd) {
  bpf_map_info info{};
  uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(object_map_fd, &info, &len) != 0 || info.btf_id == 0) return {};
  btf* types = btf__load_from_kernel_by_id(info.btf_id);
  if (!types) return {};
  const int key = btf__find_by_name_kind(types, "__u32", BTF_KIND_TYPEDEF);
  const int value = btf__find_by_name_kind(types, "lw_policy", BTF_KIND_STRUCT);
  btf__free(types);
  if (key <= 0 || value <= 0) return {};
  PolicyBtf out;
  out.btf = UniqueFd(bpf_btf_get_fd_by_id(info.btf_id));
  if (!out.btf) return {};
  out.key = static_cast<uint32_t>(key);
  out.value = static_cast<uint32_t>(value);
  return out;
}

}  // namespace

void swap_policy(int outer_fd, int object_map_fd, const lw_policy& p) {
  // The policy map carries the object's BTF, as the template libbpf made
  // for lw_policy_outer does: 6.1 compares the BTF-derived layout of the two
  // (special-field offsets) and refuses a map without BTF with EINVAL.
  const PolicyBtf types = policy_btf(object_map_fd);
  bpf_map_create_opts opts{};
  opts.sz = sizeof(opts);
  if (types.btf) {
    opts.btf_fd = static_cast<uint32_t>(types.btf.get());
    opts.btf_key_type_id = types.key;
    opts.btf_value_type_id = types.value;
  }
  UniqueFd inner(bpf_map_create(BPF_MAP_TYPE_ARRAY, "lw_policy", sizeof(uint32_t),
                                sizeof(lw_policy), 1, &opts));
  if (!inner) throw SystemError("cannot create a policy map", errno);
  uint32_t zero = 0;
  if (bpf_map_update_elem(inner.get(), &zero, &p, BPF_ANY) != 0)
    throw SystemError("cannot fill the policy map", errno);
  int fd = inner.get();
  // The one atomic step: from here packets see the new policy.
  kernel_step("swap the policy in");
  if (bpf_map_update_elem(outer_fd, &zero, &fd, BPF_ANY) != 0)
    throw SystemError("cannot swap in the new policy", errno);
}

}  // namespace lw::datapath
