// SPDX-License-Identifier: GPL-2.0-only
#include "support/traffic.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace lw::test {

namespace {

using Clock = std::chrono::steady_clock;

std::runtime_error sys_error(const std::string& what, int err = errno) {
  return std::runtime_error(what + ": " + std::strerror(err));
}

struct SockAddr {
  sockaddr_storage storage{};
  socklen_t len = 0;
  int family = AF_UNSPEC;
  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

// Literal address + port; an empty address means "any" of `family_hint`.
SockAddr make_addr(const std::string& addr, uint16_t port, int family_hint = AF_INET) {
  SockAddr s;
  bool v6 = addr.empty() ? family_hint == AF_INET6 : addr.find(':') != std::string::npos;
  if (v6) {
    auto* sa = reinterpret_cast<sockaddr_in6*>(&s.storage);
    sa->sin6_family = AF_INET6;
    sa->sin6_port = htons(port);
    if (!addr.empty() && inet_pton(AF_INET6, addr.c_str(), &sa->sin6_addr) != 1)
      throw std::invalid_argument("bad IPv6 address: " + addr);
    s.len = sizeof(sockaddr_in6);
    s.family = AF_INET6;
  } else {
    auto* sa = reinterpret_cast<sockaddr_in*>(&s.storage);
    sa->sin_family = AF_INET;
    sa->sin_port = htons(port);
    if (!addr.empty() && inet_pton(AF_INET, addr.c_str(), &sa->sin_addr) != 1)
      throw std::invalid_argument("bad IPv4 address: " + addr);
    s.len = sizeof(sockaddr_in);
    s.family = AF_INET;
  }
  return s;
}

uint16_t bound_port(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) throw sys_error("getsockname");
  if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
}

// Milliseconds left until `deadline`, clamped to [0, INT_MAX] for poll().
int ms_left(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<int>(std::clamp<long long>(left.count(), 0, 1 << 30));
}

// Waits for `events` on fd until the deadline; false on timeout.
bool wait_fd(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    int n = poll(&p, 1, ms_left(deadline));
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) throw sys_error("poll");
  }
}

UniqueFd bound_socket(const NetNs& ns, const SockAddr& local, int type, bool reuse) {
  UniqueFd fd = ns.socket(local.family, type | SOCK_NONBLOCK);
  int one = 1, zero = 0;
  if (reuse) setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  // "::" should accept IPv4 too, whatever net.ipv6.bindv6only says.
  if (local.family == AF_INET6) setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
  if (bind(fd.get(), local.get(), local.len) != 0) throw sys_error("bind in " + ns.name());
  return fd;
}

}  // namespace

size_t send_udp(const NetNs& ns, const UdpSendOptions& o) {
  auto deadline = Clock::now() + o.timeout;
  SockAddr dst = make_addr(o.dst, o.dport);
  UniqueFd fd = ns.socket(dst.family, SOCK_DGRAM | SOCK_NONBLOCK);
  if (o.sport || !o.src.empty()) {
    SockAddr local = make_addr(o.src, o.sport, dst.family);
    int one = 1;
    setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd.get(), local.get(), local.len) != 0) throw sys_error("bind in " + ns.name());
  }
  if (o.tos) {
    int v = *o.tos;
    if (dst.family == AF_INET6)
      setsockopt(fd.get(), IPPROTO_IPV6, IPV6_TCLASS, &v, sizeof v);
    else
      setsockopt(fd.get(), IPPROTO_IP, IP_TOS, &v, sizeof v);
  }
  if (o.priority) {
    int v = *o.priority;
    setsockopt(fd.get(), SOL_SOCKET, SO_PRIORITY, &v, sizeof v);
  }
  std::vector<uint8_t> buf(o.size);
  for (size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<uint8_t>(i);
  size_t sent = 0;
  while (sent < o.count) {
    ssize_t n = sendto(fd.get(), buf.data(), buf.size(), 0, dst.get(), dst.len);
    if (n >= 0) {
      ++sent;
      continue;
    }
    if (errno == EINTR) continue;
    // A full qdisc or socket buffer: wait for room, bounded by the deadline.
    if ((errno == EAGAIN || errno == ENOBUFS) && wait_fd(fd.get(), POLLOUT, deadline) &&
        Clock::now() < deadline)
      continue;
    break;
  }
  return sent;
}

TcpSendResult send_tcp(const NetNs& ns, const TcpSendOptions& o) {
  TcpSendResult r;
  auto deadline = Clock::now() + o.timeout;
  SockAddr dst = make_addr(o.dst, o.dport);
  UniqueFd fd = ns.socket(dst.family, SOCK_STREAM | SOCK_NONBLOCK);
  if (o.sport) {
    SockAddr local = make_addr("", o.sport, dst.family);
    int one = 1;
    setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd.get(), local.get(), local.len) != 0) throw sys_error("bind in " + ns.name());
  }
  if (connect(fd.get(), dst.get(), dst.len) != 0 && errno != EINPROGRESS) {
    r.error = std::string("connect: ") + std::strerror(errno);
    return r;
  }
  if (!wait_fd(fd.get(), POLLOUT, deadline)) {
    r.error = "connect: timed out";
    return r;
  }
  int err = 0;
  socklen_t len = sizeof err;
  getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
  if (err) {
    r.error = std::string("connect: ") + std::strerror(err);
    return r;
  }
  r.connected = true;
  std::vector<uint8_t> buf(64 * 1024);
  for (size_t i = 0; i < buf.size(); ++i) buf[i] = static_cast<uint8_t>(i);
  while (r.sent < o.bytes) {
    size_t chunk = std::min(buf.size(), o.bytes - r.sent);
    ssize_t n = send(fd.get(), buf.data(), chunk, MSG_NOSIGNAL);
    if (n > 0) {
      r.sent += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN && wait_fd(fd.get(), POLLOUT, deadline)) continue;
    r.error =
        n < 0 && errno != EAGAIN ? std::string("send: ") + std::strerror(errno) : "send: timed out";
    return r;
  }
  shutdown(fd.get(), SHUT_WR);
  return r;
}

UdpSink::UdpSink(const NetNs& ns, const std::string& addr, uint16_t port) {
  fd_ = bound_socket(ns, make_addr(addr, port), SOCK_DGRAM, true);
  // Bursts from send_udp() arrive faster than a test reads them; root may
  // exceed rmem_max with the FORCE variant.
  int size = 8 << 20;
  if (setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) != 0)
    setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  port_ = bound_port(fd_.get());
}

size_t UdpSink::receive(size_t count, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  std::vector<uint8_t> buf(65536);
  size_t got = 0;
  while (got < count) {
    ssize_t n = recv(fd_.get(), buf.data(), buf.size(), MSG_DONTWAIT);
    if (n >= 0) {
      ++got;
      ++datagrams_;
      bytes_ += static_cast<size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN || !wait_fd(fd_.get(), POLLIN, deadline)) break;
  }
  return got;
}

TcpSink::TcpSink(const NetNs& ns, const std::string& addr, uint16_t port) {
  listen_fd_ = bound_socket(ns, make_addr(addr, port), SOCK_STREAM, true);
  if (listen(listen_fd_.get(), 64) != 0) throw sys_error("listen in " + ns.name());
  port_ = bound_port(listen_fd_.get());
  thread_ = std::thread([this] { serve(); });
}

TcpSink::~TcpSink() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void TcpSink::serve() {
  std::vector<UniqueFd> conns;
  std::vector<uint8_t> buf(256 * 1024);
  while (!stop_) {
    std::vector<pollfd> fds{{listen_fd_.get(), POLLIN, 0}};
    for (const auto& c : conns) fds.push_back({c.get(), POLLIN, 0});
    // A short poll so the destructor's stop flag is seen promptly.
    if (poll(fds.data(), fds.size(), 50) <= 0) continue;
    if (fds[0].revents & POLLIN) {
      int c = accept4(listen_fd_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (c >= 0) {
        conns.emplace_back(c);
        ++connections_;
      }
    }
    for (size_t i = 1; i < fds.size(); ++i) {
      if (!fds[i].revents) continue;
      ssize_t n;
      while ((n = recv(fds[i].fd, buf.data(), buf.size(), 0)) > 0) bytes_ += static_cast<size_t>(n);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) conns[i - 1].reset();
    }
    std::erase_if(conns, [](const UniqueFd& c) { return !c; });
  }
}

size_t TcpSink::wait_for_bytes(size_t n, std::chrono::milliseconds timeout) const {
  auto deadline = Clock::now() + timeout;
  while (bytes_.load() < n && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return bytes_.load();
}

namespace {

int ifindex_of(int fd, const std::string& ifname) {
  ifreq req{};
  if (ifname.size() >= IFNAMSIZ) throw std::invalid_argument("interface name too long: " + ifname);
  std::memcpy(req.ifr_name, ifname.data(), ifname.size());
  if (ioctl(fd, SIOCGIFINDEX, &req) != 0) throw sys_error("ifindex of " + ifname);
  return req.ifr_ifindex;
}

}  // namespace

size_t send_raw_frame(const NetNs& ns, const std::string& ifname, std::span<const uint8_t> frame,
                      size_t count, std::chrono::milliseconds timeout) {
  if (frame.size() < 14) throw std::invalid_argument("send_raw_frame: frame shorter than Ethernet");
  auto deadline = Clock::now() + timeout;
  // Protocol 0: a send-only socket that never queues received frames.
  UniqueFd fd = ns.socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, 0);
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_ifindex = ifindex_of(fd.get(), ifname);
  // skb->protocol as the receiver will first see it (0x8100 for a tagged frame).
  to.sll_protocol = htons(static_cast<uint16_t>(frame[12] << 8 | frame[13]));
  to.sll_halen = ETH_ALEN;
  std::memcpy(to.sll_addr, frame.data(), ETH_ALEN);
  size_t sent = 0;
  while (sent < count) {
    ssize_t n = sendto(fd.get(), frame.data(), frame.size(), 0,
                       reinterpret_cast<const sockaddr*>(&to), sizeof to);
    if (n >= 0) {
      ++sent;
      continue;
    }
    if (errno == EINTR) continue;
    if ((errno == EAGAIN || errno == ENOBUFS) && wait_fd(fd.get(), POLLOUT, deadline) &&
        Clock::now() < deadline)
      continue;
    throw sys_error("send_raw_frame on " + ifname + " in " + ns.name());
  }
  return sent;
}

FrameCapture::FrameCapture(const NetNs& ns, const std::string& ifname) {
  fd_ = ns.socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, 0);
  int one = 1;
  if (setsockopt(fd_.get(), SOL_PACKET, PACKET_AUXDATA, &one, sizeof one) != 0)
    throw sys_error("PACKET_AUXDATA");
  sockaddr_ll local{};
  local.sll_family = AF_PACKET;
  local.sll_protocol = htons(ETH_P_ALL);
  local.sll_ifindex = ifindex_of(fd_.get(), ifname);
  // Binding to one interface after creating with protocol 0 means no frame
  // from another interface is ever queued.
  if (bind(fd_.get(), reinterpret_cast<sockaddr*>(&local), sizeof local) != 0)
    throw sys_error("bind AF_PACKET to " + ifname);
}

std::optional<CapturedFrame> FrameCapture::next(std::chrono::milliseconds timeout) {
  return next_matching([](const CapturedFrame&) { return true; }, timeout);
}

std::optional<CapturedFrame> FrameCapture::next_matching(
    const std::function<bool(const CapturedFrame&)>& match, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  std::vector<uint8_t> buf(65536);
  for (;;) {
    sockaddr_ll from{};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(tpacket_auxdata))];
    iovec iov{buf.data(), buf.size()};
    msghdr msg{};
    msg.msg_name = &from;
    msg.msg_namelen = sizeof from;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n = recvmsg(fd_.get(), &msg, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno != EAGAIN) throw sys_error("recvmsg AF_PACKET");
      if (!wait_fd(fd_.get(), POLLIN, deadline)) return std::nullopt;
      continue;
    }
    if (from.sll_pkttype == PACKET_OUTGOING) continue;
    CapturedFrame f;
    f.data.assign(buf.begin(), buf.begin() + n);
    f.pkttype = from.sll_pkttype;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
      if (c->cmsg_level != SOL_PACKET || c->cmsg_type != PACKET_AUXDATA) continue;
      tpacket_auxdata aux;
      std::memcpy(&aux, CMSG_DATA(c), sizeof aux);
      if (aux.tp_status & TP_STATUS_VLAN_VALID) f.vlan_tci = aux.tp_vlan_tci;
      if (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) f.vlan_tpid = aux.tp_vlan_tpid;
    }
    if (match(f)) return f;
  }
}

}  // namespace lw::test
