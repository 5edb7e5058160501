// SPDX-License-Identifier: GPL-2.0-only
// A build without tcx (libbpf < 1.3: bookworm) says so and keeps clsact
// (docs/attach.md): `--attach tcx` is refused with the reason before
// anything changes, auto attaches through clsact, and status names the hook
// and why tcx is not used. tests/tcx/ covers builds with tcx.
#include <gtest/gtest.h>

#include <filesystem>

#include "test_run_support.h"

namespace lw::test {
namespace {

class AttachFallback : public daemon_e2e::RunNode {};

TEST_F(AttachFallback, WithoutTcxTheBuildRefusesTcxAndReportsClsact) {
  if (LW_HAVE_TCX) GTEST_SKIP() << "this build has tcx: tests/tcx (label tcx-e2e) covers it";
  const std::string file = "/tmp/" + unique_name("lwtafpol", "", 64) + ".toml";
  daemon_e2e::write_file(file, policy("audit"));
  auto refused = node_->run("apply " + file + " --attach tcx");
  EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("built against libbpf 1."), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("libbpf >= 1.3"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(node_->pin_dir())) << "a refused apply changed something";

  auto applied = node_->run("apply " + file);
  ASSERT_TRUE(applied.ok()) << applied.err;
  EXPECT_NE(applied.out.find("with clsact"), std::string::npos) << applied.out;
  for (const auto& o : node_->status()) {
    if (o.value("type", "") == "policy") {
      EXPECT_EQ(o.at("hook_support").get<std::string>().rfind("clsact only: built against", 0), 0u)
          << o;
    }
    if (o.value("type", "") == "iface") {
      EXPECT_EQ(o.at("hook"), "clsact") << o;
    }
  }
  EXPECT_NE(a_->exec_ok("tc filter show dev " + iface() + " ingress").find("lw_ingress"),
            std::string::npos);
  auto text = node_->run("status");
  EXPECT_NE(text.out.find("tc hooks: clsact only: built against libbpf"), std::string::npos)
      << text.out;
  std::error_code ec;
  std::filesystem::remove(file, ec);
}

}  // namespace
}  // namespace lw::test
