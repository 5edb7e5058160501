// SPDX-License-Identifier: GPL-2.0-only
// read_knet_stats() through libcmap: the stats map for the knet counters,
// the default map for this node's id and the peers' link addresses.
#include <corosync/cmap.h>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <map>
#include <vector>

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

// One nodelist entry: nodelist.node.X.{nodeid,name,ringL_addr}.
struct NodelistEntry {
  std::string name;
  std::vector<std::string> ring_addr;  // by link number
};

std::map<uint32_t, NodelistEntry> read_nodelist(cmap_handle_t h) {
  std::map<uint32_t, NodelistEntry> out;
  for (int x = 0; x < 256; ++x) {
    uint32_t id = 0;
    std::string base = fmt::format("nodelist.node.{}.", x);
    if (cmap_get_uint32(h, (base + "nodeid").c_str(), &id) != CS_OK) {
      if (get_string(h, base + "ring0_addr").empty()) break;  // end of the nodelist
      continue;
    }
    NodelistEntry& e = out[id];
    e.name = get_string(h, base + "name");
    for (int link = 0; link < 8; ++link)
      e.ring_addr.push_back(get_string(h, fmt::format("{}ring{}_addr", base, link)));
  }
  return out;
}

// Iterates the keys under `prefix` of the stats map, integers only.
template <typename Fn>
void for_each_stat(cmap_handle_t h, const char* prefix, Fn&& fn) {
  cmap_iter_handle_t iter;
  if (cmap_iter_init(h, prefix, &iter) != CS_OK) return;
  char key[CMAP_KEYNAME_MAXLEN + 1];
  size_t len = 0;
  cmap_value_types_t type;
  while (cmap_iter_next(h, iter, key, &len, &type) == CS_OK)
    if (auto v = integer(h, key, type)) fn(key, *v);
  cmap_iter_finalize(h, iter);
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
  for_each_stat(stats.get(), "stats.knet.",
                [&](const char* key, uint64_t v) { add_knet_value(snap.links, key, v); });
  for_each_stat(stats.get(), "stats.srp.",
                [&](const char* key, uint64_t v) { add_srp_value(snap.srp, key, v); });
  CmapHandle config(CMAP_MAP_DEFAULT);
  if (config.ok()) {
    uint32_t id = 0;
    if (cmap_get_uint32(config.get(), "runtime.votequorum.this_node_id", &id) == CS_OK)
      snap.local_nodeid = id;
    auto nodelist = read_nodelist(config.get());
    if (auto it = nodelist.find(snap.local_nodeid); it != nodelist.end())
      snap.local_name = it->second.name;
    for (auto& l : snap.links) {
      auto it = nodelist.find(l.nodeid);
      if (it == nodelist.end()) continue;
      l.peer_name = it->second.name;
      if (l.link >= 0 && static_cast<size_t>(l.link) < it->second.ring_addr.size())
        l.peer_addr = it->second.ring_addr[l.link];
    }
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
