// SPDX-License-Identifier: GPL-2.0-only
#include "support/netns.h"

#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/addr.h"
#include "support/names.h"

namespace lw::test {

namespace {

std::runtime_error sys_error(const std::string& what, int err) {
  return std::runtime_error(what + ": " + std::strerror(err));
}

// Destructors must not throw; report what could not be removed instead.
void run_quietly(const std::string& cmd) noexcept {
  try {
    CommandResult r = run(cmd, 10s);
    if (!r.ok() && r.err.find("Cannot find device") == std::string::npos &&
        r.err.find("No such file") == std::string::npos &&
        r.err.find("Invalid \"netns\" value") == std::string::npos)
      std::cerr << "lw test cleanup: " << cmd << ": " << r.err;
  } catch (const std::exception& e) {
    std::cerr << "lw test cleanup: " << cmd << ": " << e.what() << "\n";
  }
}

UniqueFd open_netns(const std::string& name) {
  UniqueFd fd(::open(("/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) throw sys_error("open netns " + name, errno);
  return fd;
}

UniqueFd socket_in(const std::string& ns, int domain, int type, int protocol) {
  UniqueFd nsfd = open_netns(ns);
  int fd = -1, err = 0;
  // setns() changes only the calling thread; a throwaway thread keeps the
  // test's own threads in the root namespace whatever happens.
  std::thread joiner([&] {
    if (setns(nsfd.get(), CLONE_NEWNET) != 0) {
      err = errno;
      return;
    }
    fd = ::socket(domain, type | SOCK_CLOEXEC, protocol);
    if (fd < 0) err = errno;
  });
  joiner.join();
  if (fd < 0) throw sys_error("socket in netns " + ns, err);
  return UniqueFd(fd);
}

int ifindex_in(const std::string& ns, std::string_view ifname) {
  UniqueFd s = socket_in(ns, AF_INET, SOCK_DGRAM, 0);
  ifreq req{};
  if (ifname.size() >= IFNAMSIZ) throw std::invalid_argument("interface name too long");
  std::memcpy(req.ifr_name, ifname.data(), ifname.size());
  // Device ioctls resolve names in the socket's namespace.
  if (ioctl(s.get(), SIOCGIFINDEX, &req) != 0)
    throw sys_error("ifindex of " + std::string(ifname) + " in " + ns, errno);
  return req.ifr_ifindex;
}

}  // namespace

void add_test_address(const std::string& ns, const std::string& ifname, const std::string& cidr) {
  require_test_cidr(cidr);
  bool v6 = cidr.find(':') != std::string::npos;
  // nodad: a tentative address cannot be bound to for ~1 s, which would make
  // the first sends of a test fail for no reason of its own.
  run_ok("ip -n " + ns + " addr add " + cidr + " dev " + ifname + (v6 ? " nodad" : ""));
}

void delete_netns(const std::string& name) noexcept {
  try {
    CommandResult pids = run("ip netns pids " + name, 10s);
    std::istringstream in(pids.out);
    pid_t pid;
    while (in >> pid) {
      // Never ourselves: a test process is never inside, but be certain.
      if (pid > 1 && pid != getpid()) ::kill(pid, SIGKILL);
    }
  } catch (...) {
  }
  run_quietly("ip netns del " + name);
}

NetNs::NetNs(std::string_view prefix) : name_(unique_name(prefix, "", 64)) {
  run_ok("ip netns add " + name_);
  try {
    run_ok("ip -n " + name_ + " link set lo up");
  } catch (...) {
    destroy();
    throw;
  }
}

NetNs::~NetNs() { destroy(); }

NetNs::NetNs(NetNs&& other) noexcept : name_(std::exchange(other.name_, {})) {}

NetNs& NetNs::operator=(NetNs&& other) noexcept {
  if (this != &other) {
    destroy();
    name_ = std::exchange(other.name_, {});
  }
  return *this;
}

void NetNs::destroy() noexcept {
  if (name_.empty()) return;
  delete_netns(name_);
  name_.clear();
}

CommandResult NetNs::exec(const std::string& cmd, std::chrono::milliseconds timeout) const {
  return run("ip netns exec " + name_ + " sh -c " + shell_quote(cmd), timeout);
}

std::string NetNs::exec_ok(const std::string& cmd, std::chrono::milliseconds timeout) const {
  return run_ok("ip netns exec " + name_ + " sh -c " + shell_quote(cmd), timeout);
}

UniqueFd NetNs::socket(int domain, int type, int protocol) const {
  return socket_in(name_, domain, type, protocol);
}

int NetNs::ifindex(std::string_view ifname) const { return ifindex_in(name_, ifname); }

VethPair::VethPair(const NetNs& a, const NetNs& b, VethOptions o)
    : ns_a_(a.name()), ns_b_(b.name()) {
  name_a_ = o.name_a.empty() ? unique_name(o.prefix, "a") : o.name_a;
  name_b_ = o.name_b.empty() ? unique_name(o.prefix, "b") : o.name_b;
  require_test_name(name_a_);
  require_test_name(name_b_);
  for (const auto& c : o.addrs_a) require_test_cidr(c);
  for (const auto& c : o.addrs_b) require_test_cidr(c);
  std::string mtu = o.mtu ? " mtu " + std::to_string(*o.mtu) : "";
  // Created inside namespace A with the peer placed straight into B.
  run_ok("ip -n " + ns_a_ + " link add " + name_a_ + mtu + " type veth peer name " + name_b_ + mtu +
         " netns " + ns_b_);
  try {
    for (const auto& c : o.addrs_a) add_address_a(c);
    for (const auto& c : o.addrs_b) add_address_b(c);
    if (o.up) {
      run_ok("ip -n " + ns_a_ + " link set " + name_a_ + " up");
      run_ok("ip -n " + ns_b_ + " link set " + name_b_ + " up");
    }
  } catch (...) {
    destroy();
    throw;
  }
}

VethPair::~VethPair() { destroy(); }

VethPair::VethPair(VethPair&& o) noexcept
    : ns_a_(std::move(o.ns_a_)),
      ns_b_(std::move(o.ns_b_)),
      name_a_(std::exchange(o.name_a_, {})),
      name_b_(std::move(o.name_b_)) {}

VethPair& VethPair::operator=(VethPair&& o) noexcept {
  if (this != &o) {
    destroy();
    ns_a_ = std::move(o.ns_a_);
    ns_b_ = std::move(o.ns_b_);
    name_a_ = std::exchange(o.name_a_, {});
    name_b_ = std::move(o.name_b_);
  }
  return *this;
}

void VethPair::destroy() noexcept {
  if (name_a_.empty()) return;
  // Deleting one end deletes its peer. If the namespace is already gone the
  // pair went with it and this fails quietly.
  run_quietly("ip -n " + ns_a_ + " link del " + name_a_);
  name_a_.clear();
}

int VethPair::ifindex_a() const { return ifindex_in(ns_a_, name_a_); }
int VethPair::ifindex_b() const { return ifindex_in(ns_b_, name_b_); }
void VethPair::add_address_a(const std::string& cidr) const {
  add_test_address(ns_a_, name_a_, cidr);
}
void VethPair::add_address_b(const std::string& cidr) const {
  add_test_address(ns_b_, name_b_, cidr);
}

Bridge::Bridge(const NetNs& ns, BridgeOptions o) : ns_(ns.name()), name_(unique_name(o.prefix)) {
  // STP off explicitly: a listening/learning bridge would eat the first
  // seconds of traffic (and Proxmox bridges run with bridge-stp off).
  run_ok("ip -n " + ns_ + " link add " + name_ + " type bridge stp_state 0 forward_delay 0" +
         (o.vlan_filtering ? " vlan_filtering 1" : ""));
  try {
    run_ok("ip -n " + ns_ + " link set " + name_ + " up");
  } catch (...) {
    destroy();
    throw;
  }
}

Bridge::~Bridge() { destroy(); }

Bridge::Bridge(Bridge&& o) noexcept : ns_(std::move(o.ns_)), name_(std::exchange(o.name_, {})) {}

Bridge& Bridge::operator=(Bridge&& o) noexcept {
  if (this != &o) {
    destroy();
    ns_ = std::move(o.ns_);
    name_ = std::exchange(o.name_, {});
  }
  return *this;
}

void Bridge::destroy() noexcept {
  if (name_.empty()) return;
  run_quietly("ip -n " + ns_ + " link del " + name_);
  name_.clear();
}

void Bridge::add_port(const std::string& ifname) const {
  require_test_name(ifname);
  run_ok("ip -n " + ns_ + " link set " + ifname + " master " + name_ + " up");
}

}  // namespace lw::test
