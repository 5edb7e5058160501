// SPDX-License-Identifier: GPL-2.0-only
// Reading a policy file (TOML, README "Policies") into a validated Policy.
// Parsing is all or nothing: any problem throws, nothing is half-applied.
#pragma once

#include <string>
#include <string_view>

#include "common/error.h"
#include "lanewarden.h"
#include "policy/policy.h"

namespace lw::policy {

// Datapath table sizes the policy must fit (bpf/lanewarden.h). Each network
// adds at most two boundaries to the sorted range table of its family.
inline constexpr int kMaxLaneInterfaces = LW_MAX_IFACES;
inline constexpr int kMaxVlanLanes = LW_MAX_VLAN_LANES;
inline constexpr int kMaxNetworksPerFamily = 100;
static_assert(2 * kMaxNetworksPerFamily + 1 <= LW_MAX_RANGES);
inline constexpr int kMaxServices = LW_MAX_SERVICES;                // qnetd entries
inline constexpr int kMaxSctpPortRanges = LW_MAX_SCTP_PORT_RANGES;  // all classes together

// An invalid policy: exit code 2. what() is "FILE:LINE:COLUMN: message".
class PolicyError : public UsageError {
 public:
  PolicyError(SourceLocation where, const std::string& message);
  const SourceLocation& where() const { return where_; }
  const std::string& message() const { return message_; }

 private:
  SourceLocation where_;
  std::string message_;
};

Policy parse_file(const std::string& path);
// `source_name` is used in error locations and stored as Policy::source.
// Lanes with `node = "..."` are kept only when they name `node`.
Policy parse_string(std::string_view toml_text, const std::string& source_name);
Policy parse_string(std::string_view toml_text, const std::string& source_name,
                    const std::string& node);

}  // namespace lw::policy
