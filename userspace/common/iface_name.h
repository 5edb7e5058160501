// SPDX-License-Identifier: GPL-2.0-only
// Interface names for output: events and logs carry an ifindex, and an
// interface may be gone (or in another namespace) by the time it is shown.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace lw {

// The name of interface `ifindex` in this network namespace; nullopt when
// there is none.
std::optional<std::string> iface_name(uint32_t ifindex);

// The name, or "if{N}" when the interface has none here: what output shows.
std::string iface_label(uint32_t ifindex);

// iface_label() for a stream of events. Only names that resolved are kept:
// an interface that is missing now may appear later.
class IfaceLabels {
 public:
  std::string operator()(uint32_t ifindex);

 private:
  std::map<uint32_t, std::string> names_;
};

}  // namespace lw
