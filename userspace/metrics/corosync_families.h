// SPDX-License-Identifier: GPL-2.0-only
// Corosync's health as Prometheus families, from the poller's copy
// (corosync/health_poller.h), so a scrape never waits for corosync.
//
// Per link: {node, peer, link}. `node` is this node's and `peer` the other
// end's name in corosync's nodelist, which on Proxmox VE is the node name
// that prometheus-pve-exporter puts in pve_node_info's `name` (and in
// id="node/NAME"); `link` is the knet link number, as in corosync.conf's
// ringX_addr and `corosync-cfgtool -s`. A node without a name in the
// nodelist is labelled with its node id.
#pragma once

#include "corosync/health_poller.h"
#include "metrics/families.h"

namespace lw::metrics {

// lanewarden_corosync_up, lanewarden_corosync_read_stalls_total always;
// while corosync is up also
// lanewarden_corosync_knet_link_up{node,peer,link},
// lanewarden_corosync_knet_link_down_total{node,peer,link},
// lanewarden_corosync_knet_latency_seconds{node,peer,link} (histogram),
// lanewarden_corosync_srp_token_lost_total{node} and
// lanewarden_corosync_srp_retransmits_total{node}.
Families corosync_families(const corosync::CorosyncHealth& h);

}  // namespace lw::metrics
