// SPDX-License-Identifier: GPL-2.0
/*
 * Stress test of lib/fsm: several kthreads fire blocking, try and posted
 * events (the latter from irq-disabled sections) at one machine while
 * others read its state and history lock-free and a timer delivers its
 * own event.  Meant for x86_64 -smp 4 under KCSAN and lockdep (F3, F4,
 * F5, F6, F7, F8, F9); on UML it runs shorter, for lockdep and KASAN.
 *
 * Invariants, each of which a broken engine would violate:
 *  - every event sent reaches exactly one action, once: each carries its
 *    own message, which the action marks; a posted node runs once per
 *    successful fsm_post() and never more;
 *  - the caller gets what that action returned, and it is the result
 *    the table gives for the state the action saw (the right cell ran);
 *  - a try dispatch that answers -EAGAIN ran nothing;
 *  - every history snapshot read lock-free is consistent: consecutive
 *    entries have consecutive numbers and chain (one's "to" is the next
 *    one's "from");
 *  - the number of dispatches the machine counted equals the number of
 *    events sent and ticks delivered;
 *  - the run logs no report at all.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/fsm.h>
#include <linux/kthread.h>
#include <linux/prandom.h>
#include <linux/seq_file.h>

#include "fsm_kunit.h"

enum { S_A, S_B, S_C, S_D, NR_S };
enum { E_GO, E_JUMP, E_FAIL, E_TICK, NR_E };

static const char * const stress_states[NR_S] = { "A", "B", "C", "D" };
static const char * const stress_events[NR_E] = { "GO", "JUMP", "FAIL", "TICK" };

#define HIST	16

/* One event sent, as its action sees it. */
struct msg {
	struct fsm_post_node post;		/* W_POST only */
	/* written by the action under fsm's lock, read by the sender after */
	unsigned long runs;
	unsigned int from;
	int result;
	/* sender only */
	unsigned int event;
	unsigned long queued;		/* fsm_post() returned true */
};

struct stress {
	struct fsm fsm;
	struct fsm_timer timer;
	struct kunit *test;
	unsigned long end;		/* jiffies; workers stop by themselves */
	/* protected by fsm's lock */
	unsigned long actions;		/* GO, JUMP, FAIL and default cells */
	unsigned long ticks;
};

static struct stress *to_stress(struct fsm *fsm)
{
	return container_of(fsm, struct stress, fsm);
}

/* What the table answers to @event in @state. */
static int stress_expected(unsigned int state, unsigned int event)
{
	if (state == S_D && event != E_JUMP)
		return -EPERM;		/* the default action */
	return event == E_FAIL ? -EIO : 0;
}

static int stress_mark(struct fsm *fsm, void *arg, int result)
{
	struct msg *m = arg;

	to_stress(fsm)->actions++;
	m->runs++;
	m->from = fsm_state(fsm);
	m->result = result;
	return result;
}

static int stress_act(struct fsm *fsm, unsigned int event, void *arg)
{
	struct stress *st = to_stress(fsm);
	unsigned int s = fsm_state(fsm);

	if (event == E_FAIL)
		return stress_mark(fsm, arg, -EIO);	/* F5: no move */
	stress_mark(fsm, arg, 0);
	return fsm_move(fsm, (s + event + 1 + (st->actions & 1)) % NR_S);
}

static int stress_default(struct fsm *fsm, unsigned int event, void *arg)
{
	return stress_mark(fsm, arg, -EPERM);
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
		.history = HIST,					\
	}

static struct fsm_table stress_tables[] = {
	STRESS_TABLE("fsm_stress", FSM_SLEEPING),
	STRESS_TABLE("fsm_stress_atomic", FSM_ATOMIC),
};

enum worker_kind { W_EVENT, W_TRY, W_POST, W_READ, NR_KINDS };

#define NR_NODES 4	/* posted messages per W_POST worker, reused */

struct worker {
	struct stress *st;
	enum worker_kind kind;
	struct completion done;
	struct msg nodes[NR_NODES];
	/* written by the worker only, read after done */
	unsigned long sent;		/* events that reached an action */
	unsigned long busy;		/* -EAGAIN, or a node still queued */
	unsigned long reads;
};

/* A message sent synchronously came back from exactly its action. */
static void check_sync(struct kunit *test, struct msg *m, int ret)
{
	KUNIT_EXPECT_EQ(test, m->runs, 1);
	KUNIT_EXPECT_EQ(test, ret, m->result);
	KUNIT_EXPECT_EQ(test, m->result, stress_expected(m->from, m->event));
}

/* F3, F7: a lock-free history snapshot is consistent. */
static void check_history(struct kunit *test, struct fsm *fsm)
{
	struct fsm_history_entry h[HIST];
	unsigned int i, n = fsm_history_read(fsm, h, HIST);

	for (i = 1; i < n; i++) {
		KUNIT_EXPECT_EQ(test, h[i].seq, h[i - 1].seq + 1);
		KUNIT_EXPECT_EQ(test, h[i].from, h[i - 1].to);
	}
}

static void stress_one(struct worker *w, struct rnd_state *rnd)
{
	struct stress *st = w->st;
	struct kunit *test = st->test;
	unsigned int ev = prandom_u32_state(rnd) % E_TICK;
	struct msg m = { .event = ev };
	unsigned long flags;
	struct msg *node;
	int ret;

	switch (w->kind) {
	case W_EVENT:
		check_sync(test, &m, fsm_event(&st->fsm, ev, &m));
		w->sent++;
		break;
	case W_TRY:
		ret = fsm_try_event(&st->fsm, ev, &m);
		if (ret == -EAGAIN) {
			KUNIT_EXPECT_EQ(test, m.runs, 0);
			w->busy++;
		} else {
			check_sync(test, &m, ret);
			w->sent++;
		}
		break;
	case W_POST:
		node = &w->nodes[prandom_u32_state(rnd) % NR_NODES];
		local_irq_save(flags);
		ret = fsm_post(&node->post);
		local_irq_restore(flags);
		if (ret) {
			node->queued++;
			w->sent++;
		} else {
			w->busy++;	/* still queued: it will run once */
		}
		break;
	default:
		check_history(test, &st->fsm);
		w->reads++;
		break;
	}
}

static int stress_worker(void *data)
{
	struct worker *w = data;
	struct rnd_state rnd;

	prandom_seed_state(&rnd, (uintptr_t)w);
	while (time_before(jiffies, w->st->end)) {
		stress_one(w, &rnd);
		/*
		 * On UP, let the others (the posting worker above all) in:
		 * UML does not preempt a thread that toggles interrupts.
		 */
		if (!IS_ENABLED(CONFIG_SMP) &&
		    !((w->sent + w->busy + w->reads) % 64))
			usleep_range(10, 20);
	}
	complete(&w->done);
	return 0;
}

static void fsm_stress(struct kunit *test, const struct fsm_table *table)
{
	unsigned int ms = IS_ENABLED(CONFIG_SMP) ? 2000 : 300;
	unsigned long sent = 0, busy = 0, reads = 0;
	unsigned int i, j, nr = 2 * NR_KINDS;
	struct worker *w;
	struct stress *st;

	st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	w = kunit_kcalloc(test, nr, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st);
	KUNIT_ASSERT_NOT_NULL(test, w);
	st->test = test;
	st->end = jiffies + msecs_to_jiffies(ms);
	KUNIT_ASSERT_EQ(test, fsm_init(&st->fsm, table, S_A, "stress"), 0);
	KUNIT_ASSERT_EQ(test, fsm_timer_init(&st->fsm, &st->timer, E_TICK,
					     NULL), 0);

	/* Everything that may ASSERT before the first thread starts. */
	for (i = 0; i < nr; i++) {
		w[i].st = st;
		w[i].kind = i % NR_KINDS;
		init_completion(&w[i].done);
		for (j = 0; j < NR_NODES; j++) {
			struct msg *m = &w[i].nodes[j];

			m->event = (i + j) % E_TICK;
			KUNIT_ASSERT_EQ(test, fsm_post_init(&m->post, &st->fsm,
							    m->event, m), 0);
		}
	}
	for (i = 0; i < nr; i++) {
		struct task_struct *t;

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
		usleep_range(jiffies_to_usecs(2), jiffies_to_usecs(3));
	}
	for (i = 0; i < nr; i++) {
		wait_for_completion(&w[i].done);
		sent += w[i].sent;
		busy += w[i].busy;
		reads += w[i].reads;
	}
	fsm_timer_cancel(&st->timer);
	fsm_flush(&st->fsm);

	/* F6: each successful post ran exactly once, with its own result. */
	for (i = 0; i < nr; i++) {
		for (j = 0; j < NR_NODES; j++) {
			struct msg *m = &w[i].nodes[j];

			KUNIT_EXPECT_EQ(test, m->runs, m->queued);
			if (m->runs)
				KUNIT_EXPECT_EQ(test, m->result,
						stress_expected(m->from,
								m->event));
		}
	}
	kunit_info(test, "%s: %lu events, %lu busy answers, %lu ticks, %lu lock-free reads\n",
		   table->name, sent, busy, st->ticks, reads);
	KUNIT_EXPECT_EQ(test, st->actions, sent);
	KUNIT_EXPECT_EQ(test, st->fsm.seq, sent + st->ticks);
	KUNIT_EXPECT_GT(test, sent, 0);
	KUNIT_EXPECT_GT(test, st->ticks, 0);
	KUNIT_EXPECT_GT(test, reads, 0);
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

struct reader {
	struct fsm *fsm;
	struct seq_file m;
	unsigned long reads;		/* reader only, read after stop */
};

static int history_reader(void *data)
{
	struct reader *r = data;

	while (!kthread_should_stop()) {
		/* What debugfs's history and state files run. */
		r->m.count = 0;
		fsm_history_show(r->fsm, &r->m);
		fsm_state(r->fsm);
		r->reads++;
		cond_resched();
	}
	return 0;
}

/*
 * F3, F4, CR15: readers of the state and the history take no lock, so a
 * try dispatch on a machine nothing else dispatches to never answers
 * -EAGAIN, however hard they read.
 */
static void fsm_stress_readers_never_block(struct kunit *test)
{
	const unsigned int loops = IS_ENABLED(CONFIG_SMP) ? 200000 : 20000;
	struct stress *st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);
	struct reader *r = kunit_kzalloc(test, 2 * sizeof(*r), GFP_KERNEL);
	struct task_struct *t[2] = { };
	unsigned long eagain = 0;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, st);
	KUNIT_ASSERT_NOT_NULL(test, r);
	KUNIT_ASSERT_EQ(test, fsm_init(&st->fsm, &stress_tables[0], S_A,
				       "readers"), 0);
	for (i = 0; i < 2; i++) {
		r[i].fsm = &st->fsm;
		r[i].m.size = 4096;
		r[i].m.buf = kunit_kzalloc(test, r[i].m.size, GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, r[i].m.buf);
	}
	/* No ASSERT once a reader runs: it would be left running. */
	for (i = 0; i < 2; i++) {
		t[i] = kthread_run(history_reader, &r[i], "fsm-reader/%u", i);
		if (IS_ERR(t[i])) {
			KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(t[i]));
			t[i] = NULL;
		} else {
			get_task_struct(t[i]);
		}
	}
	for (i = 0; i < loops; i++) {
		eagain += fsm_try_event(&st->fsm, E_TICK, NULL) == -EAGAIN;
		if (!IS_ENABLED(CONFIG_SMP) && !(i % 256))
			usleep_range(10, 20);	/* let the readers run */
	}
	for (i = 0; i < 2; i++) {
		if (!t[i])
			continue;
		kthread_stop(t[i]);
		put_task_struct(t[i]);
	}
	kunit_info(test, "%u try events, %lu + %lu history reads, %lu -EAGAIN\n",
		   loops, r[0].reads, r[1].reads, eagain);
	KUNIT_EXPECT_EQ(test, eagain, 0);
	KUNIT_EXPECT_GT(test, r[0].reads + r[1].reads, 0);
	KUNIT_EXPECT_EQ(test, st->ticks, loops);
	fsm_destroy(&st->fsm);
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
	KUNIT_CASE_SLOW(fsm_stress_readers_never_block),
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
