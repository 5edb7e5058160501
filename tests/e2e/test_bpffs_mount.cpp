// SPDX-License-Identifier: GPL-2.0-only
// A fresh machine without systemd as PID 1 has no BPF filesystem mounted.
// lanewarden then mounts one at /sys/fs/bpf itself, and only when it may not
// (no CAP_SYS_ADMIN, or a pin directory outside /sys/fs/bpf) does it stop
// with a clear error and change nothing. Every case runs in a private mount
// namespace (unshare -m) with bpffs unmounted, so the host's mounts and pins
// are never touched.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/command.h"
#include "support/privilege.h"
#include "support/topology.h"

namespace lw::test {
namespace {

std::string policy_for(const std::string& iface) {
  return "mode = \"audit\"\n[networks]\ncorosync = [\"198.51.100.0/24\"]\n"
         "[[lane]]\ninterface = \"" +
         iface + "\"\nclasses = [\"corosync\", \"other\"]\n";
}

class BpffsMountE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    topo_ = std::make_unique<Topology>(Topology::pair({.prefix = "lwtbm"}));
    policy_ = "/tmp/lwtbm" + std::to_string(::getpid()) + ".toml";
    std::ofstream(policy_) << policy_for(topo_->node_if(0));
  }
  void TearDown() override {
    std::filesystem::remove(policy_);
    topo_.reset();
  }

  // Runs `script` in a private mount namespace where no bpffs is mounted on
  // /sys/fs/bpf; `$LW`, `$NS`, `$POLICY` and `$PIN` are set for it.
  CommandResult in_fresh_mount_ns(const std::string& pin, const std::string& script) const {
    const std::string prologue =
        "set -u; while mountpoint -q /sys/fs/bpf; do umount -l /sys/fs/bpf || exit 99; done; "
        "LW=" +
        shell_quote(LW_BINARY) + " NS=" + shell_quote(topo_->node(0).name()) +
        " POLICY=" + shell_quote(policy_) + " PIN=" + shell_quote(pin) + "; ";
    return run("unshare -m --propagation private sh -c " + shell_quote(prologue + script), 90s);
  }
  std::string filters() const {
    const std::string dev = " dev " + topo_->node_if(0);
    return topo_->node(0).exec_ok("tc filter show" + dev + " ingress; tc filter show" + dev +
                                  " egress");
  }

  std::unique_ptr<Topology> topo_;
  std::string policy_;
};

TEST_F(BpffsMountE2E, ApplyMountsBpffsWhenNoneIsMounted) {
  const std::string pin = "/sys/fs/bpf/lwtbm" + std::to_string(::getpid());
  auto r =
      in_fresh_mount_ns(pin,
                        "mountpoint -q /sys/fs/bpf && exit 98; "
                        "\"$LW\" --netns \"$NS\" --pin-dir \"$PIN\" apply \"$POLICY\" || exit 1; "
                        "stat -f -c %T /sys/fs/bpf; test -e \"$PIN/lw_ingress\" || exit 2; "
                        "\"$LW\" --netns \"$NS\" --pin-dir \"$PIN\" detach || exit 3; "
                        "test -e \"$PIN\" && exit 4; exit 0");
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("bpf_fs"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("mounted a BPF filesystem at /sys/fs/bpf (none was mounted)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(filters(), "") << "detach left filters behind";
}

TEST_F(BpffsMountE2E, WithoutCapSysAdminItRefusesClearlyAndChangesNothing) {
  const std::string pin = "/sys/fs/bpf/lwtbn" + std::to_string(::getpid());
  // Root without CAP_SYS_ADMIN in its bounding set: may load BPF, may not
  // mount. It cannot setns(2) either, so it starts inside the namespace.
  auto r = in_fresh_mount_ns(pin,
                             "ip netns exec \"$NS\" setpriv --bounding-set -sys_admin "
                             "\"$LW\" --pin-dir \"$PIN\" apply \"$POLICY\"; "
                             "rc=$?; mountpoint -q /sys/fs/bpf && exit 97; exit $rc");
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("no BPF filesystem is mounted at /sys/fs/bpf and lanewarden may not "
                       "mount it here (no CAP_SYS_ADMIN); mount it with: mount -t bpf bpf "
                       "/sys/fs/bpf"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(filters(), "") << "a refused apply attached filters";
}

TEST_F(BpffsMountE2E, PinDirectoryOutsideSysFsBpfIsNotMountedOver) {
  const std::string pin = "/tmp/lwtbo" + std::to_string(::getpid());
  auto r = in_fresh_mount_ns(pin,
                             "\"$LW\" --netns \"$NS\" --pin-dir \"$PIN\" apply \"$POLICY\"; "
                             "rc=$?; mountpoint -q /sys/fs/bpf && exit 97; exit $rc");
  std::filesystem::remove_all(pin);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("pin directory " + pin + " is not on a BPF filesystem"), std::string::npos)
      << r.err;
  EXPECT_EQ(filters(), "") << "a refused apply attached filters";
}

}  // namespace
}  // namespace lw::test
