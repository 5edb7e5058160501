// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/rollback.h"

#include <bpf/bpf.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <vector>

#include "common/clock.h"
#include "common/error.h"
#include "common/kernel_step.h"
#include "datapath/maps.h"
#include "datapath/pin_names.h"
#include "datapath/pin_version.h"
#include "datapath/pinned_state.h"
#include "datapath/reconcile.h"
#include "datapath/state_record.h"
#include "datapath/state_store.h"
#include "lanewarden.h"

namespace lw::datapath {
namespace {

constexpr uint32_t kMaxPending = 16;

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

// The pinned lw_confirm map (invalid when there is none).
UniqueFd open_confirm(const std::string& pin_dir) {
  UniqueFd fd = open_pin(pin_dir, pins::kConfirm);
  if (fd) require_value_size(fd.get(), sizeof(lw_confirm), "the pinned lw_confirm");
  return fd;
}

UniqueFd confirm_map(const std::string& pin_dir) {
  UniqueFd fd = open_confirm(pin_dir);
  if (fd) return fd;
  fd.reset(bpf_map_create(BPF_MAP_TYPE_HASH, pins::kConfirm, sizeof(uint64_t), sizeof(lw_confirm),
                          kMaxPending, nullptr));
  if (!fd) throw SystemError("cannot create the confirmation map", errno);
  const std::string path = pins::path(pin_dir, pins::kConfirm);
  kernel_step("pin the confirmation map");
  if (bpf_obj_pin(fd.get(), path.c_str()) != 0) throw SystemError("cannot pin " + path, errno);
  return fd;
}

void delete_token(int confirm_fd, uint64_t token) {
  kernel_step("remove a pending token");
  bpf_map_delete_elem(confirm_fd, &token);
}

// Deletes every pending token; true when there was one. Deleting the token
// is the claim: a watchdog that finds it gone does nothing.
bool claim_all(const std::string& pin_dir) {
  UniqueFd cm = open_confirm(pin_dir);
  if (!cm) return false;
  bool claimed = false;
  for (uint64_t t : tokens(cm.get())) {
    kernel_step("claim a pending token");
    if (bpf_map_delete_elem(cm.get(), &t) == 0) claimed = true;
  }
  return claimed;
}

void forget_saved_state(const std::string& pin_dir) {
  remove_record(pin_dir, pins::kStatePrev);
  for (const char* legacy : pins::kLegacy) ::unlink(pins::path(pin_dir, legacy).c_str());
}

// Once nothing is pending, the saved state and an empty lw_confirm go: the
// pins are then exactly those of a plain apply.
void forget_rollback_point(const std::string& pin_dir) {
  forget_saved_state(pin_dir);
  UniqueFd cm = open_confirm(pin_dir);
  if (cm && tokens(cm.get()).empty()) {
    kernel_step("unpin the confirmation map");
    ::unlink(pins::path(pin_dir, pins::kConfirm).c_str());
  }
}

}  // namespace

bool keep_pending_rollback_point(const PinDirLock& lock) {
  const std::string& dir = lock.pin_dir();
  UniqueFd cm = open_confirm(dir);
  if (!cm) return false;
  bool any = false, had_previous = false;
  for (uint64_t t : tokens(cm.get())) {
    lw_confirm v{};
    if (bpf_map_lookup_elem(cm.get(), &t, &v) != 0) continue;
    any = true;
    had_previous |= v.had_previous != 0;
  }
  if (!any) return false;
  if (!had_previous || read_record(dir, pins::kStatePrev)) return true;
  spdlog::warn(
      "settling the confirmation an earlier lanewarden version left pending under {}: "
      "it saved only a policy, not the rest of the state to come back to",
      dir);
  claim_all(dir);
  forget_rollback_point(dir);
  return false;
}

uint64_t arm_rollback(const PinDirLock& lock, const std::optional<DesiredState>& previous,
                      bool keep_pending, uint64_t generation, unsigned seconds) {
  const std::string& dir = lock.pin_dir();
  UniqueFd cm = confirm_map(dir);
  lw_confirm value{};
  const auto pending = tokens(cm.get());
  if (keep_pending) {
    // Inherit had_previous from the pending entry we supersede.
    for (uint64_t t : pending) {
      lw_confirm old{};
      if (bpf_map_lookup_elem(cm.get(), &t, &old) == 0) value.had_previous = old.had_previous;
    }
  } else {
    forget_saved_state(dir);
    if (previous) {
      write_record(dir, pins::kStatePrev, serialize_state(*previous));
      value.had_previous = 1;
    }
  }
  for (uint64_t t : pending) delete_token(cm.get(), t);

  uint64_t token = 0;
  while (token == 0)
    if (getrandom(&token, sizeof(token), 0) != sizeof(token))
      throw SystemError("getrandom failed", errno);
  value.generation = generation;
  value.deadline_ns = static_cast<uint64_t>(realtime_now_ns() + int64_t{seconds} * kNsPerSec);
  kernel_step("record the pending token");
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
  UniqueFd cm = open_confirm(pin_dir);
  return cm && !tokens(cm.get()).empty();
}

bool confirm_pending(const std::string& pin_dir) {
  PinDirLock lock(pin_dir);
  inspect_pins(pin_dir);  // a newer lanewarden's pending confirmation is not ours to settle
  if (!claim_all(pin_dir)) return false;
  forget_rollback_point(pin_dir);
  return true;
}

void settle_pending(const PinDirLock& lock) {
  if (!claim_all(lock.pin_dir())) return;
  forget_rollback_point(lock.pin_dir());
  spdlog::info("the pending confirmation is settled by this apply");
}

bool rollback_if_unconfirmed(const std::string& pin_dir, uint64_t token) {
  PinDirLock lock(pin_dir);
  inspect_pins(pin_dir);  // a newer lanewarden took over meanwhile: leave its state alone
  UniqueFd cm = open_confirm(pin_dir);
  if (!cm) return false;
  lw_confirm value{};
  if (bpf_map_lookup_elem(cm.get(), &token, &value) != 0) return false;
  const auto previous = read_record(pin_dir, pins::kStatePrev);
  if (value.had_previous && !previous)
    throw Error("the state to come back to (" + pins::path(pin_dir, pins::kStatePrev) +
                ") is missing: nothing rolled back");
  kernel_step("claim the pending token");
  if (bpf_map_delete_elem(cm.get(), &token) != 0) return false;  // confirmed just now
  if (value.had_previous) {
    reconcile(lock, parse_state(*previous, pins::path(pin_dir, pins::kStatePrev)));
    forget_rollback_point(pin_dir);
  } else {
    reconcile(lock, DesiredState{});  // nothing was attached before: detach everything
  }
  return true;
}

}  // namespace lw::datapath
