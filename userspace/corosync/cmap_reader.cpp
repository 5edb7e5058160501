// SPDX-License-Identifier: GPL-2.0-only
// read_knet_stats() through libcmap: the stats map for the knet counters,
// the default map for this node's id and the peers' link addresses.
#include <corosync/cmap.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "corosync/knet_stats.h"

namespace lw::corosync {
namespace {

class CmapHandle {
 public:
  explicit CmapHandle(cmap_map_t map) { err_ = cmap_initialize_map(&h_, map); }
  ~CmapHandle() {
    if (err_ == CS_OK) cmap_finalize(h_);
  }
  CmapHandle(const CmapHandle&) = delete;
  CmapHandle& operator=(const CmapHandle&) = delete;
  bool ok() const { return err_ == CS_OK; }
  cs_error_t error() const { return err_; }
  cmap_handle_t get() const { return h_; }

 private:
  cmap_handle_t h_ = 0;
  cs_error_t err_ = CS_ERR_LIBRARY;
};

// Any integer value as uint64 (knet stats are u8, u32 and u64).
std::optional<uint64_t> integer(cmap_handle_t h, const char* key, cmap_value_types_t type) {
  switch (type) {
    case CMAP_VALUETYPE_UINT8: {
      uint8_t v;
      if (cmap_get_uint8(h, key, &v) == CS_OK) return v;
      break;
    }
    case CMAP_VALUETYPE_UINT16: {
      uint16_t v;
      if (cmap_get_uint16(h, key, &v) == CS_OK) return v;
      break;
    }
    case CMAP_VALUETYPE_UINT32: {
      uint32_t v;
      if (cmap_get_uint32(h, key, &v) == CS_OK) return v;
      break;
    }
    case CMAP_VALUETYPE_UINT64: {
      uint64_t v;
      if (cmap_get_uint64(h, key, &v) == CS_OK) return v;
      break;
    }
    default:
      break;
  }
  return std::nullopt;
}

std::string get_string(cmap_handle_t h, const std::string& key) {
  char* s = nullptr;
  if (cmap_get_string(h, key.c_str(), &s) != CS_OK || !s) return {};
  std::string out(s);
  std::free(s);
  return out;
}

// nodelist.node.X.nodeid == id -> nodelist.node.X.ringL_addr.
std::string peer_address(cmap_handle_t h, uint32_t nodeid, int link) {
  for (int x = 0; x < 256; ++x) {
    uint32_t id = 0;
    std::string base = fmt::format("nodelist.node.{}.", x);
    if (cmap_get_uint32(h, (base + "nodeid").c_str(), &id) != CS_OK) {
      if (get_string(h, base + "ring0_addr").empty()) break;  // end of the nodelist
      continue;
    }
    if (id == nodeid) return get_string(h, fmt::format("{}ring{}_addr", base, link));
  }
  return {};
}

}  // namespace

KnetSnapshot read_knet_stats() {
  KnetSnapshot snap;
  CmapHandle stats(CMAP_MAP_STATS);
  if (!stats.ok()) {
    // libqb cannot reach corosync's IPC socket: nothing runs here.
    snap.detail = fmt::format("cmap_initialize_map: error {}", static_cast<int>(stats.error()));
    return snap;
  }
  snap.state = KnetSnapshot::State::ok;
  cmap_iter_handle_t iter;
  if (cmap_iter_init(stats.get(), "stats.knet.", &iter) == CS_OK) {
    char key[CMAP_KEYNAME_MAXLEN + 1];
    size_t len = 0;
    cmap_value_types_t type;
    while (cmap_iter_next(stats.get(), iter, key, &len, &type) == CS_OK) {
      if (auto v = integer(stats.get(), key, type)) add_knet_value(snap.links, key, *v);
    }
    cmap_iter_finalize(stats.get(), iter);
  }
  CmapHandle config(CMAP_MAP_DEFAULT);
  if (config.ok()) {
    uint32_t id = 0;
    if (cmap_get_uint32(config.get(), "runtime.votequorum.this_node_id", &id) == CS_OK)
      snap.local_nodeid = id;
    for (auto& l : snap.links) l.peer_addr = peer_address(config.get(), l.nodeid, l.link);
  }
  // knet also lists this node itself (its loopback link): only peers matter.
  if (snap.local_nodeid)
    std::erase_if(snap.links, [&](auto& l) { return l.nodeid == snap.local_nodeid; });
  std::sort(snap.links.begin(), snap.links.end(), [](auto& a, auto& b) {
    return std::pair(a.nodeid, a.link) < std::pair(b.nodeid, b.link);
  });
  return snap;
}

}  // namespace lw::corosync
