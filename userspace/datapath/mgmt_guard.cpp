// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/mgmt_guard.h"

#include <ifaddrs.h>
#include <linux/pkt_cls.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>

#include "common/error.h"
#include "datapath/datapath.h"
#include "datapath/names.h"
#include "datapath/test_run.h"

namespace lw::datapath {
namespace {

struct IfaddrsDeleter {
  void operator()(ifaddrs* p) const { freeifaddrs(p); }
};

// Name of the local interface holding `a`, "" if none (in this netns).
std::string iface_holding(const lw::Address& a) {
  ifaddrs* raw = nullptr;
  if (getifaddrs(&raw) != 0) return "";
  std::unique_ptr<ifaddrs, IfaddrsDeleter> list(raw);
  for (ifaddrs* i = raw; i; i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != a.family) continue;
    const void* bytes =
        a.family == AF_INET
            ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr)
            : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(i->ifa_addr)->sin6_addr);
    if (std::memcmp(bytes, a.bytes.data(), a.family == AF_INET ? 4 : 16) == 0) return i->ifa_name;
  }
  return "";
}

void put16(std::vector<uint8_t>& f, size_t off, uint16_t v) {
  f[off] = static_cast<uint8_t>(v >> 8);
  f[off + 1] = static_cast<uint8_t>(v);
}

// A TCP ACK segment from `src` to `dst`; only what classification reads.
std::vector<uint8_t> tcp_frame(const lw::Address& src, uint16_t sport, const lw::Address& dst,
                               uint16_t dport) {
  const bool v4 = src.family == AF_INET;
  const size_t l3 = v4 ? 20 : 40;
  std::vector<uint8_t> f(14 + l3 + 20, 0);
  put16(f, 12, v4 ? 0x0800 : 0x86DD);
  uint8_t* ip = &f[14];
  if (v4) {
    ip[0] = 0x45;
    put16(f, 16, static_cast<uint16_t>(l3 + 20));
    ip[8] = 64;
    ip[9] = IPPROTO_TCP;
    std::memcpy(ip + 12, src.bytes.data(), 4);
    std::memcpy(ip + 16, dst.bytes.data(), 4);
  } else {
    ip[0] = 0x60;
    put16(f, 18, 20);
    ip[6] = IPPROTO_TCP;
    ip[7] = 64;
    std::memcpy(ip + 8, src.bytes.data(), 16);
    std::memcpy(ip + 24, dst.bytes.data(), 16);
  }
  const size_t th = 14 + l3;
  put16(f, th, sport);
  put16(f, th + 2, dport);
  f[th + 12] = 5 << 4;
  f[th + 13] = 0x10;  // ACK: an established connection
  return f;
}

}  // namespace

std::optional<SshConnection> parse_ssh_connection(const std::string& env) {
  std::istringstream in(env);
  std::string c, cp, s, sp, extra;
  if (!(in >> c >> cp >> s >> sp) || (in >> extra)) return std::nullopt;
  SshConnection conn;
  auto client = lw::parse_address(c);
  auto server = lw::parse_address(s);
  if (!client || !server || client->family != server->family) return std::nullopt;
  auto port = [](const std::string& t) -> std::optional<uint16_t> {
    if (t.empty() || t.size() > 5 || t.find_first_not_of("0123456789") != std::string::npos)
      return std::nullopt;
    unsigned long v = std::stoul(t);
    if (v == 0 || v > 65535) return std::nullopt;
    return static_cast<uint16_t>(v);
  };
  auto cport = port(cp), sport = port(sp);
  if (!cport || !sport) return std::nullopt;
  conn.client = *client;
  conn.server = *server;
  conn.client_port = *cport;
  conn.server_port = *sport;
  return conn;
}

std::optional<std::string> management_drop_reason(const CompiledPolicy& compiled,
                                                  const SshConnection& conn) {
  const std::string ifname = iface_holding(conn.server);
  if (ifname.empty()) {
    spdlog::debug("SSH_CONNECTION server address {} is not on a local interface: not checked",
                  conn.server.str());
    return std::nullopt;
  }
  const IfaceBinding* bound = nullptr;
  for (const auto& b : compiled.ifaces)
    if (b.name == ifname) bound = &b;
  if (!bound) return std::nullopt;  // lanewarden will not attach there

  Sandbox sandbox;
  sandbox.install(*compiled.value);
  RunOptions o;
  o.ifindex = bound->ifindex;
  auto in = sandbox.run(LW_DIR_INGRESS,
                        tcp_frame(conn.client, conn.client_port, conn.server, conn.server_port), o);
  auto out = sandbox.run(
      LW_DIR_EGRESS, tcp_frame(conn.server, conn.server_port, conn.client, conn.client_port), o);
  if (in.retval != TC_ACT_SHOT && out.retval != TC_ACT_SHOT) return std::nullopt;
  return "this policy would drop the SSH connection you are running it from (" + conn.client.str() +
         ":" + std::to_string(conn.client_port) + " -> " + conn.server.str() + ":" +
         std::to_string(conn.server_port) + " on " + ifname + ", " +
         (in.retval == TC_ACT_SHOT ? "ingress" : "egress") +
         "); allow its class on that lane, or use --force (with --confirm SECONDS to be safe)";
}

void guard_ssh_session(const char* ssh_connection, bool force, const DropReasonFn& drop_reason) {
  if (!ssh_connection || !*ssh_connection) return;
  auto conn = parse_ssh_connection(ssh_connection);
  if (!conn) {
    spdlog::warn("cannot parse SSH_CONNECTION '{}': the management connection is not checked",
                 ssh_connection);
    return;
  }
  auto reason = drop_reason(*conn);
  if (!reason) return;
  if (force) {
    spdlog::warn("{} (applied anyway: --force)", *reason);
    return;
  }
  throw UsageError(*reason);
}

void guard_ssh_session(const policy::Policy& policy, const std::string& pin_dir, bool force) {
  guard_ssh_session(std::getenv("SSH_CONNECTION"), force, [&](const SshConnection& conn) {
    // Compiled only when there is a session to protect: it reads the pins.
    return management_drop_reason(compile_for_this_node(policy, pin_dir), conn);
  });
}

}  // namespace lw::datapath
