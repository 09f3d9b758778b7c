/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Table-driven finite state machines for drivers.
 *
 * A machine is described once by a struct fsm_table: states x events ->
 * action, each cell declaring the states its action may move to.  The table
 * is validated and compiled by fsm_table_register().  Instances (struct fsm,
 * embedded in the driver's object) carry the current state and one lock;
 * every action runs under that lock and is the only code that may change
 * the state.  See Documentation in docs/fsm.rst.
 */
#ifndef _LINUX_FSM_H
#define _LINUX_FSM_H

#include <linux/bits.h>
#include <linux/cleanup.h>
#include <linux/lockdep.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/types.h>
#include <linux/workqueue.h>

struct fsm;
struct seq_file;

/*
 * Limits: next states are a u32 mask; history stores ids in a u8, and is
 * copied lock-free in one seqcount read section, which KCSAN treats as
 * atomic for a bounded number of accesses.
 */
#define FSM_MAX_STATES	32
#define FSM_MAX_EVENTS	256
#define FSM_MAX_HISTORY	64

/**
 * typedef fsm_action_fn - action run for one (state, event) cell
 * @fsm: the instance, locked
 * @event: the event being dispatched
 * @arg: the argument given to the dispatch call
 *
 * Runs with the instance lock held.  It may change the state only with
 * fsm_move(), and only to a state its cell declares.  The return value is
 * handed to the caller of the dispatch function unchanged.
 */
typedef int (*fsm_action_fn)(struct fsm *fsm, unsigned int event, void *arg);

/**
 * struct fsm_transition - one cell of a state table, as the driver writes it
 * @state: the state the cell applies to
 * @event: the event the cell applies to
 * @action: run when @event arrives in @state; NULL means "no work": the
 *	machine moves to the single state in @next, or stays if @next is 0
 * @next: states the action may move to, as a mask of BIT(state); staying
 *	in @state needs no declaration
 */
struct fsm_transition {
	unsigned int state;
	unsigned int event;
	fsm_action_fn action;
	u32 next;
};

/**
 * enum fsm_flavour - what kind of lock an instance has
 * @FSM_SLEEPING: a mutex; actions may sleep; dispatch from process context,
 *	or from any context through fsm_post(), which defers the event to
 *	process context
 * @FSM_ATOMIC: an irq-safe spinlock; actions must not sleep; dispatch from
 *	any context, including hard interrupts
 */
enum fsm_flavour {
	FSM_SLEEPING,
	FSM_ATOMIC,
};

struct fsm_table_priv;

/**
 * struct fsm_table - a state machine description
 * @name: name for traces, errors, debugfs and the lockdep class
 * @flavour: lock flavour of every instance of this table
 * @nr_states: number of states, 1 to %FSM_MAX_STATES
 * @nr_events: number of events, 1 to %FSM_MAX_EVENTS
 * @state_names: @nr_states names, indexed by state
 * @event_names: @nr_events names, indexed by event
 * @transitions: the cells, in any order; each (state, event) at most once
 * @nr_transitions: number of entries in @transitions
 * @default_action: action of every cell @transitions leaves empty; it may
 *	not move.  NULL makes empty cells answer -EOPNOTSUPP.
 * @history: length of each instance's transition history ring (0: none,
 *	at most %FSM_MAX_HISTORY)
 * @priv: compiled form, owned by fsm_table_register()
 *
 * The driver fills in everything but @priv, usually statically, and calls
 * fsm_table_register() before the first fsm_init().
 */
struct fsm_table {
	const char *name;
	enum fsm_flavour flavour;
	unsigned int nr_states;
	unsigned int nr_events;
	const char * const *state_names;
	const char * const *event_names;
	const struct fsm_transition *transitions;
	unsigned int nr_transitions;
	fsm_action_fn default_action;
	unsigned int history;
	struct fsm_table_priv *priv;
};

/**
 * struct fsm_history_entry - one dispatched event, as the history keeps it
 * @seq: number of the event in the instance's life, from 0
 * @from: state when the event arrived
 * @event: the event
 * @to: state when its action returned
 * @result: what the action returned
 */
struct fsm_history_entry {
	u64 seq;
	u8 from;
	u8 event;
	u8 to;
	int result;
};

/*
 * A compiled cell (private to lib/fsm; here so that fsm_move() can check
 * a move inline): a row of 1 << shift cells per state.
 */
struct fsm_cell {
	fsm_action_fn action;
	u32 next;		/* states the action may move to */
	s8 auto_to;		/* NULL action: state to move to, or -1 */
	bool declared;		/* from the transition list, not the default */
};

/**
 * struct fsm - one state machine instance
 *
 * Embed it in the driver's object and reach that object from an action
 * with container_of().  All fields are private to lib/fsm; read the state
 * with fsm_state().
 */
struct fsm {
	/* private: */
	const struct fsm_table *table;
	/* copied from the table: what dispatch needs, in this cache line */
	const struct fsm_cell *cells;	/* NULL once destroyed */
	unsigned int nr_events;
	unsigned int shift;		/* log2 of a row's length */
	bool atomic;			/* FSM_ATOMIC flavour */
	union {
		struct mutex mutex;	/* FSM_SLEEPING */
		spinlock_t spin;	/* FSM_ATOMIC */
	} lock;
	unsigned long irqflags;		/* FSM_ATOMIC, saved by fsm_lock() */
	/* written under lock with WRITE_ONCE; lock-free readers: fsm_state() */
	unsigned int state;
	/* protected by lock */
	const struct fsm_cell *cur;	/* cell whose action is running */
	bool move_refused;		/* the running action made a bad move */
	/*
	 * Written under lock inside hist_seq's write section; read without
	 * the lock by fsm_history_read() in hist_seq's read section, so a
	 * reader never makes a dispatch wait or a try dispatch fail.
	 */
	seqcount_t hist_seq;
	u64 seq;			/* events dispatched so far */
	struct fsm_history_entry *history;
	unsigned int history_next;	/* slot the next entry goes to */

	/* posted events and timers */
	spinlock_t post_lock;		/* irq-safe; nests inside lock */
	/* protected by post_lock */
	struct list_head posted;	/* struct fsm_post_node, oldest first */
	struct list_head timers;	/* struct fsm_timer */
	bool closing;			/* fsm_destroy() has begun */
	bool dead;			/* ... and drained: posts refused */
	/* end of post_lock */
	struct workqueue_struct *wq;	/* runs post_work; set before use */
	struct work_struct post_work;

	const char *name;
	struct dentry *debugfs;
};

/**
 * struct fsm_post_node - an event to deliver later, in storage the caller owns
 *
 * Like a work_struct: set up once with fsm_post_init(), embedded in the
 * caller's object, queued with fsm_post() at most once at a time.
 * Because the caller owns the storage, posting never allocates and never
 * fails.  Fields are private.
 */
struct fsm_post_node {
	/* private: */
	struct list_head node;	/* on fsm->posted (post_lock); empty: idle */
	struct fsm *fsm;
	unsigned int event;
	void *arg;
};

/**
 * struct fsm_timer - a timer that delivers an event to a machine
 *
 * Set up with fsm_timer_init(); fields are private.  It must live as long
 * as its machine: fsm_destroy() shuts it down synchronously.
 */
struct fsm_timer {
	/* private: */
	struct timer_list timer;
	struct fsm_post_node post;	/* what it delivers when it fires */
	struct list_head node;	/* on fsm->timers, protected by post_lock */
};

int fsm_table_register(struct fsm_table *table);
void fsm_table_unregister(struct fsm_table *table);

int fsm_init(struct fsm *fsm, const struct fsm_table *table,
	     unsigned int initial, const char *name);
void fsm_destroy(struct fsm *fsm);

int fsm_event(struct fsm *fsm, unsigned int event, void *arg);
int fsm_try_event(struct fsm *fsm, unsigned int event, void *arg);
int __fsm_event(struct fsm *fsm, unsigned int event, void *arg);

int fsm_post_init(struct fsm_post_node *post, struct fsm *fsm,
		  unsigned int event, void *arg);
bool fsm_post(struct fsm_post_node *post);
bool fsm_post_cancel(struct fsm_post_node *post);
void fsm_set_workqueue(struct fsm *fsm, struct workqueue_struct *wq);
void fsm_flush(struct fsm *fsm);

int fsm_move_slow(struct fsm *fsm, unsigned int state);

void fsm_lock(struct fsm *fsm);
bool __fsm_trylock(struct fsm *fsm);
void fsm_unlock(struct fsm *fsm);

/**
 * fsm_trylock() - take the instance lock if it is free, never waiting
 * @f: the instance
 *
 * See __fsm_trylock(); release the lock with fsm_unlock().
 *
 * Return: true with the lock held, false if it was busy.
 */
/* sparse names contexts by token, like RCU's: "fsm" is fsm_lock()'s */
#define fsm_trylock(f) __cond_lock(fsm, __fsm_trylock(f))

DEFINE_GUARD(fsm, struct fsm *, fsm_lock(_T), fsm_unlock(_T))
/* scoped_cond_guard(fsm_try, return -EAGAIN, fsm) { ... __fsm_event() ... } */
DEFINE_GUARD_COND(fsm, _try, __fsm_trylock(_T))

int fsm_timer_init(struct fsm *fsm, struct fsm_timer *timer,
		   unsigned int event, void *arg);
void fsm_timer_arm(struct fsm_timer *timer, unsigned long delay);
int fsm_timer_cancel(struct fsm_timer *timer);

unsigned int fsm_history_read(struct fsm *fsm, struct fsm_history_entry *buf,
			      unsigned int n);
void fsm_history_show(struct fsm *fsm, struct seq_file *m);
void fsm_table_show_dot(const struct fsm_table *table, struct seq_file *m);

const char *fsm_state_name(const struct fsm_table *table, unsigned int state);
const char *fsm_event_name(const struct fsm_table *table, unsigned int event);

/**
 * fsm_lockdep_assert_held() - assert that the instance lock is held
 * @fsm: the instance
 *
 * For a driver whose own data is protected by the instance lock, as the
 * state is: say so where that data is touched.  Free without lockdep.
 */
static inline void fsm_lockdep_assert_held(struct fsm *fsm)
{
	if (fsm->atomic)
		lockdep_assert_held(&fsm->lock.spin);
	else
		lockdep_assert_held(&fsm->lock.mutex);
}

/**
 * fsm_move() - change state from inside an action
 * @fsm: the instance whose action is running
 * @state: the new state
 *
 * @state must be one the running cell declares (or the current state,
 * which is a no-op).  Anything else is refused: the state is left alone,
 * the table's first offence is reported with a warning naming the cell,
 * and the dispatch call returns -EINVAL unless the action returns an
 * error of its own.  Lock-free readers see the new state at once.
 *
 * Context: inside an action (the instance lock is held).
 * Return: 0, or -EINVAL if the move was refused.
 */
static inline int fsm_move(struct fsm *fsm, unsigned int state)
{
	const struct fsm_cell *cell = fsm->cur;

	/* A declared move, the common case, costs no call. */
	if (likely(cell && state < FSM_MAX_STATES && (cell->next & BIT(state)))) {
		fsm_lockdep_assert_held(fsm);
		WRITE_ONCE(fsm->state, state);
		return 0;
	}
	return fsm_move_slow(fsm, state);
}

/**
 * fsm_state() - read the current state without the lock
 * @fsm: the instance
 *
 * The answer may be stale by the time the caller looks at it; decisions
 * that must hold while acting belong in an action, under the lock.
 *
 * Return: the current state.
 */
static inline unsigned int fsm_state(const struct fsm *fsm)
{
	return READ_ONCE(fsm->state);
}

#endif /* _LINUX_FSM_H */
