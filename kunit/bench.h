/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the benchmarks.
 */
#ifndef _MDEVCCW_KUNIT_BENCH_H
#define _MDEVCCW_KUNIT_BENCH_H

#include <linux/kernel.h>
#include <linux/math64.h>

/* "x.yy" of a / b: figures are printed without floating point. */
static inline void bench_ratio(char *buf, size_t len, u64 a, u64 b)
{
	u64 r = div64_u64(a * 100, b ?: 1);

	snprintf(buf, len, "%llu.%02llu", r / 100, r % 100);
}

#endif
