// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of lib/fsm: table validation, every cell of a sample table,
 * results, refused moves, lock flavours, -EAGAIN and the try-lock guard,
 * posted events (order, cancel, workqueue, what destroy does with them),
 * history, tracepoint, Graphviz output, timers and teardown.  Lock-free
 * readers against concurrent dispatch (F3) are in fsm_stress_test.c.
 * Requirement ids (../shared/requirements.md) are named per test.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/fsm.h>
#include <linux/kthread.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>

#include "../lib/fsm/trace.h"
#include "expect_report.h"
#include "fsm_kunit.h"

enum { S_OFF, S_IDLE, S_BUSY, S_BROKEN, NR_S };
enum { E_OPEN, E_CLOSE, E_START, E_DONE, E_FAIL, E_BLOCK, NR_E };

static const char * const state_names[NR_S] = {
	"OFF", "IDLE", "BUSY", "BROKEN",
};

static const char * const event_names[NR_E] = {
	"OPEN", "CLOSE", "START", "DONE", "FAIL", "BLOCK",
};

struct sample {
	struct fsm fsm;
	int start_ret;			/* what START returns in IDLE */
	unsigned int calls;		/* actions run, default included */
	struct completion entered;	/* BLOCK: action is running */
	struct completion release;	/* BLOCK: let it return */
	unsigned int log[32];		/* args of DONE, in dispatch order */
	unsigned int nr_log;
	struct fsm_post_node *chain;		/* DONE posts it, once */
};

static struct sample *to_sample(struct fsm *fsm)
{
	return container_of(fsm, struct sample, fsm);
}

static int act_start(struct fsm *fsm, unsigned int event, void *arg)
{
	struct sample *s = to_sample(fsm);

	s->calls++;
	if (s->start_ret < 0)
		return s->start_ret;
	fsm_move(fsm, S_BUSY);
	return s->start_ret;
}

static int act_busy(struct fsm *fsm, unsigned int event, void *arg)
{
	to_sample(fsm)->calls++;
	return -EBUSY;
}

static int act_done(struct fsm *fsm, unsigned int event, void *arg)
{
	struct sample *s = to_sample(fsm);

	s->calls++;
	if (s->nr_log < ARRAY_SIZE(s->log))
		s->log[s->nr_log++] = (uintptr_t)arg;
	if (s->chain) {
		fsm_post(s->chain);
		s->chain = NULL;
	}
	fsm_move(fsm, S_IDLE);
	return 0;
}

/* Fails and moves explicitly: the error does not undo the move. */
static int act_fail(struct fsm *fsm, unsigned int event, void *arg)
{
	to_sample(fsm)->calls++;
	fsm_move(fsm, S_BROKEN);
	return -EIO;
}

static int act_block(struct fsm *fsm, unsigned int event, void *arg)
{
	struct sample *s = to_sample(fsm);

	s->calls++;
	complete(&s->entered);
	/* Released beforehand when the machine is atomic. */
	if (!completion_done(&s->release))
		wait_for_completion(&s->release);
	return 0;
}

static int act_default(struct fsm *fsm, unsigned int event, void *arg)
{
	to_sample(fsm)->calls++;
	return -EPERM;
}

static const struct fsm_transition sample_transitions[] = {
	{ S_OFF, E_OPEN, NULL, BIT(S_IDLE) },
	{ S_IDLE, E_CLOSE, NULL, BIT(S_OFF) },
	{ S_IDLE, E_START, act_start, BIT(S_BUSY) },
	{ S_IDLE, E_BLOCK, act_block, 0 },
	{ S_BUSY, E_START, act_busy, 0 },
	{ S_BUSY, E_DONE, act_done, BIT(S_IDLE) },
	{ S_BUSY, E_FAIL, act_fail, BIT(S_BROKEN) },
	{ S_BROKEN, E_CLOSE, NULL, BIT(S_OFF) },
};

#define SAMPLE_TABLE(_name, _flavour)					\
	{								\
		.name = _name,						\
		.flavour = _flavour,					\
		.nr_states = NR_S,					\
		.nr_events = NR_E,					\
		.state_names = state_names,				\
		.event_names = event_names,				\
		.transitions = sample_transitions,			\
		.nr_transitions = ARRAY_SIZE(sample_transitions),	\
		.default_action = act_default,				\
		.history = 4,						\
	}

static struct fsm_table sample_sleeping = SAMPLE_TABLE("fsm_test", FSM_SLEEPING);
static struct fsm_table sample_atomic = SAMPLE_TABLE("fsm_test_atomic", FSM_ATOMIC);
static struct fsm_table *sample_tables[] = { &sample_sleeping, &sample_atomic };

static struct sample *sample_new(struct kunit *test, struct fsm_table *table,
				 unsigned int initial)
{
	struct sample *s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, s);
	init_completion(&s->entered);
	init_completion(&s->release);
	KUNIT_ASSERT_EQ(test, fsm_init(&s->fsm, table, initial, "t"), 0);
	return s;
}

/* F1: each kind of malformed table is refused, and nothing is kept. */
static void fsm_test_table_validation(struct kunit *test)
{
	static const struct fsm_transition bad_state[] = {
		{ NR_S, E_OPEN, act_default, 0 },
	};
	static const struct fsm_transition bad_event[] = {
		{ S_OFF, NR_E, act_default, 0 },
	};
	static const struct fsm_transition bad_next[] = {
		{ S_OFF, E_OPEN, act_default, BIT(NR_S) },
	};
	static const struct fsm_transition dup[] = {
		{ S_OFF, E_OPEN, act_default, 0 },
		{ S_IDLE, E_OPEN, act_default, 0 },
		{ S_OFF, E_OPEN, act_start, 0 },
	};
	static const struct fsm_transition ambiguous[] = {
		{ S_OFF, E_OPEN, NULL, BIT(S_IDLE) | BIT(S_BUSY) },
	};
	static const struct {
		const struct fsm_transition *tr;
		unsigned int n, nr_states;
		int ret;
	} cases[] = {
		{ bad_state, 1, NR_S, -EINVAL },
		{ bad_event, 1, NR_S, -EINVAL },
		{ bad_next, 1, NR_S, -EINVAL },
		{ dup, 3, NR_S, -EEXIST },
		{ ambiguous, 1, NR_S, -EINVAL },
		{ sample_transitions, 1, 0, -EINVAL },
		{ sample_transitions, 1, FSM_MAX_STATES + 1, -EINVAL },
	};
	struct fsm_table t = SAMPLE_TABLE("fsm_test_bad", FSM_SLEEPING);
	struct fsm fsm;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		t.transitions = cases[i].tr;
		t.nr_transitions = cases[i].n;
		t.nr_states = cases[i].nr_states;
		KUNIT_EXPECT_EQ_MSG(test, fsm_table_register(&t), cases[i].ret,
				    "case %u", i);
		KUNIT_EXPECT_NULL_MSG(test, t.priv, "case %u", i);
	}

	t = (struct fsm_table)SAMPLE_TABLE("fsm_test_bad", FSM_SLEEPING);
	t.state_names = NULL;
	KUNIT_EXPECT_EQ(test, fsm_table_register(&t), -EINVAL);
	t.state_names = state_names;
	t.flavour = 7;
	KUNIT_EXPECT_EQ(test, fsm_table_register(&t), -EINVAL);
	t.flavour = FSM_SLEEPING;

	/* An instance needs a registered table and a real initial state. */
	KUNIT_EXPECT_EQ(test, fsm_init(&fsm, &t, S_OFF, "x"), -EINVAL);
	KUNIT_ASSERT_EQ(test, fsm_table_register(&t), 0);
	KUNIT_EXPECT_EQ(test, fsm_table_register(&t), -EBUSY);
	KUNIT_EXPECT_EQ(test, fsm_init(&fsm, &t, NR_S, "x"), -EINVAL);
	fsm_table_unregister(&t);
	KUNIT_EXPECT_NULL(test, t.priv);
}

/* F1, F2, F5: every (state, event) cell: result and resulting state. */
static void fsm_test_every_cell(struct kunit *test)
{
	/* Written from the table's intent, not from its code. */
	static const struct { int ret; unsigned int to; } want[NR_S][NR_E] = {
		[S_OFF] = {
			[E_OPEN] = { 0, S_IDLE },
			[E_CLOSE] = { -EPERM, S_OFF },
			[E_START] = { -EPERM, S_OFF },
			[E_DONE] = { -EPERM, S_OFF },
			[E_FAIL] = { -EPERM, S_OFF },
			[E_BLOCK] = { -EPERM, S_OFF },
		},
		[S_IDLE] = {
			[E_OPEN] = { -EPERM, S_IDLE },
			[E_CLOSE] = { 0, S_OFF },
			[E_START] = { 0, S_BUSY },
			[E_DONE] = { -EPERM, S_IDLE },
			[E_FAIL] = { -EPERM, S_IDLE },
			[E_BLOCK] = { 0, S_IDLE },
		},
		[S_BUSY] = {
			[E_OPEN] = { -EPERM, S_BUSY },
			[E_CLOSE] = { -EPERM, S_BUSY },
			[E_START] = { -EBUSY, S_BUSY },
			[E_DONE] = { 0, S_IDLE },
			[E_FAIL] = { -EIO, S_BROKEN },
			[E_BLOCK] = { -EPERM, S_BUSY },
		},
		[S_BROKEN] = {
			[E_OPEN] = { -EPERM, S_BROKEN },
			[E_CLOSE] = { 0, S_OFF },
			[E_START] = { -EPERM, S_BROKEN },
			[E_DONE] = { -EPERM, S_BROKEN },
			[E_FAIL] = { -EPERM, S_BROKEN },
			[E_BLOCK] = { -EPERM, S_BROKEN },
		},
	};
	struct fsm_history_entry h;
	unsigned int t, s, e;

	for (t = 0; t < ARRAY_SIZE(sample_tables); t++) {
		for (s = 0; s < NR_S; s++) {
			for (e = 0; e < NR_E; e++) {
				struct sample *x = sample_new(test, sample_tables[t], s);

				/* BLOCK would wait for us: let it through. */
				complete(&x->release);
				KUNIT_EXPECT_EQ_MSG(test, fsm_event(&x->fsm, e, NULL),
						    want[s][e].ret, "%s %s/%s",
						    sample_tables[t]->name, state_names[s],
						    event_names[e]);
				KUNIT_EXPECT_EQ_MSG(test, fsm_state(&x->fsm),
						    want[s][e].to, "%s %s/%s",
						    sample_tables[t]->name, state_names[s],
						    event_names[e]);
				KUNIT_ASSERT_EQ(test, fsm_history_read(&x->fsm, &h, 1), 1);
				KUNIT_EXPECT_EQ(test, h.from, s);
				KUNIT_EXPECT_EQ(test, h.event, e);
				KUNIT_EXPECT_EQ(test, h.to, want[s][e].to);
				KUNIT_EXPECT_EQ(test, h.result, want[s][e].ret);
				fsm_destroy(&x->fsm);
			}
		}
	}
}

/* F5: the action's return value reaches the caller; failure stays put. */
static void fsm_test_action_result(struct kunit *test)
{
	struct sample *x = sample_new(test, &sample_sleeping, S_IDLE);

	x->start_ret = -ENOSPC;
	KUNIT_EXPECT_EQ(test, fsm_event(&x->fsm, E_START, NULL), -ENOSPC);
	KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_IDLE);
	x->start_ret = 7;
	KUNIT_EXPECT_EQ(test, fsm_event(&x->fsm, E_START, NULL), 7);
	KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_BUSY);
	KUNIT_EXPECT_EQ(test, x->calls, 2);
	fsm_destroy(&x->fsm);
}

static int act_liar(struct fsm *fsm, unsigned int event, void *arg)
{
	int ret = fsm_move(fsm, S_BROKEN);

	return (uintptr_t)arg ? -ENXIO : ret < 0 ? 0 : 1;
}

static const struct fsm_transition liar_transitions[] = {
	{ S_IDLE, E_START, act_liar, BIT(S_BUSY) },
	{ S_IDLE, E_OPEN, NULL, BIT(S_OFF) },
};

/* F5: a move the cell does not declare is refused, reported, an error. */
static void fsm_test_undeclared_move(struct kunit *test)
{
	struct fsm_table t = SAMPLE_TABLE("fsm_test_liar", FSM_SLEEPING);
	struct sample *x;

	t.transitions = liar_transitions;
	t.nr_transitions = ARRAY_SIZE(liar_transitions);
	KUNIT_ASSERT_EQ(test, fsm_table_register(&t), 0);
	x = sample_new(test, &t, S_IDLE);

	/* First offence of the table: a WARN with a backtrace. */
	expect_report_begin("WARNING", "fsm_report_bad_move");
	KUNIT_EXPECT_EQ(test, fsm_event(&x->fsm, E_START, NULL), -EINVAL);
	expect_report_end();
	KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_IDLE);

	/* Later ones are rate-limited errors; the action's own error wins. */
	KUNIT_EXPECT_EQ(test, fsm_event(&x->fsm, E_START, (void *)1), -ENXIO);
	KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_IDLE);

	/* Declared moves of the same machine still work. */
	KUNIT_EXPECT_EQ(test, fsm_event(&x->fsm, E_OPEN, NULL), 0);
	KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_OFF);
	fsm_destroy(&x->fsm);
	fsm_table_unregister(&t);
}

/* Bad input: out-of-range events are refused before any lookup. */
static void fsm_test_bad_event(struct kunit *test)
{
	struct sample *x = sample_new(test, &sample_sleeping, S_IDLE);
	struct sample *y = sample_new(test, &sample_atomic, S_IDLE);
	struct fsm_timer *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct fsm_history_entry h;
	struct fsm_post_node p;

	KUNIT_EXPECT_EQ(test, fsm_event(&x->fsm, NR_E, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, fsm_event(&x->fsm, UINT_MAX, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, fsm_try_event(&x->fsm, NR_E, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, fsm_post_init(&p, &x->fsm, NR_E, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, fsm_event(&y->fsm, NR_E, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, fsm_post_init(&p, &y->fsm, NR_E + 100, NULL),
			-EINVAL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_EXPECT_EQ(test, fsm_timer_init(&x->fsm, t, NR_E, NULL), -EINVAL);
	/* A refused timer is never armed. */
	fsm_timer_arm(t, 0);
	KUNIT_EXPECT_FALSE(test, timer_pending(&t->timer));
	KUNIT_EXPECT_EQ(test, fsm_history_read(&x->fsm, &h, 1), 0);
	KUNIT_EXPECT_EQ(test, x->calls + y->calls, 0);
	KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_IDLE);
	fsm_destroy(&x->fsm);
	fsm_destroy(&y->fsm);
}

static int block_thread(void *data)
{
	struct sample *x = data;

	fsm_event(&x->fsm, E_BLOCK, NULL);
	return 0;
}

/* F4: try dispatch answers -EAGAIN at once while another holds it. */
static void fsm_test_try_event_eagain(struct kunit *test)
{
	struct sample *x = sample_new(test, &sample_sleeping, S_IDLE);
	struct task_struct *tsk;

	tsk = kthread_run(block_thread, x, "fsm_block");
	KUNIT_ASSERT_FALSE(test, IS_ERR(tsk));
	get_task_struct(tsk);
	wait_for_completion(&x->entered);

	/* Would deadlock if it waited: the holder waits for us. */
	KUNIT_EXPECT_EQ(test, fsm_try_event(&x->fsm, E_START, NULL), -EAGAIN);
	KUNIT_EXPECT_EQ(test, fsm_try_event(&x->fsm, E_CLOSE, NULL), -EAGAIN);
	KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_IDLE);
	KUNIT_EXPECT_EQ(test, x->calls, 1);

	complete(&x->release);
	kthread_stop(tsk);
	put_task_struct(tsk);
	KUNIT_EXPECT_EQ(test, fsm_try_event(&x->fsm, E_START, NULL), 0);
	KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_BUSY);
	fsm_destroy(&x->fsm);
}

/*
 * F4: fsm_trylock() and its conditional guard: the body runs with the
 * lock held when it is free, and not at all while an action runs
 * elsewhere; the caller chooses the answer (here -EAGAIN).
 */
static void fsm_test_trylock_guard(struct kunit *test)
{
	struct sample *x = sample_new(test, &sample_sleeping, S_IDLE);
	struct task_struct *tsk;
	bool ran = false;
	int ret = 1;

	scoped_cond_guard(fsm_try, ret = -EAGAIN, &x->fsm) {
		KUNIT_EXPECT_TRUE(test, mutex_is_locked(&x->fsm.lock.mutex));
		ret = __fsm_event(&x->fsm, E_START, NULL);
	}
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_BUSY);
	KUNIT_EXPECT_FALSE(test, mutex_is_locked(&x->fsm.lock.mutex));
	KUNIT_EXPECT_EQ(test, fsm_event(&x->fsm, E_DONE, NULL), 0);

	tsk = kthread_run(block_thread, x, "fsm_block");
	KUNIT_ASSERT_FALSE(test, IS_ERR(tsk));
	get_task_struct(tsk);
	wait_for_completion(&x->entered);
	scoped_cond_guard(fsm_try, ret = -EAGAIN, &x->fsm) {
		ran = true;
		ret = 0;
	}
	KUNIT_EXPECT_EQ(test, ret, -EAGAIN);
	KUNIT_EXPECT_FALSE(test, ran);
	KUNIT_EXPECT_FALSE(test, __fsm_trylock(&x->fsm));
	complete(&x->release);
	kthread_stop(tsk);
	put_task_struct(tsk);

	/* Not an ASSERT: a failing case must still destroy the machine. */
	ran = false;
	scoped_cond_guard(fsm_try, ran = false, &x->fsm) {
		ran = true;
		KUNIT_EXPECT_EQ(test, __fsm_event(&x->fsm, E_CLOSE, NULL), 0);
	}
	KUNIT_EXPECT_TRUE(test, ran);
	KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_OFF);
	fsm_destroy(&x->fsm);
}

/* F4, F6: the atomic flavour's try dispatch, lock held by this context. */
static void fsm_test_try_event_atomic(struct kunit *test)
{
	struct sample *x;

	/*
	 * On UP a spinlock is no lock at all, or with DEBUG_SPINLOCK a failed
	 * trylock is itself reported as a bug: only SMP can show -EAGAIN.
	 */
	if (!IS_ENABLED(CONFIG_SMP))
		kunit_skip(test, "needs SMP spinlocks");
	x = sample_new(test, &sample_atomic, S_IDLE);
	scoped_guard(fsm, &x->fsm) {
		KUNIT_EXPECT_EQ(test, fsm_try_event(&x->fsm, E_START, NULL),
				-EAGAIN);
		KUNIT_EXPECT_FALSE(test, __fsm_trylock(&x->fsm));
		KUNIT_EXPECT_TRUE(test, irqs_disabled());
	}
	KUNIT_EXPECT_FALSE(test, irqs_disabled());
	KUNIT_EXPECT_EQ(test, fsm_try_event(&x->fsm, E_START, NULL), 0);
	KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_BUSY);
	fsm_destroy(&x->fsm);
}

/* F8: __fsm_event needs the lock, and lockdep says so when missing. */
static void fsm_test_locked_variant(struct kunit *test)
{
	struct sample *x = sample_new(test, &sample_sleeping, S_IDLE);

	scoped_guard(fsm, &x->fsm) {
		KUNIT_EXPECT_EQ(test, __fsm_event(&x->fsm, E_START, NULL), 0);
		KUNIT_EXPECT_EQ(test, __fsm_event(&x->fsm, E_DONE, NULL), 0);
	}
	KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_IDLE);

	if (IS_ENABLED(CONFIG_LOCKDEP)) {
		expect_report_begin("WARNING", "__fsm_event");
		__fsm_event(&x->fsm, E_CLOSE, NULL);
		expect_report_end();
		KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_OFF);
	}
	fsm_destroy(&x->fsm);
}

/*
 * F8: each table has its own lock class: holding a machine of one table
 * while dispatching to a machine of another is not "recursive locking".
 * Were the class shared, lockdep would report it and the run would fail.
 */
static void fsm_test_lock_classes(struct kunit *test)
{
	struct fsm_table t = SAMPLE_TABLE("fsm_test_other", FSM_SLEEPING);
	struct sample *x = sample_new(test, &sample_sleeping, S_IDLE);
	struct sample *y;

	KUNIT_ASSERT_EQ(test, fsm_table_register(&t), 0);
	y = sample_new(test, &t, S_IDLE);
	scoped_guard(fsm, &x->fsm)
		KUNIT_EXPECT_EQ(test, fsm_event(&y->fsm, E_START, NULL), 0);
	fsm_destroy(&y->fsm);
	fsm_destroy(&x->fsm);
	fsm_table_unregister(&t);
}

/* An ordered workqueue that a work item keeps busy until released. */
struct blocked_wq {
	struct workqueue_struct *wq;
	struct work_struct work;
	struct completion release;
};

static void blocker_fn(struct work_struct *work)
{
	wait_for_completion(&container_of(work, struct blocked_wq,
					  work)->release);
}

/* At the end of the test, failed or not: nothing sleeps on freed memory. */
static void blocked_wq_cleanup(void *data)
{
	struct blocked_wq *b = data;

	complete_all(&b->release);
}

static struct blocked_wq *blocked_wq_new(struct kunit *test)
{
	struct blocked_wq *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, b);
	b->wq = alloc_ordered_workqueue("fsm_test", 0);
	KUNIT_ASSERT_NOT_NULL(test, b->wq);
	init_completion(&b->release);
	INIT_WORK(&b->work, blocker_fn);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, blocked_wq_cleanup,
							b), 0);
	queue_work(b->wq, &b->work);
	return b;
}

struct destroyer {
	struct fsm *fsm;
	struct task_struct *task;
	struct completion done;
};

static int destroy_thread(void *data)
{
	struct destroyer *d = data;

	fsm_destroy(d->fsm);
	complete_all(&d->done);
	/* Parked until reaped, so the task stays for destroy_waits(). */
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/* Destroy @fsm in a kthread; d->done completes when it returns. */
static void destroy_async(struct kunit *test, struct destroyer *d,
			  struct fsm *fsm)
{
	d->fsm = fsm;
	init_completion(&d->done);
	d->task = kthread_create(destroy_thread, d, "fsm_destroy");
	KUNIT_ASSERT_FALSE(test, IS_ERR(d->task));
	get_task_struct(d->task);
	wake_up_process(d->task);
}

/*
 * Whether fsm_destroy() is asleep with the machine closing: after the
 * timers, the only place it sleeps is waiting for the posting work.
 */
static bool destroy_waits(struct destroyer *d)
{
	unsigned int i;
	bool closing;

	for (i = 0; i < 5000; i++) {
		scoped_guard(spinlock_irqsave, &d->fsm->post_lock)
			closing = d->fsm->closing;
		if (closing && !task_is_running(d->task) &&
		    !completion_done(&d->done))
			return true;
		usleep_range(1000, 2000);
	}
	return false;
}

static void destroy_reap(struct destroyer *d)
{
	wait_for_completion(&d->done);
	kthread_stop(d->task);
	put_task_struct(d->task);
}

/*
 * F6: events posted from atomic context run later, in posting order, on
 * both flavours, and none is lost however many are queued: the node is
 * the caller's, so posting cannot run out of room.  Posting a queued
 * node is a no-op that says so.
 */
static void fsm_test_post_order(struct kunit *test)
{
	const unsigned int n = 32;
	unsigned int i, t, queued, again;
	unsigned long flags;

	for (t = 0; t < ARRAY_SIZE(sample_tables); t++) {
		struct sample *x = sample_new(test, sample_tables[t], S_BUSY);
		struct fsm_post_node *p = kunit_kcalloc(test, n, sizeof(*p),
						   GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, p);
		/* START is refused in BUSY; DONE logs its arg, goes IDLE. */
		for (i = 0; i < n; i++)
			KUNIT_ASSERT_EQ(test, fsm_post_init(&p[i], &x->fsm,
							    i % 2 ? E_START : E_DONE,
							    (void *)(uintptr_t)i), 0);
		queued = 0;
		again = 0;
		/* Held: nothing posted can run before all are. */
		scoped_guard(fsm, &x->fsm) {
			for (i = 0; i < n; i++) {
				local_irq_save(flags);
				queued += fsm_post(&p[i]);
				again += fsm_post(&p[i]);
				local_irq_restore(flags);
			}
		}
		KUNIT_EXPECT_EQ(test, queued, n);
		KUNIT_EXPECT_EQ(test, again, 0);
		fsm_flush(&x->fsm);
		KUNIT_EXPECT_EQ(test, x->calls, n);
		KUNIT_EXPECT_EQ(test, x->fsm.seq, n);
		KUNIT_ASSERT_EQ(test, x->nr_log, n / 2);
		for (i = 0; i < n / 2; i++)
			KUNIT_EXPECT_EQ(test, x->log[i], 2 * i);
		/* Idle once dispatched: a node can be posted again. */
		KUNIT_EXPECT_TRUE(test, fsm_post(&p[0]));
		fsm_flush(&x->fsm);
		KUNIT_EXPECT_EQ(test, x->calls, n + 1);
		fsm_destroy(&x->fsm);
	}
}

/* F6: a posted event can be taken back until its dispatch begins. */
static void fsm_test_post_cancel(struct kunit *test)
{
	struct sample *x = sample_new(test, &sample_sleeping, S_IDLE);
	struct blocked_wq *b = blocked_wq_new(test);
	struct fsm_post_node p;

	/* Its workqueue busy: the node stays queued until released. */
	fsm_set_workqueue(&x->fsm, b->wq);
	KUNIT_ASSERT_EQ(test, fsm_post_init(&p, &x->fsm, E_CLOSE, NULL), 0);
	KUNIT_EXPECT_FALSE(test, fsm_post_cancel(&p));
	KUNIT_EXPECT_TRUE(test, fsm_post(&p));
	KUNIT_EXPECT_TRUE(test, fsm_post_cancel(&p));
	KUNIT_EXPECT_FALSE(test, fsm_post_cancel(&p));
	complete_all(&b->release);
	fsm_flush(&x->fsm);
	KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_IDLE);
	KUNIT_EXPECT_EQ(test, x->fsm.seq, 0);
	KUNIT_EXPECT_TRUE(test, fsm_post(&p));
	fsm_flush(&x->fsm);
	KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_OFF);
	fsm_destroy(&x->fsm);
}

/*
 * F6: posted events run on the workqueue the machine names: while that
 * ordered workqueue is busy with other work, they wait for it.
 */
static void fsm_test_post_workqueue(struct kunit *test)
{
	struct sample *x = sample_new(test, &sample_sleeping, S_IDLE);
	struct blocked_wq *b = blocked_wq_new(test);
	struct fsm_post_node p;

	fsm_set_workqueue(&x->fsm, b->wq);
	KUNIT_ASSERT_EQ(test, fsm_post_init(&p, &x->fsm, E_CLOSE, NULL), 0);
	KUNIT_EXPECT_TRUE(test, fsm_post(&p));
	/* On any other workqueue it would have run by now. */
	msleep(50);
	KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_IDLE);
	complete_all(&b->release);
	fsm_flush(&x->fsm);
	KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_OFF);
	fsm_destroy(&x->fsm);
}

/*
 * F6: fsm_destroy() runs the events still queued, each once, in order,
 * and those their actions post in turn; nothing is dropped.  Posting to
 * the destroyed machine is then refused, with a warning.
 */
static void fsm_test_destroy_runs_posted(struct kunit *test)
{
	struct sample *x = sample_new(test, &sample_sleeping, S_BUSY);
	struct blocked_wq *b = blocked_wq_new(test);
	struct destroyer d;
	struct fsm_post_node p[3];

	fsm_set_workqueue(&x->fsm, b->wq);
	/* DONE(1) runs first and posts DONE(3) itself, behind START(2). */
	KUNIT_ASSERT_EQ(test, fsm_post_init(&p[0], &x->fsm, E_DONE,
					    (void *)1), 0);
	KUNIT_ASSERT_EQ(test, fsm_post_init(&p[1], &x->fsm, E_START,
					    (void *)2), 0);
	KUNIT_ASSERT_EQ(test, fsm_post_init(&p[2], &x->fsm, E_DONE,
					    (void *)3), 0);
	x->chain = &p[2];
	KUNIT_EXPECT_TRUE(test, fsm_post(&p[0]));
	KUNIT_EXPECT_TRUE(test, fsm_post(&p[1]));

	destroy_async(test, &d, &x->fsm);
	/* Destroy waits for the queued events, which wait for the queue. */
	KUNIT_EXPECT_TRUE(test, destroy_waits(&d));
	KUNIT_EXPECT_EQ(test, x->calls, 0);
	complete_all(&b->release);
	destroy_reap(&d);
	KUNIT_EXPECT_EQ(test, x->calls, 3);
	KUNIT_ASSERT_EQ(test, x->nr_log, 2);
	KUNIT_EXPECT_EQ(test, x->log[0], 1);
	KUNIT_EXPECT_EQ(test, x->log[1], 3);
	KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_IDLE);

	expect_report_begin("WARNING", "fsm_post");
	KUNIT_EXPECT_FALSE(test, fsm_post(&p[0]));
	expect_report_end();
}

/* F7: the history keeps the last N transitions, oldest first. */
static void fsm_test_history(struct kunit *test)
{
	static const char want[] =
		"2 IDLE --START--> BUSY = 0\n"
		"3 BUSY --START--> BUSY = -16\n"
		"4 BUSY --DONE--> IDLE = 0\n"
		"5 IDLE --CLOSE--> OFF = 0\n";
	struct sample *x = sample_new(test, &sample_sleeping, S_OFF);
	struct fsm_history_entry h[8];
	struct seq_file m = { };
	unsigned int n;

	KUNIT_EXPECT_EQ(test, fsm_history_read(&x->fsm, h, 8), 0);
	fsm_event(&x->fsm, E_OPEN, NULL);
	fsm_event(&x->fsm, E_DONE, NULL);
	n = fsm_history_read(&x->fsm, h, 8);
	KUNIT_ASSERT_EQ(test, n, 2);
	KUNIT_EXPECT_EQ(test, h[0].seq, 0);
	KUNIT_EXPECT_EQ(test, h[1].result, -EPERM);
	fsm_event(&x->fsm, E_START, NULL);
	fsm_event(&x->fsm, E_START, NULL);
	fsm_event(&x->fsm, E_DONE, NULL);
	fsm_event(&x->fsm, E_CLOSE, NULL);

	/* Six events, a ring of four: the first two have been overwritten. */
	n = fsm_history_read(&x->fsm, h, 8);
	KUNIT_ASSERT_EQ(test, n, 4);
	KUNIT_EXPECT_EQ(test, h[0].seq, 2);
	KUNIT_EXPECT_EQ(test, h[3].seq, 5);
	KUNIT_EXPECT_EQ(test, h[3].from, S_IDLE);
	KUNIT_EXPECT_EQ(test, h[3].to, S_OFF);
	n = fsm_history_read(&x->fsm, h, 2);
	KUNIT_ASSERT_EQ(test, n, 2);
	KUNIT_EXPECT_EQ(test, h[0].seq, 4);

	m.size = 512;
	m.buf = kunit_kzalloc(test, m.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	fsm_history_show(&x->fsm, &m);
	KUNIT_EXPECT_STREQ(test, m.buf, want);
	fsm_destroy(&x->fsm);
}

struct trace_capture {
	unsigned int hits, from, event, to;
	int result;
};

static void probe_transition(void *data, const struct fsm *fsm,
			     unsigned int from, unsigned int event,
			     unsigned int to, int result)
{
	struct trace_capture *c = data;

	if (strcmp(fsm->name, "traced"))
		return;
	c->hits++;
	c->from = from;
	c->event = event;
	c->to = to;
	c->result = result;
}

/* F7: one tracepoint hit per dispatched event, with its outcome. */
static void fsm_test_tracepoint(struct kunit *test)
{
	struct trace_capture c = { };
	struct sample *x = kunit_kzalloc(test, sizeof(*x), GFP_KERNEL);

	if (!IS_ENABLED(CONFIG_TRACEPOINTS))
		kunit_skip(test, "no tracepoints in this kernel");
	KUNIT_ASSERT_NOT_NULL(test, x);
	KUNIT_ASSERT_EQ(test, register_trace_fsm_transition(probe_transition, &c), 0);
	KUNIT_ASSERT_EQ(test, fsm_init(&x->fsm, &sample_sleeping, S_IDLE, "traced"), 0);
	fsm_event(&x->fsm, E_CLOSE, NULL);
	fsm_event(&x->fsm, E_CLOSE, NULL);
	unregister_trace_fsm_transition(probe_transition, &c);
	tracepoint_synchronize_unregister();
	fsm_destroy(&x->fsm);

	KUNIT_EXPECT_EQ(test, c.hits, 2);
	KUNIT_EXPECT_EQ(test, c.from, S_OFF);
	KUNIT_EXPECT_EQ(test, c.event, E_CLOSE);
	KUNIT_EXPECT_EQ(test, c.to, S_OFF);
	KUNIT_EXPECT_EQ(test, c.result, -EPERM);
}

/* F2, F7: the Graphviz view shows declared cells only, by name. */
static void fsm_test_dot(struct kunit *test)
{
	static const char idle_busy[] = "\t\"IDLE\" -> \"BUSY\" [label=\"START\"];\n";
	static const char busy_loop[] =
		"\t\"BUSY\" -> \"BUSY\" [label=\"START\", style=dashed];\n";
	static const char off_idle[] = "\t\"OFF\" -> \"IDLE\" [label=\"OPEN\"];\n";
	struct seq_file m = { .size = 4096 };

	m.buf = kunit_kzalloc(test, m.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	fsm_table_show_dot(&sample_sleeping, &m);
	KUNIT_EXPECT_TRUE(test, str_has_prefix(m.buf, "digraph \"fsm_test\" {\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, idle_busy));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, busy_loop));
	KUNIT_EXPECT_NOT_NULL(test, strstr(m.buf, off_idle));
	/* Default cells are not edges. */
	KUNIT_EXPECT_NULL(test, strstr(m.buf, "label=\"FAIL\"];\n\t\"IDLE\""));
	KUNIT_EXPECT_NULL(test, strstr(m.buf, "\"OFF\" -> \"OFF\""));
	KUNIT_EXPECT_EQ(test, m.buf[m.count - 2], '}');
}

static bool wait_state(struct fsm *fsm, unsigned int state)
{
	int i;

	for (i = 0; i < 200 && fsm_state(fsm) != state; i++)
		usleep_range(5000, 6000);
	return fsm_state(fsm) == state;
}

/* F9: timers deliver their event, for both flavours. */
static void fsm_test_timer(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sample_tables); i++) {
		struct sample *x = sample_new(test, sample_tables[i], S_BUSY);
		struct fsm_timer *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

		KUNIT_ASSERT_NOT_NULL(test, t);
		KUNIT_ASSERT_EQ(test, fsm_timer_init(&x->fsm, t, E_DONE,
						     (void *)42), 0);
		fsm_timer_arm(t, 1);
		KUNIT_EXPECT_TRUE(test, wait_state(&x->fsm, S_IDLE));
		fsm_flush(&x->fsm);
		KUNIT_EXPECT_EQ(test, x->nr_log, 1);
		KUNIT_EXPECT_EQ(test, x->log[0], 42);

		/* A cancelled timer delivers nothing. */
		fsm_event(&x->fsm, E_START, NULL);
		fsm_timer_arm(t, msecs_to_jiffies(100));
		KUNIT_EXPECT_EQ(test, fsm_timer_cancel(t), 1);
		msleep(150);
		fsm_flush(&x->fsm);
		KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_BUSY);

		/*
		 * As an action would, under the instance lock: once the
		 * timer has fired, its event (which the work item may already
		 * be waiting to dispatch) is taken back, never delivered late.
		 */
		if (!sample_tables[i]->flavour) {
			scoped_guard(fsm, &x->fsm) {
				unsigned int n;

				fsm_timer_arm(t, 1);
				for (n = 0; n < 1000 && timer_pending(&t->timer); n++)
					usleep_range(1000, 2000);
				/* Let the work item reach the lock. */
				usleep_range(10000, 20000);
				KUNIT_EXPECT_EQ(test, fsm_timer_cancel(t), 1);
			}
			fsm_flush(&x->fsm);
			KUNIT_EXPECT_EQ(test, fsm_state(&x->fsm), S_BUSY);
			KUNIT_EXPECT_EQ(test, x->nr_log, 1);
		}
		fsm_destroy(&x->fsm);
	}
}

/*
 * F9: a timer that fired before fsm_destroy() has posted its event, and
 * destroy runs that event, once, before it returns; a timer still armed
 * is shut down and never delivers.  The order is forced: the machine's
 * workqueue is held until destroy is waiting on it.  The memory is freed
 * as soon as destroy returns, so a late delivery would be a
 * use-after-free that KASAN (UML) or DEBUG_OBJECTS reports.
 */
static void fsm_test_timer_fired_at_destroy(struct kunit *test)
{
	struct sample *x = kzalloc(sizeof(*x), GFP_KERNEL);
	struct fsm_timer *fired = kzalloc(sizeof(*fired), GFP_KERNEL);
	struct fsm_timer *armed = kzalloc(sizeof(*armed), GFP_KERNEL);
	struct blocked_wq *b = blocked_wq_new(test);
	struct destroyer d;
	unsigned int i;

	KUNIT_ASSERT_TRUE(test, x && fired && armed);
	KUNIT_ASSERT_EQ(test, fsm_init(&x->fsm, &sample_sleeping, S_BUSY,
				       "fired"), 0);
	fsm_set_workqueue(&x->fsm, b->wq);
	KUNIT_ASSERT_EQ(test, fsm_timer_init(&x->fsm, fired, E_DONE,
					     (void *)7), 0);
	KUNIT_ASSERT_EQ(test, fsm_timer_init(&x->fsm, armed, E_DONE,
					     (void *)8), 0);
	fsm_timer_arm(fired, 1);
	fsm_timer_arm(armed, msecs_to_jiffies(200));
	for (i = 0; i < 100 && timer_pending(&fired->timer); i++)
		usleep_range(1000, 2000);
	/* Wait for its callback, if still running. */
	timer_delete_sync(&fired->timer);
	/* It posted: its node is queued, so posting it again is a no-op. */
	KUNIT_EXPECT_FALSE(test, fsm_post(&fired->post));

	destroy_async(test, &d, &x->fsm);
	KUNIT_EXPECT_TRUE(test, destroy_waits(&d));
	KUNIT_EXPECT_EQ(test, x->nr_log, 0);
	complete_all(&b->release);
	destroy_reap(&d);
	KUNIT_EXPECT_FALSE(test, timer_pending(&armed->timer));
	KUNIT_EXPECT_EQ(test, x->nr_log, 1);
	KUNIT_EXPECT_EQ(test, x->log[0], 7);
	kfree(armed);
	kfree(fired);
	kfree(x);
	/* Past the armed timer's expiry. */
	msleep(250);
}

/*
 * F9: destroy against timers at every point of their life (not armed,
 * pending, firing): each delivers at most once, and only before destroy
 * returned (the machine is freed right after, under KASAN on UML).
 */
static void fsm_test_timer_teardown(struct kunit *test)
{
	unsigned int i;

	for (i = 0; i < 40; i++) {
		struct sample *x = kzalloc(sizeof(*x), GFP_KERNEL);
		struct fsm_timer *t = kzalloc(sizeof(*t), GFP_KERNEL);
		unsigned long j;

		KUNIT_ASSERT_NOT_NULL(test, x);
		KUNIT_ASSERT_NOT_NULL(test, t);
		KUNIT_ASSERT_EQ(test, fsm_init(&x->fsm, &sample_sleeping,
					       S_BUSY, "teardown"), 0);
		KUNIT_ASSERT_EQ(test, fsm_timer_init(&x->fsm, t, E_DONE,
						     NULL), 0);
		/* From the start of a tick, destroy at a varying offset. */
		j = jiffies;
		while (!time_after(jiffies, j))
			cpu_relax();
		fsm_timer_arm(t, i % 3);
		udelay((i * 997) % jiffies_to_usecs(1));
		fsm_destroy(&x->fsm);
		/* The real check: KASAN and ODEBUG, on what is freed below. */
		KUNIT_EXPECT_LE(test, x->nr_log, 1);
		/* Re-arming after destroy does nothing. */
		fsm_timer_arm(t, 0);
		KUNIT_EXPECT_FALSE(test, timer_pending(&t->timer));
		kfree(t);
		kfree(x);
	}
	msleep(30);
}

/* Bad input: a destroyed machine answers -ENODEV (and ODEBUG reports). */
static void fsm_test_destroyed(struct kunit *test)
{
	struct sample *x = sample_new(test, &sample_sleeping, S_IDLE);
	int ret;

	fsm_destroy(&x->fsm);
	if (IS_ENABLED(CONFIG_DEBUG_OBJECTS))
		expect_report_begin("ODEBUG", "fsm");
	ret = fsm_event(&x->fsm, E_START, NULL);
	if (IS_ENABLED(CONFIG_DEBUG_OBJECTS))
		expect_report_end();
	KUNIT_EXPECT_EQ(test, ret, -ENODEV);
	KUNIT_EXPECT_EQ(test, x->calls, 0);
}

static int fsm_test_suite_init(struct kunit_suite *suite)
{
	return fsm_kunit_register(sample_tables, ARRAY_SIZE(sample_tables));
}

static void fsm_test_suite_exit(struct kunit_suite *suite)
{
	fsm_kunit_unregister(sample_tables, ARRAY_SIZE(sample_tables));
}

static struct kunit_case fsm_test_cases[] = {
	KUNIT_CASE(fsm_test_table_validation),
	KUNIT_CASE(fsm_test_every_cell),
	KUNIT_CASE(fsm_test_action_result),
	KUNIT_CASE(fsm_test_undeclared_move),
	KUNIT_CASE(fsm_test_bad_event),
	KUNIT_CASE(fsm_test_try_event_eagain),
	KUNIT_CASE(fsm_test_trylock_guard),
	KUNIT_CASE(fsm_test_try_event_atomic),
	KUNIT_CASE(fsm_test_locked_variant),
	KUNIT_CASE(fsm_test_lock_classes),
	KUNIT_CASE(fsm_test_post_order),
	KUNIT_CASE(fsm_test_post_cancel),
	KUNIT_CASE(fsm_test_post_workqueue),
	KUNIT_CASE(fsm_test_destroy_runs_posted),
	KUNIT_CASE(fsm_test_history),
	KUNIT_CASE(fsm_test_tracepoint),
	KUNIT_CASE(fsm_test_dot),
	KUNIT_CASE(fsm_test_timer),
	KUNIT_CASE(fsm_test_timer_fired_at_destroy),
	KUNIT_CASE(fsm_test_timer_teardown),
	KUNIT_CASE(fsm_test_destroyed),
	{}
};

static struct kunit_suite fsm_test_suite = {
	.name = "fsm",
	.suite_init = fsm_test_suite_init,
	.suite_exit = fsm_test_suite_exit,
	.test_cases = fsm_test_cases,
};

kunit_test_suite(fsm_test_suite);

MODULE_DESCRIPTION("KUnit tests for lib/fsm");
MODULE_LICENSE("GPL");
