// SPDX-License-Identifier: GPL-2.0-only
// `lanewarden run` as a child process of the test, and a one-link node for
// it: namespace A (lanewarden) and B (peer) joined by one veth pair that is
// an exclusive Corosync lane and also holds misplaced Ceph public addresses.
//   A 198.51.100.1/24, 203.0.113.129/26  <->  B 198.51.100.2/24, 203.0.113.130/26
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/lanewarden_cli.h"
#include "support/names.h"
#include "support/netns.h"
#include "support/privilege.h"

namespace lw::test::daemon_e2e {

using Clock = std::chrono::steady_clock;

inline std::string one_link_policy(const std::string& mode, const std::string& iface) {
  return "mode = \"" + mode + "\"\n" + R"([networks]
corosync = ["198.51.100.0/24"]
ceph_public = ["203.0.113.128/26"]
[[lane]]
interface = ")" +
         iface + R"("
classes = ["corosync"]
exclusive = true
)";
}

inline void write_file(const std::string& path, const std::string& text) {
  // Write then rename, as an editor or config tool would: the daemon never
  // sees a half-written file.
  const std::string tmp = path + ".lwtnew";
  {
    std::ofstream f(tmp);
    f << text;
  }
  std::filesystem::rename(tmp, path);
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A running `lanewarden --netns NS --pin-dir DIR run ARGS`, output in a log
// file. The destructor SIGKILLs it if it still runs and removes the log.
class DaemonProcess {
 public:
  DaemonProcess(const std::string& netns, const std::string& pin_dir, const std::string& args) {
    log_ = "/tmp/" + unique_name("lwtrunlog", "", 64) + ".log";
    const std::string cmd =
        std::string(LW_BINARY) + " --netns " + netns + " --pin-dir " + pin_dir + " run " + args;
    pid_ = fork();
    if (pid_ == 0) {
      setpgid(0, 0);
      int fd = open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      dup2(fd, 1);
      dup2(fd, 2);
      int null = open("/dev/null", O_RDONLY);
      dup2(null, 0);
      // The test runner may block signals; the daemon must start clean.
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, nullptr);
      execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~DaemonProcess() {
    if (pid_ > 0 && !exit_code_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    std::error_code ec;
    std::filesystem::remove(log_, ec);
  }
  DaemonProcess(const DaemonProcess&) = delete;
  DaemonProcess& operator=(const DaemonProcess&) = delete;

  pid_t pid() const { return pid_; }
  std::string log() const { return read_file(log_); }

  // Waits until the log holds `text` `times` times; false at the deadline
  // or when the process exited first.
  bool wait_for_log(const std::string& text, std::chrono::milliseconds timeout = 10s,
                    size_t times = 1) {
    const auto end = Clock::now() + timeout;
    while (Clock::now() < end) {
      if (count(log(), text) >= times) return true;
      if (exited()) return count(log(), text) >= times;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }
  void signal(int sig) const { kill(pid_, sig); }
  // Exit code (128 + signal when killed), nullopt if still running at the deadline.
  std::optional<int> wait_exit(std::chrono::milliseconds timeout = 10s) {
    const auto end = Clock::now() + timeout;
    while (Clock::now() < end) {
      if (exited()) return exit_code_;
      std::this_thread::sleep_for(20ms);
    }
    return std::nullopt;
  }

  static size_t count(const std::string& hay, const std::string& needle) {
    size_t n = 0;
    for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) n++;
    return n;
  }

 private:
  bool exited() {
    if (exit_code_) return true;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) != pid_) return false;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return true;
  }
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::string log_;
};

// Prometheus text format -> {"name{labels}": value}, scraped with curl inside
// the namespace (the daemon's 127.0.0.1 is the namespace's loopback).
using Scrape = std::map<std::string, double>;

inline Scrape parse_prometheus_text(const std::string& text) {
  Scrape s;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    auto sp = line.rfind(' ');
    if (sp == std::string::npos) continue;
    s[line.substr(0, sp)] = std::stod(line.substr(sp + 1));
  }
  return s;
}

inline double value_or_zero(const Scrape& s, const std::string& series) {
  auto it = s.find(series);
  return it == s.end() ? 0 : it->second;
}

class RunNode : public ::testing::Test {
 protected:
  void SetUp() override {
    LW_REQUIRE_ROOT_OR_FAIL();
    a_ = std::make_unique<NetNs>("lwtrna");
    b_ = std::make_unique<NetNs>("lwtrnb");
    link_ =
        std::make_unique<VethPair>(*a_, *b_,
                                   VethOptions{.prefix = "lwtr",
                                               .addrs_a = {"198.51.100.1/24", "203.0.113.129/26"},
                                               .addrs_b = {"198.51.100.2/24", "203.0.113.130/26"}});
    node_ = std::make_unique<LanewardenNode>(LW_BINARY, a_->name(), unique_name("lwtrun", "", 64));
    policy_file_ = "/tmp/" + unique_name("lwtrunpol", "", 64) + ".toml";
  }
  void TearDown() override {
    daemon_.reset();
    node_.reset();  // detaches and removes the pins
    std::error_code ec;
    std::filesystem::remove(policy_file_, ec);
    link_.reset();
    b_.reset();
    a_.reset();
  }

  std::string iface() const { return link_->name_a(); }
  std::string policy(const std::string& mode) const { return one_link_policy(mode, iface()); }

  // Starts the daemon on `toml` and waits until it serves.
  DaemonProcess& start(const std::string& toml, const std::string& extra = "") {
    write_file(policy_file_, toml);
    daemon_ =
        std::make_unique<DaemonProcess>(a_->name(), node_->pin_dir(), policy_file_ + " " + extra);
    EXPECT_TRUE(daemon_->wait_for_log("running: policy")) << daemon_->log();
    return *daemon_;
  }

  Scrape scrape(uint16_t port = 9775) const {
    auto r =
        a_->exec("curl -sf --max-time 5 http://127.0.0.1:" + std::to_string(port) + "/metrics");
    EXPECT_TRUE(r.ok()) << r.err;
    return parse_prometheus_text(r.out);
  }

  std::string packets_series(const std::string& metric, const std::string& dir,
                             const std::string& cls, const std::string& verdict) const {
    return metric + "{iface=\"" + iface() + "\",dir=\"" + dir + "\",class=\"" + cls +
           "\",verdict=\"" + verdict + "\"}";
  }

  std::unique_ptr<NetNs> a_, b_;
  std::unique_ptr<VethPair> link_;
  std::unique_ptr<LanewardenNode> node_;
  std::unique_ptr<DaemonProcess> daemon_;
  std::string policy_file_;
};

}  // namespace lw::test::daemon_e2e
