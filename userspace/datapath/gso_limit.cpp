// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/gso_limit.h"

#include <bpf/bpf.h>
#include <fmt/format.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "common/fd.h"
#include "common/iface_name.h"
#include "common/kernel_step.h"
#include "datapath/pin_names.h"

namespace lw::datapath {
namespace {

// IFLA_GSO_MAX_SEGS is a u32 in the kernel, but GSO_MAX_SEGS is 65535.
constexpr uint32_t kMaxSegs = 65535;
constexpr uint32_t kMaxSaved = LW_MAX_IFACES;

UniqueFd rtnl_socket() {
  UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
  if (!fd) throw SystemError("cannot open a netlink route socket", errno);
  int one = 1;
  // Extended acks carry the kernel's reason ("too big gso_max_segs").
  ::setsockopt(fd.get(), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
  sockaddr_nl sa{};
  sa.nl_family = AF_NETLINK;
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0)
    throw SystemError("cannot bind a netlink route socket", errno);
  return fd;
}

struct LinkRequest {
  nlmsghdr nh;
  ifinfomsg ifi;
  alignas(NLMSG_ALIGNTO) char attrs[RTA_SPACE(sizeof(uint32_t))];
};

// One request, one reply message copied into `reply`.
size_t transact(int fd, const LinkRequest& req, char* reply, size_t size) {
  if (::send(fd, &req, req.nh.nlmsg_len, 0) < 0)
    throw SystemError("cannot send a netlink request", errno);
  ssize_t n;
  do n = ::recv(fd, reply, size, 0);
  while (n < 0 && errno == EINTR);
  if (n < 0) throw SystemError("cannot read the netlink reply", errno);
  return static_cast<size_t>(n);
}

// The kernel's error of an NLMSG_ERROR reply (0 for an ack) and its
// extended-ack message, if any.
int reply_error(const nlmsghdr* nh, std::string* message) {
  const auto* err = static_cast<const nlmsgerr*>(NLMSG_DATA(nh));
  if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS)) return err->error;
  size_t off = NLMSG_HDRLEN + sizeof(nlmsgerr);
  if (!(nh->nlmsg_flags & NLM_F_CAPPED)) off += err->msg.nlmsg_len - NLMSG_HDRLEN;
  while (off + sizeof(nlattr) <= nh->nlmsg_len) {
    const auto* a = reinterpret_cast<const nlattr*>(reinterpret_cast<const char*>(nh) + off);
    if (a->nla_len < sizeof(nlattr) || off + a->nla_len > nh->nlmsg_len) break;
    if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
      message->assign(
          reinterpret_cast<const char*>(a) + NLA_HDRLEN,
          strnlen(reinterpret_cast<const char*>(a) + NLA_HDRLEN, a->nla_len - NLA_HDRLEN));
    off += NLA_ALIGN(a->nla_len);
  }
  return err->error;
}

LinkRequest link_request(uint16_t type, uint16_t flags, uint32_t ifindex) {
  LinkRequest req{};
  req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(ifinfomsg));
  req.nh.nlmsg_type = type;
  req.nh.nlmsg_flags = NLM_F_REQUEST | flags;
  req.nh.nlmsg_seq = 1;
  req.ifi.ifi_family = AF_UNSPEC;
  req.ifi.ifi_index = static_cast<int>(ifindex);
  return req;
}

// The pinned map of recorded values; invalid when none exists and `create` is false.
UniqueFd saved_map(const std::string& pin_dir, bool create) {
  const std::string path = pins::path(pin_dir, pins::kGsoSaved);
  UniqueFd fd(bpf_obj_get(path.c_str()));
  if (fd || !create) return fd;
  fd.reset(bpf_map_create(BPF_MAP_TYPE_HASH, pins::kGsoSaved, sizeof(uint32_t), sizeof(uint32_t),
                          kMaxSaved, nullptr));
  if (!fd) throw SystemError("cannot create the map of original GSO limits", errno);
  kernel_step("pin the map of own GSO limits");
  if (bpf_obj_pin(fd.get(), path.c_str()) != 0) throw SystemError("cannot pin " + path, errno);
  return fd;
}

std::map<uint32_t, uint32_t> saved_entries(int fd) {
  std::map<uint32_t, uint32_t> out;
  uint32_t key = 0, next = 0, value = 0;
  uint32_t* prev = nullptr;
  while (bpf_map_get_next_key(fd, prev, &next) == 0) {
    if (bpf_map_lookup_elem(fd, &next, &value) == 0) out[next] = value;
    key = next;
    prev = &key;
  }
  return out;
}

}  // namespace

uint32_t read_gso_max_segs(uint32_t ifindex) {
  UniqueFd fd = rtnl_socket();
  const LinkRequest req = link_request(RTM_GETLINK, 0, ifindex);
  alignas(nlmsghdr) char buf[32768];
  const size_t n = transact(fd.get(), req, buf, sizeof(buf));
  const auto* nh = reinterpret_cast<const nlmsghdr*>(buf);
  if (n < sizeof(nlmsghdr) || !NLMSG_OK(nh, n)) throw Error("short netlink reply");
  if (nh->nlmsg_type == NLMSG_ERROR) {
    std::string msg;
    const int err = reply_error(nh, &msg);
    throw SystemError("cannot read the GSO limit of " + iface_label(ifindex), -err);
  }
  const auto* ifi = static_cast<const ifinfomsg*>(NLMSG_DATA(nh));
  int len = static_cast<int>(nh->nlmsg_len - NLMSG_LENGTH(sizeof(*ifi)));
  for (const rtattr* a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    if (a->rta_type == IFLA_GSO_MAX_SEGS && RTA_PAYLOAD(a) >= sizeof(uint32_t)) {
      uint32_t v = 0;
      std::memcpy(&v, RTA_DATA(a), sizeof(v));
      return v;
    }
  }
  throw Error("the kernel reports no GSO limit (IFLA_GSO_MAX_SEGS) for " + iface_label(ifindex));
}

void set_gso_max_segs(uint32_t ifindex, uint32_t segs) {
  UniqueFd fd = rtnl_socket();
  LinkRequest req = link_request(RTM_NEWLINK, NLM_F_ACK, ifindex);
  auto* a = reinterpret_cast<rtattr*>(req.attrs);
  a->rta_type = IFLA_GSO_MAX_SEGS;
  a->rta_len = RTA_LENGTH(sizeof(uint32_t));
  std::memcpy(RTA_DATA(a), &segs, sizeof(segs));
  req.nh.nlmsg_len = NLMSG_ALIGN(req.nh.nlmsg_len) + RTA_SPACE(sizeof(uint32_t));
  kernel_step("set gso_max_segs");
  alignas(nlmsghdr) char buf[8192];
  const size_t n = transact(fd.get(), req, buf, sizeof(buf));
  const auto* nh = reinterpret_cast<const nlmsghdr*>(buf);
  if (n < sizeof(nlmsghdr) || !NLMSG_OK(nh, n) || nh->nlmsg_type != NLMSG_ERROR)
    throw Error("unexpected netlink reply while setting the GSO limit of " + iface_label(ifindex));
  std::string msg;
  if (const int err = reply_error(nh, &msg); err != 0)
    throw Error(fmt::format("cannot set gso_max_segs {} on {}: {}{}", segs, iface_label(ifindex),
                            std::strerror(-err), msg.empty() ? "" : " (" + msg + ")"));
}

void bind_gso_limits(lw_policy& p, const policy::Policy& policy,
                     const std::vector<IfaceBinding>& ifaces) {
  for (const auto& lane : policy.lanes) {
    if (!lane.gso_max_segs) continue;
    for (const auto& b : ifaces) {
      if (b.name != lane.interface) continue;
      for (uint32_t i = 0; i < p.n_ifaces && i < LW_MAX_IFACES; i++) {
        if (p.ifaces[i].ifindex != b.ifindex) continue;
        const auto v = static_cast<uint16_t>(std::min(*lane.gso_max_segs, kMaxSegs));
        p.gso_max_segs[i] = p.gso_max_segs[i] ? std::min(p.gso_max_segs[i], v) : v;
      }
    }
  }
}

GsoLimits gso_limits_of(const lw_policy& p) {
  GsoLimits out;
  for (uint32_t i = 0; i < p.n_ifaces && i < LW_MAX_IFACES; i++)
    if (p.gso_max_segs[i]) out[p.ifaces[i].ifindex] = p.gso_max_segs[i];
  return out;
}

std::map<uint32_t, uint32_t> read_saved_gso_limits(const std::string& pin_dir) {
  UniqueFd map = saved_map(pin_dir, false);
  if (!map) return {};
  return saved_entries(map.get());
}

void sync_gso_limits(const std::string& pin_dir, const GsoLimits& wanted) {
  UniqueFd map = saved_map(pin_dir, !wanted.empty());
  if (!map) return;  // nothing wanted, nothing ever changed
  const auto saved = saved_entries(map.get());
  for (const auto& [ifindex, segs] : wanted) {
    if (!saved.count(ifindex)) {
      // Record the interface's own value before the first change, and keep
      // that record across re-applies: it is what detach restores.
      const uint32_t original = read_gso_max_segs(ifindex);
      kernel_step("record an own gso_max_segs");
      if (bpf_map_update_elem(map.get(), &ifindex, &original, BPF_NOEXIST) != 0)
        throw SystemError("cannot record the GSO limit of " + iface_label(ifindex), errno);
    }
    set_gso_max_segs(ifindex, segs);
    spdlog::debug("{}: gso_max_segs {}", iface_label(ifindex), segs);
  }
  for (const auto& [ifindex, original] : saved) {
    if (wanted.count(ifindex)) continue;
    try {
      set_gso_max_segs(ifindex, original);
    } catch (const Error& e) {
      // The interface may be gone; its record must not outlive it.
      if (iface_name(ifindex)) throw;
      spdlog::debug("{}", e.what());
    }
    kernel_step("forget an own gso_max_segs");
    bpf_map_delete_elem(map.get(), &ifindex);
    spdlog::debug("{}: gso_max_segs {} restored", iface_label(ifindex), original);
  }
}

}  // namespace lw::datapath
