// SPDX-License-Identifier: GPL-2.0-only
// lanewarden top [--interval S] [--count N] [--class C] [--sort KEY] [--json] [--metrics A:P]
//
// One live view of what flows where: per interface and class the rates in
// and out, violations/s and drops/s (highlighted), each class's RTT p50/p99
// of the last interval against its alarm, Corosync's links as knet reports
// them with the daemon's probes over each (read from its metrics endpoint),
// and the bonds with their LACP state. ncurses on a terminal (keys:
// s sort, c class filter, a all classes, q quit); without a terminal on
// stdout, or with --json, one JSON Lines snapshot per interval.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "common/stop_signal.h"
#include "corosync/health_poller.h"
#include "datapath/hist_maps.h"
#include "datapath/maps.h"
#include "datapath/pin_names.h"
#include "metrics/server.h"
#include "policy/policy.h"
#include "telemetry/top_model.h"

// Last, and as functions: ncurses' macros (move, erase, timeout) would
// collide with std::move and friends.
#define NCURSES_NOMACROS
#include <ncurses.h>

namespace lw::cli {
namespace {

using Clock = std::chrono::steady_clock;

struct TopArgs {
  double interval = 1.0;
  uint64_t count = 0;
  std::string cls;
  std::string sort = "rate";
  bool json = false;
  std::string metrics = metrics::kDefaultListen;  // the daemon's, for its probe counts
};

int64_t realtime_now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// GET /metrics from the daemon, bounded: 200 ms to connect, 500 ms in all.
// Nothing when no daemon serves there.
std::optional<std::string> fetch_metrics(const metrics::ListenAddress& addr) {
  sockaddr_storage ss{};
  socklen_t len = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
  if (inet_pton(AF_INET, addr.host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(addr.port);
    len = sizeof(*v4);
  } else if (inet_pton(AF_INET6, addr.host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(addr.port);
    len = sizeof(*v6);
  } else {
    return std::nullopt;
  }
  UniqueFd fd(socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  if (!fd) return std::nullopt;
  const auto deadline = Clock::now() + std::chrono::milliseconds(500);
  auto wait = [&](short events, std::chrono::milliseconds cap) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    pollfd p{fd.get(), events, 0};
    return poll(&p, 1, static_cast<int>(std::max<int64_t>(0, std::min(left, cap).count()))) == 1;
  };
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0 && errno != EINPROGRESS)
    return std::nullopt;
  int err = 0;
  socklen_t err_len = sizeof(err);
  if (!wait(POLLOUT, std::chrono::milliseconds(200)) ||
      getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &err_len) != 0 || err != 0)
    return std::nullopt;
  const std::string request = "GET /metrics HTTP/1.0\r\nHost: " + addr.civetweb() + "\r\n\r\n";
  if (send(fd.get(), request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size()))
    return std::nullopt;
  std::string response;
  char buf[16384];
  while (wait(POLLIN, std::chrono::milliseconds(500))) {
    const ssize_t n = recv(fd.get(), buf, sizeof(buf), 0);
    if (n <= 0) break;
    response.append(buf, static_cast<size_t>(n));
  }
  const size_t body = response.find("\r\n\r\n");
  if (!response.starts_with("HTTP/1.") || response.find(" 200 ") > 12 || body == std::string::npos)
    return std::nullopt;
  return response.substr(body + 4);
}

// Everything one interval needs from the pins and from corosync.
class Source {
 public:
  Source(const std::string& pin_dir, double interval, const std::string& metrics_addr)
      : pin_dir_(pin_dir),
        hist_(datapath::HistMaps::open(pin_dir)),
        policy_outer_(datapath::open_pinned_map(pin_dir, datapath::pins::kPolicyOuter)),
        corosync_(corosync::read_knet_stats,
                  std::chrono::milliseconds(static_cast<int>(interval * 1000)),
                  std::chrono::seconds(2)) {
    if (!metrics_addr.empty() && metrics_addr != "off")
      metrics_ = metrics::parse_listen_address(metrics_addr);
  }

  telemetry::TopReading read() const {
    telemetry::TopReading r;
    r.status = datapath::read_status(pin_dir_);
    r.hists = telemetry::read_histograms(hist_);
    if (auto p = datapath::read_active_policy(policy_outer_.get()))
      for (int c = 0; c < LW_NR_CLASSES; c++) r.alarm_us[c] = p->latency_alarm_us[c];
    return r;
  }

  // Corosync, the daemon's probes and the bonds, added to a snapshot;
  // never waits for corosync.
  void add_links(telemetry::TopSnapshot& s) {
    auto h = corosync_.latest();
    s.corosync_running = h.up();
    if (s.corosync_running)
      for (const auto& l : h.snapshot.links)
        s.knet.push_back({.nodeid = l.nodeid,
                          .peer = !l.peer_name.empty() ? l.peer_name : l.peer_addr,
                          .link = l.link,
                          .connected = l.connected,
                          .latency_ms = static_cast<double>(l.latency_ave_us) / 1000.0,
                          .down_count = l.down_count,
                          .peer_addr = l.peer_addr,
                          .probes_answered = std::nullopt,
                          .probes_lost = std::nullopt});
    if (metrics_) {
      auto text = fetch_metrics(*metrics_);
      telemetry::ProbeCounts now =
          text ? telemetry::parse_probe_counts(*text) : telemetry::ProbeCounts{};
      telemetry::add_probe_deltas(s.knet, probes_, now);
      probes_ = std::move(now);
    }
    s.bonds = read_bonds();
  }

 private:
  std::string pin_dir_;
  datapath::HistMaps hist_;
  UniqueFd policy_outer_;
  corosync::HealthPoller corosync_;
  std::optional<metrics::ListenAddress> metrics_;
  telemetry::ProbeCounts probes_;  // the daemon's counters at the last interval
};

telemetry::TopSort parse_sort(const std::string& s) {
  if (s == "violations") return telemetry::TopSort::violations;
  if (s == "iface") return telemetry::TopSort::iface;
  return telemetry::TopSort::rate;
}

// The terminal: ncurses for as long as the object lives.
class Screen {
 public:
  Screen() {
    initscr();
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    if (has_colors()) {
      start_color();
      use_default_colors();
      init_pair(1, COLOR_RED, -1);
      init_pair(2, COLOR_YELLOW, -1);
    }
  }
  ~Screen() { endwin(); }
  Screen(const Screen&) = delete;
  Screen& operator=(const Screen&) = delete;
};

std::string mbit(double bps) {
  return bps >= 1e9 ? fmt::format("{:.2f}G", bps / 1e9) : fmt::format("{:.1f}", bps / 1e6);
}

std::string per_s(double v) {
  return v >= 1e6 ? fmt::format("{:.1f}M", v / 1e6) : fmt::format("{:.0f}", v);
}

void draw(const telemetry::TopSnapshot& s, telemetry::TopSort sort, std::optional<int> cls,
          bool first) {
  erase();
  const int rows = LINES, cols = COLS;
  int y = 0;
  auto line = [&](int attr, const std::string& text) {
    if (y >= rows - 1) return;
    if (attr) attron(attr);
    mvaddnstr(y++, 0, text.c_str(), cols);
    if (attr) attroff(attr);
  };
  char clock[16];
  time_t now = time(nullptr);
  strftime(clock, sizeof(clock), "%H:%M:%S", localtime(&now));
  line(A_BOLD,
       fmt::format("lanewarden top  {:.1f}s  sort: {}  class: {}  {}", s.interval_s,
                   telemetry::sort_name(sort), cls ? policy::kClassNames[*cls] : "all", clock));
  line(A_REVERSE, fmt::format("{:<14} {:<13} {:>10} {:>10} {:>8} {:>8}  ", "IFACE", "CLASS",
                              "IN Mbit/s", "OUT Mbit/s", "VIOL/s", "DROP/s"));

  // Keep room below for RTT, knet and bonds; the table gets the rest.
  const int below = 2 + static_cast<int>(s.rtt.size()) + 2 + static_cast<int>(s.knet.size()) +
                    (s.bonds.empty() ? 0 : 1 + static_cast<int>(s.bonds.size())) + 1;
  const int table = std::max(3, rows - y - below);
  auto flows = telemetry::top_rows(s, sort, cls);
  int shown = 0;
  for (const auto& f : flows) {
    if (shown == table - 1 && static_cast<int>(flows.size()) > table) {
      line(0, fmt::format("... {} more", flows.size() - shown));
      break;
    }
    const bool bad = f.violations_per_s > 0 || f.drops_per_s > 0 || !f.on_lane;
    line(bad ? (A_BOLD | COLOR_PAIR(1)) : 0,
         fmt::format("{:<14.14} {:<13.13} {:>10} {:>10} {:>8} {:>8}{}", f.iface,
                     policy::kClassNames[f.cls], mbit(f.in_bps), mbit(f.out_bps),
                     per_s(f.violations_per_s), per_s(f.drops_per_s), f.on_lane ? "" : " !lane"));
    shown++;
  }
  if (flows.empty()) line(0, first ? "(measuring the first interval)" : "(no traffic)");

  y++;
  line(A_REVERSE,
       fmt::format("{:<14} {:>9} {:>9} {:>9} {:>8}", "RTT", "p50 ms", "p99 ms", "alarm ms", "n"));
  auto ms = [](const std::optional<double>& v) { return v ? fmt::format("{:.2f}", *v) : "-"; };
  for (const auto& r : s.rtt)
    line(r.over() ? (A_BOLD | COLOR_PAIR(1)) : 0,
         fmt::format("{:<14} {:>9} {:>9} {:>9} {:>8}{}", policy::kClassNames[r.cls], ms(r.p50_ms),
                     ms(r.p99_ms), r.alarm_ms > 0 ? fmt::format("{:.2f}", r.alarm_ms) : "-",
                     r.samples, r.over() ? " OVER" : ""));

  y++;
  line(A_REVERSE, fmt::format("{:<14} {:>4} {:>5} {:>11} {:>6} {:>13}", "KNET PEER", "LINK", "UP",
                              "latency ms", "downs", "probes ok/lost"));
  if (!s.corosync_running) line(0, "corosync not running here (or not answering)");
  for (const auto& k : s.knet) {
    const bool lost = k.probes_lost && *k.probes_lost > 0;
    const std::string probes =
        k.probes_answered ? fmt::format("{}/{}", *k.probes_answered, k.probes_lost.value_or(0))
                          : "-";
    line(k.connected && !lost ? 0 : (A_BOLD | COLOR_PAIR(1)),
         fmt::format("{:<14.14} {:>4} {:>5} {:>11.3f} {:>6} {:>13}", k.peer, k.link,
                     k.connected ? "up" : "DOWN", k.latency_ms, k.down_count, probes));
  }

  for (const auto& b : s.bonds) {
    std::string text = fmt::format("BOND {} {}{}:", b.name, b.lacp() ? "802.3ad" : b.mode,
                                   b.lacp() ? " " + b.lacp_rate : "");
    bool bad = b.mii_status != "up";
    for (const auto& m : b.members) {
      text += fmt::format(" {} {}{}", m.name, m.mii_status, b.lacp() ? " " + m.lacp() : "");
      bad = bad || m.mii_status != "up" || (b.lacp() && m.lacp() != "bundled");
    }
    line(bad ? (A_BOLD | COLOR_PAIR(2)) : 0, text);
  }
  mvaddnstr(rows - 1, 0, "q quit  s sort  c class  a all classes", cols);
  refresh();
}

void run_top(const TopArgs& a, const Context& ctx) {
  Source src(ctx.pin_dir, a.interval, a.metrics);
  std::optional<int> cls;
  if (!a.cls.empty()) cls = policy::class_from_name(a.cls);
  auto sort = parse_sort(a.sort);
  const bool json = a.json || !isatty(STDOUT_FILENO);
  const auto& stop = stop_on_signals();
  const auto step =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(a.interval));

  telemetry::TopReading prev = src.read();
  auto prev_at = Clock::now();
  telemetry::TopSnapshot shown;
  shown.interval_s = a.interval;
  std::unique_ptr<Screen> screen;
  if (!json) {
    screen = std::make_unique<Screen>();
    src.add_links(shown);
    draw(shown, sort, cls, true);
  }
  for (uint64_t n = 0; (a.count == 0 || n < a.count) && !stop.load(); n++) {
    const auto due = prev_at + step;
    // Wait for the interval, answering keys on the way.
    while (Clock::now() < due && !stop.load()) {
      if (!screen) {
        std::this_thread::sleep_for(
            std::min<Clock::duration>(std::chrono::milliseconds(50), due - Clock::now()));
        continue;
      }
      timeout(50);
      const int key = getch();
      if (key == 'q' || key == 'Q') return;
      bool redraw = key == KEY_RESIZE;
      if (key == 's') {
        sort = sort == telemetry::TopSort::rate         ? telemetry::TopSort::violations
               : sort == telemetry::TopSort::violations ? telemetry::TopSort::iface
                                                        : telemetry::TopSort::rate;
        redraw = true;
      } else if (key == 'c') {
        cls = !cls ? 0 : *cls + 1 < LW_NR_CLASSES ? std::optional<int>(*cls + 1) : std::nullopt;
        redraw = true;
      } else if (key == 'a') {
        cls.reset();
        redraw = true;
      }
      if (redraw) draw(shown, sort, cls, n == 0);
    }
    if (stop.load()) break;
    telemetry::TopReading cur = src.read();
    const auto now = Clock::now();
    shown = telemetry::top_delta(prev, cur, std::chrono::duration<double>(now - prev_at).count());
    shown.ts_ns = realtime_now_ns();
    src.add_links(shown);
    prev = std::move(cur);
    prev_at = now;
    if (screen) {
      draw(shown, sort, cls, false);
    } else {
      auto j = telemetry::top_json(shown);
      if (cls) {
        auto& flows = j["flows"];
        flows.erase(std::remove_if(flows.begin(), flows.end(),
                                   [&](const nlohmann::json& f) {
                                     return f["class"] != policy::kClassNames[*cls];
                                   }),
                    flows.end());
      }
      std::cout << j.dump() << std::endl;
    }
  }
}

}  // namespace

void add_top_command(CLI::App& app, Context& ctx) {
  auto a = std::make_shared<TopArgs>();
  auto* cmd = app.add_subcommand(
      "top", "Live view: rates per interface and class, violations, RTT, Corosync links, bonds");
  cmd->add_option("--interval", a->interval, "Seconds between refreshes")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  cmd->add_option("--count", a->count, "Stop after N intervals (0: until q or a signal)");
  cmd->add_option("--class", a->cls, "Only this class")->check([](const std::string& v) {
    return policy::class_from_name(v) ? std::string() : "unknown class '" + v + "'";
  });
  cmd->add_option("--sort", a->sort, "Sort rows by")
      ->check(CLI::IsMember({"rate", "violations", "iface"}))
      ->capture_default_str();
  cmd->add_flag("--json", a->json, "JSON Lines even on a terminal (the default without one)");
  cmd->add_option("--metrics", a->metrics,
                  "The daemon's metrics endpoint, for its Corosync probe counts (off: none)")
      ->capture_default_str();
  cmd->callback([a, &ctx] {
    run_top(*a, ctx);
    ctx.exit_code = kExitOk;
  });
}

}  // namespace lw::cli
