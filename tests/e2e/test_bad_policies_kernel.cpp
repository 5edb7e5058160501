// SPDX-License-Identifier: GPL-2.0-only
// "A policy that fails validation changes nothing in the kernel" (docs/architecture.md),
// checked through the real binary: `lanewarden apply` of invalid policies
// exits 2 with the file:line:column error, creates no pin directory and
// attaches nothing. The exact texts are pinned by tests/unit/test_bad_policies.cpp.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/command.h"
#include "support/privilege.h"

namespace lw::test {
namespace {

struct Invalid {
  const char* name;
  std::string toml;
  std::string where_and_message;  // after the file name
};

const char* kNets = "[networks]\ncorosync = [\"198.51.100.0/26\"]\n";

std::vector<Invalid> invalid_policies() {
  return {
      {"empty", "", ":1:1: policy is empty"},
      {"binary", std::string("\x00\x01\x02\xff\xfe", 5), ":1:3: TOML syntax error"},
      {"bare_rate",
       std::string(kNets) + "[[lane]]\ninterface = \"lo\"\nclasses = [\"corosync\"]\n" +
           "[class.corosync]\ncap = 5120\n",
       ":7:7: 'cap': rate '5120' has no unit"},
      {"overlap",
       std::string(kNets) + "management = [\"198.51.100.0/24\"]\n" +
           "[[lane]]\ninterface = \"lo\"\nclasses = [\"corosync\"]\n",
       ":3:15: management network 198.51.100.0/24 overlaps corosync network"},
      // Valid to the parser; only the node knows the interface is missing. The
      // lane on lo comes first, so a half-applied policy would show on lo.
      {"missing_interface",
       std::string(kNets) + "[[lane]]\ninterface = \"lo\"\nclasses = [\"corosync\"]\n" +
           "[[lane]]\ninterface = \"lwtnosuch0\"\nclasses = [\"corosync\"]\n",
       ":6:1: interface 'lwtnosuch0' does not exist on this node"},
  };
}

TEST(BadPoliciesKernel, ApplyExitsTwoAndChangesNothing) {
  LW_REQUIRE_ROOT_OR_FAIL();
  const std::string pid = std::to_string(::getpid());
  const std::string pin_dir = "/sys/fs/bpf/lwtbad" + pid;
  const std::string lo_before = run_ok("tc qdisc show dev lo") +
                                run_ok("tc filter show dev lo ingress") +
                                run_ok("tc filter show dev lo egress");
  for (const auto& bad : invalid_policies()) {
    SCOPED_TRACE(bad.name);
    const std::string file = "/tmp/lwtbad" + pid + "-" + bad.name + ".toml";
    {
      std::ofstream out(file, std::ios::binary);
      out.write(bad.toml.data(), static_cast<std::streamsize>(bad.toml.size()));
    }
    auto r = run(std::string(LW_BINARY) + " --pin-dir " + pin_dir + " apply " + file);
    std::filesystem::remove(file);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(file + bad.where_and_message), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(pin_dir)) << "an invalid policy created " << pin_dir;
  }
  EXPECT_EQ(run_ok("tc qdisc show dev lo") + run_ok("tc filter show dev lo ingress") +
                run_ok("tc filter show dev lo egress"),
            lo_before)
      << "an invalid policy changed tc state on lo";
  std::filesystem::remove_all(pin_dir);  // only if the assertions above failed
}

}  // namespace
}  // namespace lw::test
