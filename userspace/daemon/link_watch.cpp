// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/link_watch.h"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "common/error.h"

namespace lw::daemon {
namespace {

// A link dump of a host with hundreds of VLANs fits; a lost notification
// (ENOBUFS) is recovered by a new dump, which compares against the last MTUs.
constexpr int kReceiveBuffer = 1 << 20;
constexpr int kDumpTimeoutMs = 2000;

}  // namespace

LinkWatch::LinkWatch()
    : fd_(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE)) {
  if (!fd_) throw SystemError("rtnetlink socket failed", errno);
  int size = kReceiveBuffer;
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));  // best effort
  sockaddr_nl sa{};
  sa.nl_family = AF_NETLINK;
  sa.nl_groups = RTMGRP_LINK;
  if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) != 0)
    throw SystemError("binding the rtnetlink socket to RTNLGRP_LINK failed", errno);
  request_dump();
  // The MTUs in force before the loop starts: a change is a difference to them.
  pollfd p{fd_.get(), POLLIN, 0};
  while (dump_pending_ && ::poll(&p, 1, kDumpTimeoutMs) > 0) drain();
}

void LinkWatch::track(const std::vector<std::string>& names) {
  tracked_ = std::set<std::string>(names.begin(), names.end());
}

void LinkWatch::request_dump() {
  struct {
    nlmsghdr nh;
    ifinfomsg ifi;
  } req{};
  req.nh.nlmsg_len = sizeof(req);
  req.nh.nlmsg_type = RTM_GETLINK;
  req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.nh.nlmsg_seq = ++seq_;
  req.ifi.ifi_family = AF_UNSPEC;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (::sendto(fd_.get(), &req, sizeof(req), 0, reinterpret_cast<sockaddr*>(&kernel),
               sizeof(kernel)) < 0)
    throw SystemError("RTM_GETLINK dump request failed", errno);
  dump_pending_ = true;
}

std::vector<MtuChange> LinkWatch::drain() {
  std::vector<MtuChange> out;
  alignas(nlmsghdr) char buf[64 * 1024];
  for (;;) {
    ssize_t n = ::recv(fd_.get(), buf, sizeof(buf), MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == ENOBUFS) {  // notifications were lost: ask for every link again
        request_dump();
        continue;
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      throw SystemError("reading link notifications failed", errno);
    }
    handle(buf, static_cast<size_t>(n), out);
  }
  return out;
}

void LinkWatch::handle(const char* buf, size_t size, std::vector<MtuChange>& out) {
  int len = static_cast<int>(size);
  for (auto* nh = reinterpret_cast<const nlmsghdr*>(buf); NLMSG_OK(nh, len);
       nh = NLMSG_NEXT(nh, len)) {
    if (nh->nlmsg_type == NLMSG_DONE || nh->nlmsg_type == NLMSG_ERROR) {
      if (nh->nlmsg_seq == seq_) dump_pending_ = false;
      continue;
    }
    if (nh->nlmsg_type != RTM_NEWLINK && nh->nlmsg_type != RTM_DELLINK) continue;
    const auto* ifi = static_cast<const ifinfomsg*>(NLMSG_DATA(nh));
    int alen = static_cast<int>(IFLA_PAYLOAD(nh));
    std::string name;
    std::optional<uint32_t> mtu;
    for (auto* a = IFLA_RTA(ifi); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
      if (a->rta_type == IFLA_IFNAME)
        name.assign(static_cast<const char*>(RTA_DATA(a)),
                    strnlen(static_cast<const char*>(RTA_DATA(a)), RTA_PAYLOAD(a)));
      if (a->rta_type == IFLA_MTU && RTA_PAYLOAD(a) >= sizeof(uint32_t)) {
        uint32_t v;
        std::memcpy(&v, RTA_DATA(a), sizeof(v));
        mtu = v;
      }
    }
    if (name.empty()) continue;
    if (nh->nlmsg_type == RTM_DELLINK) {
      mtu_.erase(name);
      continue;
    }
    if (!mtu) continue;
    auto it = mtu_.find(name);
    if (it != mtu_.end() && it->second != *mtu && tracked_.count(name))
      out.push_back({name, it->second, *mtu});
    mtu_[name] = *mtu;
  }
}

}  // namespace lw::daemon
