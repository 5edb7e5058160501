// SPDX-License-Identifier: GPL-2.0-only
// How one violation event reads: a spdlog-style line for people, a JSON
// object (field names: docs/architecture.md "Contracts") for scripts. Pure functions, unit-tested.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "lanewarden.h"

namespace lw::telemetry {

// Interface name for an ifindex ("if<N>" when it no longer exists).
using IfaceNamer = std::function<std::string(uint32_t ifindex)>;

// "2024-05-01T12:00:00.123456789Z" (RFC 3339, UTC, nanoseconds).
std::string rfc3339_ns(int64_t realtime_ns);
// CLOCK_REALTIME - CLOCK_MONOTONIC now: added to an event's bpf_ktime_get_ns
// timestamp it gives wall-clock time.
int64_t monotonic_to_realtime_offset();

std::string event_src(const lw_event& ev);  // "198.51.100.1", "2001:db8::1", "" (not IP)
std::string event_dst(const lw_event& ev);
std::string proto_name(uint8_t l4, uint8_t family);  // "tcp", "udp", "icmp", "icmpv6", "47"
// "pass" for a violation let through (audit, mtu), "drop" for a dropped one.
const char* action_name(uint8_t verdict);

nlohmann::json event_json(const lw_event& ev, const IfaceNamer& names, int64_t clock_offset);
std::string event_text(const lw_event& ev, const IfaceNamer& names, int64_t clock_offset);

}  // namespace lw::telemetry
