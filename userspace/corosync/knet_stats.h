// SPDX-License-Identifier: GPL-2.0-only
// Corosync's own view of its links: knet measures each link with its own
// pings and corosync publishes the result in its stats map as
// stats.knet.nodeN.linkM.{latency_ave,latency_max,latency_min} (µs),
// latency_samples, connected, down_count (`corosync-cmapctl -m stats`).
// Read through libcmap where corosync runs; elsewhere the snapshot says
// "corosync not running here", which is a state, not an error.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lw::corosync {

struct KnetLinkStats {
  uint32_t nodeid = 0;  // the peer node
  int link = 0;
  std::string peer_addr;  // nodelist ringM_addr of the peer, when corosync has it
  std::string peer_name;  // nodelist name of the peer (the Proxmox node name), when set
  bool connected = false;
  uint64_t latency_ave_us = 0, latency_max_us = 0, latency_min_us = 0;
  uint64_t latency_samples = 0;
  uint64_t down_count = 0;
};

// Totem SRP counters from stats.srp.*: a token lost in the operational state
// (a membership change follows) and multicast messages retransmitted.
struct SrpStats {
  bool present = false;  // corosync published stats.srp
  uint64_t operational_token_lost = 0;
  uint64_t mcast_retx = 0;
};

struct KnetSnapshot {
  enum class State { ok, not_running };
  State state = State::not_running;
  std::string detail;         // why not running (the libcmap error)
  uint32_t local_nodeid = 0;  // 0 when unknown
  std::string local_name;     // nodelist name of this node, when set
  SrpStats srp;
  std::vector<KnetLinkStats> links;  // peers only, sorted by (nodeid, link)
  bool running() const { return state == State::ok; }
};

// "stats.knet.node2.link0.latency_ave" -> {2, 0, "latency_ave"}.
struct KnetKey {
  uint32_t nodeid = 0;
  int link = 0;
  std::string field;
};
std::optional<KnetKey> parse_knet_key(std::string_view key);

// Folds one stats value into `links` (creating the entry of its node and
// link); keys that are not per-link knet stats are ignored. Pure, for tests
// and for the libcmap reader alike.
void add_knet_value(std::vector<KnetLinkStats>& links, std::string_view key, uint64_t value);

// Folds one stats.srp.* value into `srp`; other keys are ignored.
void add_srp_value(SrpStats& srp, std::string_view key, uint64_t value);

// Reads the stats map of the corosync running in this network namespace
// (libqb's IPC sockets are abstract, hence per namespace). Never throws for
// a missing corosync.
KnetSnapshot read_knet_stats();

// JSON Lines objects labelled "source":"corosync-reported".
nlohmann::json knet_json(const KnetSnapshot& s);
// Text lines for the terminal, each labelled corosync-reported.
std::string knet_text(const KnetSnapshot& s);

}  // namespace lw::corosync
