// SPDX-License-Identifier: GPL-2.0
/*
 * Stress test of lib/fsm: several kthreads fire blocking, try and posted
 * events (the latter from irq-disabled sections) at one machine while
 * others read its state lock-free and a timer delivers its own event.
 * Meant for x86_64 -smp 4 under KCSAN and lockdep (F3, F4, F6, F8, F9);
 * on UML it runs shorter, for lockdep and KASAN.
 *
 * Invariants: every dispatched event ran exactly one action (counted under
 * the lock and compared with what the threads counted on their side), the
 * state is always a declared one, and the run logs no report at all.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/fsm.h>
#include <linux/kthread.h>
#include <linux/prandom.h>

#include "fsm_kunit.h"

enum { S_A, S_B, S_C, S_D, NR_S };
enum { E_GO, E_JUMP, E_FAIL, E_TICK, NR_E };

static const char * const stress_states[NR_S] = { "A", "B", "C", "D" };
static const char * const stress_events[NR_E] = { "GO", "JUMP", "FAIL", "TICK" };

struct stress {
	struct fsm fsm;
	struct fsm_timer timer;
	struct kunit *test;
	unsigned long end;		/* jiffies; workers stop by themselves */
	/* protected by fsm's lock */
	unsigned long actions;		/* GO, JUMP, FAIL and default cells */
	unsigned long ticks;
	unsigned long bad;		/* action found the state out of range */
};

static struct stress *to_stress(struct fsm *fsm)
{
	return container_of(fsm, struct stress, fsm);
}

static int stress_act(struct fsm *fsm, unsigned int event, void *arg)
{
	struct stress *st = to_stress(fsm);
	unsigned int s = fsm_state(fsm);

	if (s >= NR_S)
		st->bad++;
	st->actions++;
	if (event == E_FAIL)
		return -EIO;	/* F5: no move on failure */
	return fsm_move(fsm, (s + event + 1 + (st->actions & 1)) % NR_S);
}

static int stress_default(struct fsm *fsm, unsigned int event, void *arg)
{
	to_stress(fsm)->actions++;
	return -EPERM;
}

static int stress_tick(struct fsm *fsm, unsigned int event, void *arg)
{
	to_stress(fsm)->ticks++;
	return 0;
}

#define ALL GENMASK(NR_S - 1, 0)

static const struct fsm_transition stress_transitions[] = {
	{ S_A, E_GO, stress_act, ALL },
	{ S_A, E_JUMP, stress_act, ALL },
	{ S_A, E_FAIL, stress_act, 0 },
	{ S_A, E_TICK, stress_tick, 0 },
	{ S_B, E_GO, stress_act, ALL },
	{ S_B, E_JUMP, stress_act, ALL },
	{ S_B, E_FAIL, stress_act, 0 },
	{ S_B, E_TICK, stress_tick, 0 },
	{ S_C, E_GO, stress_act, ALL },
	{ S_C, E_JUMP, stress_act, ALL },
	{ S_C, E_FAIL, stress_act, 0 },
	{ S_C, E_TICK, stress_tick, 0 },
	/* D answers GO and FAIL with the default action */
	{ S_D, E_JUMP, stress_act, ALL },
	{ S_D, E_TICK, stress_tick, 0 },
};

#define STRESS_TABLE(_name, _flavour)					\
	{								\
		.name = _name,						\
		.flavour = _flavour,					\
		.nr_states = NR_S,					\
		.nr_events = NR_E,					\
		.state_names = stress_states,				\
		.event_names = stress_events,				\
		.transitions = stress_transitions,			\
		.nr_transitions = ARRAY_SIZE(stress_transitions),	\
		.default_action = stress_default,			\
		.history = 16,						\
		.defer_depth = 8,					\
	}

static struct fsm_table stress_tables[] = {
	STRESS_TABLE("fsm_stress", FSM_SLEEPING),
	STRESS_TABLE("fsm_stress_atomic", FSM_ATOMIC),
};

enum worker_kind { W_EVENT, W_TRY, W_POST, W_READ, NR_KINDS };

struct worker {
	struct stress *st;
	enum worker_kind kind;
	struct completion done;
	/* written by the worker only, read after done */
	unsigned long dispatched;	/* events that reached an action */
	unsigned long busy;		/* -EAGAIN / -ENOSPC */
	unsigned long reads;
};

static int stress_worker(void *data)
{
	struct worker *w = data;
	struct stress *st = w->st;
	struct rnd_state rnd;
	unsigned long flags;
	unsigned int s;
	int ret;

	prandom_seed_state(&rnd, (uintptr_t)w);
	while (time_before(jiffies, st->end)) {
		unsigned int ev = prandom_u32_state(&rnd) % E_TICK;

		switch (w->kind) {
		case W_EVENT:
			fsm_event(&st->fsm, ev, NULL);
			w->dispatched++;
			break;
		case W_TRY:
			ret = fsm_try_event(&st->fsm, ev, NULL);
			if (ret == -EAGAIN)
				w->busy++;
			else
				w->dispatched++;
			break;
		case W_POST:
			local_irq_save(flags);
			ret = fsm_post(&st->fsm, ev, NULL);
			local_irq_restore(flags);
			if (ret == -ENOSPC)
				w->busy++;
			else
				w->dispatched++;
			break;
		default:
			s = fsm_state(&st->fsm);
			KUNIT_EXPECT_LT(st->test, s, NR_S);
			w->reads++;
			break;
		}
		/*
		 * On UP, let the others (the deferral worker above all) in:
		 * UML does not preempt a thread that toggles interrupts.
		 */
		if (!IS_ENABLED(CONFIG_SMP) &&
		    !((w->dispatched + w->busy + w->reads) % 64))
			usleep_range(10, 20);
	}
	complete(&w->done);
	return 0;
}

static void fsm_stress(struct kunit *test, const struct fsm_table *table)
{
	unsigned int ms = IS_ENABLED(CONFIG_SMP) ? 2000 : 300;
	unsigned long sent = 0, busy = 0, reads = 0;
	unsigned int i, nr = 2 * NR_KINDS;
	struct worker *w;
	struct stress *st;

	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	w = kunit_kcalloc(test, nr, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	KUNIT_ASSERT_NOT_NULL(test, w);
	st->test = test;
	st->end = jiffies + msecs_to_jiffies(ms);
	KUNIT_ASSERT_EQ(test, fsm_init(&st->fsm, table, S_A, "stress"), 0);
	fsm_timer_init(&st->fsm, &st->timer, E_TICK, NULL);

	for (i = 0; i < nr; i++) {
		struct task_struct *t;

		w[i].st = st;
		w[i].kind = i % NR_KINDS;
		init_completion(&w[i].done);
		t = kthread_run(stress_worker, &w[i], "fsm-stress/%u", i);
		if (IS_ERR(t)) {
			KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(t));
			complete(&w[i].done);
		}
	}

	/* Meanwhile, keep the timer firing and read the state ourselves. */
	while (time_before(jiffies, st->end)) {
		/* Sleep past the expiry: re-arming a pending timer delays it. */
		fsm_timer_arm(&st->timer, 1);
		KUNIT_EXPECT_LT(test, fsm_state(&st->fsm), NR_S);
		usleep_range(jiffies_to_usecs(2), jiffies_to_usecs(3));
	}
	for (i = 0; i < nr; i++) {
		wait_for_completion(&w[i].done);
		sent += w[i].dispatched;
		busy += w[i].busy;
		reads += w[i].reads;
	}
	fsm_timer_cancel(&st->timer);
	fsm_flush(&st->fsm);

	kunit_info(test, "%s: %lu events, %lu busy answers, %lu ticks, %lu lock-free reads\n",
		   table->name, sent, busy, st->ticks, reads);
	KUNIT_EXPECT_EQ(test, st->actions, sent);
	KUNIT_EXPECT_EQ(test, st->fsm.seq, sent + st->ticks);
	KUNIT_EXPECT_EQ(test, st->bad, 0);
	KUNIT_EXPECT_LT(test, fsm_state(&st->fsm), NR_S);
	KUNIT_EXPECT_GT(test, sent, 0);
	KUNIT_EXPECT_GT(test, st->ticks, 0);
	fsm_destroy(&st->fsm);
}

/* Two cases, not one parameterized: kunit.py mis-parses nested output. */
static void fsm_stress_sleeping(struct kunit *test)
{
	fsm_stress(test, &stress_tables[0]);
}

static void fsm_stress_atomic(struct kunit *test)
{
	fsm_stress(test, &stress_tables[1]);
}

static struct fsm_table *stress_table_list[] = {
	&stress_tables[0], &stress_tables[1],
};

static int fsm_stress_init(struct kunit_suite *suite)
{
	return fsm_kunit_register(stress_table_list,
				  ARRAY_SIZE(stress_table_list));
}

static void fsm_stress_exit(struct kunit_suite *suite)
{
	fsm_kunit_unregister(stress_table_list, ARRAY_SIZE(stress_table_list));
}

static struct kunit_case fsm_stress_cases[] = {
	KUNIT_CASE_SLOW(fsm_stress_sleeping),
	KUNIT_CASE_SLOW(fsm_stress_atomic),
	{}
};

static struct kunit_suite fsm_stress_suite = {
	.name = "fsm_stress",
	.suite_init = fsm_stress_init,
	.suite_exit = fsm_stress_exit,
	.test_cases = fsm_stress_cases,
};

kunit_test_suite(fsm_stress_suite);

MODULE_DESCRIPTION("Stress test for lib/fsm");
MODULE_LICENSE("GPL");
