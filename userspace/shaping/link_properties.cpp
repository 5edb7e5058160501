// SPDX-License-Identifier: GPL-2.0-only
#include "shaping/link_properties.h"

#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "common/fd.h"

namespace lw::shaping {
namespace {

// An ifreq naming `interface`; false when the name does not fit.
bool name_request(const std::string& interface, ifreq& req) {
  std::memset(&req, 0, sizeof(req));
  if (interface.empty() || interface.size() >= IFNAMSIZ) return false;
  std::memcpy(req.ifr_name, interface.data(), interface.size());
  return true;
}

// Any socket of the namespace answers interface ioctls.
UniqueFd control_socket() { return UniqueFd(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)); }

}  // namespace

std::optional<uint32_t> link_mtu(const std::string& interface) {
  ifreq req;
  if (!name_request(interface, req)) return std::nullopt;
  UniqueFd sock = control_socket();
  if (!sock || ::ioctl(sock.get(), SIOCGIFMTU, &req) != 0 || req.ifr_mtu <= 0) return std::nullopt;
  return static_cast<uint32_t>(req.ifr_mtu);
}

std::optional<uint32_t> link_speed_mbit(const std::string& interface) {
  ifreq req;
  if (!name_request(interface, req)) return std::nullopt;
  ethtool_cmd cmd{};
  cmd.cmd = ETHTOOL_GSET;
  req.ifr_data = reinterpret_cast<char*>(&cmd);
  UniqueFd sock = control_socket();
  if (!sock || ::ioctl(sock.get(), SIOCETHTOOL, &req) != 0) return std::nullopt;
  const uint32_t mbit = ethtool_cmd_speed(&cmd);
  if (mbit == 0 || mbit == static_cast<uint32_t>(SPEED_UNKNOWN)) return std::nullopt;
  return mbit;
}

}  // namespace lw::shaping
