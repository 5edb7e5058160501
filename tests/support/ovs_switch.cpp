// SPDX-License-Identifier: GPL-2.0-only
#include "support/ovs_switch.h"

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/names.h"

namespace lw::test {
namespace {

namespace fs = std::filesystem;

// Debian's openvswitch-common and openvswitch-switch.
constexpr const char* kSchema = "/usr/share/openvswitch/vswitch.ovsschema";
constexpr const char* kBinaries[] = {"ovsdb-tool", "ovsdb-server", "ovs-vswitchd", "ovs-vsctl",
                                     "ovs-appctl"};

// The pid in `pidfile` if that process is still running this instance
// (its command line names our directory): never signal anything else.
pid_t own_pid(const std::string& pidfile, const std::string& dir) {
  std::ifstream in(pidfile);
  pid_t pid = 0;
  if (!(in >> pid) || pid <= 1) return 0;
  std::ifstream cmd("/proc/" + std::to_string(pid) + "/cmdline");
  std::string cmdline((std::istreambuf_iterator<char>(cmd)), std::istreambuf_iterator<char>());
  return cmdline.find(dir) == std::string::npos ? 0 : pid;
}

bool wait_gone(pid_t pid, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (::kill(pid, 0) == 0) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

}  // namespace

std::string ovs_unavailable_reason() {
  std::string missing;
  for (const char* b : kBinaries)
    if (!run(std::string("command -v ") + b, 5s).ok()) missing += std::string(" ") + b;
  if (!fs::exists(kSchema)) missing += std::string(" ") + kSchema;
  if (missing.empty()) return {};
  return "Open vSwitch not installed (apt install openvswitch-switch), missing:" + missing;
}

OvsSwitch::OvsSwitch(const NetNs& ns, std::string_view tag) : ns_(ns.name()) {
  require_test_prefix("lwt" + std::string(tag));
  std::string tmpl = "/tmp/lwtovs-" + std::string(tag) + "-" + process_tag() + "-XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp " + tmpl + " failed");
  dir_ = tmpl;
  // OVS_RUNDIR/OVS_DBDIR/OVS_LOGDIR: the bridges' OpenFlow sockets and
  // anything else the daemons place by default go here too, not into
  // /var/run/openvswitch of the system's service.
  std::string env = "OVS_RUNDIR=" + dir_ + " OVS_DBDIR=" + dir_ + " OVS_LOGDIR=" + dir_ + " ";
  std::string in_ns = env + "ip netns exec " + ns_ + " ";
  try {
    run_ok("ovsdb-tool create " + dir_ + "/conf.db " + kSchema);
    run_ok(in_ns + "ovsdb-server " + dir_ + "/conf.db --remote=punix:" + dir_ +
           "/db.sock --pidfile=" + dir_ + "/ovsdb-server.pid --unixctl=" + dir_ +
           "/ovsdb-server.ctl --log-file=" + dir_ + "/ovsdb-server.log --detach --no-chdir");
    run_ok("ovs-vsctl --db=unix:" + dir_ + "/db.sock --no-wait init");
    run_ok(in_ns + "ovs-vswitchd unix:" + dir_ + "/db.sock --pidfile=" + dir_ +
               "/ovs-vswitchd.pid --unixctl=" + dir_ + "/ovs-vswitchd.ctl --log-file=" + dir_ +
               "/ovs-vswitchd.log --detach --no-chdir",
           30s);
  } catch (...) {
    stop();
    throw;
  }
}

OvsSwitch::~OvsSwitch() { stop(); }

std::string OvsSwitch::vsctl(const std::string& args) const {
  return run_ok("ovs-vsctl --db=unix:" + dir_ + "/db.sock --timeout=10 " + args, 15s);
}

CommandResult OvsSwitch::appctl(const std::string& args) const {
  return run("ovs-appctl -t " + dir_ + "/ovs-vswitchd.ctl " + args, 10s);
}

void OvsSwitch::stop() noexcept {
  if (dir_.empty()) return;
  try {
    // vswitchd first (it holds the taps and AF_PACKET sockets), then the
    // database; whatever does not leave on request is killed by its pid.
    for (const char* daemon : {"ovs-vswitchd", "ovsdb-server"}) {
      pid_t pid = own_pid(dir_ + "/" + daemon + ".pid", dir_);
      if (!pid) continue;
      run("ovs-appctl -t " + dir_ + "/" + daemon + ".ctl exit", 5s);
      if (!wait_gone(pid, 3s)) {
        ::kill(pid, SIGKILL);
        wait_gone(pid, 2s);
      }
    }
  } catch (...) {
  }
  std::error_code ec;
  fs::remove_all(dir_, ec);
  dir_.clear();
}

}  // namespace lw::test
