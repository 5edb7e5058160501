// SPDX-License-Identifier: GPL-2.0-only
#include "telemetry/event_format.h"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netinet/in.h>

#include <ctime>

#include "datapath/names.h"
#include "policy/policy.h"

namespace lw::telemetry {
namespace {

std::string address(uint8_t family, uint64_t hi, uint64_t lo) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (family == 4) {
    in_addr a{htonl(static_cast<uint32_t>(lo))};
    return inet_ntop(AF_INET, &a, buf, sizeof(buf)) ? buf : "";
  }
  if (family == 6) {
    in6_addr a{};
    for (int i = 0; i < 8; i++) {
      a.s6_addr[i] = static_cast<uint8_t>(hi >> (56 - 8 * i));
      a.s6_addr[8 + i] = static_cast<uint8_t>(lo >> (56 - 8 * i));
    }
    return inet_ntop(AF_INET6, &a, buf, sizeof(buf)) ? buf : "";
  }
  return "";
}

const char* name_or(const auto& table, size_t i, const char* fallback) {
  return i < table.size() ? table[i] : fallback;
}

}  // namespace

std::string rfc3339_ns(int64_t realtime_ns) {
  const time_t secs = static_cast<time_t>(realtime_ns / 1000000000);
  const long nanos = static_cast<long>(realtime_ns % 1000000000);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char date[32];
  strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:09d}Z", date, nanos);
}

int64_t monotonic_to_realtime_offset() {
  timespec rt{}, mono{};
  clock_gettime(CLOCK_REALTIME, &rt);
  clock_gettime(CLOCK_MONOTONIC, &mono);
  return (int64_t{rt.tv_sec} - mono.tv_sec) * 1000000000 + (rt.tv_nsec - mono.tv_nsec);
}

std::string event_src(const lw_event& ev) { return address(ev.family, ev.src_hi, ev.src_lo); }
std::string event_dst(const lw_event& ev) { return address(ev.family, ev.dst_hi, ev.dst_lo); }

std::string proto_name(uint8_t l4, uint8_t family) {
  switch (l4) {
    case IPPROTO_TCP:
      return "tcp";
    case IPPROTO_UDP:
      return "udp";
    case IPPROTO_ICMP:
      return "icmp";
    case IPPROTO_ICMPV6:
      return "icmpv6";
  }
  if (family == 0) return "";
  return std::to_string(l4);
}

const char* action_name(uint8_t verdict) { return verdict == LW_VERDICT_DROP ? "drop" : "pass"; }

nlohmann::json event_json(const lw_event& ev, const IfaceNamer& names, int64_t clock_offset) {
  return {{"type", "violation"},
          {"ts", rfc3339_ns(static_cast<int64_t>(ev.ts_ns) + clock_offset)},
          {"kind", name_or(datapath::kViolationNames, ev.kind, "unknown")},
          {"class", name_or(policy::kClassNames, ev.cls, "unknown")},
          {"iface", names(ev.ifindex)},
          {"ifindex", ev.ifindex},
          {"dir", name_or(datapath::kDirNames, ev.dir, "unknown")},
          {"action", action_name(ev.verdict)},
          {"proto", proto_name(ev.l4, ev.family)},
          {"src", event_src(ev)},
          {"dst", event_dst(ev)},
          {"sport", ev.sport},
          {"dport", ev.dport},
          {"vlan", ev.vlan},
          {"len", ev.len},
          {"suppressed", ev.suppressed}};
}

std::string event_text(const lw_event& ev, const IfaceNamer& names, int64_t clock_offset) {
  const bool ports = ev.l4 == IPPROTO_TCP || ev.l4 == IPPROTO_UDP;
  auto endpoint = [&](const std::string& addr, uint16_t port) {
    if (!ports) return addr;
    return ev.family == 6 ? fmt::format("[{}]:{}", addr, port) : fmt::format("{}:{}", addr, port);
  };
  std::string line =
      fmt::format("[{}] [{}] {} class={} iface={} dir={} action={} {} {} -> {} len={}",
                  rfc3339_ns(static_cast<int64_t>(ev.ts_ns) + clock_offset),
                  ev.verdict == LW_VERDICT_DROP ? "error" : "warning",
                  name_or(datapath::kViolationNames, ev.kind, "unknown"),
                  name_or(policy::kClassNames, ev.cls, "unknown"), names(ev.ifindex),
                  name_or(datapath::kDirNames, ev.dir, "unknown"), action_name(ev.verdict),
                  proto_name(ev.l4, ev.family), endpoint(event_src(ev), ev.sport),
                  endpoint(event_dst(ev), ev.dport), ev.len);
  if (ev.vlan) line += fmt::format(" vlan={}", ev.vlan);
  if (ev.suppressed) line += fmt::format(" (+{} suppressed)", ev.suppressed);
  return line;
}

}  // namespace lw::telemetry
