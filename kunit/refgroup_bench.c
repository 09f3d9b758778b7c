// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of lib/refgroup (prints figures, asserts nothing about speed):
 * cost of a lookup (refgroup_find + refgroup_put) and of a find_or_create
 * that finds, with 16 and with 16384 live objects, against a list walk
 * under a mutex over the same keys (G7: lookups are O(1)).
 * Build without lockdep/KASAN/KCSAN (kunit/bench.kunitconfig).
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/refgroup.h>
#include <linux/slab.h>

#include "bench.h"

#define SMALL		16
#define LARGE		16384
#define LOOKUPS		100000
#define WALKS		2000

struct rg_bench {
	struct refgroup_registry reg;
	struct refgroup_obj **objs;
	/* the same keys on a list, the way a registry without a hash looks */
	struct mutex list_lock;		/* protects list */
	struct list_head list;
	struct rg_node *nodes;
};

struct rg_node {
	struct list_head node;	/* on rg_bench.list */
	u64 key;
};

/*
 * The i-th key looked up among n live objects: one of SMALL keys spread
 * evenly over the whole range, so every size looks up the same number of
 * distinct objects.  What grows with n is then only the structure (hash
 * table size, list length), not the working set: a scattered walk over all
 * 16384 objects (a struct device each) measures cache misses instead,
 * which any structure pays.  Both are printed.
 */
static u64 key_of(unsigned int i, unsigned int n, bool all)
{
	if (all)
		return (i * 7919ULL) % n;	/* prime stride: scattered */
	return (u64)(i % SMALL) * (n / SMALL);
}

static u64 time_find(struct rg_bench *b, unsigned int n, bool all)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < LOOKUPS; i++) {
		u64 key = key_of(i, n, all);
		struct refgroup_obj *obj = refgroup_find(&b->reg, &key);

		if (obj)
			refgroup_put(obj);
	}
	return div_u64(ktime_get_ns() - t0, LOOKUPS);
}

static u64 time_find_or_create(struct rg_bench *b, unsigned int n, bool all)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < LOOKUPS; i++) {
		u64 key = key_of(i, n, all);
		struct refgroup_obj *obj;

		obj = refgroup_find_or_create(&b->reg, &key, NULL);
		if (!IS_ERR(obj))
			refgroup_put(obj);
	}
	return div_u64(ktime_get_ns() - t0, LOOKUPS);
}

static noinline struct rg_node *list_find(struct rg_bench *b, u64 key)
{
	struct rg_node *nd;

	list_for_each_entry(nd, &b->list, node)
		if (nd->key == key)
			return nd;
	return NULL;
}

static u64 time_list(struct rg_bench *b, unsigned int n)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < WALKS; i++) {
		mutex_lock(&b->list_lock);
		list_find(b, key_of(i, n, false));
		mutex_unlock(&b->list_lock);
	}
	return div_u64(ktime_get_ns() - t0, WALKS);
}

/* Populate @n objects and list nodes, measure, tear down. */
static void measure(struct kunit *test, struct rg_bench *b, unsigned int n,
		    u64 *find, u64 *foc, u64 *walk, u64 *scattered)
{
	unsigned int i;
	int round;

	b->objs = kvcalloc(n, sizeof(*b->objs), GFP_KERNEL);
	b->nodes = kvcalloc(n, sizeof(*b->nodes), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, b->objs && b->nodes);
	INIT_LIST_HEAD(&b->list);
	for (i = 0; i < n; i++) {
		u64 key = i;

		b->objs[i] = refgroup_find_or_create(&b->reg, &key, NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(b->objs[i]));
		b->nodes[i].key = i;
		list_add_tail(&b->nodes[i].node, &b->list);
	}
	/* Let the hash table's deferred rehash finish: steady state. */
	msleep(200);
	*find = *foc = *walk = *scattered = U64_MAX;
	for (round = 0; round < 5; round++) {
		*find = min(*find, time_find(b, n, false));
		*foc = min(*foc, time_find_or_create(b, n, false));
		*walk = min(*walk, time_list(b, n));
		*scattered = min(*scattered, time_find(b, n, true));
	}
	for (i = 0; i < n; i++)
		refgroup_put(b->objs[i]);
	kvfree(b->nodes);
	kvfree(b->objs);
}

static void refgroup_bench_lookup(struct kunit *test)
{
	const struct refgroup_params params = {
		.name = "rgbench",
		.key_len = sizeof(u64),
		.flags = REFGROUP_NO_CDEV,
	};
	struct rg_bench *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	u64 f16, c16, w16, s16, fl, cl, wl, sl;
	char rf[16], rc[16], rw[16], rs[16];

	KUNIT_ASSERT_NOT_NULL(test, b);
	mutex_init(&b->list_lock);
	KUNIT_ASSERT_EQ(test, refgroup_registry_init(&b->reg, &params), 0);
	measure(test, b, SMALL, &f16, &c16, &w16, &s16);
	measure(test, b, LARGE, &fl, &cl, &wl, &sl);
	KUNIT_EXPECT_EQ(test, refgroup_registry_destroy(&b->reg), 0);

	bench_ratio(rf, sizeof(rf), fl, f16);
	bench_ratio(rc, sizeof(rc), cl, c16);
	bench_ratio(rw, sizeof(rw), wl, w16);
	bench_ratio(rs, sizeof(rs), sl, s16);
	kunit_info(test, "bench: refgroup find+put %llu ns with %u objects, %llu ns with %u: ratio %s (target <= 1.5)\n",
		   f16, SMALL, fl, LARGE, rf);
	kunit_info(test, "bench: refgroup find_or_create (exists)+put %llu ns with %u objects, %llu ns with %u: ratio %s (target <= 1.5)\n",
		   c16, SMALL, cl, LARGE, rc);
	kunit_info(test, "bench: list walk lookup %llu ns with %u objects, %llu ns with %u: ratio %s\n",
		   w16, SMALL, wl, LARGE, rw);
	kunit_info(test, "bench: refgroup find+put over all objects, scattered (cache-bound): %llu ns with %u, %llu ns with %u: ratio %s\n",
		   s16, SMALL, sl, LARGE, rs);
}

static struct kunit_case refgroup_bench_cases[] = {
	KUNIT_CASE_SLOW(refgroup_bench_lookup),
	{}
};

static struct kunit_suite refgroup_bench_suite = {
	.name = "refgroup_bench",
	.test_cases = refgroup_bench_cases,
};

kunit_test_suite(refgroup_bench_suite);

MODULE_DESCRIPTION("Benchmark of lib/refgroup");
MODULE_LICENSE("GPL");
