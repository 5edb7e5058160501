// SPDX-License-Identifier: GPL-2.0-only
// The rules `check` knows (each cites the Proxmox, corosync or Ceph
// docs, or the article it comes from). Ids are stable: append, never renumber.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "check/finding.h"
#include "pve/node.h"
#include "pve/topology.h"
#include "pve/traffic_map.h"

namespace lw::check {

struct RuleInfo {
  const char* id;
  const char* name;
  Severity severity;  // default; a finding may lower it when another link covers the risk
  const char* source;
  const char* summary;
};

const std::vector<RuleInfo>& all_rules();
const RuleInfo& rule(std::string_view id);

// What `check --policy FILE` adds: the lanewarden policy's own choices.
struct PolicyFacts {
  std::string file;                      // "" without --policy
  std::optional<uint8_t> corosync_dscp;  // [class.corosync] dscp
};

// Everything a rule looks at, and where its findings go.
struct CheckContext {
  CheckContext(const pve::NodeConfig& n, PolicyFacts p = {});
  const pve::NodeConfig& node;
  PolicyFacts policy;
  pve::Topology topo;
  pve::TrafficMap traffic;
  std::vector<Finding> findings;

  void report(std::string_view id, const pve::Where& where, std::string message, std::string fix,
              std::optional<Severity> severity = std::nullopt);
};

// Rule groups, one file each.
void check_corosync(CheckContext& ctx);    // rules_corosync.cpp
void check_bonds(CheckContext& ctx);       // rules_bonds.cpp
void check_interfaces(CheckContext& ctx);  // rules_interfaces.cpp (STP, MTU, management)
void check_migration(CheckContext& ctx);   // rules_migration.cpp
void check_ceph(CheckContext& ctx);        // rules_ceph.cpp
void check_quorum(CheckContext& ctx);      // rules_quorum.cpp (two_node, QDevice)
void check_mesh(CheckContext& ctx);        // rules_mesh.cpp (full mesh without a switch)
void check_dscp(CheckContext& ctx);        // rules_dscp.cpp (Corosync's DSCP marking)

// All rules, findings sorted by severity (errors first), then id and place.
std::vector<Finding> run_rules(const pve::NodeConfig& node, const PolicyFacts& policy = {});

}  // namespace lw::check
