// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of lib/refgroup (prints figures, asserts nothing about speed):
 * cost of a lookup (refgroup_find + refgroup_put) and of a find_or_create
 * that finds, with 16 and with 16384 live objects, against a list walk
 * under a mutex over the same keys (G7: lookups are O(1)); and lookups
 * from 1, 2 and 4 threads at once, lock-free against the same lookup
 * serialized on the table mutex (how every lookup ran before).
 * Build without lockdep/KASAN/KCSAN (kunit/bench.kunitconfig).
 */

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refgroup.h>
#include <linux/refkey.h>
#include <linux/rhashtable.h>
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

#define SCALE_KEYS	64		/* 16 per thread, 4 threads */
#define SCALE_MS	300

struct scale_run {
	struct refkey_table *tab;
	bool serialized;		/* each lookup under the table mutex */
	bool shared;			/* every thread looks up one key */
	atomic_t ready;
	bool go, stop;			/* set by the test, read by the threads */
};

struct scale_thread {
	struct scale_run *run;
	struct completion done;
	unsigned int idx;
	u64 ops;
};

static int scale_fn(void *data)
{
	struct scale_thread *st = data;
	struct scale_run *run = st->run;
	u64 ops = 0, key;

	atomic_inc(&run->ready);
	/* Yield now and then: without kernel preemption the test needs a CPU. */
	while (!READ_ONCE(run->go))
		cond_resched();
	while (!READ_ONCE(run->stop)) {
		struct refkey *rk;

		/* Its own 16 keys, or all on key 0. */
		key = run->shared ? 0 : st->idx * 16 + (ops & 15);
		if (run->serialized) {
			/* The lookup as it was: under the mutex, inc. */
			mutex_lock(&run->tab->lock);
			rk = rhashtable_lookup_fast(&run->tab->table, &key,
						    run->tab->ht_params);
			if (rk)
				refkey_get(rk);
			mutex_unlock(&run->tab->lock);
		} else {
			rk = refkey_find(run->tab, &key);
		}
		/* Never the last reference: the test holds one. */
		if (rk)
			refkey_put(rk);
		if (!(++ops & 255))
			cond_resched();
	}
	st->ops = ops;
	complete(&st->done);
	return 0;
}

/* Lookups per second from @n threads, one per CPU, for SCALE_MS. */
static u64 scale_measure(struct kunit *test, struct refkey_table *tab,
			 unsigned int n, bool serialized, bool shared)
{
	struct scale_thread st[4] = {};
	struct scale_run run = {
		.tab = tab, .serialized = serialized, .shared = shared,
	};
	u64 total = 0, t0, ns;
	unsigned int i;

	atomic_set(&run.ready, 0);
	for (i = 0; i < n; i++) {
		struct task_struct *t;

		st[i].run = &run;
		st[i].idx = i;
		init_completion(&st[i].done);
		t = kthread_create(scale_fn, &st[i], "rk-scale/%u", i);
		if (IS_ERR(t)) {
			complete(&st[i].done);
			atomic_inc(&run.ready);
			continue;
		}
		kthread_bind(t, cpumask_nth(i, cpu_online_mask));
		wake_up_process(t);
	}
	while (atomic_read(&run.ready) < n)
		usleep_range(1000, 2000);
	t0 = ktime_get_ns();
	WRITE_ONCE(run.go, true);
	msleep(SCALE_MS);
	WRITE_ONCE(run.stop, true);
	for (i = 0; i < n; i++) {
		wait_for_completion(&st[i].done);
		total += st[i].ops;
	}
	ns = ktime_get_ns() - t0;
	return div64_u64(total * NSEC_PER_SEC, ns ?: 1);
}

static void scale_print(struct kunit *test, const char *what,
			const u64 *ops)
{
	char r2[16], r4[16];

	bench_ratio(r2, sizeof(r2), ops[1], ops[0]);
	bench_ratio(r4, sizeof(r4), ops[2], ops[0]);
	kunit_info(test, "bench: refkey lookups/s %s: 1 thread %llu, 2 threads %llu (x%s), 4 threads %llu (x%s)\n",
		   what, ops[0], ops[1], r2, ops[2], r4);
}

/*
 * Lookup (refkey_find + refkey_put, never the last) throughput from 1, 2
 * and 4 kthreads bound to four CPUs, each on its own 16 keys and all on
 * one key; lock-free, and the lookup as it ran before it went lock-free:
 * under the table mutex, with a plain increment (the test reads the
 * table's private fields for that).  Lock-free should scale
 * with the threads; the serialized one cannot.  Under qemu TCG the
 * emulated CPUs share the host's cores, which caps any scaling.
 */
static void refkey_bench_scaling(struct kunit *test)
{
	const struct refkey_params params = {
		.name = "rkbench",
		.key_len = sizeof(u64),
	};
	static const unsigned int threads[3] = { 1, 2, 4 };
	struct refkey_table *tab = kunit_kzalloc(test, sizeof(*tab), GFP_KERNEL);
	struct refkey **objs;
	u64 ops[2][2][3];
	unsigned int i, m, k;
	char r[16];

	if (num_online_cpus() < 4)
		kunit_skip(test, "needs 4 CPUs, has %u", num_online_cpus());
	objs = kunit_kcalloc(test, SCALE_KEYS, sizeof(*objs), GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, tab && objs);
	KUNIT_ASSERT_EQ(test, refkey_table_init(tab, &params), 0);
	for (i = 0; i < SCALE_KEYS; i++) {
		u64 key = i;

		objs[i] = refkey_find_or_create(tab, &key, NULL);
		KUNIT_ASSERT_FALSE(test, IS_ERR(objs[i]));
	}
	msleep(200);			/* the table's deferred rehash */
	for (m = 0; m < 2; m++)
		for (k = 0; k < 2; k++)
			for (i = 0; i < 3; i++)
				ops[m][k][i] = scale_measure(test, tab, threads[i],
							     m, k);
	for (i = 0; i < SCALE_KEYS; i++)
		refkey_put(objs[i]);
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, refkey_table_destroy(tab), 0);

	scale_print(test, "lock-free, own keys", ops[0][0]);
	scale_print(test, "under the table mutex, own keys", ops[1][0]);
	scale_print(test, "lock-free, one shared key", ops[0][1]);
	scale_print(test, "under the table mutex, one shared key", ops[1][1]);
	bench_ratio(r, sizeof(r), ops[0][0][2], ops[1][0][2]);
	kunit_info(test, "bench: refkey lookups from 4 threads, own keys: lock-free/mutex %s\n",
		   r);
}

static struct kunit_case refgroup_bench_cases[] = {
	KUNIT_CASE_SLOW(refgroup_bench_lookup),
	KUNIT_CASE_SLOW(refkey_bench_scaling),
	{}
};

static struct kunit_suite refgroup_bench_suite = {
	.name = "refgroup_bench",
	.test_cases = refgroup_bench_cases,
};

kunit_test_suite(refgroup_bench_suite);

MODULE_DESCRIPTION("Benchmark of lib/refgroup");
MODULE_LICENSE("GPL");
