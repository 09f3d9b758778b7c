// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of the mdev core (prints figures, asserts nothing about
 * speed): the cost of one create + remove of an mdev with 64 and with 4096
 * other mdevs alive on the same parent, through the core's create and
 * remove paths (UUID reservation, device_add with the vendor probe, the
 * sysfs links, and back).  Upstream 6.12 walks a list of every mdev for
 * each create and remove; the figure of such a walk is printed next to it.
 * Also the bytes one mdev costs the core.
 * Build without lockdep/KASAN/KCSAN (kunit/bench.kunitconfig).
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/math64.h>
#include <linux/refgroup.h>
#include <linux/refkey.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "bench.h"
#include "mdev_vendor.h"
#include "../drivers/mdev/internal.h"

#define SMALL		64
#define LARGE		4096
#define ROUNDS		256
#define REPEATS		3
#define CYCLES		4

struct walk_node {
	struct list_head node;
	guid_t uuid;
};

/* Best of REPEATS runs of ROUNDS create+remove pairs, in ns per pair. */
static u64 time_pairs(struct kunit *test, struct mdev_type *type,
		      guid_t *uuids)
{
	u64 best = U64_MAX;
	unsigned int r, i;

	for (r = 0; r < REPEATS; r++) {
		u64 t0 = ktime_get_ns(), t;

		for (i = 0; i < ROUNDS; i++) {
			KUNIT_EXPECT_EQ(test, 0, mdev_create(type, &uuids[i]));
			KUNIT_EXPECT_EQ(test, 0, mdev_remove_uuid(&uuids[i]));
		}
		t = ktime_get_ns() - t0;
		best = min(best, t);
	}
	return div_u64(best, ROUNDS);
}

/* What upstream pays per create: a duplicate check over a list of @n. */
static u64 time_walk(unsigned int n, const guid_t *probe)
{
	struct walk_node *nodes = vmalloc(array_size(n, sizeof(*nodes)));
	unsigned int hits = 0;
	struct walk_node *w;
	LIST_HEAD(list);
	unsigned int i;
	u64 t0, t;

	if (!nodes)
		return 0;
	for (i = 0; i < n; i++) {
		guid_gen(&nodes[i].uuid);
		list_add(&nodes[i].node, &list);
	}
	t0 = ktime_get_ns();
	for (i = 0; i < ROUNDS; i++)
		list_for_each_entry(w, &list, node)
			if (guid_equal(&w->uuid, probe))
				hits++;
	t = ktime_get_ns() - t0;
	/* Keep the compiler from dropping the walk. */
	OPTIMIZER_HIDE_VAR(hits);
	vfree(nodes);
	return div_u64(t, ROUNDS);
}

static void mdev_create_remove_bench(struct kunit *test)
{
	static const unsigned int sizes[] = { SMALL, LARGE };
	struct tv_parent *tp = tv_parent_new(test, "mdev-bench", LARGE + 64);
	struct mdev_type *type = &tp->type[0];
	u64 pair[2] = { U64_MAX, U64_MAX }, walk[2] = { U64_MAX, U64_MAX };
	guid_t *live, *uuids;
	char ratio[16], wratio[16];
	unsigned int c, s, i;

	KUNIT_ASSERT_EQ(test, 0, tv_parent_register(tp));
	live = vmalloc(array_size(LARGE, sizeof(*live)));
	uuids = kunit_kcalloc(test, ROUNDS, sizeof(*uuids), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, live);
	KUNIT_ASSERT_NOT_NULL(test, uuids);
	for (i = 0; i < ROUNDS; i++)
		guid_gen(&uuids[i]);

	/*
	 * The populations alternate, CYCLES times, and each keeps its best
	 * figure: the host's speed drifts over seconds (the list walk alone
	 * varies by half between runs), and the first pass pays for cold
	 * slab caches.  Neither may land on one side of the ratio only.
	 */
	for (c = 0; c < CYCLES; c++) {
		for (s = 0; s < ARRAY_SIZE(sizes); s++) {
			for (i = 0; i < sizes[s]; i++) {
				guid_gen(&live[i]);
				KUNIT_ASSERT_EQ(test, 0,
						mdev_create(type, &live[i]));
			}
			/* Let rhashtable's deferred resize settle. */
			msleep(100);
			pair[s] = min(pair[s], time_pairs(test, type, uuids));
			walk[s] = min(walk[s], time_walk(sizes[s], &uuids[0]));
			for (i = 0; i < sizes[s]; i++)
				KUNIT_EXPECT_EQ(test, 0,
						mdev_remove_uuid(&live[i]));
		}
	}
	vfree(live);
	for (s = 0; s < ARRAY_SIZE(sizes); s++)
		kunit_info(test, "create+remove with %u live mdevs: %llu ns (list walk of %u: %llu ns)\n",
			   sizes[s], pair[s], sizes[s], walk[s]);
	bench_ratio(ratio, sizeof(ratio), pair[1], pair[0]);
	bench_ratio(wratio, sizeof(wratio), walk[1], walk[0]);
	kunit_info(test, "create+remove %u vs %u live: ratio %s (target <= 1.5); list walk ratio %s\n",
		   LARGE, SMALL, ratio, wratio);
}

static int mdev_bench_init(struct kunit_suite *suite)
{
	return tv_driver_register();
}

static void mdev_bench_exit(struct kunit_suite *suite)
{
	tv_driver_unregister();
}

/*
 * What one mdev costs the core: the instance (the UUID reservation, the
 * struct mdev_device, the lifecycle machine) is one kmalloc.  Its UUID
 * reservation is a keyed object without a device; before, it was a
 * lib/refgroup device object (REFGROUP_NO_DEVICE) with an unused struct
 * device and cdev: the same instance with a struct refgroup_obj in place
 * of the struct refkey (whose own 16-byte rcu_head the old object did not
 * have, so "before" is that much too high).
 */
static void mdev_bytes_bench(struct kunit *test)
{
	size_t now = sizeof(struct mdev_instance);
	size_t before = now - sizeof(struct refkey) +
			sizeof(struct refgroup_obj);

	kunit_info(test, "bench: mdev bytes per mdev %zu (kmalloc %zu), with a device object as UUID reservation %zu (kmalloc %zu); per parent %zu; struct refkey %zu, struct refgroup_obj %zu\n",
		   now, kmalloc_size_roundup(now), before,
		   kmalloc_size_roundup(before),
		   sizeof(struct mdev_parent_state), sizeof(struct refkey),
		   sizeof(struct refgroup_obj));
}

static struct kunit_case mdev_bench_cases[] = {
	KUNIT_CASE_SLOW(mdev_create_remove_bench),
	KUNIT_CASE(mdev_bytes_bench),
	{}
};

static struct kunit_suite mdev_bench_suite = {
	.name = "mdev_bench",
	.suite_init = mdev_bench_init,
	.suite_exit = mdev_bench_exit,
	.test_cases = mdev_bench_cases,
};

kunit_test_suite(mdev_bench_suite);
