// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of lib/fsm (prints figures, asserts nothing about speed):
 *  - ns per dispatched event through fsm_event() against an open-coded
 *    switch doing the same work under the same kind of mutex;
 *  - ns per -EAGAIN answer of fsm_try_event() against a bare failed
 *    mutex_trylock().
 * Runs are interleaved and the best of several rounds is kept, so that
 * both sides of a ratio see the same machine in the same run.
 * Build without lockdep/KASAN/KCSAN (kunit/bench.kunitconfig).
 */

#include <kunit/test.h>
#include <linux/fsm.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mutex.h>

#include "bench.h"
#include "fsm_kunit.h"

#define ROUNDS	15
#define LOOPS	200000

enum { B_IDLE, B_BUSY, NR_B };
enum { B_START, B_DONE, NR_BE };

static const char * const bench_states[NR_B] = { "IDLE", "BUSY" };
static const char * const bench_events[NR_BE] = { "START", "DONE" };

struct bench {
	struct fsm fsm;
	unsigned long work;	/* protected by fsm's lock */
};

static int bench_start(struct fsm *fsm, unsigned int event, void *arg)
{
	container_of(fsm, struct bench, fsm)->work++;
	return fsm_move(fsm, B_BUSY);
}

static int bench_done(struct fsm *fsm, unsigned int event, void *arg)
{
	container_of(fsm, struct bench, fsm)->work++;
	return fsm_move(fsm, B_IDLE);
}

static const struct fsm_transition bench_transitions[] = {
	{ B_IDLE, B_START, bench_start, BIT(B_BUSY) },
	{ B_BUSY, B_DONE, bench_done, BIT(B_IDLE) },
};

#define BENCH_TABLE(_name, _history)					\
	{								\
		.name = _name,						\
		.flavour = FSM_SLEEPING,				\
		.nr_states = NR_B,					\
		.nr_events = NR_BE,					\
		.state_names = bench_states,				\
		.event_names = bench_events,				\
		.transitions = bench_transitions,			\
		.nr_transitions = ARRAY_SIZE(bench_transitions),	\
		.history = _history,					\
	}

static struct fsm_table bench_plain = BENCH_TABLE("fsm_bench", 0);
static struct fsm_table bench_hist = BENCH_TABLE("fsm_bench_history", 16);

/* The same machine, open-coded the way drivers write it by hand. */
struct open_coded {
	struct mutex lock;	/* serializes events, like fsm's lock */
	unsigned int state;	/* protected by lock */
	unsigned long work;	/* protected by lock */
};

static noinline int oc_event(struct open_coded *oc, unsigned int event)
{
	int ret = -EOPNOTSUPP;

	mutex_lock(&oc->lock);
	switch (oc->state) {
	case B_IDLE:
		if (event == B_START) {
			oc->work++;
			WRITE_ONCE(oc->state, B_BUSY);
			ret = 0;
		}
		break;
	case B_BUSY:
		if (event == B_DONE) {
			oc->work++;
			WRITE_ONCE(oc->state, B_IDLE);
			ret = 0;
		}
		break;
	}
	mutex_unlock(&oc->lock);
	return ret;
}

static u64 time_fsm(struct bench *b)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < LOOPS; i++)
		fsm_event(&b->fsm, i & 1, NULL);
	return ktime_get_ns() - t0;
}

static u64 time_oc(struct open_coded *oc)
{
	u64 t0 = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < LOOPS; i++)
		oc_event(oc, i & 1);
	return ktime_get_ns() - t0;
}

static void fsm_bench_dispatch(struct kunit *test)
{
	struct bench *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct bench *h = kunit_kzalloc(test, sizeof(*h), GFP_KERNEL);
	struct open_coded *oc = kunit_kzalloc(test, sizeof(*oc), GFP_KERNEL);
	u64 best_f = U64_MAX, best_h = U64_MAX, best_o = U64_MAX;
	char r1[16], r2[16];
	int i;

	KUNIT_ASSERT_TRUE(test, b && h && oc);
	mutex_init(&oc->lock);
	KUNIT_ASSERT_EQ(test, fsm_init(&b->fsm, &bench_plain, B_IDLE, "b"), 0);
	KUNIT_ASSERT_EQ(test, fsm_init(&h->fsm, &bench_hist, B_IDLE, "h"), 0);
	for (i = 0; i < ROUNDS; i++) {
		best_o = min(best_o, time_oc(oc));
		best_f = min(best_f, time_fsm(b));
		best_h = min(best_h, time_fsm(h));
	}
	KUNIT_EXPECT_EQ(test, b->work, (unsigned long)ROUNDS * LOOPS);
	KUNIT_EXPECT_EQ(test, oc->work, (unsigned long)ROUNDS * LOOPS);
	bench_ratio(r1, sizeof(r1), best_f, best_o);
	bench_ratio(r2, sizeof(r2), best_h, best_o);
	kunit_info(test, "bench: fsm dispatch %llu ps/event, with history %llu ps/event, open-coded switch %llu ps/event\n",
		   div64_u64(best_f * 1000, LOOPS), div64_u64(best_h * 1000, LOOPS),
		   div64_u64(best_o * 1000, LOOPS));
	kunit_info(test, "bench: fsm/open-coded = %s (target <= 1.15), with history = %s\n",
		   r1, r2);
	fsm_destroy(&h->fsm);
	fsm_destroy(&b->fsm);
}

static void fsm_bench_eagain(struct kunit *test)
{
	struct bench *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct mutex *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	u64 best_f = U64_MAX, best_m = U64_MAX, t0;
	unsigned long fails = 0;
	char r[16];
	int i, j;

	KUNIT_ASSERT_TRUE(test, b && m);
	mutex_init(m);
	KUNIT_ASSERT_EQ(test, fsm_init(&b->fsm, &bench_plain, B_IDLE, "b"), 0);
	/* Both locks held by this task: every try fails. */
	fsm_lock(&b->fsm);
	mutex_lock(m);
	for (i = 0; i < ROUNDS; i++) {
		t0 = ktime_get_ns();
		for (j = 0; j < LOOPS; j++)
			fails += !mutex_trylock(m);
		best_m = min(best_m, ktime_get_ns() - t0);
		t0 = ktime_get_ns();
		for (j = 0; j < LOOPS; j++)
			fails += fsm_try_event(&b->fsm, B_START, NULL) == -EAGAIN;
		best_f = min(best_f, ktime_get_ns() - t0);
	}
	mutex_unlock(m);
	fsm_unlock(&b->fsm);
	KUNIT_EXPECT_EQ(test, fails, 2UL * ROUNDS * LOOPS);
	bench_ratio(r, sizeof(r), best_f, best_m);
	kunit_info(test, "bench: try_event -EAGAIN %llu ps, bare failed mutex_trylock %llu ps, ratio %s (target <= 2)\n",
		   div64_u64(best_f * 1000, LOOPS), div64_u64(best_m * 1000, LOOPS), r);
	fsm_destroy(&b->fsm);
}

static struct fsm_table *bench_tables[] = { &bench_plain, &bench_hist };

static int fsm_bench_init(struct kunit_suite *suite)
{
	return fsm_kunit_register(bench_tables, ARRAY_SIZE(bench_tables));
}

static void fsm_bench_exit(struct kunit_suite *suite)
{
	fsm_kunit_unregister(bench_tables, ARRAY_SIZE(bench_tables));
}

static struct kunit_case fsm_bench_cases[] = {
	KUNIT_CASE(fsm_bench_dispatch),
	KUNIT_CASE(fsm_bench_eagain),
	{}
};

static struct kunit_suite fsm_bench_suite = {
	.name = "fsm_bench",
	.suite_init = fsm_bench_init,
	.suite_exit = fsm_bench_exit,
	.test_cases = fsm_bench_cases,
};

kunit_test_suite(fsm_bench_suite);

MODULE_DESCRIPTION("Benchmark of lib/fsm");
MODULE_LICENSE("GPL");
