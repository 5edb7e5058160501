// SPDX-License-Identifier: GPL-2.0-only
// Attaching lanewarden's programs through tcx links (Linux >= 6.6), the
// alternative to clsact filters (tc_hooks.h; docs/attach.md). Each link is
// pinned under the pin directory as lw_tcx_<ifindex>_in / _eg, so it
// outlives the process that made it, a restart adopts it, and an upgrade
// swaps its program in place (bpf_link_update: every packet meets the old
// program or the new one, never none). Links are created with BPF_F_BEFORE:
// lanewarden goes first in the interface's tcx chain, as its cls_bpf filter
// takes priority 1, so it counts every packet before another program can
// redirect or drop it; passing packets return TCX_NEXT, so programs after it
// and cls_bpf filters (which tcx runs before) still see everything.
#pragma once

#include <cstdint>
#include <string>

namespace lw::datapath {

// Creates lanewarden's two tcx links on `ifindex` and pins them, or moves
// the pinned ones to these programs (a no-op when they already run them).
// Throws on failure after removing links it created itself; pinned links
// that existed before keep what they had (the caller puts its programs
// back). Needs a build with LW_HAVE_TCX to create links.
void attach_tcx(const std::string& pin_dir, uint32_t ifindex, int ingress_fd, int egress_fd);

// Detaches and unpins lanewarden's tcx links of `ifindex`; none pinned is
// not an error (works in every build: links need no tcx API to go away).
void detach_tcx(const std::string& pin_dir, uint32_t ifindex);

// Whether a tcx link of lanewarden is pinned for `ifindex`.
bool tcx_pinned(const std::string& pin_dir, uint32_t ifindex);

}  // namespace lw::datapath
