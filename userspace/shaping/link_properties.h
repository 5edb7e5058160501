// SPDX-License-Identifier: GPL-2.0-only
// An interface's MTU and line speed as the kernel reports them in the
// calling thread's network namespace. /sys/class/net shows the namespace
// sysfs was mounted in, not the one `--netns` entered (`ip netns exec`
// remounts /sys, setns() does not), so these ask through a socket instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace lw::shaping {

// SIOCGIFMTU; nullopt for an interface that does not exist.
std::optional<uint32_t> link_mtu(const std::string& interface);

// The negotiated speed in Mbit/s (SIOCETHTOOL, ETHTOOL_GSET: what ethtool and
// /sys/class/net/IF/speed print); nullopt when unknown (a link that is down,
// a driver without link settings) or for an interface that does not exist.
std::optional<uint32_t> link_speed_mbit(const std::string& interface);

}  // namespace lw::shaping
