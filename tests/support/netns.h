// SPDX-License-Identifier: GPL-2.0-only
// RAII network namespaces, veth pairs and bridges for end-to-end tests.
// Every object is named "lwt..." (names.h) and removed in its destructor, so
// a failed ASSERT never leaves a namespace or link behind. Links are created
// directly inside their namespaces: the root namespace is never touched.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/command.h"
#include "support/designated_init.h"
#include "support/unique_fd.h"

namespace lw::test {

class NetNs {
 public:
  // Creates "<prefix>_<pid36>-<seq>" (prefix must be "lwt" + letters/digits)
  // and brings its loopback up.
  explicit NetNs(std::string_view prefix = "lwt");
  ~NetNs();
  NetNs(NetNs&& other) noexcept;
  NetNs& operator=(NetNs&& other) noexcept;
  NetNs(const NetNs&) = delete;
  NetNs& operator=(const NetNs&) = delete;

  const std::string& name() const { return name_; }

  // `ip netns exec NAME sh -c CMD`.
  CommandResult exec(const std::string& cmd, std::chrono::milliseconds timeout = 30s) const;
  std::string exec_ok(const std::string& cmd, std::chrono::milliseconds timeout = 30s) const;

  // A socket created inside the namespace (by a short-lived thread that
  // joins it), usable from any thread: a socket keeps its namespace.
  UniqueFd socket(int domain, int type, int protocol = 0) const;
  // Interface index of `ifname` inside the namespace; throws if missing.
  int ifindex(std::string_view ifname) const;

  // Kills the processes inside, deletes the namespace. Idempotent, no throw.
  void destroy() noexcept;

 private:
  std::string name_;
};

// Kills processes in the namespace `name` and deletes it; errors are ignored
// (used by destructors and by the stale-resource cleanup).
void delete_netns(const std::string& name) noexcept;

struct VethOptions {
  std::string prefix = "lwtv";                // names: unique_name(prefix, "a" / "b")
  std::string name_a, name_b;                 // explicit names instead (validated "lwt...", <= 15)
  std::vector<std::string> addrs_a, addrs_b;  // "198.51.100.1/24", "2001:db8::1/64"
  std::optional<int> mtu;
  bool up = true;
};

// A veth pair with end A in namespace `a` and end B in namespace `b`.
class VethPair {
 public:
  VethPair(const NetNs& a, const NetNs& b, VethOptions opts = {});
  ~VethPair();
  VethPair(VethPair&& other) noexcept;
  VethPair& operator=(VethPair&& other) noexcept;
  VethPair(const VethPair&) = delete;
  VethPair& operator=(const VethPair&) = delete;

  const std::string& name_a() const { return name_a_; }
  const std::string& name_b() const { return name_b_; }
  const std::string& ns_a() const { return ns_a_; }
  const std::string& ns_b() const { return ns_b_; }
  int ifindex_a() const;
  int ifindex_b() const;
  // Adds a test-range address (addr.h policy; IPv6 without DAD delay).
  void add_address_a(const std::string& cidr) const;
  void add_address_b(const std::string& cidr) const;

 private:
  void destroy() noexcept;
  std::string ns_a_, ns_b_, name_a_, name_b_;
};

struct BridgeOptions {
  std::string prefix = "lwtbr";
  bool vlan_filtering = false;
};

// A Linux bridge acting as a switch. It lives in a namespace of its own
// (never the root one): a bridge there could answer for the uplink's network.
class Bridge {
 public:
  explicit Bridge(const NetNs& ns, BridgeOptions opts = {});
  ~Bridge();
  Bridge(Bridge&& other) noexcept;
  Bridge& operator=(Bridge&& other) noexcept;
  Bridge(const Bridge&) = delete;
  Bridge& operator=(const Bridge&) = delete;

  const std::string& name() const { return name_; }
  // Enslaves `ifname` (already in the bridge's namespace) and brings it up.
  void add_port(const std::string& ifname) const;

 private:
  void destroy() noexcept;
  std::string ns_, name_;
};

// `ip -n NS addr add CIDR dev IFNAME` after checking the test-address policy.
void add_test_address(const std::string& ns, const std::string& ifname, const std::string& cidr);

}  // namespace lw::test
