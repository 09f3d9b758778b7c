// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of lib/fsm (prints figures, asserts nothing about speed).
 * One 2-state machine, three implementations doing the same work:
 *  - lib/fsm (fsm_event(), and __fsm_event() under fsm_lock());
 *  - a static 2-D jumptable of function pointers, one indirect call under
 *    the caller's mutex: how upstream vfio-ccw dispatches, the baseline
 *    drivers really use;
 *  - an open-coded switch under the same kind of mutex.
 * All three are driven by one pseudo-random event sequence (so branch
 * prediction sees what a real driver sees, and refused events are part
 * of the mix), first with the lock taken per event, then with one lock
 * held across the whole loop, which isolates each engine's own cost from
 * the mutex's.  Also: ps per -EAGAIN answer of fsm_try_event() against a
 * bare failed mutex_trylock().
 * Runs are interleaved and the best of several rounds is kept, so that
 * every side of a ratio sees the same machine in the same run.
 * Build without lockdep/KASAN/KCSAN (kunit/bench.kunitconfig).
 */

#include <kunit/test.h>
#include <linux/fsm.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/prandom.h>

#include "bench.h"
#include "fsm_kunit.h"

#define ROUNDS	15
#define LOOPS	200000
#define SEQ_LEN	4096	/* power of two */

enum { B_IDLE, B_BUSY, NR_B };
enum { B_START, B_DONE, NR_BE };

static const char * const bench_states[NR_B] = { "IDLE", "BUSY" };
static const char * const bench_events[NR_BE] = { "START", "DONE" };

/* The event sequence all implementations run, the same for each. */
static u8 bench_seq[SEQ_LEN];

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

/* The two other cells are empty: -EOPNOTSUPP, as below. */
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

/* The same machine as a jumptable and as a switch, by hand. */
struct by_hand {
	struct mutex lock;	/* serializes events, like fsm's lock */
	unsigned int state;	/* protected by lock */
	unsigned long work;	/* protected by lock */
};

typedef int (*jt_fn)(struct by_hand *h, unsigned int event);

static int jt_start(struct by_hand *h, unsigned int event)
{
	h->work++;
	WRITE_ONCE(h->state, B_BUSY);
	return 0;
}

static int jt_done(struct by_hand *h, unsigned int event)
{
	h->work++;
	WRITE_ONCE(h->state, B_IDLE);
	return 0;
}

static int jt_refuse(struct by_hand *h, unsigned int event)
{
	return -EOPNOTSUPP;
}

static const jt_fn jt_table[NR_B][NR_BE] = {
	[B_IDLE] = { [B_START] = jt_start, [B_DONE] = jt_refuse },
	[B_BUSY] = { [B_START] = jt_refuse, [B_DONE] = jt_done },
};

/* Lock held by the caller. */
static noinline int jt_dispatch(struct by_hand *h, unsigned int event)
{
	return jt_table[h->state][event](h, event);
}

static noinline int oc_dispatch(struct by_hand *h, unsigned int event)
{
	switch (h->state) {
	case B_IDLE:
		if (event == B_START) {
			h->work++;
			WRITE_ONCE(h->state, B_BUSY);
			return 0;
		}
		break;
	case B_BUSY:
		if (event == B_DONE) {
			h->work++;
			WRITE_ONCE(h->state, B_IDLE);
			return 0;
		}
		break;
	}
	return -EOPNOTSUPP;
}

enum impl { I_FSM, I_JT, I_OC, NR_IMPL };

static const char * const impl_names[NR_IMPL] = {
	"lib/fsm", "jumptable", "switch",
};

/*
 * @held: one lock across the loop; else one lock per event.  Always
 * inlined into one function per (impl, held) below, with constants, so
 * each timed loop holds its own implementation's code and nothing else.
 */
static __always_inline u64 time_impl(enum impl impl, bool held,
				     struct bench *b, struct by_hand *h)
{
	u64 t0 = ktime_get_ns();
	unsigned int i, ev;

	if (held) {
		if (impl == I_FSM)
			fsm_lock(&b->fsm);
		else
			mutex_lock(&h->lock);
	}
	for (i = 0; i < LOOPS; i++) {
		ev = bench_seq[i & (SEQ_LEN - 1)];
		switch (impl) {
		case I_FSM:
			if (held)
				__fsm_event(&b->fsm, ev, NULL);
			else
				fsm_event(&b->fsm, ev, NULL);
			break;
		default:
			if (!held)
				mutex_lock(&h->lock);
			if (impl == I_JT)
				jt_dispatch(h, ev);
			else
				oc_dispatch(h, ev);
			if (!held)
				mutex_unlock(&h->lock);
			break;
		}
	}
	if (held) {
		if (impl == I_FSM)
			fsm_unlock(&b->fsm);
		else
			mutex_unlock(&h->lock);
	}
	return ktime_get_ns() - t0;
}

#define TIMER(_impl, _held)						\
static noinline u64 time_##_impl##_##_held(struct bench *b,		\
					   struct by_hand *h)		\
{									\
	return time_impl(_impl, _held, b, h);				\
}

TIMER(I_FSM, 0)
TIMER(I_FSM, 1)
TIMER(I_JT, 0)
TIMER(I_JT, 1)
TIMER(I_OC, 0)
TIMER(I_OC, 1)

static u64 (* const timers[2][NR_IMPL])(struct bench *, struct by_hand *) = {
	{ time_I_FSM_0, time_I_JT_0, time_I_OC_0 },
	{ time_I_FSM_1, time_I_JT_1, time_I_OC_1 },
};

static void fsm_bench_dispatch(struct kunit *test)
{
	struct bench *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct bench *bh = kunit_kzalloc(test, sizeof(*bh), GFP_KERNEL);
	struct by_hand *h = kunit_kcalloc(test, NR_IMPL, sizeof(*h), GFP_KERNEL);
	u64 best[2][NR_IMPL + 1];
	struct rnd_state rnd;
	char r[3][16];
	int i, held, k;

	KUNIT_ASSERT_TRUE(test, b && bh && h);
	prandom_seed_state(&rnd, 20261202);
	for (i = 0; i < SEQ_LEN; i++)
		bench_seq[i] = prandom_u32_state(&rnd) & 1;
	for (k = 0; k < NR_IMPL; k++)
		mutex_init(&h[k].lock);
	KUNIT_ASSERT_EQ(test, fsm_init(&b->fsm, &bench_plain, B_IDLE, "b"), 0);
	KUNIT_ASSERT_EQ(test, fsm_init(&bh->fsm, &bench_hist, B_IDLE, "h"), 0);
	memset(best, 0xff, sizeof(best));
	for (i = 0; i < ROUNDS; i++) {
		for (held = 0; held < 2; held++) {
			for (k = 0; k < NR_IMPL; k++)
				best[held][k] = min(best[held][k],
						    timers[held][k](b, &h[k]));
			/* the last column: lib/fsm with a history ring */
			best[held][NR_IMPL] = min(best[held][NR_IMPL],
						  timers[held][I_FSM](bh, NULL));
		}
	}
	/* Same sequence, same work: the implementations agree. */
	KUNIT_EXPECT_EQ(test, b->work, h[I_JT].work);
	KUNIT_EXPECT_EQ(test, b->work, h[I_OC].work);
	KUNIT_EXPECT_EQ(test, b->work, bh->work);
	KUNIT_EXPECT_GT(test, b->work, 0);
	KUNIT_EXPECT_LT(test, b->work, 2UL * ROUNDS * LOOPS);
	for (held = 0; held < 2; held++) {
		const u64 *t = best[held];

		kunit_info(test, "bench: dispatch, %s: lib/fsm %llu ps/event, with history %llu, jumptable %llu, switch %llu\n",
			   held ? "one lock held across the loop" :
				  "lock per event",
			   div64_u64(t[I_FSM] * 1000, LOOPS),
			   div64_u64(t[NR_IMPL] * 1000, LOOPS),
			   div64_u64(t[I_JT] * 1000, LOOPS),
			   div64_u64(t[I_OC] * 1000, LOOPS));
		bench_ratio(r[0], sizeof(r[0]), t[I_FSM], t[I_JT]);
		bench_ratio(r[1], sizeof(r[1]), t[NR_IMPL], t[I_JT]);
		bench_ratio(r[2], sizeof(r[2]), t[I_FSM], t[I_OC]);
		kunit_info(test, "bench: dispatch, %s: lib/fsm/jumptable = %s (target <= 1.10), with history = %s; lib/fsm/switch = %s\n",
			   held ? "lock held" : "lock per event", r[0], r[1],
			   r[2]);
	}
	kunit_info(test, "bench: (implementations: %s, %s, %s; %d of every %d events refused)\n",
		   impl_names[I_FSM], impl_names[I_JT], impl_names[I_OC],
		   (int)(LOOPS - b->work / ROUNDS / 2), LOOPS);
	fsm_destroy(&bh->fsm);
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
