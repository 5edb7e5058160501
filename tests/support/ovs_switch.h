// SPDX-License-Identifier: GPL-2.0-only
// A private Open vSwitch for end-to-end tests: its own ovsdb-server and
// ovs-vswitchd inside a test namespace, with the database, pid files, logs
// and control sockets in a temporary directory of its own, so it never
// touches (or needs) the system's openvswitch-switch service. Bridges use
// the userspace datapath (datapath_type=netdev): system ports through
// AF_PACKET, internal ports as tap devices, VLANs and bonds in userspace,
// which works without the openvswitch kernel module.
#pragma once

#include <string>
#include <string_view>

#include "support/netns.h"

namespace lw::test {

// Empty when the Open vSwitch binaries and schema are installed (Debian's
// openvswitch-switch); otherwise what is missing.
std::string ovs_unavailable_reason();

class OvsSwitch {
 public:
  // Starts ovsdb-server and ovs-vswitchd inside `ns`; `tag` (letters and
  // digits) names the directory, /tmp/lwtovs-<tag>-<pid>. Throws (after
  // stopping whatever it started) when either daemon does not come up.
  OvsSwitch(const NetNs& ns, std::string_view tag);
  ~OvsSwitch();
  OvsSwitch(const OvsSwitch&) = delete;
  OvsSwitch& operator=(const OvsSwitch&) = delete;

  // `ovs-vsctl ARGS` against this instance's database (ARGS shell-quoted
  // by the caller); throws CommandError on failure. Waits until
  // ovs-vswitchd has applied the change, as ifupdown's hooks do.
  std::string vsctl(const std::string& args) const;
  // `ovs-appctl -t <ovs-vswitchd's control socket> ARGS`.
  CommandResult appctl(const std::string& args) const;
  const std::string& dir() const { return dir_; }

 private:
  void stop() noexcept;
  std::string ns_, dir_;
};

}  // namespace lw::test
