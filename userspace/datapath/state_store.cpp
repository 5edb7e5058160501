// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/state_store.h"

#include <bpf/bpf.h>
#include <stdio.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "common/error.h"
#include "common/fd.h"
#include "common/kernel_step.h"
#include "datapath/pin_names.h"

namespace lw::datapath {
namespace {

std::string new_name(const char* name) { return std::string(name) + pins::kNewSuffix; }

// Pins `fd` as <name>_new, then renames it over <name>.
void pin_atomically(int fd, const std::string& pin_dir, const char* name) {
  const std::string tmp = pins::path(pin_dir, new_name(name).c_str());
  const std::string final_path = pins::path(pin_dir, name);
  ::unlink(tmp.c_str());  // left by a process that stopped between the two steps
  kernel_step("pin a record");
  if (bpf_obj_pin(fd, tmp.c_str()) != 0) throw SystemError("cannot pin " + tmp, errno);
  kernel_step("rename a record into place");
  if (::rename(tmp.c_str(), final_path.c_str()) != 0)
    throw SystemError("cannot rename " + tmp + " to " + final_path, errno);
}

}  // namespace

void write_record(const std::string& pin_dir, const char* name, const std::string& bytes) {
  const std::string value = bytes.empty() ? std::string(1, '\0') : bytes;
  bpf_map_create_opts opts{};
  opts.sz = sizeof(opts);
  opts.map_flags = BPF_F_RDONLY_PROG;  // userspace only: no program may see it
  UniqueFd fd(bpf_map_create(BPF_MAP_TYPE_ARRAY, name, sizeof(uint32_t),
                             static_cast<uint32_t>(value.size()), 1, &opts));
  if (!fd) throw SystemError("cannot create the record " + std::string(name), errno);
  uint32_t zero = 0;
  if (bpf_map_update_elem(fd.get(), &zero, value.data(), BPF_ANY) != 0)
    throw SystemError("cannot fill the record " + std::string(name), errno);
  // Frozen: no later write can tear what a reader is about to read.
  if (bpf_map_freeze(fd.get()) != 0)
    throw SystemError("cannot freeze the record " + std::string(name), errno);
  pin_atomically(fd.get(), pin_dir, name);
}

std::optional<std::string> read_record(const std::string& pin_dir, const char* name) {
  const std::string p = pins::path(pin_dir, name);
  UniqueFd fd(bpf_obj_get(p.c_str()));
  if (!fd) {
    if (errno == ENOENT) return std::nullopt;
    throw SystemError("cannot open " + p, errno);
  }
  bpf_map_info info{};
  uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(fd.get(), &info, &len) != 0)
    throw SystemError("cannot inspect " + p, errno);
  if (info.type != BPF_MAP_TYPE_ARRAY || info.key_size != sizeof(uint32_t) || info.max_entries != 1)
    throw Error(p + " is not a lanewarden record");
  std::string value(info.value_size, '\0');
  uint32_t zero = 0;
  if (bpf_map_lookup_elem(fd.get(), &zero, value.data()) != 0)
    throw SystemError("cannot read " + p, errno);
  while (!value.empty() && value.back() == '\0') value.pop_back();
  return value;
}

void copy_record(const std::string& pin_dir, const char* from, const char* to) {
  const std::string p = pins::path(pin_dir, from);
  UniqueFd fd(bpf_obj_get(p.c_str()));
  if (!fd) throw SystemError("cannot open " + p, errno);
  pin_atomically(fd.get(), pin_dir, to);
}

void remove_record(const std::string& pin_dir, const char* name) {
  ::unlink(pins::path(pin_dir, new_name(name).c_str()).c_str());
  const std::string p = pins::path(pin_dir, name);
  if (::access(p.c_str(), F_OK) != 0) return;
  kernel_step("unpin a record");
  if (::unlink(p.c_str()) != 0 && errno != ENOENT) throw SystemError("cannot unpin " + p, errno);
}

}  // namespace lw::datapath
