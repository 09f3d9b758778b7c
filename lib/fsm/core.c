// SPDX-License-Identifier: GPL-2.0
/*
 * lib/fsm mechanism: table compilation, instances, dispatch, posted
 * events and timers.
 *
 * Locking, in one place:
 *  - fsm->lock (mutex or irq-safe spinlock, by table flavour) serializes
 *    every action of an instance and is the only lock under which the state,
 *    the history and the running-cell pointer change.  Only dispatch takes
 *    it: readers of the state (fsm_state()) and of the history
 *    (fsm_history_read(), a seqcount read section) never do, so -EAGAIN
 *    from a try dispatch always means "another event is being dispatched".
 *  - fsm->post_lock (irq-safe spinlock) protects the list of posted
 *    events, the timer list and the closing/dead flags.  It nests inside
 *    fsm->lock (an action may post, to its own machine too) and is never
 *    held while an action runs.
 *  - Posted events run from fsm->post_work, one at a time, in posting
 *    order, each through fsm_event().  Posting never fails: the caller
 *    owns the node (struct fsm_post_node) and a node is queued at most once.
 */

#include <linux/bitops.h>
#include <linux/debugfs.h>
#include <linux/debugobjects.h>
#include <linux/export.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/ratelimit.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"
#include "trace.h"

static const struct debug_obj_descr fsm_debug_descr = {
	.name = "fsm",
};

static int fsm_table_check(const struct fsm_table *t)
{
	if (!t->name || !t->state_names || !t->event_names ||
	    (!t->transitions && t->nr_transitions)) {
		pr_err("fsm: table %s: name, state/event names and transitions are required\n",
		       t->name ?: "(null)");
		return -EINVAL;
	}
	if (!t->nr_states || t->nr_states > FSM_MAX_STATES ||
	    !t->nr_events || t->nr_events > FSM_MAX_EVENTS) {
		pr_err("fsm: table %s: %u states and %u events, limits are 1..%u and 1..%u\n",
		       t->name, t->nr_states, t->nr_events, FSM_MAX_STATES,
		       FSM_MAX_EVENTS);
		return -EINVAL;
	}
	if (t->history > FSM_MAX_HISTORY) {
		pr_err("fsm: table %s: history of %u, limit is %u\n", t->name,
		       t->history, FSM_MAX_HISTORY);
		return -EINVAL;
	}
	if (t->flavour != FSM_SLEEPING && t->flavour != FSM_ATOMIC) {
		pr_err("fsm: table %s: unknown lock flavour %d\n", t->name,
		       t->flavour);
		return -EINVAL;
	}
	return 0;
}

/* Check one transition against the table and the cells filled so far. */
static int fsm_transition_check(const struct fsm_table *t,
				const struct fsm_cell *cells, unsigned int shift,
				unsigned int i)
{
	const struct fsm_transition *tr = &t->transitions[i];
	u32 states = GENMASK(t->nr_states - 1, 0);

	if (tr->state >= t->nr_states || tr->event >= t->nr_events) {
		pr_err("fsm: table %s: transition %u: state %u or event %u out of range\n",
		       t->name, i, tr->state, tr->event);
		return -EINVAL;
	}
	if (tr->next & ~states) {
		pr_err("fsm: table %s: transition %u (%s, %s): next states 0x%x are not states of the table\n",
		       t->name, i, t->state_names[tr->state],
		       t->event_names[tr->event], tr->next & ~states);
		return -EINVAL;
	}
	if (!tr->action && hweight32(tr->next) > 1) {
		pr_err("fsm: table %s: transition %u (%s, %s): no action but several next states\n",
		       t->name, i, t->state_names[tr->state],
		       t->event_names[tr->event]);
		return -EINVAL;
	}
	if (cells[(tr->state << shift) + tr->event].declared) {
		pr_err("fsm: table %s: transition %u: cell (%s, %s) given twice\n",
		       t->name, i, t->state_names[tr->state],
		       t->event_names[tr->event]);
		return -EEXIST;
	}
	return 0;
}

/**
 * fsm_table_register() - validate and compile a state table
 * @table: the table; everything but @table->priv filled in
 *
 * Checks the limits, that every transition names a state and an event of
 * the table, that no cell is given twice, that next states are states of
 * the table and that a cell without an action declares at most one next
 * state.  The first problem found is logged with the names involved.
 * Cells the list leaves empty get @table->default_action.
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for a malformed table, -EEXIST for a duplicate cell,
 * -EBUSY if @table is already registered, -ENOMEM.
 */
int fsm_table_register(struct fsm_table *table)
{
	struct fsm_table_priv *priv;
	struct fsm_cell *cells;
	unsigned int i, s, e, shift;
	int ret;

	if (table->priv)
		return -EBUSY;
	ret = fsm_table_check(table);
	if (ret)
		return ret;

	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	shift = order_base_2(table->nr_events);
	cells = kcalloc(table->nr_states << shift, sizeof(*cells), GFP_KERNEL);
	if (!cells) {
		kfree(priv);
		return -ENOMEM;
	}

	for (i = 0; i < table->nr_transitions; i++) {
		const struct fsm_transition *tr = &table->transitions[i];
		struct fsm_cell *c;

		ret = fsm_transition_check(table, cells, shift, i);
		if (ret) {
			kfree(cells);
			kfree(priv);
			return ret;
		}
		c = &cells[(tr->state << shift) + tr->event];
		c->action = tr->action;
		c->next = tr->next;
		c->auto_to = (!tr->action && tr->next) ? __ffs(tr->next) : -1;
		c->declared = true;
	}
	for (s = 0; s < table->nr_states; s++) {
		for (e = 0; e < table->nr_events; e++) {
			struct fsm_cell *c = &cells[(s << shift) + e];

			if (!c->declared) {
				c->action = table->default_action;
				c->auto_to = -1;
			}
		}
	}

	priv->cells = cells;
	priv->shift = shift;
	atomic_set(&priv->instances, 0);
	lockdep_register_key(&priv->key);
	lockdep_register_key(&priv->work_key);
	lockdep_register_key(&priv->hist_key);
	table->priv = priv;
	fsm_debugfs_add_table(table);
	return 0;
}
EXPORT_SYMBOL_GPL(fsm_table_register);

/**
 * fsm_table_unregister() - release what fsm_table_register() built
 * @table: a registered table with no live instance
 *
 * With instances still alive it warns and keeps everything (a leak, not
 * a use-after-free: they would dispatch into freed cells).
 *
 * Context: process context; may sleep.
 */
void fsm_table_unregister(struct fsm_table *table)
{
	struct fsm_table_priv *priv = table->priv;

	if (!priv)
		return;
	if (WARN(atomic_read(&priv->instances),
		 "fsm: table %s unregistered with %d live instances\n",
		 table->name, atomic_read(&priv->instances)))
		return;
	debugfs_remove_recursive(priv->debugfs);
	lockdep_unregister_key(&priv->hist_key);
	lockdep_unregister_key(&priv->work_key);
	lockdep_unregister_key(&priv->key);
	table->priv = NULL;
	kfree(priv->cells);
	kfree(priv);
}
EXPORT_SYMBOL_GPL(fsm_table_unregister);

static void fsm_post_work(struct work_struct *work);

/**
 * fsm_init() - set up a state machine instance
 * @fsm: the instance, usually embedded in the driver's object
 * @table: a registered table
 * @initial: the state to start in
 * @name: instance name for debugfs and errors (copied)
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for an unregistered table or a bad @initial; -ENOMEM.
 */
int fsm_init(struct fsm *fsm, const struct fsm_table *table,
	     unsigned int initial, const char *name)
{
	struct fsm_table_priv *priv = table->priv;

	if (!priv || initial >= table->nr_states)
		return -EINVAL;

	memset(fsm, 0, sizeof(*fsm));
	fsm->name = kstrdup(name ?: table->name, GFP_KERNEL);
	if (!fsm->name)
		return -ENOMEM;
	if (table->history) {
		fsm->history = kcalloc(table->history, sizeof(*fsm->history),
				       GFP_KERNEL);
		if (!fsm->history)
			goto nomem;
	}

	if (table->flavour == FSM_SLEEPING) {
		mutex_init(&fsm->lock.mutex);
		lockdep_set_class_and_name(&fsm->lock.mutex, &priv->key,
					   table->name);
	} else {
		spin_lock_init(&fsm->lock.spin);
		lockdep_set_class_and_name(&fsm->lock.spin, &priv->key,
					   table->name);
	}
	__seqcount_init(&fsm->hist_seq, "fsm_history", &priv->hist_key);
	spin_lock_init(&fsm->post_lock);
	INIT_LIST_HEAD(&fsm->posted);
	INIT_LIST_HEAD(&fsm->timers);
	fsm->wq = system_wq;
	/* Keep DEBUG_OBJECTS informed of where the work item lives. */
	__INIT_WORK_KEY(&fsm->post_work, fsm_post_work,
			object_is_on_stack(fsm), &priv->work_key);
	fsm->state = initial;
	fsm->table = table;
	fsm->cells = priv->cells;
	fsm->nr_events = table->nr_events;
	fsm->shift = priv->shift;
	fsm->atomic = table->flavour == FSM_ATOMIC;
	atomic_inc(&priv->instances);
	if (object_is_on_stack(fsm))
		debug_object_init_on_stack(fsm, &fsm_debug_descr);
	else
		debug_object_init(fsm, &fsm_debug_descr);
	debug_object_activate(fsm, &fsm_debug_descr);
	fsm_debugfs_add(fsm);
	return 0;

nomem:
	kfree(fsm->history);
	kfree(fsm->name);
	return -ENOMEM;
}
EXPORT_SYMBOL_GPL(fsm_init);

/* Drained: nothing queued, so refuse posts from now on.  Else run more. */
static bool fsm_drained(struct fsm *fsm)
{
	unsigned long flags;
	bool drained;

	spin_lock_irqsave(&fsm->post_lock, flags);
	drained = list_empty(&fsm->posted);
	if (drained)
		fsm->dead = true;
	spin_unlock_irqrestore(&fsm->post_lock, flags);
	return drained;
}

/**
 * fsm_destroy() - tear an instance down
 * @fsm: the instance
 *
 * In order:
 *
 * 1. Shuts its timers down, waiting for a running timer callback.  A
 *    timer that fired has posted its event, which step 2 runs; timers
 *    never fire again and fsm_timer_arm() does nothing from here on.
 * 2. Runs every posted event still queued, through the machine's
 *    workqueue as usual, and those that their actions post in turn,
 *    until none is left.  No queued event is dropped: each one queued
 *    when fsm_destroy() begins, or posted by the actions it runs, is
 *    dispatched exactly once (an action that posts itself for ever
 *    keeps fsm_destroy() waiting for ever).
 * 3. Refuses further posts (fsm_post() then warns and returns false),
 *    removes the debugfs files and frees what fsm_init() allocated.
 *    Afterwards every dispatch on @fsm fails with -ENODEV (and is
 *    reported under DEBUG_OBJECTS).
 *
 * The caller must have stopped its own event sources (interrupt handlers,
 * other threads) first, and keeps the machine's workqueue alive until this
 * returns.  Actions run by step 2 see a machine that is still whole.
 *
 * Context: process context; may sleep.  Not from an action of @fsm, nor
 * from its workqueue.
 */
void fsm_destroy(struct fsm *fsm)
{
	struct fsm_timer *t, *tmp;
	LIST_HEAD(timers);

	if (!fsm->table)
		return;
	debug_object_assert_init(fsm, &fsm_debug_descr);

	/* No timer can be added from here on; the armed ones are stopped. */
	scoped_guard(spinlock_irqsave, &fsm->post_lock) {
		fsm->closing = true;
		list_splice_init(&fsm->timers, &timers);
	}
	/* Synchronously: a timer still running would post to freed memory. */
	list_for_each_entry_safe(t, tmp, &timers, node) {
		timer_shutdown_sync(&t->timer);
		list_del_init(&t->node);
	}
	/*
	 * flush_work() waits for the work as it was queued when called; an
	 * action it runs may post again and requeue it, hence the loop.
	 */
	do {
		flush_work(&fsm->post_work);
	} while (!fsm_drained(fsm));
	/* Idle now, and nothing can queue it again. */
	cancel_work_sync(&fsm->post_work);
	destroy_work_on_stack(&fsm->post_work);

	debugfs_remove_recursive(fsm->debugfs);
	fsm->debugfs = NULL;
	atomic_dec(&fsm->table->priv->instances);
	debug_object_deactivate(fsm, &fsm_debug_descr);
	debug_object_free(fsm, &fsm_debug_descr);
	kfree(fsm->history);
	kfree(fsm->name);
	fsm->history = NULL;
	fsm->name = NULL;
	fsm->cells = NULL;
	fsm->table = NULL;
}
EXPORT_SYMBOL_GPL(fsm_destroy);

/* Common entry checks: a live machine and an event of its table. */
static __always_inline int fsm_check(struct fsm *fsm, unsigned int event)
{
	debug_object_assert_init(fsm, &fsm_debug_descr);
	if (unlikely(!fsm->cells))
		return -ENODEV;
	if (unlikely(event >= fsm->nr_events))
		return -EINVAL;
	return 0;
}

/* Account one dispatched event; called with the instance lock held. */
static __always_inline void fsm_record(struct fsm *fsm, unsigned int from,
				       unsigned int event, int result)
{
	unsigned int to = fsm->state;

	if (fsm->history) {
		unsigned int len = fsm->table->history;

		/*
		 * Readers spin while a write section is open: it must not be
		 * preempted (a mutex holder could be).  Readers are never in
		 * interrupt context, so it need not block interrupts.
		 */
		preempt_disable();
		write_seqcount_begin(&fsm->hist_seq);
		fsm->history[fsm->history_next] = (struct fsm_history_entry){
			.seq = fsm->seq,
			.from = from,
			.event = event,
			.to = to,
			.result = result,
		};
		/* no division on the dispatch path */
		if (++fsm->history_next == len)
			fsm->history_next = 0;
		fsm->seq++;
		write_seqcount_end(&fsm->hist_seq);
		preempt_enable();
	} else {
		fsm->seq++;
	}
	trace_fsm_transition(fsm, from, event, to, result);
}

/* The dispatcher proper; the caller holds fsm->lock. */
static __always_inline int fsm_dispatch(struct fsm *fsm, unsigned int event, void *arg)
{
	unsigned int from = fsm->state;
	const struct fsm_cell *cell = &fsm->cells[(from << fsm->shift) + event];
	int ret = 0;

	fsm_lockdep_assert_held(fsm);
	fsm->cur = cell;
	fsm->move_refused = false;
	if (cell->action)
		ret = cell->action(fsm, event, arg);
	else if (cell->auto_to >= 0)
		WRITE_ONCE(fsm->state, cell->auto_to);
	else if (!cell->declared)
		ret = -EOPNOTSUPP;
	/* A refused move is an error even if the action did not notice. */
	if (fsm->move_refused && ret >= 0)
		ret = -EINVAL;
	fsm->cur = NULL;
	fsm_record(fsm, from, event, ret);
	return ret;
}

/* Take the instance lock, or give up at once if @try, and dispatch. */
static __always_inline int
fsm_lock_dispatch(struct fsm *fsm, unsigned int event, void *arg, bool try)
{
	unsigned long flags;
	int ret;

	ret = fsm_check(fsm, event);
	if (ret)
		return ret;
	if (!fsm->atomic) {
		if (!try)
			mutex_lock(&fsm->lock.mutex);
		else if (!mutex_trylock(&fsm->lock.mutex))
			return -EAGAIN;
		ret = fsm_dispatch(fsm, event, arg);
		mutex_unlock(&fsm->lock.mutex);
		return ret;
	}
	if (!try)
		spin_lock_irqsave(&fsm->lock.spin, flags);
	else if (!spin_trylock_irqsave(&fsm->lock.spin, flags))
		return -EAGAIN;
	ret = fsm_dispatch(fsm, event, arg);
	spin_unlock_irqrestore(&fsm->lock.spin, flags);
	return ret;
}

/**
 * fsm_event() - dispatch an event, waiting for the instance lock
 * @fsm: the instance
 * @event: the event
 * @arg: passed to the action
 *
 * Context: %FSM_SLEEPING: process context, may sleep.  %FSM_ATOMIC: any
 * context.
 * Return: what the action returned; -EOPNOTSUPP for an empty cell of a
 * table without default action; -EINVAL for an event out of range or an
 * action that tried an undeclared move; -ENODEV for a destroyed machine.
 */
int fsm_event(struct fsm *fsm, unsigned int event, void *arg)
{
	return fsm_lock_dispatch(fsm, event, arg, false);
}
EXPORT_SYMBOL_GPL(fsm_event);

/**
 * fsm_try_event() - dispatch an event if the instance lock is free
 * @fsm: the instance
 * @event: the event
 * @arg: passed to the action
 *
 * Never sleeps and never spins: if another context holds the lock (an
 * action is running) the answer is -EAGAIN at once and nothing is
 * dispatched.  This is the contract for userspace-facing paths that let
 * the caller retry.
 *
 * Context: %FSM_SLEEPING: process context (the mutex owner must be a
 * task).  %FSM_ATOMIC: any context.
 * Return: -EAGAIN if busy, else as fsm_event().
 */
int fsm_try_event(struct fsm *fsm, unsigned int event, void *arg)
{
	return fsm_lock_dispatch(fsm, event, arg, true);
}
EXPORT_SYMBOL_GPL(fsm_try_event);

/**
 * __fsm_event() - dispatch an event with the instance lock already held
 * @fsm: the instance, locked with fsm_lock() by the caller
 * @event: the event
 * @arg: passed to the action
 *
 * For callers that must do more than one thing atomically with respect to
 * the machine.  Not for use from inside an action of the same machine.
 *
 * Context: holds the instance lock (asserted under lockdep).
 * Return: as fsm_event().
 */
int __fsm_event(struct fsm *fsm, unsigned int event, void *arg)
{
	int ret;

	ret = fsm_check(fsm, event);
	if (ret)
		return ret;
	if (WARN_ON_ONCE(fsm->cur))
		return -EDEADLK;
	return fsm_dispatch(fsm, event, arg);
}
EXPORT_SYMBOL_GPL(__fsm_event);

/**
 * fsm_move_slow() - the checking path of fsm_move()
 * @fsm: the instance whose action is running
 * @state: the new state
 *
 * Called by fsm_move() for everything but a declared move; not for
 * direct use.
 *
 * Context: inside an action (the instance lock is held).
 * Return: as fsm_move().
 */
int fsm_move_slow(struct fsm *fsm, unsigned int state)
{
	const struct fsm_cell *cell = fsm->cur;

	fsm_lockdep_assert_held(fsm);
	if (WARN_ON_ONCE(!cell))
		return -EINVAL;
	if (state == fsm->state)
		return 0;
	if (state >= fsm->table->nr_states || !(cell->next & BIT(state))) {
		fsm->move_refused = true;
		fsm_report_bad_move(fsm, state);
		return -EINVAL;
	}
	WRITE_ONCE(fsm->state, state);
	return 0;
}
EXPORT_SYMBOL_GPL(fsm_move_slow);

/**
 * fsm_lock() - take the instance lock
 * @fsm: the instance
 *
 * For __fsm_event() and for reading machine-protected data consistently
 * with the state.  On %FSM_ATOMIC machines interrupts are disabled until
 * fsm_unlock().  guard(fsm)(fsm) does both.
 *
 * Context: %FSM_SLEEPING: process context, may sleep.
 */
void fsm_lock(struct fsm *fsm)
	__acquires(fsm)
{
	unsigned long flags;

	if (!fsm->atomic) {
		mutex_lock(&fsm->lock.mutex);
		__acquire(fsm);	/* sparse counts spinlocks only */
	} else {
		spin_lock_irqsave(&fsm->lock.spin, flags);
		fsm->irqflags = flags;
	}
}
EXPORT_SYMBOL_GPL(fsm_lock);

/**
 * __fsm_trylock() - take the instance lock if it is free
 * @fsm: the instance
 *
 * Use fsm_trylock(), which tells sparse about the lock; this is what it
 * calls.
 *
 * The locking half of fsm_try_event(), for callers that must do more
 * than one thing under the lock and answer -EAGAIN at once when another
 * event is being dispatched, usually through the conditional guard::
 *
 *	scoped_cond_guard(fsm_try, return -EAGAIN, fsm) {
 *		...
 *		ret = __fsm_event(fsm, EV, arg);
 *		...
 *	}
 *
 * Nothing in lib/fsm but a dispatch holds the lock (state and history
 * readers do not), so failure means an event is being dispatched, or
 * that the driver holds the lock itself (fsm_lock()).
 *
 * Context: %FSM_SLEEPING: process context, never sleeps.  %FSM_ATOMIC:
 * any context.
 * Return: true with the lock held (release it with fsm_unlock()), false
 * if it was busy.
 */
bool __fsm_trylock(struct fsm *fsm)
{
	unsigned long flags;

	if (!fsm->atomic)
		return mutex_trylock(&fsm->lock.mutex);
	if (!spin_trylock_irqsave(&fsm->lock.spin, flags))
		return false;
	fsm->irqflags = flags;
	/* To sparse, fsm_trylock()'s __cond_lock() is what takes it. */
	__release(&fsm->lock.spin);
	return true;
}
EXPORT_SYMBOL_GPL(__fsm_trylock);

/**
 * fsm_unlock() - release the instance lock taken by fsm_lock()
 * @fsm: the instance
 *
 * Also releases a lock taken by a successful fsm_trylock().
 */
void fsm_unlock(struct fsm *fsm)
	__releases(fsm)
{
	if (!fsm->atomic) {
		__release(fsm);
		mutex_unlock(&fsm->lock.mutex);
	} else {
		spin_unlock_irqrestore(&fsm->lock.spin, fsm->irqflags);
	}
}
EXPORT_SYMBOL_GPL(fsm_unlock);

/*
 * Take the oldest posted event off the list, with the instance lock held:
 * from then on its dispatch has begun, and an action (which holds that
 * lock) can never see it taken yet undelivered, so its fsm_post_cancel()
 * always wins.  The node is idle again before its action runs, so the
 * action (or an interrupt meanwhile) may post it anew, and its owner may
 * reuse it from here on.
 */
static bool fsm_post_pop(struct fsm *fsm, unsigned int *event, void **arg)
{
	struct fsm_post_node *post;
	unsigned long flags;

	spin_lock_irqsave(&fsm->post_lock, flags);
	post = list_first_entry_or_null(&fsm->posted, struct fsm_post_node, node);
	if (post) {
		list_del_init(&post->node);
		*event = post->event;
		*arg = post->arg;
	}
	spin_unlock_irqrestore(&fsm->post_lock, flags);
	return post;
}

/* Run posted events one at a time, oldest first. */
static void fsm_post_work(struct work_struct *work)
{
	struct fsm *fsm = container_of(work, struct fsm, post_work);
	unsigned int event;
	bool more;
	void *arg;

	do {
		fsm_lock(fsm);
		more = fsm_post_pop(fsm, &event, &arg);
		if (more)
			__fsm_event(fsm, event, arg);
		fsm_unlock(fsm);
		cond_resched();
	} while (more);
}

/**
 * fsm_post_init() - set up an event node for fsm_post()
 * @post: the node, in storage the caller owns for as long as it may be
 *	queued (usually embedded next to the machine)
 * @fsm: the instance the event goes to
 * @event: the event to deliver
 * @arg: passed to the action
 *
 * Context: any.  Not on a node that may be queued.
 * Return: 0; -EINVAL for an event out of range or a destroyed machine,
 * in which case fsm_post() on @post does nothing but warn.
 */
int fsm_post_init(struct fsm_post_node *post, struct fsm *fsm,
		  unsigned int event, void *arg)
{
	int ret = fsm_check(fsm, event);

	INIT_LIST_HEAD(&post->node);
	post->fsm = ret ? NULL : fsm;
	post->event = event;
	post->arg = arg;
	return ret ? -EINVAL : 0;
}
EXPORT_SYMBOL_GPL(fsm_post_init);

/**
 * fsm_post() - deliver an event later, from process context
 * @post: a node set up by fsm_post_init()
 *
 * Queues @post's event on its machine; a work item on the machine's
 * workqueue (fsm_set_workqueue()) dispatches queued events one at a
 * time, in posting order, with fsm_event(), on either lock flavour.
 * Their results go to the history and the tracepoint.  Events
 * dispatched directly may overtake queued ones.
 *
 * Like queue_work(), posting a node that is already queued does nothing
 * and says so: its event will be dispatched once.  A node is idle again
 * from the moment its dispatch begins, so its action may post it anew.
 * Posting allocates nothing and cannot fail; only a caller bug makes it
 * refuse (with a warning): a node whose fsm_post_init() failed, or a
 * machine that fsm_destroy() has finished draining.
 *
 * Context: any, hard interrupts included.
 * Return: true if @post was queued, false if it already was (or in the
 * caller bugs above).
 */
bool fsm_post(struct fsm_post_node *post)
{
	struct fsm *fsm = post->fsm;
	unsigned long flags;
	bool queued = false;

	if (WARN_ON_ONCE(!fsm))
		return false;
	spin_lock_irqsave(&fsm->post_lock, flags);
	/* Every time, rate-limited: each is a teardown-order bug. */
	if (WARN_RATELIMIT(fsm->dead,
			   "fsm: event %u posted to a destroyed machine by %pS\n",
			   post->event, __builtin_return_address(0))) {
		/* refused */
	} else if (list_empty(&post->node)) {
		list_add_tail(&post->node, &fsm->posted);
		queue_work(fsm->wq, &fsm->post_work);
		queued = true;
	}
	spin_unlock_irqrestore(&fsm->post_lock, flags);
	return queued;
}
EXPORT_SYMBOL_GPL(fsm_post);

/**
 * fsm_post_cancel() - take a posted event back before it is dispatched
 * @post: a node set up by fsm_post_init()
 *
 * Does not wait: an event whose dispatch has begun runs to its end
 * (fsm_flush() waits for it).  Dispatch begins under the instance lock,
 * so a cancel from an action of the same machine always takes back an
 * event that has not run.
 *
 * Context: any.
 * Return: true if @post was queued and now is not, else false.
 */
bool fsm_post_cancel(struct fsm_post_node *post)
{
	struct fsm *fsm = post->fsm;
	unsigned long flags;
	bool queued;

	if (!fsm)
		return false;
	spin_lock_irqsave(&fsm->post_lock, flags);
	queued = !list_empty(&post->node);
	if (queued)
		list_del_init(&post->node);
	spin_unlock_irqrestore(&fsm->post_lock, flags);
	return queued;
}
EXPORT_SYMBOL_GPL(fsm_post_cancel);

/**
 * fsm_set_workqueue() - choose where an instance's posted events run
 * @fsm: the instance
 * @wq: the workqueue; it must outlive fsm_destroy() of @fsm
 *
 * The default is system_wq.  Events of one machine run one at a time and
 * in order on any workqueue; a driver names its own (an ordered one, say)
 * to keep them off the system workqueue or to order them with its other
 * work.
 *
 * Context: process context, before anything is posted to @fsm.
 */
void fsm_set_workqueue(struct fsm *fsm, struct workqueue_struct *wq)
{
	unsigned long flags;

	spin_lock_irqsave(&fsm->post_lock, flags);
	/* Non-reentrancy holds within one workqueue only. */
	WARN_ON_ONCE(!list_empty(&fsm->posted) || work_busy(&fsm->post_work));
	fsm->wq = wq;
	spin_unlock_irqrestore(&fsm->post_lock, flags);
}
EXPORT_SYMBOL_GPL(fsm_set_workqueue);

/**
 * fsm_flush() - wait until every event posted so far has been dispatched
 * @fsm: the instance
 *
 * Context: process context, may sleep; not from an action of @fsm.
 */
void fsm_flush(struct fsm *fsm)
{
	if (fsm_check(fsm, 0))
		return;
	flush_work(&fsm->post_work);
}
EXPORT_SYMBOL_GPL(fsm_flush);

static void fsm_timer_fn(struct timer_list *tl)
{
	struct fsm_timer *t = from_timer(t, tl, timer);

	/* Already queued: the one delivery pending is the timeout. */
	fsm_post(&t->post);
}

/**
 * fsm_timer_init() - set up a timer that delivers an event
 * @fsm: the instance the event goes to
 * @timer: the timer, living as long as @fsm (not on the stack)
 * @event: the event to deliver with fsm_post() when it fires
 * @arg: its argument
 *
 * The event is posted (struct fsm_post_node), so a timeout is never lost:
 * expiring again before the first delivery ran still delivers once.
 * fsm_destroy() shuts the timer down synchronously, so it can never fire
 * into a destroyed machine.
 *
 * Context: any context that may take an irq-safe spinlock.
 * Return: 0; -EINVAL for an event out of range or a machine being
 * destroyed (the timer is then never armed).
 */
int fsm_timer_init(struct fsm *fsm, struct fsm_timer *timer,
		   unsigned int event, void *arg)
{
	unsigned long flags;
	int ret;

	/* Its callback only posts: safe to run with interrupts off. */
	timer_setup(&timer->timer, fsm_timer_fn, TIMER_IRQSAFE);
	INIT_LIST_HEAD(&timer->node);
	ret = fsm_post_init(&timer->post, fsm, event, arg);
	if (ret)
		return ret;
	/* Too late once closing: fsm_destroy() would never shut it down. */
	spin_lock_irqsave(&fsm->post_lock, flags);
	if (WARN_ON_ONCE(fsm->closing)) {
		timer->post.fsm = NULL;
		ret = -EINVAL;
	} else {
		list_add(&timer->node, &fsm->timers);
	}
	spin_unlock_irqrestore(&fsm->post_lock, flags);
	return ret;
}
EXPORT_SYMBOL_GPL(fsm_timer_init);

/**
 * fsm_timer_arm() - (re)start a timer
 * @timer: the timer
 * @delay: jiffies from now
 *
 * Re-arming a pending timer moves its expiry.  Does nothing once its
 * machine is being destroyed (or if fsm_timer_init() failed).
 *
 * Context: any.
 */
void fsm_timer_arm(struct fsm_timer *timer, unsigned long delay)
{
	if (timer->post.fsm)
		mod_timer(&timer->timer, jiffies + delay);
}
EXPORT_SYMBOL_GPL(fsm_timer_arm);

/**
 * fsm_timer_cancel() - stop a timer and take back its undelivered event
 * @timer: the timer
 *
 * Waits for a running timer callback, then removes the event it posted
 * if that is still queued.  An event whose dispatch has begun runs to its
 * end (fsm_flush() waits for it); from an action of the machine, none
 * can have begun, so no stale timeout arrives after this returns.
 *
 * Context: any, from an action of either flavour too (the callback runs
 * with interrupts off and never takes the instance lock).
 * Return: 1 if a delivery was prevented (the timer was pending or its
 * event queued), else 0.
 */
int fsm_timer_cancel(struct fsm_timer *timer)
{
	int pending = timer_delete_sync(&timer->timer);

	return fsm_post_cancel(&timer->post) || pending;
}
EXPORT_SYMBOL_GPL(fsm_timer_cancel);

/**
 * fsm_state_name() - name of a state
 * @table: the table
 * @state: the state
 *
 * Return: the name, or "?" for a state out of range.
 */
const char *fsm_state_name(const struct fsm_table *table, unsigned int state)
{
	return state < table->nr_states ? table->state_names[state] : "?";
}
EXPORT_SYMBOL_GPL(fsm_state_name);

/**
 * fsm_event_name() - name of an event
 * @table: the table
 * @event: the event
 *
 * Return: the name, or "?" for an event out of range.
 */
const char *fsm_event_name(const struct fsm_table *table, unsigned int event)
{
	return event < table->nr_events ? table->event_names[event] : "?";
}
EXPORT_SYMBOL_GPL(fsm_event_name);

static int __init fsm_module_init(void)
{
	return fsm_debugfs_init();
}

static void __exit fsm_module_exit(void)
{
	fsm_debugfs_exit();
}

/* Before subsystems that register tables in their own initcalls. */
postcore_initcall(fsm_module_init);
module_exit(fsm_module_exit);
MODULE_DESCRIPTION("Table-driven finite state machine engine");
MODULE_LICENSE("GPL");
