// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/pinned_state.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <filesystem>

#include "common/error.h"
#include "datapath/bpffs.h"
#include "datapath/libbpf_log.h"
#include "lanewarden.h"  // before the skeleton: it embeds struct lw_rodata
#include "lanewarden.skel.h"

namespace lw::datapath {
namespace {

namespace fs = std::filesystem;

// Pin names; a pin directory holds exactly these and nothing else.
constexpr const char* kIngress = "lw_ingress";
constexpr const char* kEgress = "lw_egress";
constexpr std::array<const char*, 6> kMaps = {"lw_policy_outer", "lw_counters", "lw_links",
                                              "lw_violations",   "lw_events",   "lw_flood"};
// RTT histograms and their tracking state (bpf/rtt.bpf.h): read by `hist` and
// `watch`, pinned so that samples survive the userspace tool like counters do.
constexpr std::array<const char*, 4> kRttMaps = {"lw_hist", "lw_rtt_tcp", "lw_rtt_echo",
                                                 "lw_rtt_stats"};

std::string pin_path(const std::string& dir, const char* name) { return dir + "/" + name; }

UniqueFd get_pinned(const std::string& dir, const char* name) {
  const std::string path = pin_path(dir, name);
  int fd = bpf_obj_get(path.c_str());
  if (fd < 0) throw SystemError("cannot open pinned " + path, errno);
  return UniqueFd(fd);
}

UniqueFd dup_fd(int fd) { return UniqueFd(fcntl(fd, F_DUPFD_CLOEXEC, 0)); }

struct SkeletonDeleter {
  void operator()(lanewarden* s) const { lanewarden__destroy(s); }
};

}  // namespace

bool PinnedState::exists(const std::string& pin_dir) {
  return ::access(pin_path(pin_dir, kIngress).c_str(), F_OK) == 0;
}

PinnedState PinnedState::load_and_pin(const std::string& pin_dir, uint64_t event_interval_ns) {
  install_libbpf_logger();
  ensure_bpffs(pin_dir);
  std::error_code ec;
  fs::create_directories(pin_dir, ec);
  if (ec) throw Error("cannot create pin directory " + pin_dir + ": " + ec.message());

  std::unique_ptr<lanewarden, SkeletonDeleter> skel(lanewarden__open());
  if (!skel) throw SystemError("cannot open the embedded BPF object", errno);
  // The template exists only to carry BTF (see maps.bpf.h): never create it.
  bpf_map__set_autocreate(skel->maps.lw_policy_template, false);
  skel->rodata->lw_cfg.event_interval_ns = event_interval_ns;
  if (int err = lanewarden__load(skel.get()))
    throw Error(load_error("lanewarden's BPF programs", err));

  PinnedState st;
  st.ingress_ = dup_fd(bpf_program__fd(skel->progs.lw_ingress));
  st.egress_ = dup_fd(bpf_program__fd(skel->progs.lw_egress));
  st.policy_outer_ = dup_fd(bpf_map__fd(skel->maps.lw_policy_outer));
  st.counters_ = dup_fd(bpf_map__fd(skel->maps.lw_counters));
  st.links_ = dup_fd(bpf_map__fd(skel->maps.lw_links));
  st.violations_ = dup_fd(bpf_map__fd(skel->maps.lw_violations));
  st.events_ = dup_fd(bpf_map__fd(skel->maps.lw_events));
  UniqueFd flood = dup_fd(bpf_map__fd(skel->maps.lw_flood));
  UniqueFd hist = dup_fd(bpf_map__fd(skel->maps.lw_hist));
  UniqueFd rtt_tcp = dup_fd(bpf_map__fd(skel->maps.lw_rtt_tcp));
  UniqueFd rtt_echo = dup_fd(bpf_map__fd(skel->maps.lw_rtt_echo));
  UniqueFd rtt_stats = dup_fd(bpf_map__fd(skel->maps.lw_rtt_stats));

  const std::array<std::pair<const char*, int>, 12> pins = {{
      {kMaps[0], st.policy_outer()},
      {kMaps[1], st.counters()},
      {kMaps[2], st.links()},
      {kMaps[3], st.violations()},
      {kMaps[4], st.events()},
      {kMaps[5], flood.get()},
      {kRttMaps[0], hist.get()},
      {kRttMaps[1], rtt_tcp.get()},
      {kRttMaps[2], rtt_echo.get()},
      {kRttMaps[3], rtt_stats.get()},
      {kEgress, st.egress()},
      {kIngress, st.ingress()},  // last: its presence means "fully pinned"
  }};
  for (const auto& [name, fd] : pins) {
    const std::string path = pin_path(pin_dir, name);
    if (bpf_obj_pin(fd, path.c_str()) != 0) {
      int err = errno;
      unpin_all(pin_dir);
      throw SystemError("cannot pin " + path, err);
    }
  }
  spdlog::debug("loaded and pinned BPF programs under {}", pin_dir);
  return st;
}

PinnedState PinnedState::open(const std::string& pin_dir) {
  install_libbpf_logger();
  if (!exists(pin_dir))
    throw Error("nothing is attached: no lanewarden state under " + pin_dir);
  PinnedState st;
  st.ingress_ = get_pinned(pin_dir, kIngress);
  st.egress_ = get_pinned(pin_dir, kEgress);
  st.policy_outer_ = get_pinned(pin_dir, kMaps[0]);
  st.counters_ = get_pinned(pin_dir, kMaps[1]);
  st.links_ = get_pinned(pin_dir, kMaps[2]);
  st.violations_ = get_pinned(pin_dir, kMaps[3]);
  st.events_ = get_pinned(pin_dir, kMaps[4]);
  return st;
}

void PinnedState::unpin_all(const std::string& pin_dir) {
  ::unlink(pin_path(pin_dir, kIngress).c_str());
  ::unlink(pin_path(pin_dir, kEgress).c_str());
  for (const char* m : kMaps) ::unlink(pin_path(pin_dir, m).c_str());
  for (const char* m : kRttMaps) ::unlink(pin_path(pin_dir, m).c_str());
  // Left by `apply --confirm` (datapath/rollback.cpp) while a confirmation is pending.
  for (const char* m : {"lw_policy_prev", "lw_confirm"}) ::unlink(pin_path(pin_dir, m).c_str());
  // Left by datapath/gso_limit.cpp; detach restores the values before this.
  ::unlink(pin_path(pin_dir, "lw_gso_saved").c_str());
  if (::rmdir(pin_dir.c_str()) != 0 && errno != ENOENT)
    spdlog::warn("left pin directory {} in place: {}", pin_dir, std::strerror(errno));
}

}  // namespace lw::datapath
