// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/pinned_state.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <filesystem>
#include <memory>

#include "common/error.h"
#include "common/kernel_step.h"
#include "datapath/bpffs.h"
#include "datapath/libbpf_log.h"
#include "datapath/pin_names.h"
#include "datapath/pin_version.h"
#include "lanewarden.h"  // before the skeleton: it embeds struct lw_rodata
#include "lanewarden.skel.h"

namespace lw::datapath {
namespace {

namespace fs = std::filesystem;

UniqueFd get_pinned(const std::string& dir, const char* name) {
  UniqueFd fd = open_pin(dir, name);
  if (!fd) throw SystemError("cannot open pinned " + pins::path(dir, name), errno);
  return fd;
}

UniqueFd dup_fd(int fd) { return UniqueFd(fcntl(fd, F_DUPFD_CLOEXEC, 0)); }

struct SkeletonDeleter {
  void operator()(lanewarden* s) const { lanewarden__destroy(s); }
};
using Skeleton = std::unique_ptr<lanewarden, SkeletonDeleter>;

bpf_map* object_map(const lanewarden& skel, const char* name) {
  bpf_map* m = bpf_object__find_map_by_name(skel.obj, name);
  if (!m) throw Error(std::string("the embedded BPF object has no map ") + name);
  return m;
}

// The kernel's view of `pinned` matches what the object declares for `map`
// (libbpf's test for reusing a pinned map, plus the flags).
bool same_shape(int pinned, const bpf_map* map) {
  bpf_map_info info{};
  uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(pinned, &info, &len) != 0) return false;
  return info.type == bpf_map__type(map) && info.key_size == bpf_map__key_size(map) &&
         info.value_size == bpf_map__value_size(map) &&
         info.max_entries == bpf_map__max_entries(map) && info.map_flags == bpf_map__map_flags(map);
}

// Opens the embedded object and loads it. `reuse` runs between open and
// load, where bpf_map__reuse_fd() may hand pinned maps to the object.
template <typename Reuse>
Skeleton load_skeleton(uint64_t event_interval_ns, Reuse reuse) {
  Skeleton skel(lanewarden__open());
  if (!skel) throw SystemError("cannot open the embedded BPF object", errno);
  // The template exists only to carry BTF (see maps.bpf.h): never create it.
  bpf_map__set_autocreate(skel->maps.lw_policy_template, false);
  skel->rodata->lw_cfg.event_interval_ns = event_interval_ns;
  reuse(*skel);
  if (int err = lanewarden__load(skel.get()))
    throw Error(load_error("lanewarden's BPF programs", err));
  return skel;
}

// Everything a load pins, in pinning order: the maps, lw_meta, the egress
// program, and lw_ingress last.
std::vector<std::pair<const char*, int>> pin_set(const lanewarden& skel, int meta_fd) {
  std::vector<std::pair<const char*, int>> set;
  for (const auto& m : pins::kObjectMaps)
    set.emplace_back(m.name, bpf_map__fd(object_map(skel, m.name)));
  set.emplace_back(pins::kMeta, meta_fd);
  set.emplace_back(pins::kEgress, bpf_program__fd(skel.progs.lw_egress));
  set.emplace_back(pins::kIngress, bpf_program__fd(skel.progs.lw_ingress));
  return set;
}

void pin_all(const std::vector<std::pair<const char*, int>>& set, const std::string& dir) {
  for (const auto& [name, fd] : set) {
    const std::string path = pins::path(dir, name);
    kernel_step("pin a program or map");
    if (bpf_obj_pin(fd, path.c_str()) != 0) throw SystemError("cannot pin " + path, errno);
  }
}

// Every name lanewarden may have pinned, lw_ingress first: once it is gone
// the rest is a leftover, never something attached.
std::vector<std::string> all_pin_names() {
  std::vector<std::string> names = {pins::kIngress, pins::kEgress, pins::kMeta};
  for (const auto& m : pins::kObjectMaps) names.emplace_back(m.name);
  for (const char* r : {pins::kState, pins::kStatePrev}) {
    names.emplace_back(r);
    names.emplace_back(std::string(r) + pins::kNewSuffix);
  }
  names.emplace_back(pins::kConfirm);
  names.emplace_back(pins::kGsoSaved);
  for (const char* l : pins::kLegacy) names.emplace_back(l);
  return names;
}

void clear_pins(const std::string& pin_dir) {
  for (const auto& name : all_pin_names()) ::unlink(pins::path(pin_dir, name.c_str()).c_str());
  // tcx links still pinned (a detach normally removed them first): the last
  // reference going detaches them.
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(pin_dir, ec))
    if (e.path().filename().string().starts_with(pins::kTcxPrefix)) ::unlink(e.path().c_str());
  PinnedState::drop_staging(pin_dir);
}

}  // namespace

UniqueFd open_pin(const std::string& pin_dir, const char* name) {
  return UniqueFd(bpf_obj_get(pins::path(pin_dir, name).c_str()));
}

bool PinnedState::exists(const std::string& pin_dir) {
  return ::access(pins::path(pin_dir, pins::kIngress).c_str(), F_OK) == 0;
}

PinnedState PinnedState::load_and_pin(const std::string& pin_dir, uint64_t event_interval_ns) {
  install_libbpf_logger();
  ensure_bpffs(pin_dir);
  std::error_code ec;
  fs::create_directories(pin_dir, ec);
  if (ec) throw Error("cannot create pin directory " + pin_dir + ": " + ec.message());
  // Without lw_ingress nothing here is attached: whatever an interrupted
  // load left goes.
  clear_pins(pin_dir);

  Skeleton skel = load_skeleton(event_interval_ns, [](lanewarden&) {});
  UniqueFd meta = create_meta_map();
  try {
    pin_all(pin_set(*skel, meta.get()), pin_dir);
  } catch (...) {
    clear_pins(pin_dir);
    throw;
  }
  spdlog::debug("loaded and pinned BPF programs under {}", pin_dir);
  return from_skeleton(*skel);
}

PinnedState PinnedState::from_skeleton(const lanewarden& skel) {
  PinnedState st;
  st.ingress_ = dup_fd(bpf_program__fd(skel.progs.lw_ingress));
  st.egress_ = dup_fd(bpf_program__fd(skel.progs.lw_egress));
  st.policy_outer_ = dup_fd(bpf_map__fd(skel.maps.lw_policy_outer));
  st.counters_ = dup_fd(bpf_map__fd(skel.maps.lw_counters));
  st.links_ = dup_fd(bpf_map__fd(skel.maps.lw_links));
  st.violations_ = dup_fd(bpf_map__fd(skel.maps.lw_violations));
  st.events_ = dup_fd(bpf_map__fd(skel.maps.lw_events));
  return st;
}

PinnedState PinnedState::load_upgrade(const std::string& pin_dir) {
  install_libbpf_logger();
  const PinnedVersion pinned = read_pinned_version(pin_dir);
  std::vector<std::string> carried, fresh;
  std::vector<UniqueFd> reused;  // open until the load has taken its own references
  Skeleton skel = load_skeleton(0, [&](lanewarden& s) {
    for (const auto& m : pins::kObjectMaps) {
      if (!m.carried) continue;
      bpf_map* map = object_map(s, m.name);
      UniqueFd old = open_pin(pin_dir, m.name);
      if (!old || pinned.abi < m.layout_since || !same_shape(old.get(), map)) {
        fresh.emplace_back(m.name);
        continue;
      }
      if (int err = bpf_map__reuse_fd(map, old.get()))
        throw SystemError(std::string("cannot reuse the pinned ") + m.name, err);
      carried.emplace_back(m.name);
      reused.push_back(std::move(old));
    }
  });
  if (!fresh.empty())
    spdlog::warn(
        "upgrade: {} start from zero: the pinned ones (pinned-state version {}) have another "
        "layout or are missing",
        fmt::join(fresh, ", "), pinned.abi);
  UniqueFd meta = create_meta_map();
  drop_staging(pin_dir);  // what an upgrade stopped midway left
  const std::string staging = pins::path(pin_dir, pins::kStaging);
  try {
    kernel_step("create the staging directory");
    if (::mkdir(staging.c_str(), 0700) != 0) throw SystemError("cannot create " + staging, errno);
    pin_all(pin_set(*skel, meta.get()), staging);
  } catch (...) {
    drop_staging(pin_dir);
    throw;
  }
  PinnedState st = from_skeleton(*skel);
  st.carried_ = std::move(carried);
  return st;
}

void PinnedState::commit_upgrade(const std::string& pin_dir) {
  const std::string staging = pins::path(pin_dir, pins::kStaging);
  std::vector<const char*> order;
  for (const auto& m : pins::kObjectMaps) order.push_back(m.name);
  // lw_meta last: until it is in place, the pins still read as the older
  // version and a new run upgrades again.
  for (const char* n : {pins::kEgress, pins::kIngress, pins::kMeta}) order.push_back(n);
  for (const char* name : order) {
    const std::string from = pins::path(staging, name), to = pins::path(pin_dir, name);
    kernel_step("move an upgraded pin into place");
    if (::rename(from.c_str(), to.c_str()) != 0)
      throw SystemError("cannot move " + from + " to " + to, errno);
  }
  ::rmdir(staging.c_str());
}

void PinnedState::drop_staging(const std::string& pin_dir) {
  std::error_code ec;
  fs::remove_all(pins::path(pin_dir, pins::kStaging), ec);
}

PinnedState PinnedState::open(const std::string& pin_dir) {
  install_libbpf_logger();
  if (!exists(pin_dir)) throw Error("nothing is attached: no lanewarden state under " + pin_dir);
  inspect_pins(pin_dir);  // refuses a newer lanewarden's pins
  PinnedState st;
  st.ingress_ = get_pinned(pin_dir, pins::kIngress);
  st.egress_ = get_pinned(pin_dir, pins::kEgress);
  st.policy_outer_ = get_pinned(pin_dir, pins::kPolicyOuter);
  st.counters_ = get_pinned(pin_dir, pins::kCounters);
  st.links_ = get_pinned(pin_dir, pins::kLinks);
  st.violations_ = get_pinned(pin_dir, pins::kViolations);
  st.events_ = get_pinned(pin_dir, pins::kEvents);
  return st;
}

void PinnedState::unpin_all(const std::string& pin_dir) {
  kernel_step("unpin everything");
  clear_pins(pin_dir);
  if (::rmdir(pin_dir.c_str()) != 0 && errno != ENOENT)
    spdlog::warn("left pin directory {} in place: {}", pin_dir, std::strerror(errno));
}

}  // namespace lw::datapath
