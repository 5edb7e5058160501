// SPDX-License-Identifier: GPL-2.0-only
// Attaching and detaching lanewarden's filters on clsact (libbpf bpf_tc_*).
// lanewarden only ever removes its own filter (its handle and priority) and
// only removes the clsact qdisc when it created it and nothing else uses it.
#pragma once

#include <cstdint>

namespace lw::datapath {

// The LW_LINK_* flags to record for `ifindex` before attach_tc() runs:
// LW_LINK_CREATED_CLSACT when there is no clsact qdisc yet, so a process
// stopped right after creating it still leaves a record that the qdisc is
// lanewarden's to remove.
uint32_t attach_intent_flags(uint32_t ifindex);

// Attaches both programs to `ifindex`, replacing lanewarden's own earlier
// filters in place: cls_bpf swaps the program of the filter at the same
// handle and priority atomically, so no packet passes unclassified (this is
// also how an upgrade moves an interface to new programs). Returns LW_LINK_*
// flags (LW_LINK_CREATED_CLSACT when the qdisc did not exist before). Throws
// on failure, after undoing a new attachment.
uint32_t attach_tc(uint32_t ifindex, int ingress_fd, int egress_fd, uint32_t known_flags);

// Removes lanewarden's filters, and the clsact qdisc when `flags` says
// lanewarden created it and no foreign filter remains. A vanished interface
// is not an error.
void detach_tc(uint32_t ifindex, uint32_t flags);

// Number of tc filters on the clsact ingress/egress hooks of `ifindex` that
// are not lanewarden's (libnl-route). -1 when it cannot be determined.
int foreign_filter_count(uint32_t ifindex);

}  // namespace lw::datapath
