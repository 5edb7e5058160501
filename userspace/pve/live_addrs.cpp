// SPDX-License-Identifier: GPL-2.0-only
#include "pve/live_addrs.h"

#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"

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

}  // namespace lw::pve
