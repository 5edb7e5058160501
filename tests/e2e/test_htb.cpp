// SPDX-License-Identifier: GPL-2.0-only
// lanewarden's HTB through libnl-route in a test namespace: created with the
// planned classes, updated in place, never replacing a foreign root qdisc,
// and gone after removal.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <thread>

#include "shaping/htb.h"
#include "support/privilege.h"
#include "support/topology.h"

namespace lw::shaping {
namespace {

using lw::test::Topology;

// Runs `fn` inside the namespace from a thread of its own, so the test's
// main thread never changes namespace.
template <typename Fn>
void in_netns(const std::string& ns, Fn fn) {
  std::exception_ptr error;
  std::thread t([&] {
    try {
      int fd = ::open(("/var/run/netns/" + ns).c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) throw std::runtime_error("setns " + ns);
      ::close(fd);
      fn();
    } catch (...) {
      error = std::current_exception();
    }
  });
  t.join();
  if (error) std::rethrow_exception(error);
}

InterfacePlan plan_for(const std::string& iface, uint64_t cap) {
  InterfacePlan p;
  p.interface = iface;
  p.link_rate = 12'500'000;
  p.classes = {{kPriorityMinor, 1'250'000, 12'500'000, 0, "priority"},
               {capped_minor(LW_CLASS_MIGRATION), cap, cap, 1, "migration cap"},
               {kDefaultMinor, 10'000'000, 12'500'000, 1, "default"}};
  return p;
}

TEST(HtbE2E, CreatesUpdatesAndRemovesOnlyItsOwnQdisc) {
  LW_REQUIRE_ROOT_OR_FAIL();
  auto topo = Topology::pair({.prefix = "lwthb"});
  const std::string ns = topo.node(0).name(), dev = topo.node_if(0);
  const uint32_t ifindex = static_cast<uint32_t>(topo.node_ifindex(0));

  in_netns(ns, [&] { apply_htb(ifindex, plan_for(dev, 6'250'000)); });
  auto classes = topo.node(0).exec_ok("tc class show dev " + dev);
  EXPECT_NE(classes.find("class htb 1a4e:10"), std::string::npos) << classes;
  EXPECT_NE(classes.find("class htb 1a4e:22"), std::string::npos) << classes;
  EXPECT_NE(classes.find("rate 50Mbit ceil 50Mbit"), std::string::npos) << classes;
  EXPECT_NE(topo.node(0).exec_ok("tc qdisc show dev " + dev).find("htb 1a4e: root"),
            std::string::npos);

  // Update in place: a new cap, and a class dropped from the plan disappears.
  auto smaller = plan_for(dev, 2'500'000);
  smaller.classes.erase(smaller.classes.begin());
  in_netns(ns, [&] { apply_htb(ifindex, smaller); });
  classes = topo.node(0).exec_ok("tc class show dev " + dev);
  EXPECT_NE(classes.find("rate 20Mbit ceil 20Mbit"), std::string::npos) << classes;
  EXPECT_EQ(classes.find("1a4e:10 "), std::string::npos) << classes;

  bool removed = false;
  in_netns(ns, [&] { removed = remove_htb(ifindex); });
  EXPECT_TRUE(removed);
  EXPECT_EQ(topo.node(0).exec_ok("tc qdisc show dev " + dev).find("htb"), std::string::npos);
}

TEST(HtbE2E, RefusesToReplaceAForeignRootQdisc) {
  LW_REQUIRE_ROOT_OR_FAIL();
  auto topo = Topology::pair({.prefix = "lwthf"});
  const std::string ns = topo.node(0).name(), dev = topo.node_if(0);
  const uint32_t ifindex = static_cast<uint32_t>(topo.node_ifindex(0));
  topo.node(0).exec_ok("tc qdisc add dev " + dev + " root handle 1: htb default 1");
  try {
    in_netns(ns, [&] { apply_htb(ifindex, plan_for(dev, 6'250'000)); });
    FAIL() << "a foreign HTB was replaced";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("'htb 1:' that lanewarden did not create"),
              std::string::npos)
        << e.what();
  }
  bool removed = true;
  in_netns(ns, [&] { removed = remove_htb(ifindex); });
  EXPECT_FALSE(removed);
  EXPECT_NE(topo.node(0).exec_ok("tc qdisc show dev " + dev).find("htb 1: root"),
            std::string::npos);
}

}  // namespace
}  // namespace lw::shaping
