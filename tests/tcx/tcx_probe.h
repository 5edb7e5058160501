// SPDX-License-Identifier: GPL-2.0-only
// What the tcx tests look at in the kernel, directly through bpf(): the
// programs on an interface's tcx hooks in chain order, the ids of pinned
// programs and links, and foreign programs a test puts beside lanewarden's
// (tcx links held by the test process, cls_bpf filters on clsact).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "support/netns.h"
#include "support/unique_fd.h"

namespace lw::test::tcx {

// Program ids on the tcx ingress or egress hook of `ifname` in `ns`, first
// to run first (BPF_PROG_QUERY).
std::vector<uint32_t> tcx_chain(const NetNs& ns, const std::string& ifname, bool ingress);

// Id of the program or link pinned at `path`; 0 when nothing is pinned.
uint32_t pinned_prog_id(const std::string& path);
uint32_t pinned_link_id(const std::string& path);

// Whether the kernel still has a program with this id (the last reference
// goes an RCU grace period after the last detach: polled for up to 2 s).
bool prog_gone(uint32_t id);

// A two-instruction sched_cls program returning `verdict`: -1 (TCX_NEXT,
// TC_ACT_UNSPEC: carry on) or 2 (TCX_DROP, TC_ACT_SHOT).
UniqueFd load_verdict_prog(int verdict);

// A foreign tcx program appended to the chain of `ifname`, attached as long
// as this object lives (its link is held by the test, never pinned).
class ForeignTcx {
 public:
  ForeignTcx(const NetNs& ns, const std::string& ifname, bool ingress, int verdict);
  uint32_t prog_id() const { return prog_id_; }
  void detach() { link_.reset(); }

 private:
  UniqueFd prog_, link_;
  uint32_t prog_id_ = 0;
};

// A foreign cls_bpf filter (handle 7, priority 5) returning TC_ACT_UNSPEC on
// the clsact ingress hook of `ifname`, clsact created when missing. Stays
// until the interface goes.
void add_foreign_cls_bpf(const NetNs& ns, const std::string& ifname);

}  // namespace lw::test::tcx
