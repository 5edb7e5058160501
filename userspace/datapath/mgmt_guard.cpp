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
#include "frames/packet_builder.h"

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

// A TCP ACK segment from `src` to `dst`, as an established connection sends.
std::vector<uint8_t> tcp_frame(const lw::Address& src, uint16_t sport, const lw::Address& dst,
                               uint16_t dport) {
  frames::PacketBuilder b;
  if (src.family == AF_INET)
    b.ipv4(src.str(), dst.str());
  else
    b.ipv6(src.str(), dst.str());
  frames::TcpOpts ack;
  ack.flags = frames::kTcpAck;
  return b.tcp(sport, dport, ack).build();
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
