// SPDX-License-Identifier: GPL-2.0-only
// /etc/pve/corosync.conf: the parts lanewarden needs (nodelist, totem timing,
// crypto, link interfaces). Format: corosync.conf(5), "key: value" lines and
// "name { ... }" sections; Proxmox writes it through pmxcfs.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pve/text.h"

namespace lw::pve {

// totem { interface { linknumber: N } } (older files: ringnumber).
struct CorosyncInterface {
  int link = 0;
  std::optional<int> knet_link_priority;
  std::optional<int> mcastport;
  // knet_transport: udp (default) or sctp (corosync.conf(5)).
  std::optional<Value> knet_transport;
  bool sctp() const { return knet_transport && knet_transport->text == "sctp"; }
  Where where;
};

struct CorosyncNode {
  std::string name;
  std::optional<int> nodeid;
  std::map<int, Value> ring_addr;  // link number -> ringN_addr (name or address)
  Where where;
};

// quorum { device { model: net  net { host: ... } } }: the QDevice that
// `pvecm qdevice setup` writes. corosync-qdevice connects to corosync-qnetd
// on `host` over TCP, port 5403 unless `port` says otherwise
// (corosync-qdevice(8)).
struct QDevice {
  std::string model;
  std::optional<Value> host;
  int port = 5403;
  std::optional<Value> algorithm;
  Where where;  // the device section
};

struct CorosyncConf {
  std::string file;
  std::string cluster_name;
  std::optional<Value> token, consensus, token_coefficient;  // ms, as written
  std::optional<Value> secauth, crypto_cipher, crypto_hash, transport, link_mode;
  std::optional<Value> ip_dscp;  // totem ip_dscp (corosync >= 3.1.10 with knet >= 1.32)
  std::vector<CorosyncInterface> interfaces;
  std::vector<CorosyncNode> nodes;
  bool two_node = false;
  std::optional<Value> two_node_value, wait_for_all;  // quorum section, as written
  Where quorum_where;                                 // the quorum section; line 0 without one
  std::optional<QDevice> qdevice;

  const CorosyncNode* node(std::string_view name) const;
  const CorosyncInterface* interface(int link) const;
  // Links in use: the totem interfaces plus every ringN_addr number.
  std::vector<int> links() const;
  // The link corosync/knet prefers in passive mode: the highest
  // knet_link_priority when priorities differ (pvecm docs, "Adding Redundant
  // Links"), otherwise the lowest link number.
  int primary_link() const;
  std::optional<long long> int_value(const std::optional<Value>& v) const;
};

// Throws ConfigError (file:line) on malformed structure or numbers.
CorosyncConf parse_corosync_conf(std::string_view text, const std::string& file);

}  // namespace lw::pve
