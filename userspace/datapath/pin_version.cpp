// SPDX-License-Identifier: GPL-2.0-only
#include "datapath/pin_version.h"

#include <bpf/bpf.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "common/error.h"
#include "datapath/pin_names.h"
#include "lanewarden.h"  // before the skeleton: it embeds struct lw_rodata
#include "lanewarden.skel.h"

namespace lw::datapath {

uint64_t this_program_hash() {
  static const uint64_t hash = [] {
    size_t size = 0;
    const auto* bytes = static_cast<const unsigned char*>(lanewarden__elf_bytes(&size));
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < size; i++) h = (h ^ bytes[i]) * 0x100000001b3ULL;
    return h;
  }();
  return hash;
}

PinnedVersion read_pinned_version(const std::string& pin_dir) {
  PinnedVersion v;
  v.present = ::access(pins::path(pin_dir, pins::kIngress).c_str(), F_OK) == 0;
  UniqueFd meta(bpf_obj_get(pins::path(pin_dir, pins::kMeta).c_str()));
  if (!meta) {
    if (errno != ENOENT)
      throw SystemError("cannot open " + pins::path(pin_dir, pins::kMeta), errno);
    return v;  // pinned before versioning: version 0
  }
  bpf_map_info info{};
  uint32_t len = sizeof(info);
  if (bpf_obj_get_info_by_fd(meta.get(), &info, &len) != 0)
    throw SystemError("cannot inspect " + pins::path(pin_dir, pins::kMeta), errno);
  if (info.value_size < sizeof(uint32_t))
    throw Error(pins::path(pin_dir, pins::kMeta) + " is not a lanewarden version record");
  std::vector<unsigned char> value(info.value_size);
  uint32_t zero = 0;
  if (bpf_map_lookup_elem(meta.get(), &zero, value.data()) != 0)
    throw SystemError("cannot read " + pins::path(pin_dir, pins::kMeta), errno);
  // Only the common prefix: a newer build's lw_pin_meta may be longer.
  lw_pin_meta m{};
  std::memcpy(&m, value.data(), std::min<size_t>(value.size(), sizeof(m)));
  v.abi = m.abi_version;
  if (value.size() >= offsetof(lw_pin_meta, program_hash) + sizeof(m.program_hash))
    v.program_hash = m.program_hash;
  return v;
}

PinsAre compare_pins(const PinnedVersion& pinned, uint32_t abi, uint64_t program_hash) {
  if (!pinned.present) return PinsAre::absent;
  if (pinned.abi > abi) return PinsAre::newer;
  if (pinned.abi < abi) return PinsAre::older;
  return pinned.program_hash == program_hash ? PinsAre::current : PinsAre::other_programs;
}

PinsAre inspect_pins(const std::string& pin_dir) {
  const PinnedVersion pinned = read_pinned_version(pin_dir);
  const PinsAre are = compare_pins(pinned, LW_PIN_ABI_VERSION, this_program_hash());
  if (are == PinsAre::newer)
    throw Error(fmt::format(
        "the state under {} was pinned by a newer lanewarden (pinned-state version {}; this "
        "build knows up to {}): this build changes nothing there. Use the newer lanewarden "
        "(its 'detach' removes everything), then this one",
        pin_dir, pinned.abi, LW_PIN_ABI_VERSION));
  return are;
}

UniqueFd create_meta_map() {
  UniqueFd fd(bpf_map_create(BPF_MAP_TYPE_ARRAY, pins::kMeta, sizeof(uint32_t), sizeof(lw_pin_meta),
                             1, nullptr));
  if (!fd) throw SystemError("cannot create the version record lw_meta", errno);
  lw_pin_meta m{};
  m.abi_version = LW_PIN_ABI_VERSION;
  m.meta_size = sizeof(m);
  m.program_hash = this_program_hash();
  uint32_t zero = 0;
  if (bpf_map_update_elem(fd.get(), &zero, &m, BPF_ANY) != 0)
    throw SystemError("cannot fill the version record lw_meta", errno);
  return fd;
}

}  // namespace lw::datapath
