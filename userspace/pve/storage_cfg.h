// SPDX-License-Identifier: GPL-2.0-only
// /etc/pve/storage.cfg: only what tells the storage network apart: the
// server/portal of NFS, CIFS and iSCSI storages and the server of Proxmox
// Backup Server storages (pve docs, "Storage"; "Proxmox Backup Server",
// whose API and backup protocol listen on TCP 8007 unless `port` is set).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/net.h"
#include "pve/text.h"

namespace lw::pve {

struct StorageTarget {
  std::string type;  // nfs, cifs, iscsi, iscsidirect, pbs
  std::string id;
  std::string server;           // as written
  std::optional<Address> addr;  // when it is an address
  std::optional<int> port;      // pbs: TCP port, 8007 unless set
  Where where;
};

struct StorageCfg {
  std::string file;
  std::vector<StorageTarget> targets;
};

// Sections are "type: id" at column 0 followed by indented "key value" lines.
StorageCfg parse_storage_cfg(std::string_view text, const std::string& file);

}  // namespace lw::pve
