// SPDX-License-Identifier: GPL-2.0-only
#include "tcx/tcx_probe.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <sched.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace lw::test::tcx {
namespace {

std::runtime_error sys_error(const std::string& what, int err) {
  return std::runtime_error(what + ": " + std::strerror(err < 0 ? -err : err));
}

// Runs `f` in a thread that joined the network namespace `ns` (ifindexes
// and tc hooks resolve in the caller's namespace); rethrows its exception.
template <typename F>
void in_netns(const NetNs& ns, F f) {
  UniqueFd nsfd(::open(("/run/netns/" + ns.name()).c_str(), O_RDONLY | O_CLOEXEC));
  if (!nsfd) throw sys_error("open netns " + ns.name(), errno);
  std::exception_ptr failed;
  std::thread t([&] {
    try {
      if (setns(nsfd.get(), CLONE_NEWNET) != 0) throw sys_error("setns " + ns.name(), errno);
      f();
    } catch (...) {
      failed = std::current_exception();
    }
  });
  t.join();
  if (failed) std::rethrow_exception(failed);
}

uint32_t info_id(int fd) {
  bpf_prog_info info{};  // id is the first field of both prog and link info
  uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(fd, &info, &len) != 0) throw sys_error("bpf_obj_get_info", errno);
  return info.id;
}

}  // namespace

std::vector<uint32_t> tcx_chain(const NetNs& ns, const std::string& ifname, bool ingress) {
  const int ifindex = ns.ifindex(ifname);
  std::vector<uint32_t> ids(64);
  in_netns(ns, [&] {
    struct bpf_prog_query_opts q {};
    q.sz = sizeof(q);
    q.prog_ids = ids.data();
    q.count = static_cast<uint32_t>(ids.size());
    if (int err = bpf_prog_query_opts(ifindex, ingress ? BPF_TCX_INGRESS : BPF_TCX_EGRESS, &q))
      throw sys_error("query tcx of " + ifname, err);
    ids.resize(q.count);
  });
  return ids;
}

uint32_t pinned_prog_id(const std::string& path) {
  UniqueFd fd(bpf_obj_get(path.c_str()));
  return fd ? info_id(fd.get()) : 0;
}

uint32_t pinned_link_id(const std::string& path) {
  UniqueFd fd(bpf_obj_get(path.c_str()));
  if (!fd) return 0;
  bpf_link_info info{};
  uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(fd.get(), &info, &len) != 0) throw sys_error("link info", errno);
  return info.id;
}

bool prog_gone(uint32_t id) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  do {
    UniqueFd fd(bpf_prog_get_fd_by_id(id));
    if (!fd && errno == ENOENT) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  } while (std::chrono::steady_clock::now() < end);
  return false;
}

UniqueFd load_verdict_prog(int verdict) {
  const bpf_insn insns[] = {
      {.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = verdict},
      {.code = BPF_JMP | BPF_EXIT},
  };
  UniqueFd fd(bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "lwt_foreign", "GPL", insns, 2, nullptr));
  if (!fd) throw sys_error("load a foreign program", errno);
  return fd;
}

ForeignTcx::ForeignTcx(const NetNs& ns, const std::string& ifname, bool ingress, int verdict)
    : prog_(load_verdict_prog(verdict)), prog_id_(info_id(prog_.get())) {
  const int ifindex = ns.ifindex(ifname);
  in_netns(ns, [&] {
    bpf_link_create_opts opts{};
    opts.sz = sizeof(opts);
    opts.flags = BPF_F_AFTER;  // last in the chain, as a later tool would add itself
    link_.reset(
        bpf_link_create(prog_.get(), ifindex, ingress ? BPF_TCX_INGRESS : BPF_TCX_EGRESS, &opts));
    if (!link_) throw sys_error("attach a foreign tcx program to " + ifname, errno);
  });
}

void add_foreign_cls_bpf(const NetNs& ns, const std::string& ifname) {
  UniqueFd prog = load_verdict_prog(-1);
  const int ifindex = ns.ifindex(ifname);
  in_netns(ns, [&] {
    bpf_tc_hook hook{};
    hook.sz = sizeof(hook);
    hook.ifindex = ifindex;
    hook.attach_point = BPF_TC_INGRESS;
    if (int err = bpf_tc_hook_create(&hook); err && err != -EEXIST)
      throw sys_error("create clsact on " + ifname, err);
    bpf_tc_opts opts{};
    opts.sz = sizeof(opts);
    opts.handle = 7;
    opts.priority = 5;
    opts.prog_fd = prog.get();
    if (int err = bpf_tc_attach(&hook, &opts))
      throw sys_error("attach a foreign cls_bpf filter to " + ifname, err);
  });
}

}  // namespace lw::test::tcx
