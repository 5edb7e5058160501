// SPDX-License-Identifier: GPL-2.0-only
// The rule table and the runner.
#include "check/rules.h"

#include <algorithm>
#include <stdexcept>
#include <tuple>
#include <utility>

namespace lw::check {
namespace {

// Sources a user can open: the Proxmox VE Administration Guide (pvecm is its
// "Cluster Manager" chapter), man pages, the Ceph docs, and the article by title
// and publisher.
constexpr const char* kArticle = "\"Proxmox Cluster Network Design\" (DATAZONE)";
constexpr const char* kArticleMistakes =
    "\"Proxmox Cluster Network Design\" (DATAZONE), Common Mistakes";
constexpr const char* kPvecmBonds =
    "Proxmox VE Administration Guide, Cluster Manager: Corosync over Bonds";
constexpr const char* kPveDevel = "pve-devel thread, [PATCH docs] corosync over bonds (2025-07)";
constexpr const char* kPvecmNet =
    "Proxmox VE Administration Guide, Cluster Manager: Cluster Network";
constexpr const char* kCorosyncMan = "corosync.conf(5)";
constexpr const char* kPveMigration =
    "Proxmox VE Administration Guide, Cluster Manager: Migration Network; datacenter.cfg(5)";
constexpr const char* kCephNet = "Ceph docs, Network Configuration Reference";
constexpr const char* kKernel = "kernel bonding/bridge/VLAN semantics";
constexpr const char* kMesh =
    "Proxmox wiki, Full Mesh Network for Ceph Server; kernel docs, ip-sysctl "
    "(fib_multipath_hash_policy); FRR docs, OSPFv2 (maximum-paths) and OpenFabric";
constexpr const char* kPinning =
    "Proxmox VE Administration Guide, Network Configuration: Network Interface Naming "
    "(pve-network-interface-pinning)";
constexpr const char* kQuorum =
    "Proxmox VE Administration Guide, Cluster Manager: Corosync External Vote Support; "
    "votequorum(5)";
constexpr const char* kLacp =
    "Proxmox VE Administration Guide, Network Configuration: Linux Bond; kernel docs, "
    "bonding.rst (802.3ad); \"Proxmox Cluster Network Design\" (DATAZONE), Common Mistakes";
constexpr const char* kDscp =
    "corosync.conf(5) (totem ip_dscp); Linux include/net/route.h rt_tos2priority and "
    "net/ipv4/route.c ip_tos2prio";
constexpr const char* kQdevice =
    "Proxmox VE Administration Guide, Cluster Manager: Corosync External Vote Support; "
    "corosync-qdevice(8)";

}  // namespace

const std::vector<RuleInfo>& all_rules() {
  static const std::vector<RuleInfo> rules = {
      {"LW001", "corosync-shares-nic", Severity::error, kArticleMistakes,
       "a Corosync link shares a physical NIC with storage or migration traffic"},
      {"LW002", "corosync-single-link", Severity::warning, kArticleMistakes,
       "Corosync has only one link"},
      {"LW003", "corosync-link0-on-bond", Severity::warning, kPvecmBonds,
       "the primary Corosync link runs over a bond instead of a dedicated NIC"},
      {"LW004", "corosync-bond-mode", Severity::error, kPvecmBonds,
       "a balance-rr/xor/tlb/alb bond carries Corosync"},
      {"LW005", "corosync-lacp-slow", Severity::error, kPveDevel,
       "an 802.3ad bond carries Corosync without bond-lacp-rate fast"},
      {"LW006", "bridge-stp-on", Severity::warning, kArticleMistakes,
       "bridge-stp on on a Proxmox bridge"},
      {"LW007", "storage-mtu-not-jumbo", Severity::warning, kArticle,
       "a storage interface without MTU 9000"},
      {"LW008", "mtu-above-parent", Severity::error, kKernel,
       "a VLAN or bridge MTU above the MTU of the device below it"},
      {"LW009", "corosync-consensus-low", Severity::error, kCorosyncMan,
       "consensus below 1.2 x token"},
      {"LW010", "migration-network-not-dedicated", Severity::warning, kPveMigration,
       "no dedicated migration network"},
      {"LW011", "migration-bwlimit-unit", Severity::warning, kPveMigration,
       "a migration bwlimit that looks like MiB/s written where Proxmox reads KiB/s"},
      {"LW012", "ceph-networks-same", Severity::warning, kCephNet,
       "Ceph public and cluster networks are the same network"},
      {"LW013", "management-not-separate", Severity::warning, kArticle,
       "the management network shares its network or VLAN with another class"},
      {"LW014", "corosync-address-not-local", Severity::error, kPvecmNet,
       "this node's ringN_addr is not configured on any interface"},
      {"LW015", "corosync-links-same-nic", Severity::warning, kArticle,
       "two Corosync links run over the same physical NIC"},
      {"LW016", "corosync-crypto-off", Severity::warning, kPvecmNet,
       "Corosync traffic is not encrypted/authenticated"},
      {"LW017", "corosync-address-by-name", Severity::info, kPvecmNet,
       "a ringN_addr is a host name instead of an address"},
      {"LW018", "ceph-mon-outside-public", Severity::warning, kCephNet,
       "a monitor address outside the Ceph public network"},
      {"LW019", "migration-network-not-local", Severity::error, kPveMigration,
       "the migration network has no address on this node"},
      {"LW020", "bond-slave-down", Severity::warning, kPvecmBonds,
       "a bond slave is down (live state)"},
      {"LW021", "bond-live-differs", Severity::warning, kKernel,
       "the running bond differs from /etc/network/interfaces (ifreload pending)"},
      {"LW022", "node-not-in-nodelist", Severity::error, kPvecmNet,
       "this node is not in the corosync nodelist"},
      {"LW023", "corosync-shares-nic-light", Severity::info, kArticle,
       "a Corosync link shares a NIC with management or guest traffic"},
      {"LW024", "ceph-no-cluster-network", Severity::info, kCephNet,
       "no Ceph cluster network: replication shares the public network"},
      {"LW025", "two-node-no-tiebreaker", Severity::warning, kQuorum,
       "2-node cluster with neither a QDevice nor two_node: one failure costs quorum"},
      {"LW026", "qdevice-shares-nic", Severity::warning, kQdevice,
       "the QDevice's connection to qnetd shares a NIC with storage or migration"},
      {"LW027", "qdevice-outside-links", Severity::info, kQdevice,
       "the QDevice's connection to qnetd leaves outside the Corosync link networks: Corosync "
       "shares that lane"},
      {"LW028", "corosync-sctp", Severity::info, kCorosyncMan,
       "a Corosync link uses knet_transport sctp: the policy needs [class.corosync] sctp_ports"},
      {"LW029", "ecmp-hash-l3", Severity::warning, kMesh,
       "an ECMP mesh route with fib_multipath_hash_policy 0: one link carries all the traffic"},
      {"LW030", "device-name-differs", Severity::warning, kPinning,
       "a device has another name in the kernel than in /etc/network/interfaces (found by its "
       "address, or by its MAC through pve-network-interface-pinning's .link files)"},
      {"LW031", "bond-no-lacp-partner", Severity::warning, kLacp,
       "an 802.3ad bond without an LACP partner, or with one port in its active aggregator: "
       "only one link is active"},
      {"LW032", "corosync-dscp", Severity::info, kDscp,
       "what Corosync's DSCP marking (totem ip_dscp, lanewarden's dscp) puts on the wire and "
       "what it does to the node's skb priority"},
  };
  return rules;
}

const RuleInfo& rule(std::string_view id) {
  for (auto& r : all_rules())
    if (id == r.id) return r;
  throw std::logic_error("unknown rule id " + std::string(id));
}

CheckContext::CheckContext(const pve::NodeConfig& n, PolicyFacts p)
    : node(n), policy(std::move(p)), topo(n.interfaces), traffic(pve::map_traffic(n, topo)) {}

void CheckContext::report(std::string_view id, const pve::Where& where, std::string message,
                          std::string fix, std::optional<Severity> severity) {
  const RuleInfo& r = rule(id);
  findings.push_back(Finding{r.id, r.name, severity.value_or(r.severity), where.file, where.line,
                             std::move(message), std::move(fix), r.source});
}

std::vector<Finding> run_rules(const pve::NodeConfig& node, const PolicyFacts& policy) {
  CheckContext ctx(node, policy);
  check_corosync(ctx);
  check_bonds(ctx);
  check_interfaces(ctx);
  check_migration(ctx);
  check_ceph(ctx);
  check_quorum(ctx);
  check_mesh(ctx);
  check_dscp(ctx);
  auto out = std::move(ctx.findings);
  std::stable_sort(out.begin(), out.end(), [](const Finding& a, const Finding& b) {
    return std::tuple(-static_cast<int>(a.severity), a.id, a.file, a.line) <
           std::tuple(-static_cast<int>(b.severity), b.id, b.file, b.line);
  });
  return out;
}

const char* severity_name(Severity s) {
  switch (s) {
    case Severity::info:
      return "info";
    case Severity::warning:
      return "warning";
    case Severity::error:
      return "error";
  }
  return "?";
}

}  // namespace lw::check
