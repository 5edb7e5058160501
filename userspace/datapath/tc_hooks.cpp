// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/tc_hooks.h"

#include <bpf/libbpf.h>
#include <linux/pkt_sched.h>
#include <netlink/route/classifier.h>
#include <netlink/route/link.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/tc.h>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <memory>
#include <string>

#include "common/error.h"
#include "common/kernel_step.h"
#include "lanewarden.h"

#ifndef TC_H_CLSACT
#define TC_H_CLSACT TC_H_INGRESS
#endif
#ifndef TC_H_MIN_INGRESS
#define TC_H_MIN_INGRESS 0xFFF2U
#define TC_H_MIN_EGRESS 0xFFF3U
#endif

namespace lw::datapath {
namespace {

bpf_tc_hook make_hook(uint32_t ifindex, bpf_tc_attach_point point) {
  bpf_tc_hook hook{};
  hook.sz = sizeof(hook);
  hook.ifindex = static_cast<int>(ifindex);
  hook.attach_point = point;
  return hook;
}

void attach_one(uint32_t ifindex, bpf_tc_attach_point point, int prog_fd) {
  bpf_tc_hook hook = make_hook(ifindex, point);
  bpf_tc_opts opts{};
  opts.sz = sizeof(opts);
  opts.handle = LW_TC_HANDLE;
  opts.priority = LW_TC_PRIORITY;
  opts.prog_fd = prog_fd;
  opts.flags = BPF_TC_F_REPLACE;
  kernel_step(point == BPF_TC_INGRESS ? "attach the ingress filter" : "attach the egress filter");
  if (int err = bpf_tc_attach(&hook, &opts))
    throw SystemError("cannot attach to " +
                          std::string(point == BPF_TC_INGRESS ? "ingress" : "egress") +
                          " of ifindex " + std::to_string(ifindex),
                      err);
}

bool detach_one(uint32_t ifindex, bpf_tc_attach_point point) {
  bpf_tc_hook hook = make_hook(ifindex, point);
  bpf_tc_opts opts{};
  opts.sz = sizeof(opts);
  opts.handle = LW_TC_HANDLE;
  opts.priority = LW_TC_PRIORITY;
  kernel_step(point == BPF_TC_INGRESS ? "detach the ingress filter" : "detach the egress filter");
  int err = bpf_tc_detach(&hook, &opts);
  if (err && err != -ENOENT && err != -ENODEV && err != -EINVAL)
    spdlog::warn("cannot detach from ifindex {}: {}", ifindex, std::strerror(-err));
  return err == 0;
}

struct NlSockDeleter {
  void operator()(nl_sock* s) const { nl_socket_free(s); }
};
struct NlCacheDeleter {
  void operator()(nl_cache* c) const { nl_cache_free(c); }
};

bool clsact_present(uint32_t ifindex) {
  std::unique_ptr<nl_sock, NlSockDeleter> sock(nl_socket_alloc());
  nl_cache* raw = nullptr;
  if (!sock || nl_connect(sock.get(), NETLINK_ROUTE) < 0 ||
      rtnl_qdisc_alloc_cache(sock.get(), &raw) < 0)
    throw Error("cannot list the qdiscs of ifindex " + std::to_string(ifindex));
  std::unique_ptr<nl_cache, NlCacheDeleter> cache(raw);
  for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
    auto* tc = TC_CAST(reinterpret_cast<rtnl_qdisc*>(o));
    const char* kind = rtnl_tc_get_kind(tc);
    if (rtnl_tc_get_ifindex(tc) == static_cast<int>(ifindex) && kind &&
        std::string(kind) == "clsact")
      return true;
  }
  return false;
}

int count_foreign(nl_sock* sock, uint32_t ifindex, uint32_t parent) {
  nl_cache* raw = nullptr;
  if (rtnl_cls_alloc_cache(sock, static_cast<int>(ifindex), parent, &raw) < 0) return -1;
  std::unique_ptr<nl_cache, NlCacheDeleter> cache(raw);
  int foreign = 0;
  for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
    auto* cls = reinterpret_cast<rtnl_cls*>(o);
    auto* tc = TC_CAST(cls);
    const bool ours =
        rtnl_cls_get_prio(cls) == LW_TC_PRIORITY && rtnl_tc_get_handle(tc) == LW_TC_HANDLE;
    // The kernel also reports a filter chain head without a handle per
    // priority; count only real filters (handle != 0).
    if (!ours && rtnl_tc_get_handle(tc) != 0) foreign++;
  }
  return foreign;
}

}  // namespace

int foreign_filter_count(uint32_t ifindex) {
  std::unique_ptr<nl_sock, NlSockDeleter> sock(nl_socket_alloc());
  if (!sock || nl_connect(sock.get(), NETLINK_ROUTE) < 0) return -1;
  int in = count_foreign(sock.get(), ifindex, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS));
  int eg = count_foreign(sock.get(), ifindex, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS));
  if (in < 0 || eg < 0) return -1;
  return in + eg;
}

uint32_t attach_intent_flags(uint32_t ifindex) {
  return clsact_present(ifindex) ? 0 : LW_LINK_CREATED_CLSACT;
}

uint32_t attach_tc(uint32_t ifindex, int ingress_fd, int egress_fd, uint32_t known_flags) {
  uint32_t flags = known_flags & LW_LINK_CREATED_CLSACT;
  bpf_tc_hook hook =
      make_hook(ifindex, static_cast<bpf_tc_attach_point>(BPF_TC_INGRESS | BPF_TC_EGRESS));
  kernel_step("create the clsact qdisc");
  int err = bpf_tc_hook_create(&hook);
  if (err == 0)
    flags |= LW_LINK_CREATED_CLSACT;
  else if (err != -EEXIST)
    throw SystemError("cannot create the clsact qdisc on ifindex " + std::to_string(ifindex) +
                          " (is sch_clsact available?)",
                      err);
  try {
    attach_one(ifindex, BPF_TC_INGRESS, ingress_fd);
    flags |= LW_LINK_INGRESS;
    attach_one(ifindex, BPF_TC_EGRESS, egress_fd);
    flags |= LW_LINK_EGRESS;
  } catch (...) {
    // Undo only a new attachment: an interface that had lanewarden's
    // filters keeps what it has (the caller puts its programs back).
    if (!(known_flags & (LW_LINK_INGRESS | LW_LINK_EGRESS))) detach_tc(ifindex, flags);
    throw;
  }
  return flags;
}

void detach_tc(uint32_t ifindex, uint32_t flags) {
  detach_one(ifindex, BPF_TC_INGRESS);
  detach_one(ifindex, BPF_TC_EGRESS);
  if (!(flags & LW_LINK_CREATED_CLSACT)) return;
  int foreign = foreign_filter_count(ifindex);
  if (foreign != 0) {
    if (foreign > 0)
      spdlog::info(
          "ifindex {}: keeping the clsact qdisc lanewarden created: {} other filter(s) use it",
          ifindex, foreign);
    return;
  }
  bpf_tc_hook hook =
      make_hook(ifindex, static_cast<bpf_tc_attach_point>(BPF_TC_INGRESS | BPF_TC_EGRESS));
  kernel_step("remove the clsact qdisc");
  int err = bpf_tc_hook_destroy(&hook);
  if (err && err != -ENOENT && err != -ENODEV && err != -EINVAL)
    spdlog::warn("cannot remove the clsact qdisc of ifindex {}: {}", ifindex, std::strerror(-err));
}

}  // namespace lw::datapath
