// SPDX-License-Identifier: GPL-2.0-only
#include "probe/prober.h"

#include <fmt/format.h>
#include <linux/icmp.h>  // ICMP_FILTER (glibc has no copy)
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <random>

#include "common/error.h"
#include "probe/icmp_echo.h"

namespace lw::probe {

using Clock = std::chrono::steady_clock;

struct Prober::Peer {
  PeerStats stats;
  UniqueFd fd;
  sockaddr_storage dst{};
  socklen_t dst_len = 0;
  uint16_t next_seq = 0;
  Clock::time_point next_send;
  std::map<uint16_t, Clock::time_point> outstanding;  // seq -> when sent
};

namespace {

sockaddr_storage to_sockaddr(const lw::Address& a, socklen_t* len) {
  sockaddr_storage ss{};
  if (a.family == AF_INET) {
    auto* s = reinterpret_cast<sockaddr_in*>(&ss);
    s->sin_family = AF_INET;
    std::memcpy(&s->sin_addr, a.bytes.data(), 4);
    *len = sizeof(sockaddr_in);
  } else {
    auto* s = reinterpret_cast<sockaddr_in6*>(&ss);
    s->sin6_family = AF_INET6;
    std::memcpy(&s->sin6_addr, a.bytes.data(), 16);
    *len = sizeof(sockaddr_in6);
  }
  return ss;
}

bool same_address(const sockaddr_storage& ss, const lw::Address& a) {
  if (ss.ss_family == AF_INET && a.family == AF_INET)
    return std::memcmp(&reinterpret_cast<const sockaddr_in*>(&ss)->sin_addr, a.bytes.data(), 4) ==
           0;
  if (ss.ss_family == AF_INET6 && a.family == AF_INET6)
    return std::memcmp(&reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_addr, a.bytes.data(),
                       16) == 0;
  return false;
}

// A raw ICMP socket that only sees echo replies, sends from `t.local` and
// only through `t.device`.
UniqueFd open_socket(const Target& t) {
  bool v6 = t.local.family == AF_INET6;
  UniqueFd fd(::socket(t.local.family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
                       v6 ? int{IPPROTO_ICMPV6} : int{IPPROTO_ICMP}));
  if (!fd) throw SystemError("probe: cannot open a raw ICMP socket (needs CAP_NET_RAW)", errno);
  if (v6) {
    icmp6_filter filter;
    ICMP6_FILTER_SETBLOCKALL(&filter);
    ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
    if (setsockopt(fd.get(), IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter) != 0)
      throw SystemError("probe: ICMP6_FILTER", errno);
  } else {
    // Linux's ICMP_FILTER: a set bit drops that type; keep only echo replies.
    icmp_filter filter{~(1u << ICMP_ECHOREPLY)};
    if (setsockopt(fd.get(), SOL_RAW, ICMP_FILTER, &filter, sizeof filter) != 0)
      throw SystemError("probe: ICMP_FILTER", errno);
  }
  // The device first: routing for this socket then only considers it, so
  // the probe leaves through the Corosync link or not at all.
  if (setsockopt(fd.get(), SOL_SOCKET, SO_BINDTODEVICE, t.device.c_str(),
                 static_cast<socklen_t>(t.device.size())) != 0)
    throw SystemError(fmt::format("probe: cannot bind to device {}", t.device), errno);
  socklen_t len = 0;
  sockaddr_storage src = to_sockaddr(t.local, &len);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&src), len) != 0)
    throw SystemError(fmt::format("probe: cannot bind to {}", t.local.str()), errno);
  return fd;
}

uint64_t ns_between(Clock::time_point a, Clock::time_point b) {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(b - a).count());
}

}  // namespace

Prober::Prober(std::vector<Target> targets, ProbeOptions options)
    : options_(options), wake_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (!wake_) throw SystemError("probe: eventfd", errno);
  // Identifiers tell our echoes from ping's and from another prober's.
  std::random_device rd;
  ident_ = static_cast<uint16_t>(rd());
  for (auto& t : targets) {
    auto p = std::make_unique<Peer>();
    p->fd = open_socket(t);
    p->dst = to_sockaddr(t.peer, &p->dst_len);
    p->next_seq = static_cast<uint16_t>(rd());
    p->stats.target = std::move(t);
    peers_.push_back(std::move(p));
  }
}

Prober::~Prober() { stop(); }

void Prober::send_one(Peer& p, Clock::time_point now) {
  uint16_t seq = p.next_seq++;
  auto pkt = build_echo_request(p.stats.target.peer.family, ident_, seq);
  ssize_t n = ::sendto(p.fd.get(), pkt.data(), pkt.size(), 0,
                       reinterpret_cast<const sockaddr*>(&p.dst), p.dst_len);
  std::lock_guard lock(mu_);
  p.stats.sent++;
  if (n < 0) {
    // Counted as sent and lost too: to Corosync an unreachable peer is a lost one.
    p.stats.send_errors++;
    p.stats.lost++;
    spdlog::debug("probe {}: sendto: {}", p.stats.target.label(), std::strerror(errno));
    return;
  }
  p.outstanding[seq] = now;
}

void Prober::receive(Peer& p, Clock::time_point now) {
  uint8_t buf[512];
  for (;;) {
    sockaddr_storage from{};
    socklen_t from_len = sizeof from;
    ssize_t n =
        ::recvfrom(p.fd.get(), buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &from_len);
    if (n < 0) return;  // EAGAIN: drained
    if (!same_address(from, p.stats.target.peer)) continue;
    auto reply = parse_echo_reply(p.stats.target.peer.family,
                                  std::span<const uint8_t>(buf, static_cast<size_t>(n)));
    if (!reply || reply->ident != ident_) continue;
    auto it = p.outstanding.find(reply->seq);
    if (it == p.outstanding.end()) continue;  // duplicate, or already counted lost
    uint64_t rtt = ns_between(it->second, now);
    p.outstanding.erase(it);
    std::lock_guard lock(mu_);
    auto& s = p.stats;
    s.answered++;
    s.rtt_sum_ns += rtt;
    s.rtt_max_ns = std::max(s.rtt_max_ns, rtt);
    s.rtt_min_ns = s.answered == 1 ? rtt : std::min(s.rtt_min_ns, rtt);
  }
}

void Prober::expire(Peer& p, Clock::time_point now) {
  for (auto it = p.outstanding.begin(); it != p.outstanding.end();) {
    if (now - it->second < options_.timeout) {
      ++it;
      continue;
    }
    it = p.outstanding.erase(it);
    std::lock_guard lock(mu_);
    p.stats.lost++;
  }
}

void Prober::loop(const std::atomic<bool>* stop_flag) {
  auto start = Clock::now();
  // Peers are spread over the interval rather than probed in one burst.
  for (size_t i = 0; i < peers_.size(); ++i)
    peers_[i]->next_send =
        start + options_.interval * static_cast<long>(i) / static_cast<long>(peers_.size());
  auto stopped = [&] { return stopping_.load() || (stop_flag && stop_flag->load()); };
  std::vector<pollfd> fds;
  for (auto& p : peers_) fds.push_back({p->fd.get(), POLLIN, 0});
  fds.push_back({wake_.get(), POLLIN, 0});

  bool sending = true;
  Clock::time_point drain_until{};
  for (;;) {
    auto now = Clock::now();
    if (sending) {
      bool done = stopped() ||
                  (options_.duration.count() > 0 && now - start >= options_.duration) ||
                  (options_.count > 0 && std::all_of(peers_.begin(), peers_.end(), [&](auto& p) {
                     return p->stats.sent >= options_.count;
                   }));
      if (done) {
        sending = false;
        // After a stop request nobody waits for the answers; otherwise the
        // last probes get their full timeout, so "lost" means lost.
        drain_until = stopped() ? now : now + options_.timeout;
      }
    }
    if (!sending) {
      bool pending = std::any_of(peers_.begin(), peers_.end(),
                                 [](auto& p) { return !p->outstanding.empty(); });
      if (!pending || now >= drain_until || stopping_.load()) break;
    }
    Clock::time_point wake_at = sending ? now + options_.timeout : drain_until;
    for (auto& p : peers_) {
      if (sending && (options_.count == 0 || p->stats.sent < options_.count)) {
        if (now >= p->next_send) {
          send_one(*p, now);
          p->next_send += options_.interval;
          if (p->next_send < now) p->next_send = now + options_.interval;  // fell behind
        }
        wake_at = std::min(wake_at, p->next_send);
      }
      if (!p->outstanding.empty())
        wake_at = std::min(wake_at, p->outstanding.begin()->second + options_.timeout);
    }
    // Short polls at most: a stop flag set by a signal handler is seen soon.
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(wake_at - Clock::now());
    int timeout_ms = static_cast<int>(std::clamp<long>(wait.count() + 1, 0, 100));
    int rc = ::poll(fds.data(), fds.size(), timeout_ms);
    if (rc < 0 && errno != EINTR) throw SystemError("probe: poll", errno);
    now = Clock::now();
    for (size_t i = 0; i < peers_.size(); ++i) {
      if (fds[i].revents & POLLIN) receive(*peers_[i], now);
      expire(*peers_[i], now);
    }
  }
  // Whatever is still in flight at a stop has had no fair chance: not lost.
}

void Prober::run(const std::atomic<bool>* stop_flag) { loop(stop_flag); }

void Prober::start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  uint64_t pending = 0;  // a wake-up left by an earlier stop()
  (void)!::read(wake_.get(), &pending, sizeof pending);
  thread_ = std::thread([this] {
    try {
      loop(nullptr);
    } catch (const std::exception& e) {
      spdlog::error("{}", e.what());
    }
  });
}

void Prober::stop() {
  stopping_ = true;
  uint64_t one = 1;
  if (wake_) (void)!::write(wake_.get(), &one, sizeof one);
  if (thread_.joinable()) thread_.join();
}

std::vector<PeerStats> Prober::stats() const {
  std::lock_guard lock(mu_);
  std::vector<PeerStats> out;
  for (auto& p : peers_) out.push_back(p->stats);
  return out;
}

}  // namespace lw::probe
