/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * Array indexes every verifier can prove in bounds.
 *
 * The verifiers of the kernels lanewarden supports differ in what they track:
 * - a bounds check proves a range only for the register that was compared.
 *   clang freely compares one copy of a value (say a zero-extended 32-bit
 *   subregister) and indexes with another; 6.18 links some such copies, 6.1
 *   to 6.17 do not ("R0 unbounded memory access" in lw_hist_record on 6.1);
 * - a byte swap (bpf_ntohs, BPF_END) leaves the result with no known range
 *   before 6.18, so ports[bpf_ntohs(x)] fails with "math between map_value
 *   pointer and register with unbounded min value" on 6.12-6.17.
 * clang, for its part, drops a mask or a check it can prove redundant (a
 * bswap16 result "is" below 65536), leaving the verifier nothing to see.
 *
 * The pattern, used for every computed index into a map value:
 * barrier_var() makes the value opaque to clang, so the mask or clamp that
 * follows stays in the program, on the very register the access then uses.
 * A mask is a property of the value and survives any copy; a clamp is a
 * branch, so it comes last, right before the access.
 */
#ifndef LW_BOUNDS_BPF_H
#define LW_BOUNDS_BPF_H

#include <linux/types.h>
#include <bpf/bpf_helpers.h>

/* x & mask, for arrays of mask + 1 entries (a power of two). */
static __always_inline __u64 lw_index_mask(__u64 x, __u64 mask)
{
	barrier_var(x);
	return x & mask;
}

/* x, or n - 1 when x >= n: for arrays of n entries. */
static __always_inline __u64 lw_index_clamp(__u64 x, __u64 n)
{
	barrier_var(x);
	if (x >= n)
		x = n - 1;
	barrier_var(x);
	return x;
}

#endif /* LW_BOUNDS_BPF_H */
