// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberately broken code, built only with CONFIG_MDEVCCW_DETECTOR_TEST,
 * to prove that the test command fails on kernel reports while every KUnit
 * case passes: a lock-order inversion (lockdep, UML and x86_64) and a plain
 * data race between two kthreads (KCSAN, x86_64).  `make check-detector`
 * runs it and expects the log checker to go red for the right reasons.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/mutex.h>

static DEFINE_MUTEX(detector_a);
static DEFINE_MUTEX(detector_b);

/* A then B, later B then A: no deadlock happens, lockdep still reports. */
static void detector_lock_inversion(struct kunit *test)
{
	mutex_lock(&detector_a);
	mutex_lock(&detector_b);
	mutex_unlock(&detector_b);
	mutex_unlock(&detector_a);

	mutex_lock(&detector_b);
	mutex_lock(&detector_a);
	mutex_unlock(&detector_a);
	mutex_unlock(&detector_b);
	KUNIT_SUCCEED(test);
}

struct racer {
	unsigned long *counter;
	unsigned long end;
	struct completion done;
};

static int racer_fn(void *data)
{
	struct racer *r = data;

	while (time_before(jiffies, r->end))
		(*r->counter)++;	/* plain, unlocked: a data race */
	complete(&r->done);
	return 0;
}

static void detector_data_race(struct kunit *test)
{
	unsigned long *counter = kunit_kzalloc(test, sizeof(*counter), GFP_KERNEL);
	struct racer r[2];
	int i;

	KUNIT_ASSERT_NOT_NULL(test, counter);
	for (i = 0; i < 2; i++) {
		r[i].counter = counter;
		r[i].end = jiffies + HZ / 2;
		init_completion(&r[i].done);
		if (IS_ERR(kthread_run(racer_fn, &r[i], "racer/%d", i)))
			complete(&r[i].done);
	}
	for (i = 0; i < 2; i++)
		wait_for_completion(&r[i].done);
	KUNIT_SUCCEED(test);
}

static struct kunit_case detector_cases[] = {
	KUNIT_CASE(detector_lock_inversion),
	KUNIT_CASE(detector_data_race),
	{}
};

static struct kunit_suite detector_suite = {
	.name = "mdevccw_detector",
	.test_cases = detector_cases,
};

kunit_test_suite(detector_suite);

MODULE_LICENSE("GPL");
