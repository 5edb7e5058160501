// SPDX-License-Identifier: GPL-2.0-only
#include "pve/live_addrs.h"

#include <fmt/format.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "common/bonding.h"
#include "common/error.h"
#include "pve/live_state.h"
#include "pve/text.h"

namespace lw::pve {

std::map<Address, std::string> read_address_devices() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) throw lw::SystemError("getifaddrs", errno);
  std::map<Address, std::string> out;
  for (ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr || !i->ifa_name) continue;
    Address a;
    if (i->ifa_addr->sa_family == AF_INET) {
      a.family = AF_INET;
      std::memcpy(a.bytes.data(), &reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr, 4);
    } else if (i->ifa_addr->sa_family == AF_INET6) {
      a.family = AF_INET6;
      std::memcpy(a.bytes.data(), &reinterpret_cast<sockaddr_in6*>(i->ifa_addr)->sin6_addr, 16);
    } else {
      continue;
    }
    out.emplace(a, i->ifa_name);  // the first device wins, as the file's owner_of does
  }
  freeifaddrs(list);
  return out;
}

std::map<std::string, std::string> read_link_macs() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) throw lw::SystemError("getifaddrs", errno);
  std::map<std::string, std::string> out;
  for (ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr || !i->ifa_name || i->ifa_addr->sa_family != AF_PACKET) continue;
    const auto* ll = reinterpret_cast<const sockaddr_ll*>(i->ifa_addr);
    if (ll->sll_halen != 6) continue;  // Ethernet only, as the pins' Type=ether
    const unsigned char* m = ll->sll_addr;
    out[i->ifa_name] = fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", m[0], m[1], m[2],
                                   m[3], m[4], m[5]);
  }
  freeifaddrs(list);
  for (auto& bond : read_bonds())
    for (auto& member : bond.members)
      if (!member.perm_mac.empty()) out[member.name] = member.perm_mac;
  return out;
}

std::map<std::string, std::vector<std::string>> read_udev_names() {
  std::map<std::string, std::vector<std::string>> out;
  struct stat self {
  }, init{};
  if (stat("/proc/self/ns/net", &self) != 0 || stat("/proc/1/ns/net", &init) != 0 ||
      self.st_ino != init.st_ino || self.st_dev != init.st_dev)
    return out;
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) throw lw::SystemError("getifaddrs", errno);
  for (ifaddrs* i = list; i; i = i->ifa_next) {
    if (!i->ifa_addr || !i->ifa_name || i->ifa_addr->sa_family != AF_PACKET) continue;
    int index = reinterpret_cast<const sockaddr_ll*>(i->ifa_addr)->sll_ifindex;
    if (auto db = read_optional("/run/udev/data/n" + std::to_string(index)))
      out[i->ifa_name] = parse_udev_net_names(*db);
  }
  freeifaddrs(list);
  return out;
}

}  // namespace lw::pve
