// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of vfio-ccw channel program translation: the cost of one
 * translation + free per CCW for chains of 1, 16 and 256 CCWs (it should
 * be linear: the per-CCW ratio of 256 to 16 near 1), and guest pages
 * pinned per second through the fake guest memory.  Figures only; nothing
 * is asserted about speed.
 */

#include <kunit/test.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/slab.h>

#include "bench.h"
#include "ccw_guest.h"

/* Data from 64K on: 256 CCWs 64K apart, page-aligned, do not overlap. */
#define BENCH_PAGES	4112
#define BENCH_CCWS	(CCWCP_MAX_CHAIN_CCWS * 64)	/* per figure */

struct bench_ctx {
	struct ccw_guest *g;
	struct ccwcp *cp;
};

/* A chain of @n write CCWs of @count bytes, one page apart. */
static void bench_chain(struct ccw_guest *g, unsigned int n, u16 count,
			u32 stride)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		ccw_put1(g, 0x1000 + i * 8, 0x01, i < n - 1 ? CCWF_CC : 0,
			 count, 0x10000 + i * stride);
}

/* Nanoseconds of @reps translations + frees of the program in @b->g. */
static u64 bench_run(struct kunit *test, struct bench_ctx *b,
		     unsigned int reps)
{
	struct orb_be orb;
	unsigned int r;
	u64 t0;

	ccw_make_orb(&orb, ORB_F | ORB_P | ORB_H, 0x1000);
	t0 = ktime_get_ns();
	for (r = 0; r < reps; r++) {
		if (ccwcp_translate(b->cp, &orb)) {
			KUNIT_FAIL(test, "translation failed");
			break;
		}
		ccwcp_free(b->cp);
	}
	return ktime_get_ns() - t0;
}

static void cp_bench_per_ccw(struct kunit *test)
{
	static const unsigned int lens[] = { 1, 16, CCWCP_MAX_CHAIN_CCWS };
	struct bench_ctx *b = test->priv;
	u64 per_ccw[ARRAY_SIZE(lens)];
	char ratio[16];
	unsigned int l, reps;
	u64 ns;

	for (l = 0; l < ARRAY_SIZE(lens); l++) {
		bench_chain(b->g, lens[l], 64, 64);
		bench_run(test, b, 16);			/* warm up */
		reps = BENCH_CCWS / lens[l];
		ns = bench_run(test, b, reps);
		per_ccw[l] = div64_u64(ns, (u64)reps * lens[l]);
		kunit_info(test, "bench: cp translate+free, chain of %u CCWs: %llu ns per program, %llu ns per CCW\n",
			   lens[l], div64_u64(ns, reps), per_ccw[l]);
	}
	bench_ratio(ratio, sizeof(ratio), per_ccw[2], per_ccw[1]);
	kunit_info(test, "bench: cp per-CCW cost, 256 against 16 CCWs: ratio %s (linear: about 1)\n",
		   ratio);
}

static void cp_bench_pin_rate(struct kunit *test)
{
	struct bench_ctx *b = test->priv;
	unsigned int reps = 64, pages;
	u64 ns;

	/* 256 CCWs of 61440 bytes, page-aligned: 15 pages each. */
	bench_chain(b->g, CCWCP_MAX_CHAIN_CCWS, 15 * PAGE_SIZE, SZ_64K);
	bench_run(test, b, 4);
	pages = CCWCP_MAX_CHAIN_CCWS * 15;
	ns = bench_run(test, b, reps);
	kunit_info(test, "bench: cp pinning through the fake memory: %u pages per program, %llu ns per program, %llu pages/s\n",
		   pages, div64_u64(ns, reps),
		   div64_u64((u64)pages * reps * NSEC_PER_SEC, ns ?: 1));
}

static int cp_bench_init(struct kunit *test)
{
	struct bench_ctx *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	b->cp = ccw_guest_cp_create(test, BENCH_PAGES, &b->g);
	test->priv = b;
	return 0;
}

static struct kunit_case cp_bench_cases[] = {
	KUNIT_CASE(cp_bench_per_ccw),
	KUNIT_CASE(cp_bench_pin_rate),
	{}
};

static struct kunit_suite cp_bench_suite = {
	.name = "vfio_ccw_cp_bench",
	.init = cp_bench_init,
	.test_cases = cp_bench_cases,
};

kunit_test_suite(cp_bench_suite);
