// SPDX-License-Identifier: GPL-2.0-only
#include "daemon/daemon.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>

#include <atomic>
#include <cerrno>
#include <cmath>
#include <memory>
#include <mutex>

#include "common/error.h"
#include "corosync/health_poller.h"
#include "daemon/event_log.h"
#include "daemon/link_watch.h"
#include "daemon/policy_watch.h"
#include "daemon/probe_runner.h"
#include "daemon/sd_notify.h"
#include "daemon/signals.h"
#include "datapath/datapath.h"
#include "datapath/mgmt_guard.h"
#include "datapath/pin_version.h"
#include "datapath/pinned_state.h"
#include "metrics/corosync_families.h"
#include "metrics/server.h"
#include "policy/parse.h"

namespace lw::daemon {
namespace {

// What the loop's epoll reports, by the fd's role.
enum Source : uint64_t { kSignal = 1, kPolicyFile, kEvents, kTimer, kLinks };

using namespace std::chrono_literals;
constexpr auto kCorosyncInterval = 1s;
constexpr auto kCorosyncTimeout = 2s;

UniqueFd make_timer(double seconds) {
  UniqueFd fd(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  if (!fd) throw SystemError("timerfd_create failed", errno);
  itimerspec its{};
  const double whole = std::floor(seconds);
  its.it_interval.tv_sec = static_cast<time_t>(whole);
  its.it_interval.tv_nsec = static_cast<long>((seconds - whole) * 1e9);
  if (its.it_interval.tv_sec == 0 && its.it_interval.tv_nsec == 0) its.it_interval.tv_nsec = 1;
  its.it_value = its.it_interval;
  if (timerfd_settime(fd.get(), 0, &its, nullptr) != 0)
    throw SystemError("timerfd_settime failed", errno);
  return fd;
}

void epoll_add(int epfd, int fd, Source s) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = s;
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) != 0) throw SystemError("epoll_ctl failed", errno);
}

class Daemon {
 public:
  explicit Daemon(const DaemonOptions& o) : opts_(o), watch_(o.policy_file) {}

  int run() {
    links_ = std::make_unique<LinkWatch>();  // before the first apply: it knows the MTUs then
    start();
    epoll_ = UniqueFd(epoll_create1(EPOLL_CLOEXEC));
    if (!epoll_) throw SystemError("epoll_create1 failed", errno);
    timer_ = make_timer(opts_.recheck_seconds);
    epoll_add(epoll_.get(), signals_.fd(), kSignal);
    epoll_add(epoll_.get(), watch_.fd(), kPolicyFile);
    epoll_add(epoll_.get(), events_->fd(), kEvents);
    epoll_add(epoll_.get(), timer_.get(), kTimer);
    epoll_add(epoll_.get(), links_->fd(), kLinks);
    sd_notify("READY=1\nSTATUS=enforcing " + opts_.policy_file);
    spdlog::info("running: policy {}, pins {}{}", opts_.policy_file, opts_.pin_dir,
                 server_ ? fmt::format(", metrics on port {}", server_->port()) : "");

    for (;;) {
      epoll_event evs[8];
      int n = epoll_wait(epoll_.get(), evs, 8, -1);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw SystemError("epoll_wait failed", errno);
      }
      for (int i = 0; i < n; i++) {
        switch (evs[i].data.u64) {
          case kSignal:
            if (int sig = signals_.read_signal(); sig && handle_signal(sig)) return stop(sig);
            break;
          case kPolicyFile:
            if (watch_.drain() && watch_.changed()) reload("the policy file changed");
            break;
          case kEvents:
            events_->consume();
            break;
          case kLinks:
            if (auto changes = links_->drain(); !changes.empty()) mtu_changed(changes);
            break;
          case kTimer: {
            uint64_t ticks;
            [[maybe_unused]] auto r = read(timer_.get(), &ticks, sizeof(ticks));
            if (watch_.changed()) reload("the policy file's content changed");
            break;
          }
        }
      }
    }
  }

 private:
  void start() {
    // Pins of a newer lanewarden are refused here, before anything changes.
    switch (datapath::inspect_pins(opts_.pin_dir)) {
      case datapath::PinsAre::current:
        spdlog::info("adopting the enforcement pinned under {} (programs stay attached)",
                     opts_.pin_dir);
        break;
      case datapath::PinsAre::older:
      case datapath::PinsAre::other_programs:
        spdlog::info(
            "taking over the enforcement another lanewarden build pinned under {}: its "
            "programs are replaced in place",
            opts_.pin_dir);
        break;
      default:
        break;
    }
    // The first policy must be valid: there is nothing of ours to keep.
    apply_file();
    state_ = std::make_unique<datapath::PinnedState>(datapath::PinnedState::open(opts_.pin_dir));
    events_ = std::make_unique<EventLog>(state_->events());
    collector_ = std::make_shared<metrics::Collector>(opts_.pin_dir);
    collector_->add_source([this](metrics::Families& out) { daemon_families(out); });
    collector_->add_source([this](metrics::Families& out) { probes_.families(out); });
    if (!opts_.metrics.empty() && opts_.metrics != "off") {
      auto addr = metrics::parse_listen_address(opts_.metrics);
      if (!addr.loopback())
        spdlog::warn(
            "metrics are served on {}, not only on loopback: counters reveal the "
            "node's traffic mix",
            addr.civetweb());
      // Corosync's statistics are read once a second off the scrape's
      // path: a stuck corosync shows as lanewarden_corosync_up 0 after
      // kCorosyncTimeout instead of hanging the scrape.
      corosync_ = std::make_unique<corosync::HealthPoller>(corosync::read_knet_stats,
                                                           kCorosyncInterval, kCorosyncTimeout);
      collector_->add_source([this](metrics::Families& out) {
        for (auto& f : metrics::corosync_families(corosync_->latest())) out.push_back(std::move(f));
      });
      server_ = std::make_unique<metrics::MetricsServer>(addr, collector_);
    }
  }

  // Parses, checks and applies the file; throws on any problem.
  void apply_file() {
    std::string content;
    if (!read_whole_file(opts_.policy_file, content))
      throw UsageError(fmt::format("cannot read policy file {}", opts_.policy_file));
    auto p = std::make_shared<policy::Policy>(policy::parse_string(content, opts_.policy_file));
    if (opts_.mode) p->mode = *opts_.mode;
    // The same refusal as `apply`: a policy that would drop the SSH session
    // the daemon was started from is not applied (unless --force).
    datapath::guard_ssh_session(*p, opts_.pin_dir, opts_.force);
    auto report = datapath::apply_policy(*p, opts_.pin_dir, {.attach = opts_.attach});
    if (report.loaded_programs) spdlog::info("loaded BPF programs, pinned under {}", opts_.pin_dir);
    spdlog::info("policy generation {} in force ({} mode) on {} interface(s) with {}{}",
                 report.generation, policy::mode_name(p->mode), report.ifaces.size(),
                 datapath::mechanism_name(report.mechanism),
                 report.detached.empty()
                     ? ""
                     : fmt::format(", detached from {}", fmt::join(report.detached, ", ")));
    watch_.remember(content);
    // After the swap: probes follow the policy in force (a reload that keeps
    // the same peers keeps the running prober and its counts).
    probes_.reconfigure(*p);
    std::vector<std::string> lanes;
    for (auto& l : p->lanes) lanes.push_back(l.interface);
    links_->track(lanes);
    std::lock_guard lock(mu_);
    policy_ = std::move(p);
  }

  // A reload never makes things worse: any failure keeps the policy in force.
  void reload(const char* why) {
    spdlog::info("reloading {}: {}", opts_.policy_file, why);
    sd_notify("RELOADING=1");
    try {
      apply_file();
      reloads_ok_++;
      last_reload_ok_ = true;
    } catch (const std::exception& e) {
      reloads_failed_++;
      last_reload_ok_ = false;
      spdlog::error("reload refused, the running policy stays in force: {}", e.what());
      // Do not retry the same bytes every timer tick.
      std::string content;
      if (read_whole_file(opts_.policy_file, content)) watch_.remember(content);
    }
    sd_notify("READY=1");
  }

  // A payload cap's HTB rate is computed from the lane's MTU
  // (shaping/shaping_plan.h): the policy in force is applied again, which
  // reads every lane's MTU anew. A failure keeps the rates in force.
  void mtu_changed(const std::vector<MtuChange>& changes) {
    std::vector<std::string> what;
    for (auto& c : changes) what.push_back(fmt::format("{} {} -> {}", c.iface, c.from, c.to));
    std::shared_ptr<const policy::Policy> p;
    {
      std::lock_guard lock(mu_);
      p = policy_;
    }
    try {
      auto report = datapath::apply_policy(*p, opts_.pin_dir, {.attach = opts_.attach});
      spdlog::info("MTU changed ({}): shaping recomputed (policy generation {})",
                   fmt::join(what, ", "), report.generation);
    } catch (const std::exception& e) {
      spdlog::error(
          "MTU changed ({}), but recomputing the shaping failed; the rates in force "
          "stay: {}",
          fmt::join(what, ", "), e.what());
    }
  }

  // True when the signal ends the daemon.
  bool handle_signal(int sig) {
    if (sig == SIGHUP) {
      reload("SIGHUP");
      return false;
    }
    return true;
  }

  int stop(int sig) {
    sd_notify("STOPPING=1");
    spdlog::info("{} received", sig == SIGTERM ? "SIGTERM" : "SIGINT");
    events_->consume();
    probes_.stop();
    server_.reset();
    corosync_.reset();
    events_.reset();
    state_.reset();
    if (opts_.detach_on_exit) {
      auto names = datapath::detach_all(opts_.pin_dir);
      spdlog::info("detached from {} interface(s) and removed the pins (--detach-on-exit)",
                   names.size());
    } else {
      spdlog::info("enforcement stays in place, pinned under {}; 'lanewarden detach' removes it",
                   opts_.pin_dir);
    }
    return kExitOk;
  }

  void daemon_families(metrics::Families& out) const {
    using prometheus::MetricType;
    auto reloads = metrics::family("lanewarden_policy_reloads_total",
                                   "Policy reloads by the daemon (SIGHUP or a changed file)",
                                   MetricType::Counter);
    metrics::add_counter(reloads, {{"result", "applied"}}, static_cast<double>(reloads_ok_));
    metrics::add_counter(reloads, {{"result", "refused"}}, static_cast<double>(reloads_failed_));
    out.push_back(std::move(reloads));
    // As prometheus_config_last_reload_successful: 0 from a refused reload
    // until one is applied, so an alert clears when the file is fixed.
    auto last = metrics::family("lanewarden_policy_last_reload_successful",
                                "0 while the last reload of the policy file was refused (the "
                                "previous policy stays in force), else 1",
                                MetricType::Gauge);
    metrics::add_gauge(last, {}, last_reload_ok_ ? 1 : 0);
    out.push_back(std::move(last));
    auto logged =
        metrics::family("lanewarden_events_logged_total",
                        "Violation events the daemon read and logged", MetricType::Counter);
    metrics::add_counter(logged, {}, static_cast<double>(logged_snapshot()));
    out.push_back(std::move(logged));
    std::shared_ptr<const policy::Policy> p;
    {
      std::lock_guard lock(mu_);
      p = policy_;
    }
    if (p)
      for (auto& f : metrics::policy_families(*p)) out.push_back(std::move(f));
  }

  uint64_t logged_snapshot() const { return events_ ? events_->logged() : 0; }

  DaemonOptions opts_;
  SignalFd signals_;  // built before the metrics threads start: they inherit the blocked mask
  PolicyWatch watch_;
  ProbeRunner probes_;  // its thread starts after signals_: it inherits the blocked mask
  std::unique_ptr<datapath::PinnedState> state_;
  std::unique_ptr<EventLog> events_;
  std::shared_ptr<metrics::Collector> collector_;
  std::unique_ptr<corosync::HealthPoller> corosync_;  // before server_: scrapes read it
  std::unique_ptr<metrics::MetricsServer> server_;
  std::unique_ptr<LinkWatch> links_;
  UniqueFd epoll_, timer_;
  mutable std::mutex mu_;
  std::shared_ptr<const policy::Policy> policy_;
  std::atomic<uint64_t> reloads_ok_{0}, reloads_failed_{0};
  std::atomic<bool> last_reload_ok_{true};
};

}  // namespace

int run_daemon(const DaemonOptions& opts) {
  Daemon d(opts);
  return d.run();
}

}  // namespace lw::daemon
