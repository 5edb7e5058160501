// SPDX-License-Identifier: GPL-2.0-only
// The policy as the admin wrote it (TOML, see README "Policies"), validated
// but not yet bound to this node's interfaces. compile.h turns it into the
// struct lw_policy the datapath reads.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/net.h"
#include "lanewarden.h"

namespace lw::policy {

enum class Mode { audit, enforce };
enum class CapMode { shape, police, pace };
enum class Priority { normal, high };

// Where something was written, for error messages: "file:line:column".
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
  std::string str() const;
};

// A rate always written with its unit ("5gbit", "600MiB/s"); stored in bytes/s.
struct Rate {
  uint64_t bytes_per_sec = 0;
  std::string text;  // as written, for messages
};

// A service recognised by its own end alone (struct lw_service): TCP `port`
// on an address inside `net`, whatever address the other end has. Written as
// [class.corosync] qnetd: corosync-qdevice reaches corosync-qnetd, a third
// machine, from whatever local address the route picks (corosync-qdevice(8)).
struct Service {
  Cidr net;  // a host (/32, /128) or a network
  uint16_t port = 0;
  SourceLocation where;  // the string in the policy
};

// corosync-qnetd's default TCP port (corosync-qnetd(8)).
inline constexpr uint16_t kQnetdDefaultPort = 5403;

struct ClassPolicy {
  std::optional<Mode> action;  // overrides Policy::mode for this class
  std::optional<Rate> cap;
  CapMode cap_mode = CapMode::shape;
  std::optional<Rate> cap_burst;  // a size: bytes_per_sec holds bytes ("4MiB")
  Priority priority = Priority::normal;
  std::optional<uint8_t> dscp;       // DSCP value to mark (0..63)
  std::vector<PortRange> tcp_ports;  // policy/defaults.cpp when not written
  std::vector<PortRange> udp_ports;
  // knet over SCTP (corosync.conf(5) knet_transport); none by default.
  std::vector<PortRange> sctp_ports;
  SourceLocation sctp_ports_where;           // the key, for the table limit's error
  std::vector<Service> services;             // one-ended services: [class.corosync] qnetd
  std::optional<uint64_t> latency_alarm_ns;  // report latency above this ("5ms")
  SourceLocation where;                      // the [class.NAME] header; empty when not written
};

struct Lane {
  std::string interface;
  // "" applies on every node; else only on the Proxmox node of that name
  // (one cluster-wide policy in /etc/pve, see policy/node_lanes.h).
  std::string node;
  std::optional<uint16_t> vlan;  // 1..4094
  uint8_t classes = 0;           // LW_CLASS_BIT set
  bool exclusive = false;
  // Fragments here are a violation: a jumbo-frame storage lane that sees them
  // has a hop with a smaller MTU ("Proxmox Cluster Network Design", Common Mistakes:
  // MTU mismatch).
  bool no_fragments = false;
  std::optional<Rate> link_rate;
  // Segments per GSO packet on this interface (1..65535), applied by
  // lanewarden and restored on detach: bounds how long one GSO packet holds
  // a slow shaped line.
  std::optional<uint32_t> gso_max_segs;
  SourceLocation where;
};

// Echo probes that measure the Corosync links (knet encrypts its own
// packets, so they cannot be timed): sent from the local address of each
// Corosync link to each peer address in that link's network, through that
// link's lane only. The datapath times them like any ICMP echo.
struct ProbePolicy {
  uint64_t interval_ns = 200'000'000;      // per peer
  std::vector<Address> peers;              // other nodes' Corosync link addresses
  std::vector<SourceLocation> peer_where;  // parallel to peers
  SourceLocation where;                    // the [probe] header; empty when not written
};

struct Policy {
  Mode mode = Mode::audit;
  std::array<std::vector<Cidr>, LW_NR_CLASSES> networks;  // by class id
  std::vector<Lane> lanes;
  std::array<ClassPolicy, LW_NR_CLASSES> classes;  // by class id
  ProbePolicy probe;
  std::string source;  // file name it was read from

  // The action that applies to violations of class `c`, after overrides.
  // Corosync audits unless its own [class.corosync] action says otherwise;
  // infra is never dropped.
  Mode action_for(int c) const;
};

// Class names are ABI (docs/architecture.md): index = class id.
inline constexpr std::array<const char*, LW_NR_CLASSES> kClassNames = {
    "other",        "corosync",   "migration", "ceph_public",
    "ceph_cluster", "management", "storage",   "infra"};

std::optional<int> class_from_name(std::string_view name);
const char* mode_name(Mode m);

// Every class id's bit (LW_CLASS_BIT) set.
inline constexpr uint32_t kAllClasses = (1u << LW_NR_CLASSES) - 1;
// The names of the classes in `mask`, in id order, each between `quote`s and
// separated by `sep`: "corosync, migration" or "\"corosync\", \"migration\"".
// Empty when no class is set.
std::string class_names(uint32_t mask, std::string_view sep = ", ", std::string_view quote = "");

}  // namespace lw::policy
