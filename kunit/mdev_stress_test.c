// SPDX-License-Identifier: GPL-2.0
/*
 * Stress test of the mdev core: kthreads create and remove a few UUIDs
 * through the real sysfs files on two parents, while another thread
 * registers and unregisters a third parent that the workers also create
 * on, for 4 s (300 ms on UP).  So creates of one UUID race on two parents
 * (MR3), removes race creates of the same UUID (MR1) and each other (M7),
 * creates race removes of the same UUID (MR2), vendor callbacks of
 * one parent overlap (MR4), and parent unregister races all of them
 * (MR7).  Meant for x86_64 -smp 4 under KCSAN and lockdep.
 *
 * Invariants: every answer is one the ABI allows; a UUID never has two
 * vendor states at once (M1, M2, M8); afterwards nothing is left: no
 * UUID, no device, no vendor state, and the run logs no report.
 */

#include <kunit/test.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "mdev_vendor.h"
#include "../drivers/mdev/internal.h"

#define NR_UUIDS	8
#define NR_WORKERS	4

enum { R_OK, R_EXIST, R_AGAIN, R_NODEV, R_NOENT, R_NR };

struct mctx {
	struct kunit *test;
	struct tv_parent *p[2];
	struct tv_parent *churn;
	char *churn_create;
	guid_t uuid[NR_UUIDS];
	atomic_t vendor_live[NR_UUIDS];
	atomic_t dup;
	unsigned long end;
	atomic_t creates[R_NR], removes[R_NR];
	atomic_t bad, churns;
	struct completion done[NR_WORKERS + 1];
};

static struct mctx *ctx;

static int stress_uuid_index(const guid_t *u)
{
	int i;

	for (i = 0; i < NR_UUIDS; i++)
		if (guid_equal(&ctx->uuid[i], u))
			return i;
	return -1;
}

/* A second live vendor state for one UUID would be a duplicate device. */
static void stress_probe(struct tv_parent *tp, struct mdev_device *mdev)
{
	int i = stress_uuid_index(&mdev->uuid);

	if (i >= 0 && atomic_inc_return(&ctx->vendor_live[i]) != 1)
		atomic_inc(&ctx->dup);
}

static void stress_remove(struct tv_parent *tp, struct mdev_device *mdev)
{
	int i = stress_uuid_index(&mdev->uuid);

	if (i >= 0)
		atomic_dec(&ctx->vendor_live[i]);
}

static int classify(int ret)
{
	switch (ret) {
	case 0:
		return R_OK;
	case -EEXIST:
		return R_EXIST;
	case -EAGAIN:
		return R_AGAIN;
	case -ENODEV:
		return R_NODEV;
	case -ENOENT:
		return R_NOENT;
	}
	return -1;
}

static void count(atomic_t *where, int ret)
{
	int r = classify(ret);

	if (r < 0) {
		atomic_inc(&ctx->bad);
		pr_err("mdev_stress: unexpected %d\n", ret);
		return;
	}
	atomic_inc(&where[r]);
}

static int stress_worker(void *data)
{
	struct completion *done = data;
	unsigned int iter = 0;

	while (time_before(jiffies, ctx->end)) {
		u32 r = get_random_u32();
		guid_t *u = &ctx->uuid[r % NR_UUIDS];
		char buf[UUID_STRING_LEN + 2];
		int ret;

		switch ((r >> 8) % 6) {
		case 0:
		case 1:
			ret = tv_create(ctx->test,
					&ctx->p[(r >> 12) & 1]->type[(r >> 13) & 1],
					u);
			/* A create never meets a removed parent here. */
			KUNIT_EXPECT_NE(ctx->test, ret, -ENODEV);
			KUNIT_EXPECT_NE(ctx->test, ret, -ENOENT);
			count(ctx->creates, ret);
			break;
		case 2:
			snprintf(buf, sizeof(buf), "%pUl\n", u);
			count(ctx->creates, tv_write(ctx->churn_create, buf));
			break;
		case 3:
		case 4:
			count(ctx->removes, tv_remove(ctx->test, u));
			break;
		case 5:
			ret = mdev_remove_uuid(u);
			KUNIT_EXPECT_NE(ctx->test, ret, -ENOENT);
			count(ctx->removes, ret);
			break;
		}
		if (!IS_ENABLED(CONFIG_SMP) && !(++iter % 16))
			usleep_range(100, 200);
	}
	complete(done);
	return 0;
}

static int stress_churn(void *data)
{
	struct completion *done = data;

	while (time_before(jiffies, ctx->end)) {
		KUNIT_EXPECT_EQ(ctx->test, 0, tv_parent_register(ctx->churn));
		usleep_range(1000, 3000);
		tv_parent_unregister(ctx->churn);
		atomic_inc(&ctx->churns);
		usleep_range(200, 500);
	}
	complete(done);
	return 0;
}

static void remove_all(struct kunit *test)
{
	int i, ret, tries;

	for (i = 0; i < NR_UUIDS; i++) {
		tries = 0;
		do {
			ret = mdev_remove_uuid(&ctx->uuid[i]);
			if (ret == -EAGAIN)
				usleep_range(1000, 2000);
		} while (ret == -EAGAIN && ++tries < 1000);
		KUNIT_EXPECT_TRUE(test, ret == 0 || ret == -ENODEV);
	}
}

/* MR1-MR7 at random, M1-M8 and M16 as invariants. */
static void mdev_stress_run(struct kunit *test)
{
	unsigned long ms = IS_ENABLED(CONFIG_SMP) ? 4000 : 300;
	unsigned int uuids0, parents0, uuids, parents, bus0;
	struct task_struct *t;
	char *dir;
	int i;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->test = test;
	mdev_core_stats(&uuids0, &parents0);
	bus0 = tv_bus_devices();
	for (i = 0; i < NR_UUIDS; i++)
		guid_gen(&ctx->uuid[i]);
	for (i = 0; i < 2; i++) {
		ctx->p[i] = tv_parent_new(test, i ? "mdev-stress1" :
					  "mdev-stress0", 64);
		KUNIT_ASSERT_EQ(test, 0, tv_parent_register(ctx->p[i]));
	}
	ctx->churn = tv_parent_new(test, "mdev-churn", 64);
	KUNIT_ASSERT_EQ(test, 0, tv_parent_register(ctx->churn));
	dir = kobject_get_path(mdev_type_kobj(&ctx->churn->type[0]),
			       GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, dir);
	/* The same path each time the churn parent comes back. */
	ctx->churn_create = tv_sprintf(test, "%s/create", dir);
	kfree(dir);
	tv_parent_unregister(ctx->churn);
	for (i = 0; i < 2; i++) {
		ctx->p[i]->probe_hook = stress_probe;
		ctx->p[i]->remove_hook = stress_remove;
	}
	ctx->churn->probe_hook = stress_probe;
	ctx->churn->remove_hook = stress_remove;

	ctx->end = jiffies + msecs_to_jiffies(ms);
	for (i = 0; i <= NR_WORKERS; i++) {
		init_completion(&ctx->done[i]);
		t = kthread_run(i < NR_WORKERS ? stress_worker : stress_churn,
				&ctx->done[i], "mdev_stress/%d", i);
		if (IS_ERR(t)) {
			KUNIT_FAIL(test, "kthread: %ld", PTR_ERR(t));
			complete(&ctx->done[i]);
		}
	}
	for (i = 0; i <= NR_WORKERS; i++)
		wait_for_completion(&ctx->done[i]);

	remove_all(test);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->bad), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->dup), 0);
	for (i = 0; i < NR_UUIDS; i++)
		KUNIT_EXPECT_EQ(test, atomic_read(&ctx->vendor_live[i]), 0);
	for (i = 0; i < 2; i++) {
		KUNIT_EXPECT_EQ(test, atomic_read(&ctx->p[i]->probes),
				atomic_read(&ctx->p[i]->removes));
		KUNIT_EXPECT_EQ(test, atomic_read(&ctx->p[i]->live), 0);
		KUNIT_EXPECT_EQ(test,
				atomic_read(&ctx->p[i]->parent.available_instances),
				64);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->churn->live), 0);
	KUNIT_EXPECT_EQ(test, tv_bus_devices(), bus0);
	mdev_core_stats(&uuids, &parents);
	KUNIT_EXPECT_EQ(test, uuids, uuids0);
	KUNIT_EXPECT_EQ(test, parents, parents0 + 2);
	KUNIT_EXPECT_GT(test, atomic_read(&ctx->creates[R_OK]), 0);
	KUNIT_EXPECT_GT(test, atomic_read(&ctx->removes[R_OK]), 0);

	kunit_info(test, "creates: %d ok, %d -EEXIST, %d -ENODEV, %d -ENOENT\n",
		   atomic_read(&ctx->creates[R_OK]),
		   atomic_read(&ctx->creates[R_EXIST]),
		   atomic_read(&ctx->creates[R_NODEV]),
		   atomic_read(&ctx->creates[R_NOENT]));
	kunit_info(test, "removes: %d ok, %d -EAGAIN, %d -ENODEV, %d -ENOENT; parent cycles %d\n",
		   atomic_read(&ctx->removes[R_OK]),
		   atomic_read(&ctx->removes[R_AGAIN]),
		   atomic_read(&ctx->removes[R_NODEV]),
		   atomic_read(&ctx->removes[R_NOENT]),
		   atomic_read(&ctx->churns));
	ctx = NULL;
}

static struct kunit_case mdev_stress_cases[] = {
	KUNIT_CASE_SLOW(mdev_stress_run),
	{}
};

static struct kunit_suite mdev_stress_suite = {
	.name = "mdev_stress",
	.suite_init = tv_suite_init,
	.suite_exit = tv_suite_exit,
	.test_cases = mdev_stress_cases,
};

kunit_test_suite(mdev_stress_suite);
