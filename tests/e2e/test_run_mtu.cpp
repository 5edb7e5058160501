// SPDX-License-Identifier: GPL-2.0-only
// `lanewarden run` follows a lane's MTU: the HTB rate of a payload cap
// carries the headers of the lane's MTU (shaping/shaping_plan.h), so when
// the MTU changes under the running daemon (`ip link set DEV mtu N`), the
// daemon hears it over rtnetlink and installs the rate of the new MTU.
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>

#include "shaping/htb.h"
#include "shaping/shaping_plan.h"
#include "test_run_support.h"

namespace lw::test::daemon_e2e {
namespace {

constexpr uint64_t kCapBytes = 10ull * 1024 * 1024;  // "10MiB/s" below

// The HTB rate of the migration cap class on `dev` in namespace `ns`, read
// through libnl from a thread of its own (the test's thread keeps its
// namespace); 0 when there is no such class.
uint64_t cap_rate(const std::string& ns, const std::string& dev) {
  uint64_t rate = 0;
  std::thread t([&] {
    int fd = ::open(("/var/run/netns/" + ns).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) return;
    ::close(fd);
    auto plan = shaping::read_htb(if_nametoindex(dev.c_str()), dev);
    if (!plan) return;
    for (auto& c : plan->classes)
      if (c.minor == shaping::capped_minor(LW_CLASS_MIGRATION)) rate = c.rate;
  });
  t.join();
  return rate;
}

// Within half a percent: the kernel keeps the rate in bytes/s, the two MTUs
// below differ by 3.8 %.
bool close_to(uint64_t got, uint64_t want) {
  return got > 0 && std::fabs(static_cast<double>(got) - static_cast<double>(want)) <=
                        0.005 * static_cast<double>(want);
}

class RunMtu : public RunNode {};

TEST_F(RunMtu, HtbRateFollowsALaneMtuChange) {
  auto& d = start(
      "mode = \"audit\"\n[networks]\ncorosync = [\"198.51.100.0/24\"]\n"
      "migration = [\"203.0.113.128/26\"]\n[[lane]]\ninterface = \"" +
          iface() +
          "\"\nclasses = [\"corosync\", \"migration\"]\n[class.migration]\n"
          "cap = \"10MiB/s\"\ncap_mode = \"shape\"\n",
      "--metrics off");
  ASSERT_TRUE(d.wait_for_log("policy generation 1 in force")) << d.log();
  const uint64_t at_1500 = shaping::frame_rate_for_payload(kCapBytes, 1500);
  const uint64_t at_9000 = shaping::frame_rate_for_payload(kCapBytes, 9000);
  ASSERT_FALSE(close_to(at_1500, at_9000));
  EXPECT_TRUE(close_to(cap_rate(a_->name(), iface()), at_1500))
      << cap_rate(a_->name(), iface()) << " vs " << at_1500;

  a_->exec_ok("ip link set dev " + iface() + " mtu 9000");
  ASSERT_TRUE(d.wait_for_log("MTU changed (" + iface() + " 1500 -> 9000)", 5s)) << d.log();
  const auto deadline = Clock::now() + 5s;
  while (!close_to(cap_rate(a_->name(), iface()), at_9000) && Clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(close_to(cap_rate(a_->name(), iface()), at_9000))
      << cap_rate(a_->name(), iface()) << " vs " << at_9000 << "\n"
      << d.log();
  EXPECT_EQ(DaemonProcess::count(d.log(), "MTU changed"), 1u) << d.log();

  // Back down, and an MTU change on an interface the policy does not name
  // (the peer's end in the other namespace, loopback here) changes nothing.
  a_->exec_ok("ip link set dev lo mtu 60000");
  a_->exec_ok("ip link set dev " + iface() + " mtu 1500");
  ASSERT_TRUE(d.wait_for_log("MTU changed (" + iface() + " 9000 -> 1500)", 5s)) << d.log();
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(close_to(cap_rate(a_->name(), iface()), at_1500)) << d.log();
  EXPECT_EQ(DaemonProcess::count(d.log(), "MTU changed"), 2u) << d.log();
}

}  // namespace
}  // namespace lw::test::daemon_e2e
