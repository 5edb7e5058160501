// SPDX-License-Identifier: GPL-2.0-only
#include "shaping/htb.h"

#include <fmt/format.h>
#include <netlink/route/class.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/htb.h>
#include <netlink/route/tc.h>
#include <spdlog/spdlog.h>

#include <cstring>
#include <memory>

#include "common/error.h"
#include "common/kernel_step.h"

namespace lw::shaping {
namespace {

struct SockDeleter {
  void operator()(nl_sock* s) const { nl_socket_free(s); }
};
struct CacheDeleter {
  void operator()(nl_cache* c) const { nl_cache_free(c); }
};
struct QdiscDeleter {
  void operator()(rtnl_qdisc* q) const { rtnl_qdisc_put(q); }
};
struct ClassDeleter {
  void operator()(rtnl_class* c) const { rtnl_class_put(c); }
};
using Sock = std::unique_ptr<nl_sock, SockDeleter>;
using Qdisc = std::unique_ptr<rtnl_qdisc, QdiscDeleter>;

Sock connect() {
  Sock s(nl_socket_alloc());
  if (!s || nl_connect(s.get(), NETLINK_ROUTE) < 0)
    throw Error("cannot open a netlink route socket");
  return s;
}

void check(int err, const std::string& what) {
  if (err < 0) throw Error(what + ": " + nl_geterror(err));
}

// The current root qdisc of ifindex, or nullptr.
Qdisc root_qdisc(nl_sock* sock, uint32_t ifindex) {
  nl_cache* raw = nullptr;
  check(rtnl_qdisc_alloc_cache(sock, &raw), "cannot list qdiscs");
  std::unique_ptr<nl_cache, CacheDeleter> cache(raw);
  rtnl_qdisc* q = rtnl_qdisc_get_by_parent(cache.get(), static_cast<int>(ifindex), TC_H_ROOT);
  return Qdisc(q);  // rtnl_qdisc_get_by_parent returns a new reference
}

bool is_ours(rtnl_qdisc* q) {
  const char* kind = rtnl_tc_get_kind(TC_CAST(q));
  return kind && std::strcmp(kind, "htb") == 0 &&
         rtnl_tc_get_handle(TC_CAST(q)) == (kHtbMajor << 16);
}

bool is_default(rtnl_qdisc* q) {
  const char* kind = rtnl_tc_get_kind(TC_CAST(q));
  if (!kind) return true;
  for (const char* k : {"noqueue", "pfifo_fast", "mq", "fq_codel", "pfifo"})
    if (std::strcmp(kind, k) == 0) return true;
  return false;
}

std::string describe(rtnl_qdisc* q) {
  if (!q) return "";
  const char* kind = rtnl_tc_get_kind(TC_CAST(q));
  return fmt::format("{} {:x}:", kind ? kind : "?", rtnl_tc_get_handle(TC_CAST(q)) >> 16);
}

void upsert_class(nl_sock* sock, uint32_t ifindex, uint32_t parent, const HtbClass& c,
                  uint32_t burst) {
  std::unique_ptr<rtnl_class, ClassDeleter> cls(rtnl_class_alloc());
  rtnl_tc_set_ifindex(TC_CAST(cls.get()), static_cast<int>(ifindex));
  rtnl_tc_set_parent(TC_CAST(cls.get()), parent);
  rtnl_tc_set_handle(TC_CAST(cls.get()), class_id(c.minor));
  check(rtnl_tc_set_kind(TC_CAST(cls.get()), "htb"), "htb class");
  rtnl_htb_set_rate64(cls.get(), c.rate);
  rtnl_htb_set_ceil64(cls.get(), c.ceil);
  rtnl_htb_set_prio(cls.get(), c.prio);
  // The burst must hold the largest packet (a GSO packet, 64 KB on bridged
  // veth paths unless the lane limits GSO), or the class stalls.
  rtnl_htb_set_rbuffer(cls.get(), burst);
  rtnl_htb_set_cbuffer(cls.get(), burst);
  kernel_step("set an HTB class");
  check(rtnl_class_add(sock, cls.get(), NLM_F_CREATE | NLM_F_REPLACE),
        fmt::format("cannot set HTB class {:x}:{:x} ({})", kHtbMajor, c.minor, c.what));
}

// Classes of an earlier plan that this one no longer has (a cap removed).
void delete_stale_classes(nl_sock* sock, uint32_t ifindex, const InterfacePlan& plan) {
  nl_cache* raw = nullptr;
  if (rtnl_class_alloc_cache(sock, static_cast<int>(ifindex), &raw) < 0) return;
  std::unique_ptr<nl_cache, CacheDeleter> cache(raw);
  for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
    auto* cls = reinterpret_cast<rtnl_class*>(o);
    const uint32_t handle = rtnl_tc_get_handle(TC_CAST(cls));
    if ((handle >> 16) != kHtbMajor || (handle & 0xFFFF) == kRootMinor) continue;
    bool wanted = false;
    for (const auto& c : plan.classes) wanted |= c.minor == (handle & 0xFFFF);
    if (wanted) continue;
    kernel_step("remove a stale HTB class");
    if (rtnl_class_delete(sock, cls) < 0)
      spdlog::warn("{}: cannot remove stale HTB class {:x}", plan.interface, handle);
  }
}

}  // namespace

std::string describe_root_qdisc(uint32_t ifindex) {
  Sock sock = connect();
  Qdisc q = root_qdisc(sock.get(), ifindex);
  return describe(q.get());
}

std::optional<std::string> foreign_root_qdisc(uint32_t ifindex) {
  Sock sock = connect();
  Qdisc q = root_qdisc(sock.get(), ifindex);
  if (!q || is_ours(q.get()) || is_default(q.get())) return std::nullopt;
  return describe(q.get());
}

void apply_htb(uint32_t ifindex, const InterfacePlan& plan) {
  Sock sock = connect();
  Qdisc current = root_qdisc(sock.get(), ifindex);
  if (current && !is_ours(current.get()) && !is_default(current.get()))
    throw Error(fmt::format(
        "{} has a root qdisc '{}' that lanewarden did not create; lanewarden will not replace it. "
        "Remove it, or drop the caps, priorities and link_rate that need shaping on this interface",
        plan.interface, describe(current.get())));

  if (!current || !is_ours(current.get())) {
    Qdisc q(rtnl_qdisc_alloc());
    rtnl_tc_set_ifindex(TC_CAST(q.get()), static_cast<int>(ifindex));
    rtnl_tc_set_parent(TC_CAST(q.get()), TC_H_ROOT);
    rtnl_tc_set_handle(TC_CAST(q.get()), kHtbMajor << 16);
    check(rtnl_tc_set_kind(TC_CAST(q.get()), "htb"), "htb qdisc");
    rtnl_htb_set_defcls(q.get(), class_id(kDefaultMinor));
    rtnl_htb_set_rate2quantum(q.get(), 10);
    kernel_step("create the HTB qdisc");
    check(rtnl_qdisc_add(sock.get(), q.get(), NLM_F_CREATE | NLM_F_REPLACE),
          "cannot create the HTB qdisc on " + plan.interface + " (is sch_htb available?)");
  }
  upsert_class(sock.get(), ifindex, kHtbMajor << 16,
               {kRootMinor, plan.link_rate, plan.link_rate, 0, "root"},
               plan.root_burst ? plan.root_burst : class_burst(plan, plan.link_rate));
  for (const auto& c : plan.classes)
    upsert_class(sock.get(), ifindex, class_id(kRootMinor), c,
                 c.burst ? c.burst : class_burst(plan, c.ceil));
  delete_stale_classes(sock.get(), ifindex, plan);
  spdlog::debug("{}: HTB {:x}: with {} classes under {} B/s", plan.interface, kHtbMajor,
                plan.classes.size(), plan.link_rate);
}

bool remove_htb(uint32_t ifindex) {
  Sock sock = connect();
  Qdisc current = root_qdisc(sock.get(), ifindex);
  if (!current || !is_ours(current.get())) return false;
  kernel_step("remove the HTB qdisc");
  check(rtnl_qdisc_delete(sock.get(), current.get()), "cannot remove lanewarden's HTB qdisc");
  return true;
}

std::optional<InterfacePlan> read_htb(uint32_t ifindex, const std::string& interface) {
  Sock sock = connect();
  Qdisc root = root_qdisc(sock.get(), ifindex);
  if (!root || !is_ours(root.get())) return std::nullopt;
  nl_cache* raw = nullptr;
  check(rtnl_class_alloc_cache(sock.get(), static_cast<int>(ifindex), &raw),
        "cannot list the HTB classes of " + interface);
  std::unique_ptr<nl_cache, CacheDeleter> cache(raw);
  InterfacePlan plan;
  plan.interface = interface;
  for (nl_object* o = nl_cache_get_first(cache.get()); o; o = nl_cache_get_next(o)) {
    auto* cls = reinterpret_cast<rtnl_class*>(o);
    const uint32_t handle = rtnl_tc_get_handle(TC_CAST(cls));
    if ((handle >> 16) != kHtbMajor) continue;
    uint64_t rate = 0, ceil = 0;
    rtnl_htb_get_rate64(cls, &rate);
    rtnl_htb_get_ceil64(cls, &ceil);
    const uint32_t burst = rtnl_htb_get_rbuffer(cls);
    if ((handle & 0xFFFF) == kRootMinor) {
      plan.link_rate = rate;
      plan.root_burst = burst;
      continue;
    }
    plan.classes.push_back({handle & 0xFFFF, rate, ceil, rtnl_htb_get_prio(cls),
                            fmt::format("class {:x}", handle & 0xFFFF), burst});
  }
  return plan;
}

}  // namespace lw::shaping
