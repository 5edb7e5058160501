// SPDX-License-Identifier: GPL-2.0-only
// Bounded traffic generators and sinks inside a namespace. Every operation is
// bounded in count and in time (each socket call waits at most until the
// deadline), so a dropped flow makes a test fail, never hang.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "support/designated_init.h"
#include "support/netns.h"
#include "support/unique_fd.h"

namespace lw::test {

struct UdpSendOptions {
  std::string dst;  // IPv4 or IPv6 literal
  uint16_t dport = 0;
  uint16_t sport = 0;  // 0: ephemeral
  std::string src;     // bind address; empty: any
  size_t size = 64;    // payload bytes per datagram
  size_t count = 1;
  std::optional<int> tos;       // IP_TOS / IPV6_TCLASS (corosync sets IPTOS_LOWDELAY)
  std::optional<int> priority;  // SO_PRIORITY (corosync uses 6)
  std::chrono::milliseconds timeout = 5s;
};
// Sends exactly `count` datagrams unless the deadline passes or send fails;
// returns how many were sent.
size_t send_udp(const NetNs& ns, const UdpSendOptions& opts);

struct TcpSendOptions {
  std::string dst;
  uint16_t dport = 0;
  uint16_t sport = 0;
  size_t bytes = 0;
  std::chrono::milliseconds timeout = 5s;  // for connect and all sends together
};
struct TcpSendResult {
  bool connected = false;
  size_t sent = 0;    // bytes accepted by the kernel
  std::string error;  // empty when all bytes were sent
};
// Connects (non-blocking, bounded) and sends `bytes` bytes, then closes.
TcpSendResult send_tcp(const NetNs& ns, const TcpSendOptions& opts);

// UDP receiver bound in a namespace; receive() is synchronous and bounded.
class UdpSink {
 public:
  // `addr` "0.0.0.0" or "::" (dual stack) or a specific address; port 0 = any.
  UdpSink(const NetNs& ns, const std::string& addr, uint16_t port);
  uint16_t port() const { return port_; }
  // Waits until `count` more datagrams arrived or `timeout` passed; returns
  // how many arrived in this call.
  size_t receive(size_t count, std::chrono::milliseconds timeout);
  size_t datagrams() const { return datagrams_; }
  size_t bytes() const { return bytes_; }

 private:
  UniqueFd fd_;
  uint16_t port_ = 0;
  size_t datagrams_ = 0, bytes_ = 0;
};

// TCP receiver: a background thread accepts and drains connections until
// the sink is destroyed.
class TcpSink {
 public:
  TcpSink(const NetNs& ns, const std::string& addr, uint16_t port);
  ~TcpSink();
  TcpSink(const TcpSink&) = delete;
  TcpSink& operator=(const TcpSink&) = delete;
  uint16_t port() const { return port_; }
  // Waits until at least `n` bytes arrived in total or `timeout` passed;
  // returns the total received.
  size_t wait_for_bytes(size_t n, std::chrono::milliseconds timeout) const;
  size_t bytes() const { return bytes_.load(); }
  size_t connections() const { return connections_.load(); }

 private:
  void serve();
  UniqueFd listen_fd_;
  uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<size_t> bytes_{0}, connections_{0};
  std::thread thread_;
};

// Sends `frame` (a whole Ethernet frame, VLAN tags included) `count` times
// on `ifname` through an AF_PACKET socket; returns how many were sent.
size_t send_raw_frame(const NetNs& ns, const std::string& ifname, std::span<const uint8_t> frame,
                      size_t count = 1, std::chrono::milliseconds timeout = 5s);

struct CapturedFrame {
  std::vector<uint8_t> data;         // as delivered to AF_PACKET
  std::optional<uint16_t> vlan_tci;  // tag the kernel took out of the packet (offload)
  uint16_t vlan_tpid = 0;
  uint8_t pkttype = 0;  // PACKET_HOST, PACKET_OUTGOING, ...
};

// AF_PACKET receiver on one interface, with PACKET_AUXDATA so a VLAN tag the
// kernel moved into skb->vlan_tci is reported instead of silently lost.
class FrameCapture {
 public:
  FrameCapture(const NetNs& ns, const std::string& ifname);
  // Next frame received (outgoing frames skipped), or nullopt at the deadline.
  std::optional<CapturedFrame> next(std::chrono::milliseconds timeout);
  std::optional<CapturedFrame> next_matching(const std::function<bool(const CapturedFrame&)>& match,
                                             std::chrono::milliseconds timeout);

 private:
  UniqueFd fd_;
};

}  // namespace lw::test
