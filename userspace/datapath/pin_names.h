// SPDX-License-Identifier: GPL-2.0-only
// Every name lanewarden pins under --pin-dir, in one place. A pin directory
// holds these and nothing else; detach removes all of them, the names of
// older builds included. bpffs refuses names with a '.', hence the "_new"
// suffix of temporaries and the "lw_next" staging directory.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace lw::datapath::pins {

// The programs. lw_ingress is pinned last by a first load: while it is
// missing, whatever else is in the directory is a leftover of an interrupted
// load, never something attached.
inline constexpr const char* kIngress = "lw_ingress";
inline constexpr const char* kEgress = "lw_egress";

// Maps of the BPF object (bpf/maps.bpf.h), pinned under their own names.
inline constexpr const char* kPolicyOuter = "lw_policy_outer";
inline constexpr const char* kCounters = "lw_counters";
inline constexpr const char* kLinks = "lw_links";
inline constexpr const char* kViolations = "lw_violations";
inline constexpr const char* kEvents = "lw_events";
inline constexpr const char* kFlood = "lw_flood";
inline constexpr const char* kHist = "lw_hist";
inline constexpr const char* kRttTcp = "lw_rtt_tcp";
inline constexpr const char* kRttEcho = "lw_rtt_echo";
inline constexpr const char* kRttStats = "lw_rtt_stats";

// A pinned map of the object and the pinned-state version (LW_PIN_ABI_VERSION)
// in which the layout or meaning of its key or value last changed. An upgrade
// carries a map's contents over (the new programs use the pinned map itself)
// only when the pins are at least that version and the kernel reports the
// same type, key size, value size, entries and flags; otherwise the new map
// starts empty.
struct ObjectMap {
  const char* name;
  uint32_t layout_since;
  bool carried;  // false: always new on an upgrade
};
inline constexpr std::array<ObjectMap, 10> kObjectMaps = {{
    // A new outer map: the new programs are verified against its inner map,
    // and the old programs keep reading theirs until their filter is swapped.
    {kPolicyOuter, 0, false},
    {kCounters, 4, true},  // 4: parse[] has LW_PARSE_TRUNC_SCTP
    // Version 3 only added LW_LINK_TCX: every value of version 2 means the
    // same in version 3, so lw_links carries over from version 2.
    {kLinks, 2, true},
    {kViolations, 2, true},
    {kEvents, 0, true},
    {kFlood, 0, true},
    {kHist, 2, true},
    {kRttTcp, 0, true},
    {kRttEcho, 0, true},
    {kRttStats, 0, true},
}};

// Userspace-only maps.
inline constexpr const char* kMeta = "lw_meta";             // struct lw_pin_meta
inline constexpr const char* kState = "lw_state";           // desired state in force
inline constexpr const char* kStatePrev = "lw_state_prev";  // the one before an apply --confirm
inline constexpr const char* kConfirm = "lw_confirm";       // pending apply --confirm tokens
inline constexpr const char* kGsoSaved = "lw_gso_saved";    // interfaces' own gso_max_segs

// Directory of a program upgrade in progress: the new objects are pinned
// here, then renamed over the live names, lw_meta last.
inline constexpr const char* kStaging = "lw_next";
// Suffix of a record pinned before it is renamed over its name.
inline constexpr const char* kNewSuffix = "_new";

// lanewarden's tcx links (tcx_hooks.h), one per interface and direction:
// "lw_tcx_<ifindex>_in" and "lw_tcx_<ifindex>_eg". Unpinning the last
// reference to a link detaches it.
inline constexpr const char* kTcxPrefix = "lw_tcx_";
std::string tcx_link(uint32_t ifindex, bool ingress);

// Pinned by older builds only; detach removes them too.
inline constexpr std::array<const char*, 1> kLegacy = {"lw_policy_prev"};

// "<dir>/<name>".
std::string path(const std::string& dir, const char* name);

}  // namespace lw::datapath::pins
