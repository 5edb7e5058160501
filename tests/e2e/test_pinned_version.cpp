// SPDX-License-Identifier: GPL-2.0-only
// The version on what is pinned: pins of a newer lanewarden are refused by
// every command with a clear error and nothing changes; a pinned map of
// another layout is never read as this build's struct, and an upgrade gives
// it a fresh map with one log line while the rest carries over.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "lanewarden.h"
#include "support/traffic.h"
#include "test_reconcile_support.h"

namespace lw::test::reconcile {
namespace {

class PinnedVersion : public MigrationNicNode {
 protected:
  std::string policy() const {
    return R"(mode = "audit"
[networks]
corosync = ["198.51.100.0/25"]
migration = ["203.0.113.0/26"]
[[lane]]
interface = ")" +
           coro_->name_a() + R"("
classes = ["corosync", "other"]
[[lane]]
interface = ")" +
           mig_->name_a() + R"("
classes = ["migration", "other"]
[class.migration]
cap = "50mbit"
)";
  }
  std::string meta() const { return node_->pin_dir() + "/lw_meta"; }
  // lw_meta's value as bpftool prints it ("0x01 0x00 ...").
  std::string meta_bytes() const {
    const auto j =
        nlohmann::json::parse(run_ok("bpftool -j map lookup pinned " + meta() + " key 0 0 0 0"));
    std::string out;
    for (const auto& b : j.at("value")) out += b.get<std::string>() + " ";
    return out;
  }
  void set_meta(const std::string& bytes) const {
    run_ok("bpftool map update pinned " + meta() + " key 0 0 0 0 value " + bytes);
  }
};

TEST_F(PinnedVersion, NewerPinsAreRefusedByEveryCommandAndNothingChanges) {
  node_->apply(policy());
  const std::string ours = meta_bytes();
  // Pinned-state version 99, as a future lanewarden would leave it.
  set_meta("99 0 0 0 16 0 0 0 1 2 3 4 5 6 7 8");
  const std::string before = [&] {
    // status refuses too, so the snapshot here is taken without it.
    std::string s;
    for (const auto& dev : nics())
      s += a_->exec_ok("tc filter show dev " + dev + " egress") +
           a_->exec_ok("tc class show dev " + dev);
    for (const auto& e : std::filesystem::directory_iterator(node_->pin_dir()))
      s += e.path().filename().string() + "\n";
    return s;
  }();
  const std::string file = "/tmp/" + unique_name("lwtrcv", "", 64) + ".toml";
  std::ofstream(file) << policy();
  for (const std::string& cmd : {"apply " + file, std::string("status"), std::string("detach"),
                                 std::string("confirm"), std::string("watch --count 1")}) {
    SCOPED_TRACE(cmd);
    const auto r = node_->run(cmd);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.err.find("pinned by a newer lanewarden (pinned-state version 99; this build knows "
                         "up to " +
                         std::to_string(LW_PIN_ABI_VERSION) + ")"),
              std::string::npos)
        << r.err;
  }
  std::filesystem::remove(file);
  std::string after;
  for (const auto& dev : nics())
    after += a_->exec_ok("tc filter show dev " + dev + " egress") +
             a_->exec_ok("tc class show dev " + dev);
  for (const auto& e : std::filesystem::directory_iterator(node_->pin_dir()))
    after += e.path().filename().string() + "\n";
  EXPECT_EQ(after, before);
  set_meta(ours);  // so that the fixture's detach can clean up
}

TEST_F(PinnedVersion, AMapOfAnotherLayoutIsNeverReadAndStartsOverOnUpgrade) {
  node_->apply(policy());
  UdpSink sink(*b_, "198.51.100.2", 5405);
  const auto send = [&](size_t n) {
    ASSERT_EQ(send_udp(*a_, {.dst = "198.51.100.2",
                             .dport = 5405,
                             .sport = 5405,
                             .src = "198.51.100.1",
                             .count = n}),
              n);
    ASSERT_EQ(sink.receive(n, 5s), n);
  };
  send(7);
  ASSERT_EQ(node_->packets(coro_->name_a(), "egress", "corosync"), 7u);

  // What an older build with another lw_counters layout (8-byte values)
  // would have pinned, and no lw_meta: pinned before versioning.
  const std::string fake = node_->pin_dir() + "/lwtrc_counters";
  run_ok("bpftool map create " + fake +
         " type percpu_array key 4 value 8 entries 65 name lw_counters");
  std::filesystem::rename(fake, node_->pin_dir() + "/lw_counters");
  std::filesystem::remove(meta());
  const auto status = node_->run("status");
  EXPECT_EQ(status.exit_code, 1);
  EXPECT_NE(status.err.find("the pinned lw_counters holds values of 8 bytes"), std::string::npos)
      << status.err;

  // The upgrade: one line names the map that starts over; the rest (links,
  // slots, violations, histograms) is carried and the NICs stay attached.
  const std::string file = "/tmp/" + unique_name("lwtrcv", "", 64) + ".toml";
  std::ofstream(file) << policy();
  const auto r = node_->run("apply " + file);
  std::filesystem::remove(file);
  ASSERT_TRUE(r.ok()) << r.err;
  // lw_counters is named first among the maps that start from zero (the
  // others listed there changed layout in pin ABI 2 as well).
  EXPECT_NE(r.err.find("upgrade: lw_counters"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("start from zero"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("lw_links start"), std::string::npos) << r.err;
  EXPECT_TRUE(std::filesystem::exists(meta()));
  EXPECT_EQ(node_->packets(coro_->name_a(), "egress", "corosync"), 0u);
  send(3);
  EXPECT_EQ(node_->packets(coro_->name_a(), "egress", "corosync"), 3u);
  EXPECT_NE(a_->exec_ok("tc class show dev " + mig_->name_a()).find("1a4e:22"), std::string::npos);
}

}  // namespace
}  // namespace lw::test::reconcile
