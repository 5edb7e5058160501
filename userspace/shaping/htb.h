// SPDX-License-Identifier: GPL-2.0-only
// Creates, updates and removes lanewarden's HTB root qdisc (handle 1a4e:)
// with libnl-route-3. A root qdisc lanewarden did not create is never
// replaced or deleted: apply refuses instead, naming it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "shaping/shaping_plan.h"

namespace lw::shaping {

// Installs or updates the plan's HTB on `ifindex`. Replaces only a default
// root qdisc (noqueue, pfifo_fast, mq, fq_codel, pfifo) or lanewarden's own.
void apply_htb(uint32_t ifindex, const InterfacePlan& plan);

// Removes lanewarden's HTB root if present (the kernel restores the default).
// Returns true when something was removed.
bool remove_htb(uint32_t ifindex);

// lanewarden's HTB on `ifindex` as the kernel has it (rates, ceilings,
// priorities and bursts), or nullopt when the root qdisc is not lanewarden's.
// How the state pinned by a build before state records is read back.
std::optional<InterfacePlan> read_htb(uint32_t ifindex, const std::string& interface);

// Kind and handle of the root qdisc, e.g. "htb 1a4e:", or "" if none.
std::string describe_root_qdisc(uint32_t ifindex);

// The root qdisc's description when it is neither lanewarden's HTB nor a
// kernel default that apply_htb() may replace; std::nullopt otherwise.
std::optional<std::string> foreign_root_qdisc(uint32_t ifindex);

}  // namespace lw::shaping
