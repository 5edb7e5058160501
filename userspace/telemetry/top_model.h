// SPDX-License-Identifier: GPL-2.0-only
// The data side of `lanewarden top`: what flowed where in the last interval,
// from two readings of the exact kernel counters and RTT histograms, plus
// Corosync's own view of its links and the bonds. No terminal code here:
// cli/top_cmd.cpp draws it with ncurses or prints it as JSON Lines.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "common/bonding.h"
#include "datapath/datapath.h"
#include "telemetry/histogram_report.h"
#include "telemetry/probe_counts.h"

namespace lw::telemetry {

// One interface and class: rates over the interval (bits and packets per
// second, by direction), violations and drops per second.
struct TopFlow {
  std::string iface;
  int cls = 0;
  double in_bps = 0, out_bps = 0, in_pps = 0, out_pps = 0;
  double violations_per_s = 0, drops_per_s = 0;
  bool on_lane = true;  // false where the datapath calls it wrong_lane or intruder
  double bps() const { return in_bps + out_bps; }
};

// RTT of one class over the interval, all interfaces together, against the
// policy's alarm (0: none).
struct TopRtt {
  int cls = 0;
  uint64_t samples = 0;
  std::optional<double> p50_ms, p99_ms;
  double alarm_ms = 0;
  bool over() const { return alarm_ms > 0 && p99_ms && *p99_ms > alarm_ms; }
};

// One Corosync link as knet reports it.
struct TopKnet {
  uint32_t nodeid = 0;
  std::string peer;  // nodelist name, else the link's address
  int link = 0;
  bool connected = false;
  double latency_ms = 0;  // knet's moving average
  uint64_t down_count = 0;
  std::string peer_addr;  // the peer's ringX_addr of this link
  // The daemon's echo probes to peer_addr over this link in the interval,
  // when a daemon probes it.
  std::optional<uint64_t> probes_answered, probes_lost;
};

// Sets each link's probes of the interval from two readings of the
// daemon's counters (matched by link number and peer address).
void add_probe_deltas(std::vector<TopKnet>& links, const ProbeCounts& prev, const ProbeCounts& cur);

struct TopSnapshot {
  int64_t ts_ns = 0;  // wall clock of the second reading
  double interval_s = 0;
  std::vector<TopFlow> flows;  // only what moved in the interval
  std::vector<TopRtt> rtt;     // classes with samples or an alarm
  bool corosync_running = false;
  std::vector<TopKnet> knet;
  std::vector<Bond> bonds;
};

// One reading of the pins.
struct TopReading {
  datapath::Status status;
  HistMap hists;
  std::array<uint32_t, LW_NR_CLASSES> alarm_us{};  // the policy in force
};

// Rates and RTT quantiles between two readings `interval_s` apart. Pure.
// Interfaces absent from `prev` (just attached) are left out until the next
// interval; counters that went backwards (a reused slot) count as zero.
TopSnapshot top_delta(const TopReading& prev, const TopReading& cur, double interval_s);

enum class TopSort { rate, violations, iface };
const char* sort_name(TopSort s);

// The rows to show: filtered to one class if asked, sorted (rate and
// violations descending, iface ascending; ties by iface then class).
std::vector<TopFlow> top_rows(const TopSnapshot& s, TopSort sort, std::optional<int> cls);

// One JSON Lines object ("type":"top").
nlohmann::json top_json(const TopSnapshot& s);

}  // namespace lw::telemetry
