// SPDX-License-Identifier: GPL-2.0-only
// The daemon's policy file watch: inotify names the file for in-place writes
// and renames, and changed() compares content, not timestamps.
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "daemon/policy_watch.h"

namespace lw::daemon {
namespace {

class PolicyWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("lwtpw" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    file_ = (dir_ / "policy.toml").string();
    write(file_, "one");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  static void write(const std::string& path, const std::string& text) {
    std::ofstream(path) << text;
  }
  static bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return poll(&p, 1, 1000) == 1;
  }
  std::filesystem::path dir_;
  std::string file_;
};

TEST_F(PolicyWatchTest, ContentDecidesWhetherTheFileChanged) {
  PolicyWatch w(file_);
  w.remember("one");
  EXPECT_FALSE(w.changed());
  write(file_, "one");  // rewritten, same bytes: nothing to reload
  EXPECT_FALSE(w.changed());
  write(file_, "two");
  EXPECT_TRUE(w.changed());
  w.remember("two");
  EXPECT_FALSE(w.changed());
  std::filesystem::remove(file_);  // a vanished file keeps the running policy
  EXPECT_FALSE(w.changed());
}

TEST_F(PolicyWatchTest, InotifyReportsInPlaceWritesAndRenamesOfThatFileOnly) {
  PolicyWatch w(file_);
  write((dir_ / "other.toml").string(), "x");
  ASSERT_TRUE(readable(w.fd()));
  EXPECT_FALSE(w.drain());
  write(file_, "two");
  ASSERT_TRUE(readable(w.fd()));
  EXPECT_TRUE(w.drain());
  write((dir_ / "policy.toml.new").string(), "three");
  std::filesystem::rename(dir_ / "policy.toml.new", file_);
  ASSERT_TRUE(readable(w.fd()));
  EXPECT_TRUE(w.drain());
  EXPECT_FALSE(w.drain());  // drained
}

}  // namespace
}  // namespace lw::daemon
