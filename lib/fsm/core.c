// SPDX-License-Identifier: GPL-2.0
/*
 * lib/fsm mechanism: table compilation, instances, dispatch, deferred
 * events and timers.
 *
 * Locking, in one place:
 *  - fsm->lock (mutex or irq-safe spinlock, by table flavour) serializes
 *    every action of an instance and is the only lock under which the state,
 *    the history and the running-cell pointer change.
 *  - fsm->defer_lock (irq-safe spinlock) protects the deferred-event ring,
 *    the timer list and the dying flag.  It nests inside fsm->lock (an
 *    action may post to a sleeping machine, itself included) and is never
 *    held while an action runs.
 *  - An atomic machine's action must not post to that same machine: posting
 *    to an atomic machine dispatches at once, under its lock.
 */

#include <linux/bitops.h>
#include <linux/debugfs.h>
#include <linux/debugobjects.h>
#include <linux/export.h>
#include <linux/module.h>
#include <linux/sched/task_stack.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"
#include "trace.h"

/* Length of each instance's deferred-event ring. */
static unsigned int fsm_defer_depth(const struct fsm_table *t)
{
	return t->defer_depth ?: 16;
}

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
	if (t->flavour != FSM_SLEEPING && t->flavour != FSM_ATOMIC) {
		pr_err("fsm: table %s: unknown lock flavour %d\n", t->name,
		       t->flavour);
		return -EINVAL;
	}
	return 0;
}

/* Check one transition against the table and the cells filled so far. */
static int fsm_transition_check(const struct fsm_table *t,
				const struct fsm_cell *cells, unsigned int i)
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
	if (cells[tr->state * t->nr_events + tr->event].declared) {
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
	unsigned int i;
	int ret;

	if (table->priv)
		return -EBUSY;
	ret = fsm_table_check(table);
	if (ret)
		return ret;

	priv = kzalloc(sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	cells = kcalloc(table->nr_states * table->nr_events, sizeof(*cells),
			GFP_KERNEL);
	if (!cells) {
		kfree(priv);
		return -ENOMEM;
	}

	for (i = 0; i < table->nr_transitions; i++) {
		const struct fsm_transition *tr = &table->transitions[i];
		struct fsm_cell *c;

		ret = fsm_transition_check(table, cells, i);
		if (ret) {
			kfree(cells);
			kfree(priv);
			return ret;
		}
		c = &cells[tr->state * table->nr_events + tr->event];
		c->action = tr->action;
		c->next = tr->next;
		c->auto_to = (!tr->action && tr->next) ? __ffs(tr->next) : -1;
		c->declared = true;
	}
	for (i = 0; i < table->nr_states * table->nr_events; i++) {
		if (!cells[i].declared) {
			cells[i].action = table->default_action;
			cells[i].auto_to = -1;
		}
	}

	priv->cells = cells;
	atomic_set(&priv->instances, 0);
	lockdep_register_key(&priv->key);
	lockdep_register_key(&priv->work_key);
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
	lockdep_unregister_key(&priv->work_key);
	lockdep_unregister_key(&priv->key);
	table->priv = NULL;
	kfree(priv->cells);
	kfree(priv);
}
EXPORT_SYMBOL_GPL(fsm_table_unregister);

static void fsm_defer_work(struct work_struct *work);

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
	unsigned int depth = fsm_defer_depth(table);

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
		fsm->defer_ring = kcalloc(depth, sizeof(*fsm->defer_ring),
					  GFP_KERNEL);
		if (!fsm->defer_ring)
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
	spin_lock_init(&fsm->defer_lock);
	INIT_LIST_HEAD(&fsm->timers);
	/* Keep DEBUG_OBJECTS informed of where the work item lives. */
	__INIT_WORK_KEY(&fsm->defer_work, fsm_defer_work,
			object_is_on_stack(fsm), &priv->work_key);
	fsm->state = initial;
	fsm->table = table;
	fsm->cells = priv->cells;
	fsm->nr_events = table->nr_events;
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

/**
 * fsm_destroy() - tear an instance down
 * @fsm: the instance
 *
 * Shuts its timers down and waits for a running timer callback, then
 * cancels deferred events (waiting for one that is running; those still
 * queued are dropped) and removes its debugfs files.  Afterwards every
 * dispatch on @fsm fails with -ENODEV (and is reported under
 * DEBUG_OBJECTS).  The caller must have stopped its own event sources
 * (interrupt handlers, other threads) first: only the machine's timers
 * are stopped here.
 *
 * Context: process context; may sleep.  Not from an action of @fsm.
 */
void fsm_destroy(struct fsm *fsm)
{
	struct fsm_timer *t, *tmp;
	LIST_HEAD(timers);

	if (!fsm->table)
		return;
	debug_object_assert_init(fsm, &fsm_debug_descr);

	/* No timer can be re-armed and no event queued from here on. */
	scoped_guard(spinlock_irqsave, &fsm->defer_lock) {
		fsm->dying = true;
		list_splice_init(&fsm->timers, &timers);
	}
	/* Synchronously: a timer still running would post to freed memory. */
	list_for_each_entry_safe(t, tmp, &timers, node) {
		timer_shutdown_sync(&t->timer);
		list_del_init(&t->node);
	}
	cancel_work_sync(&fsm->defer_work);
	destroy_work_on_stack(&fsm->defer_work);

	debugfs_remove_recursive(fsm->debugfs);
	fsm->debugfs = NULL;
	atomic_dec(&fsm->table->priv->instances);
	debug_object_deactivate(fsm, &fsm_debug_descr);
	debug_object_free(fsm, &fsm_debug_descr);
	kfree(fsm->defer_ring);
	kfree(fsm->history);
	kfree(fsm->name);
	fsm->defer_ring = NULL;
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

static void fsm_assert_held(struct fsm *fsm)
{
	if (!fsm->atomic)
		lockdep_assert_held(&fsm->lock.mutex);
	else
		lockdep_assert_held(&fsm->lock.spin);
}

/* Account one dispatched event; called with the instance lock held. */
static __always_inline void fsm_record(struct fsm *fsm, unsigned int from,
				       unsigned int event, int result)
{
	unsigned int to = fsm->state;

	if (fsm->history) {
		unsigned int len = fsm->table->history;

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
	}
	fsm->seq++;
	trace_fsm_transition(fsm, from, event, to, result);
}

/* The dispatcher proper; the caller holds fsm->lock. */
static __always_inline int fsm_dispatch(struct fsm *fsm, unsigned int event, void *arg)
{
	unsigned int from = fsm->state;
	const struct fsm_cell *cell = &fsm->cells[from * fsm->nr_events + event];
	int ret = 0;

	fsm_assert_held(fsm);
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

	fsm_assert_held(fsm);
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
 * fsm_unlock() - release the instance lock taken by fsm_lock()
 * @fsm: the instance
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

/* Run queued events in the order they were posted. */
static void fsm_defer_work(struct work_struct *work)
{
	struct fsm *fsm = container_of(work, struct fsm, defer_work);
	const unsigned int depth = fsm_defer_depth(fsm->table);
	struct fsm_deferred d;

	for (;;) {
		scoped_guard(spinlock_irqsave, &fsm->defer_lock) {
			if (!fsm->defer_count || fsm->dying)
				return;
			d = fsm->defer_ring[fsm->defer_head];
			fsm->defer_head = (fsm->defer_head + 1) % depth;
			fsm->defer_count--;
		}
		fsm_event(fsm, d.event, d.arg);
		cond_resched();
	}
}

/**
 * fsm_post() - deliver an event from any context
 * @fsm: the instance
 * @event: the event
 * @arg: passed to the action; must stay valid until the action has run
 *
 * On an %FSM_ATOMIC machine the event is dispatched at once.  On an
 * %FSM_SLEEPING machine it is queued and dispatched later from a work
 * item, in the order of fsm_post() calls; its result goes to the history
 * and the tracepoint only.  Events dispatched directly may overtake queued
 * ones.
 *
 * Context: any.
 * An %FSM_ATOMIC machine must not post to itself from its own action:
 * that would take its lock twice.
 *
 * Return: %FSM_ATOMIC: as fsm_event().  %FSM_SLEEPING: 0 if queued,
 * -ENOSPC if the queue (@table->defer_depth) is full, -ENODEV once
 * fsm_destroy() has begun (a timer firing late), -EINVAL for an event out
 * of range.
 */
int fsm_post(struct fsm *fsm, unsigned int event, void *arg)
{
	unsigned int depth;
	int ret;

	ret = fsm_check(fsm, event);
	if (ret)
		return ret;
	if (fsm->atomic)
		return fsm_event(fsm, event, arg);

	depth = fsm_defer_depth(fsm->table);
	scoped_guard(spinlock_irqsave, &fsm->defer_lock) {
		if (fsm->dying)
			return -ENODEV;
		if (fsm->defer_count == depth)
			return -ENOSPC;
		fsm->defer_ring[(fsm->defer_head + fsm->defer_count) % depth] =
			(struct fsm_deferred){ .event = event, .arg = arg };
		fsm->defer_count++;
		queue_work(system_wq, &fsm->defer_work);
	}
	return 0;
}
EXPORT_SYMBOL_GPL(fsm_post);

/**
 * fsm_flush() - wait until every event posted so far has been dispatched
 * @fsm: a %FSM_SLEEPING instance
 *
 * Context: process context, may sleep; not from an action of @fsm.
 */
void fsm_flush(struct fsm *fsm)
{
	if (fsm_check(fsm, 0))
		return;
	flush_work(&fsm->defer_work);
}
EXPORT_SYMBOL_GPL(fsm_flush);

static void fsm_timer_fn(struct timer_list *tl)
{
	struct fsm_timer *t = from_timer(t, tl, timer);

	fsm_post(t->fsm, t->event, t->arg);
}

/**
 * fsm_timer_init() - set up a timer that delivers an event
 * @fsm: the instance the event goes to
 * @timer: the timer, living as long as @fsm
 * @event: the event to deliver with fsm_post() when it fires
 * @arg: its argument
 *
 * fsm_destroy() shuts the timer down synchronously, so it can never fire
 * into a destroyed machine.
 *
 * Context: any context that may take an irq-safe spinlock.
 */
void fsm_timer_init(struct fsm *fsm, struct fsm_timer *timer,
		    unsigned int event, void *arg)
{
	timer_setup(&timer->timer, fsm_timer_fn, 0);
	timer->fsm = fsm;
	timer->event = event;
	timer->arg = arg;
	/* Too late once dying: fsm_destroy() would never shut it down. */
	scoped_guard(spinlock_irqsave, &fsm->defer_lock) {
		if (!WARN_ON_ONCE(fsm->dying))
			list_add(&timer->node, &fsm->timers);
	}
}
EXPORT_SYMBOL_GPL(fsm_timer_init);

/**
 * fsm_timer_arm() - (re)start a timer
 * @timer: the timer
 * @delay: jiffies from now
 *
 * Re-arming a pending timer moves its expiry.  Does nothing once its
 * machine is being destroyed.
 *
 * Context: any.
 */
void fsm_timer_arm(struct fsm_timer *timer, unsigned long delay)
{
	mod_timer(&timer->timer, jiffies + delay);
}
EXPORT_SYMBOL_GPL(fsm_timer_arm);

/**
 * fsm_timer_cancel() - stop a timer and wait for its callback
 * @timer: the timer
 *
 * An event the timer already posted to a %FSM_SLEEPING machine may still
 * be queued; fsm_flush() waits for it.
 *
 * Context: may sleep; not from an %FSM_ATOMIC action of its machine.
 * Return: 1 if the timer was pending, else 0.
 */
int fsm_timer_cancel(struct fsm_timer *timer)
{
	return timer_delete_sync(&timer->timer);
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
