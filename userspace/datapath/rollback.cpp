// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/rollback.h"

#include <bpf/bpf.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <net/if.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <set>
#include <vector>

#include "common/error.h"
#include "datapath/datapath.h"
#include "datapath/gso_limit.h"
#include "datapath/maps.h"
#include "datapath/pinned_state.h"
#include "datapath/tc_hooks.h"
#include "lanewarden.h"

namespace lw::datapath {
namespace {

constexpr const char* kPrevPin = "lw_policy_prev";
constexpr const char* kConfirmPin = "lw_confirm";
constexpr uint32_t kMaxPending = 16;

std::string pin(const std::string& dir, const char* name) { return dir + "/" + name; }

UniqueFd open_pin(const std::string& dir, const char* name) {
  return UniqueFd(bpf_obj_get(pin(dir, name).c_str()));
}

std::vector<uint64_t> tokens(int confirm_fd) {
  std::vector<uint64_t> out;
  uint64_t key = 0, next = 0;
  uint64_t* prev = nullptr;
  while (bpf_map_get_next_key(confirm_fd, prev, &next) == 0) {
    out.push_back(next);
    key = next;
    prev = &key;
  }
  return out;
}

UniqueFd confirm_map(const std::string& pin_dir) {
  UniqueFd fd = open_pin(pin_dir, kConfirmPin);
  if (fd) return fd;
  fd.reset(bpf_map_create(BPF_MAP_TYPE_HASH, "lw_confirm", sizeof(uint64_t), sizeof(lw_confirm),
                          kMaxPending, nullptr));
  if (!fd) throw SystemError("cannot create the confirmation map", errno);
  if (bpf_obj_pin(fd.get(), pin(pin_dir, kConfirmPin).c_str()) != 0)
    throw SystemError("cannot pin " + pin(pin_dir, kConfirmPin), errno);
  return fd;
}

lw_link link_for(uint32_t ifindex, uint16_t slot, uint32_t flags) {
  lw_link link{};
  static_assert(sizeof(link.ifname) >= IF_NAMESIZE, "if_indextoname writes IF_NAMESIZE bytes");
  if (!if_indextoname(ifindex, link.ifname)) link.ifname[0] = '\0';  // gone: no name
  link.slot = slot;
  link.flags = flags;
  return link;
}

// Swaps the saved policy back in, then makes the attachments match it.
void restore_previous(const std::string& pin_dir, int prev_fd) {
  PinnedState st = PinnedState::open(pin_dir);
  auto prev = std::make_unique<lw_policy>();  // too big for the stack
  uint32_t zero = 0;
  if (bpf_map_lookup_elem(prev_fd, &zero, prev.get()) != 0)
    throw SystemError("cannot read the saved policy", errno);
  restore_policy_map(st.policy_outer(), prev_fd);
  try {
    sync_gso_limits(pin_dir, gso_limits_of(*prev));
  } catch (const Error& e) {
    syslog(LOG_WARNING, "lanewarden rollback: GSO limits: %s", e.what());
  }

  auto links = read_links(st.links());
  std::set<uint32_t> wanted;
  for (uint32_t i = 0; i < prev->n_ifaces && i < LW_MAX_IFACES; i++) {
    const lw_iface& ifc = prev->ifaces[i];
    wanted.insert(ifc.ifindex);
    auto it = links.find(ifc.ifindex);
    const uint32_t known = it == links.end() ? 0 : it->second.flags;
    try {
      uint32_t flags = attach_tc(ifc.ifindex, st.ingress(), st.egress(), known);
      write_link(st.links(), ifc.ifindex, link_for(ifc.ifindex, ifc.slot, flags));
    } catch (const Error& e) {
      // An interface that vanished meanwhile must not stop the rest.
      syslog(LOG_WARNING, "lanewarden rollback: ifindex %u: %s", ifc.ifindex, e.what());
    }
  }
  for (const auto& [ifindex, link] : links) {
    if (wanted.count(ifindex)) continue;
    detach_tc(ifindex, link.flags);
    delete_link(st.links(), ifindex);
  }
}

}  // namespace

RollbackPoint capture_rollback_point(const std::string& pin_dir) {
  RollbackPoint p;
  if (has_pending(pin_dir)) {
    // The known-good state is the one saved before the first unconfirmed apply.
    p.pending_kept = true;
    return p;
  }
  if (!PinnedState::exists(pin_dir)) return p;
  p.had_state = true;
  PinnedState st = PinnedState::open(pin_dir);
  p.policy = active_policy_map(st.policy_outer());
  return p;
}

uint64_t arm_rollback(const std::string& pin_dir, RollbackPoint point, uint64_t generation,
                      unsigned seconds) {
  UniqueFd cm = confirm_map(pin_dir);
  lw_confirm value{};
  if (point.pending_kept) {
    // Inherit had_previous from the pending entry we supersede.
    for (uint64_t t : tokens(cm.get())) {
      lw_confirm old{};
      if (bpf_map_lookup_elem(cm.get(), &t, &old) == 0) value.had_previous = old.had_previous;
    }
  } else {
    ::unlink(pin(pin_dir, kPrevPin).c_str());
    if (point.policy) {
      if (bpf_obj_pin(point.policy.get(), pin(pin_dir, kPrevPin).c_str()) != 0)
        throw SystemError("cannot pin the previous policy for rollback", errno);
      value.had_previous = 1;
    }
  }
  for (uint64_t t : tokens(cm.get())) bpf_map_delete_elem(cm.get(), &t);

  uint64_t token = 0;
  while (token == 0)
    if (getrandom(&token, sizeof(token), 0) != sizeof(token))
      throw SystemError("getrandom failed", errno);
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  value.generation = generation;
  value.deadline_ns = (uint64_t(now.tv_sec) + seconds) * 1000000000ull + now.tv_nsec;
  if (bpf_map_update_elem(cm.get(), &token, &value, BPF_NOEXIST) != 0)
    throw SystemError("cannot record the pending confirmation", errno);
  return token;
}

void spawn_rollback_watchdog(const std::string& pin_dir, uint64_t token, unsigned seconds) {
  timespec deadline{};
  clock_gettime(CLOCK_MONOTONIC, &deadline);
  deadline.tv_sec += seconds;
  std::fflush(nullptr);
  pid_t child = fork();
  if (child < 0) throw SystemError("cannot start the rollback watchdog", errno);
  if (child > 0) {
    int status = 0;
    waitpid(child, &status, 0);
    return;
  }
  // Middle child: a new session, so neither the SSH session's SIGHUP nor the
  // caller's process group kill reaches the watchdog; then exit, so the
  // watchdog is reparented to init and the caller can reap us at once.
  setsid();
  if (fork() != 0) _exit(0);
  signal(SIGHUP, SIG_IGN);
  int devnull = ::open("/dev/null", O_RDWR);
  if (devnull >= 0) {
    // The caller's stdout may be a pipe a script reads to EOF: let go of it.
    dup2(devnull, 0);
    dup2(devnull, 1);
    dup2(devnull, 2);
  }
  syscall(SYS_close_range, 3u, ~0u, 0u);
  openlog("lanewarden", LOG_PID, LOG_DAEMON);
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nullptr) == EINTR) {
  }
  try {
    if (rollback_if_unconfirmed(pin_dir, token))
      syslog(LOG_WARNING, "apply under %s was not confirmed: previous state restored",
             pin_dir.c_str());
  } catch (const std::exception& e) {
    syslog(LOG_ERR, "rollback under %s failed: %s", pin_dir.c_str(), e.what());
  }
  _exit(0);
}

bool has_pending(const std::string& pin_dir) {
  UniqueFd cm = open_pin(pin_dir, kConfirmPin);
  return cm && !tokens(cm.get()).empty();
}

bool confirm_pending(const std::string& pin_dir) {
  UniqueFd cm = open_pin(pin_dir, kConfirmPin);
  if (!cm) return false;
  bool confirmed = false;
  // Deleting the token is the claim: a watchdog that finds it gone does nothing.
  for (uint64_t t : tokens(cm.get()))
    if (bpf_map_delete_elem(cm.get(), &t) == 0) confirmed = true;
  if (confirmed) ::unlink(pin(pin_dir, kPrevPin).c_str());
  return confirmed;
}

void clear_pending(const std::string& pin_dir) {
  if (confirm_pending(pin_dir)) spdlog::info("the pending confirmation is settled by this apply");
}

bool rollback_if_unconfirmed(const std::string& pin_dir, uint64_t token) {
  UniqueFd cm = open_pin(pin_dir, kConfirmPin);
  if (!cm) return false;
  lw_confirm value{};
  if (bpf_map_lookup_elem(cm.get(), &token, &value) != 0) return false;
  if (bpf_map_delete_elem(cm.get(), &token) != 0) return false;  // confirmed just now
  UniqueFd prev = open_pin(pin_dir, kPrevPin);
  if (value.had_previous && prev) {
    restore_previous(pin_dir, prev.get());
    ::unlink(pin(pin_dir, kPrevPin).c_str());
  } else {
    detach_all(pin_dir);
  }
  return true;
}

}  // namespace lw::datapath
