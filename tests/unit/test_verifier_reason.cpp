// SPDX-License-Identifier: GPL-2.0-only
// The reason a kernel gives for rejecting a program is at the end of the
// verifier log, after the trace: load_error() must find it there, never
// print the first lines of the trace instead.
#include <gtest/gtest.h>

#include <cerrno>
#include <string>

#include "datapath/libbpf_log.h"

namespace lw::datapath {
namespace {

// The tail of Debian 6.1's log for lw_rtt_observe (issue #14).
const char* kLog61 =
    "func#0 @0\n"
    "0: R1=ctx(off=0,imm=0) R10=fp0\n"
    "0: (bf) r6 = r1                       ; R1=ctx(off=0,imm=0) R6_w=ctx(off=0,imm=0)\n"
    "; h->buckets[b]++;\n"
    "412: (0f) r0 += r1                    ; R0_w=map_value(off=0,ks=4,vs=1712,imm=0)\n"
    "413: (79) r1 = *(u64 *)(r0 +32)\n"
    "R0 unbounded memory access, make sure to bounds check any such access\n"
    "processed 1933 insns (limit 1000000) max_states_per_insn 4 total_states 98 "
    "peak_states 98 mark_read 40\n";

// The tail of 6.12's log for the port table lookup.
const char* kLog612 =
    "; cand = ports[pkt->sport] | ports[pkt->dport]; @ classify.bpf.h:135\n"
    "201: (0f) r3 += r2\n"
    "math between map_value pointer and register with unbounded min value is not allowed\n"
    "processed 740 insns (limit 1000000) max_states_per_insn 1 total_states 40 peak_states 40 "
    "mark_read 12\n";

TEST(VerifierReason, IsTheLastLineBeforeTheStatisticsWithItsInstruction) {
  EXPECT_EQ(verifier_reason(kLog61),
            "R0 unbounded memory access, make sure to bounds check any such access "
            "(at 413: (79) r1 = *(u64 *)(r0 +32))");
  EXPECT_EQ(verifier_reason(kLog612),
            "math between map_value pointer and register with unbounded min value is not "
            "allowed (at 201: (0f) r3 += r2)");
}

TEST(VerifierReason, WorksWithoutAnInstructionOrStatistics) {
  EXPECT_EQ(verifier_reason("BPF program is too large. Processed 1000001 insn\n"),
            "BPF program is too large. Processed 1000001 insn");
  EXPECT_EQ(verifier_reason(""), "");
  EXPECT_EQ(verifier_reason("processed 3 insns (limit 1000000)\n"), "");
}

TEST(LoadError, NamesKernelAndPointsToTheWholeLog) {
  const std::string msg = load_error("lanewarden's BPF programs", -EINVAL);
  EXPECT_EQ(msg.rfind("kernel ", 0), 0u) << msg;
  EXPECT_NE(msg.find(" rejected lanewarden's BPF programs: "), std::string::npos) << msg;
  EXPECT_NE(msg.find("run with -vv for the whole verifier log"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("is this root"), std::string::npos) << msg;
}

}  // namespace
}  // namespace lw::datapath
