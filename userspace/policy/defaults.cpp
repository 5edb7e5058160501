// SPDX-License-Identifier: GPL-2.0-only
#include "policy/defaults.h"

namespace lw::policy {

ClassPolicy default_class_policy(int class_id) {
  ClassPolicy c;
  switch (class_id) {
    case LW_CLASS_COROSYNC:
      // knet uses mcastport (5405) + link number, 8 links at most.
      c.udp_ports = {{5405, 5412}};
      // Corosync is tiny and latency-critical: on a shared NIC it goes first.
      c.priority = Priority::high;
      break;
    case LW_CLASS_MIGRATION:
      // Insecure migration / NBD mirror use 60000-60050; secure migration is
      // SSH to the target's migration-network address.
      c.tcp_ports = {{60000, 60050}, {22, 22}};
      break;
    case LW_CLASS_CEPH_PUBLIC:
      // mon msgr2 3300, msgr1 6789; OSD/MGR/MDS 6800-7300.
      c.tcp_ports = {{3300, 3300}, {6789, 6789}, {6800, 7300}};
      break;
    case LW_CLASS_CEPH_CLUSTER:
      // OSDs listen on both networks in the same range: the subnet decides.
      c.tcp_ports = {{6800, 7300}};
      break;
    case LW_CLASS_MANAGEMENT:
      // API/GUI 8006, SSH 22, SPICE proxy 3128, VNC 5900-5999, rpcbind 111.
      c.tcp_ports = {{8006, 8006}, {22, 22}, {3128, 3128}, {5900, 5999}, {111, 111}};
      c.udp_ports = {{111, 111}};
      break;
    case LW_CLASS_STORAGE:
      // iSCSI 3260, NFS 2049 (TCP and UDP).
      c.tcp_ports = {{3260, 3260}, {2049, 2049}};
      c.udp_ports = {{2049, 2049}};
      break;
    default:
      // other: whatever matched nothing; infra: recognised by protocol.
      break;
  }
  return c;
}

}  // namespace lw::policy
