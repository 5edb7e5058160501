// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/tcx_hooks.h"

#include <bpf/bpf.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/error.h"
#include "common/fd.h"
#include "common/kernel_step.h"
#include "datapath/pin_names.h"

namespace lw::datapath {
namespace {

std::string link_path(const std::string& dir, uint32_t ifindex, bool ingress) {
  return pins::path(dir, pins::tcx_link(ifindex, ingress).c_str());
}

const char* dir_name(bool ingress) { return ingress ? "ingress" : "egress"; }

bool detach_one(const std::string& dir, uint32_t ifindex, bool ingress) {
  const std::string path = link_path(dir, ifindex, ingress);
  if (::access(path.c_str(), F_OK) != 0) return false;
  if (UniqueFd link{bpf_obj_get(path.c_str())}) {
    kernel_step(ingress ? "detach the ingress tcx link" : "detach the egress tcx link");
    // A link whose interface went away is already detached (ENOLINK).
    if (int err = bpf_link_detach(link.get()); err && err != -ENOLINK && err != -ENOENT)
      spdlog::warn("cannot detach the {} tcx link of ifindex {}: {}", dir_name(ingress), ifindex,
                   std::strerror(-err));
  }
  kernel_step("unpin a tcx link");
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    spdlog::warn("cannot unpin {}: {}", path, std::strerror(errno));
  return true;
}

uint32_t prog_id(int prog_fd) {
  bpf_prog_info info{};
  uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(prog_fd, &info, &len) != 0)
    throw SystemError("cannot read a program's id", errno);
  return info.id;
}

// Moves a pinned link to `prog_fd`. False when there is no usable pinned
// link (none, or one whose interface was deleted: it reports ifindex 0).
bool swap_pinned(const std::string& path, uint32_t ifindex, bool ingress, int prog_fd) {
  UniqueFd link{bpf_obj_get(path.c_str())};
  if (!link) return false;
  bpf_link_info info{};
  uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(link.get(), &info, &len) != 0) return false;
#if LW_HAVE_TCX
  if (info.tcx.ifindex != ifindex) {
    kernel_step("unpin a tcx link");
    ::unlink(path.c_str());
    return false;
  }
#endif
  if (info.prog_id == prog_id(prog_fd)) return true;
  kernel_step(ingress ? "swap the ingress tcx program" : "swap the egress tcx program");
  if (int err = bpf_link_update(link.get(), prog_fd, nullptr))
    throw SystemError(fmt::format("cannot swap the program of the {} tcx link of ifindex {}",
                                  dir_name(ingress), ifindex),
                      err);
  return true;
}

// Returns true when it created the link (false: a pinned one was kept).
bool attach_one(const std::string& dir, uint32_t ifindex, bool ingress, int prog_fd) {
  const std::string path = link_path(dir, ifindex, ingress);
  if (swap_pinned(path, ifindex, ingress, prog_fd)) return false;
#if LW_HAVE_TCX
  bpf_link_create_opts opts{};
  opts.sz = sizeof(opts);
  opts.flags = BPF_F_BEFORE;  // first in the chain (see tcx_hooks.h)
  kernel_step(ingress ? "attach the ingress tcx link" : "attach the egress tcx link");
  UniqueFd link{bpf_link_create(prog_fd, static_cast<int>(ifindex),
                                ingress ? BPF_TCX_INGRESS : BPF_TCX_EGRESS, &opts)};
  if (!link)
    throw SystemError(
        fmt::format("cannot attach a tcx link to {} of ifindex {}", dir_name(ingress), ifindex),
        errno);
  // Until it is pinned the link lives only in this process: a crash here
  // detaches it with the process's file descriptors.
  kernel_step("pin a tcx link");
  if (bpf_obj_pin(link.get(), path.c_str()) != 0) throw SystemError("cannot pin " + path, errno);
  return true;
#else
  throw Error(fmt::format("cannot attach to {} of ifindex {} with tcx: this build has no tcx",
                          dir_name(ingress), ifindex));
#endif
}

}  // namespace

bool tcx_pinned(const std::string& dir, uint32_t ifindex) {
  return ::access(link_path(dir, ifindex, true).c_str(), F_OK) == 0 ||
         ::access(link_path(dir, ifindex, false).c_str(), F_OK) == 0;
}

void attach_tcx(const std::string& dir, uint32_t ifindex, int ingress_fd, int egress_fd) {
  bool created_ingress = false;
  try {
    created_ingress = attach_one(dir, ifindex, true, ingress_fd);
    attach_one(dir, ifindex, false, egress_fd);
  } catch (...) {
    // Undo only a new attachment, as attach_tc does.
    if (created_ingress) detach_tcx(dir, ifindex);
    throw;
  }
}

void detach_tcx(const std::string& dir, uint32_t ifindex) {
  detach_one(dir, ifindex, true);
  detach_one(dir, ifindex, false);
}

}  // namespace lw::datapath
