// SPDX-License-Identifier: GPL-2.0-only
// Records beside the pins: a byte string kept as the one value of a frozen,
// pinned array map (bpffs holds no regular files). A record lives and dies
// with the pins it describes: same directory, same filesystem, gone with a
// reboot or an unmount exactly when they are, removed by the same detach.
// Writing one is atomic: a new map, filled and frozen, is pinned as
// "<name>_new" and renamed over "<name>", so a reader (or a process started
// after a crash) sees the old record or the new one, never a torn one.
#pragma once

#include <optional>
#include <string>

namespace lw::datapath {

void write_record(const std::string& pin_dir, const char* name, const std::string& bytes);

// The record's bytes; nullopt when there is none.
std::optional<std::string> read_record(const std::string& pin_dir, const char* name);

// Pins the record `from` also as `to` (atomically, like write_record): a
// record is frozen, so both names can share the one map.
void copy_record(const std::string& pin_dir, const char* from, const char* to);

// Unpins the record and a leftover "<name>_new"; a missing one is no error.
void remove_record(const std::string& pin_dir, const char* name);

}  // namespace lw::datapath
