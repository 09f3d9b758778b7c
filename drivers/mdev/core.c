// SPDX-License-Identifier: GPL-2.0
/*
 * mdev core mechanism: the UUID namespace, parents, and the lifecycle of
 * each mediated device.
 *
 * Locking, in one place:
 *  - mdev_uuids.lock (a lib/refgroup refkey table) covers the UUID hash
 *    table and nothing else: the duplicate check and the reservation of a
 *    UUID are one step under it, for every parent at once (M1, M2).
 *    Lookups (mdev_remove_uuid()) take no lock.
 *  - mdev_parents.lock likewise covers the table of registered parents.
 *  - mdev_parent_state.lock covers one parent's child lists and its closed
 *    flag.
 *  - Each device's state machine lock covers its state; the actions are a
 *    few lines.  Lock order: a device's machine lock before its parent's
 *    lock, and before its own device lock and the uevent socket's (the
 *    activate action, which announces the device and its binding).
 * None of them is held across a vendor callback, device_add(),
 * device_del() or a sysfs operation (M3).  Those run in the one thread
 * that owns a device in a transitional state (RESERVED: its creator,
 * REMOVING: its remover); anybody else asking about that device is
 * answered from the state at once and never waits for another caller's
 * vendor callback.
 */

#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/wait_bit.h>
#include <kunit/visibility.h>

#include "internal.h"

static struct refkey_table mdev_uuids;
static struct refkey_table mdev_parents;
static struct class_compat *mdev_bus_compat_class;

#ifdef CONFIG_MDEV_FAULT_INJECT
atomic_t mdev_fail_nth;

/**
 * mdev_inject_fault() - make a step of the next creates fail (tests only)
 * @nth: the fallible step of mdev_create() to fail with -ENOMEM, counting
 *	from 1; 0 turns injection off
 */
void mdev_inject_fault(unsigned int nth)
{
	atomic_set(&mdev_fail_nth, min_t(unsigned int, nth, INT_MAX));
}
EXPORT_SYMBOL_IF_KUNIT(mdev_inject_fault);
#endif

/* ---- the lifecycle table ---- */

static const char * const mdev_state_names[] = {
	[MDEV_RESERVED]	= "reserved",
	[MDEV_ACTIVE]	= "active",
	[MDEV_REMOVING]	= "removing",
	[MDEV_GONE]	= "gone",
};

static const char * const mdev_event_names[] = {
	[MDEV_EV_ACTIVATE]	= "activate",
	[MDEV_EV_ABORT]		= "abort",
	[MDEV_EV_REMOVE]	= "remove",
	[MDEV_EV_UNREGISTER]	= "unregister",
	[MDEV_EV_DONE]		= "done",
};

static struct mdev_instance *fsm_to_mdev(struct fsm *fsm)
{
	return container_of(fsm, struct mdev_instance, fsm);
}

/*
 * The creator has built the device.  The parent's lock orders this against
 * unregister: either unregister closed the parent first and the device is
 * torn down by its creator, or the device is on the children list with the
 * parent still open, and unregister's event waits for this transition and
 * then removes it.
 *
 * The device is announced here, inside the transition, because its
 * creator may not touch it once the machine is active: a remove can then
 * take it and free it at once.
 */
static int mdev_act_activate(struct fsm *fsm, unsigned int event, void *arg)
{
	struct mdev_instance *st = fsm_to_mdev(fsm);
	struct device *dev = &st->mdev.dev;

	scoped_guard(mutex, &st->pstate->lock) {
		if (st->pstate->closed)
			return -ENODEV;
	}
	WRITE_ONCE(st->mdev.active, true);
	/*
	 * The driver core's bind uevent was dropped: device_driver_attach()
	 * sent it while uevents were held back.  Send it now, after add as
	 * 6.12 does.  Under the device lock from the moment uevents flow, so
	 * that an unbind through sysfs racing with this is announced after
	 * both, never before.  (Such an unbind runs the vendor's remove under
	 * that lock: activation, and with it removes of this device, which
	 * get -EAGAIN meanwhile, waits for it.)
	 */
	scoped_guard(device, dev) {
		dev_set_uevent_suppress(dev, false);
		kobject_uevent(&dev->kobj, KOBJ_ADD);
		if (dev->driver)
			kobject_uevent(&dev->kobj, KOBJ_BIND);
	}
	dev_dbg(dev, "created\n");
	return fsm_move(fsm, MDEV_ACTIVE);
}

/* Remove or unregister of an active device: the caller now owns it. */
static int mdev_act_remove(struct fsm *fsm, unsigned int event, void *arg)
{
	WRITE_ONCE(fsm_to_mdev(fsm)->mdev.active, false);
	return fsm_move(fsm, MDEV_REMOVING);
}

/* Being created or removed by somebody else: try again later (M5, M7). */
static int mdev_act_busy(struct fsm *fsm, unsigned int event, void *arg)
{
	return -EAGAIN;
}

/* Unregister finds a device another thread owns: that one finishes it. */
static int mdev_act_owned(struct fsm *fsm, unsigned int event, void *arg)
{
	return -EINPROGRESS;
}

static int mdev_act_gone(struct fsm *fsm, unsigned int event, void *arg)
{
	return -ENODEV;
}

static const struct fsm_transition mdev_transitions[] = {
	{ MDEV_RESERVED, MDEV_EV_ACTIVATE, mdev_act_activate, BIT(MDEV_ACTIVE) },
	{ MDEV_RESERVED, MDEV_EV_ABORT, NULL, BIT(MDEV_REMOVING) },
	{ MDEV_RESERVED, MDEV_EV_REMOVE, mdev_act_busy, 0 },
	{ MDEV_RESERVED, MDEV_EV_UNREGISTER, mdev_act_owned, 0 },
	{ MDEV_ACTIVE, MDEV_EV_REMOVE, mdev_act_remove, BIT(MDEV_REMOVING) },
	{ MDEV_ACTIVE, MDEV_EV_UNREGISTER, mdev_act_remove, BIT(MDEV_REMOVING) },
	{ MDEV_REMOVING, MDEV_EV_REMOVE, mdev_act_busy, 0 },
	{ MDEV_REMOVING, MDEV_EV_UNREGISTER, mdev_act_owned, 0 },
	{ MDEV_REMOVING, MDEV_EV_DONE, NULL, BIT(MDEV_GONE) },
	{ MDEV_GONE, MDEV_EV_REMOVE, mdev_act_gone, 0 },
	{ MDEV_GONE, MDEV_EV_UNREGISTER, mdev_act_gone, 0 },
};

/*
 * mdev_fsm_table - the lifecycle of one mdev, exported for the tests that
 * drive and draw it
 */
struct fsm_table mdev_fsm_table = {
	.name = "mdev",
	.flavour = FSM_SLEEPING,
	.nr_states = MDEV_NR_STATES,
	.nr_events = MDEV_NR_EVENTS,
	.state_names = mdev_state_names,
	.event_names = mdev_event_names,
	.transitions = mdev_transitions,
	.nr_transitions = ARRAY_SIZE(mdev_transitions),
	.history = 8,
};
EXPORT_SYMBOL_IF_KUNIT(mdev_fsm_table);

/* ---- the UUID namespace ---- */

static struct refkey *mdev_uuid_alloc(struct refkey_table *tab,
				      const void *key, void *arg)
{
	struct mdev_instance *st = kzalloc(sizeof(*st), GFP_KERNEL);

	return st ? &st->uuid_ref : NULL;
}

/* From an RCU callback, after the last put of the reservation. */
static void mdev_uuid_free(struct refkey_table *tab, struct refkey *rk)
{
	kfree(container_of(rk, struct mdev_instance, uuid_ref));
}

static const struct refkey_ops mdev_uuid_ops = {
	.alloc = mdev_uuid_alloc,
	.free = mdev_uuid_free,
};

/*
 * The final release of the device: only now does the UUID become free
 * again (M8), and the memory goes with the last reservation reference.
 * It touches neither the type nor the parent, which the vendor may have
 * freed once its parent was unregistered.
 */
static void mdev_release(struct device *dev)
{
	struct mdev_instance *st = to_mdev_instance(to_mdev_device(dev));

	if (st->fsm_live)
		fsm_destroy(&st->fsm);
	refkey_put(&st->uuid_ref);
}

/* ---- parents ---- */

static struct refkey *mdev_parent_alloc(struct refkey_table *tab,
					const void *key, void *arg)
{
	struct mdev_parent_state *ps = kzalloc(sizeof(*ps), GFP_KERNEL);

	if (!ps)
		return NULL;
	/* Complete before lib/refgroup makes it visible. */
	ps->parent = arg;
	/* Until every type is in place: see mdev_register_parent(). */
	ps->closed = true;
	mutex_init(&ps->lock);
	INIT_LIST_HEAD(&ps->children);
	INIT_LIST_HEAD(&ps->visited);
	return &ps->ref;
}

/* From an RCU callback, after the last put. */
static void mdev_parent_free(struct refkey_table *tab, struct refkey *rk)
{
	struct mdev_parent_state *ps = container_of(rk, typeof(*ps), ref);

	mutex_destroy(&ps->lock);
	kfree(ps);
}

static const struct refkey_ops mdev_parent_ops = {
	.alloc = mdev_parent_alloc,
	.free = mdev_parent_free,
};

/*
 * The state of a registered parent, with a reference, or NULL once it was
 * unregistered.  Keyed by the parent's struct device.
 */
struct mdev_parent_state *mdev_parent_get(struct mdev_parent *parent)
{
	struct refkey *rk = refkey_find(&mdev_parents, &parent->dev);

	return rk ? container_of(rk, struct mdev_parent_state, ref) : NULL;
}

void mdev_parent_put(struct mdev_parent_state *ps)
{
	refkey_put(&ps->ref);
}

/**
 * mdev_core_stats() - count the core's live objects (tests only)
 * @uuids: set to the number of reserved UUIDs
 * @parents: set to the number of parent states
 *
 * Tests compare the figures against a baseline to find leaks.  Frees in
 * flight (each waits for an RCU grace period) are waited for first, so
 * the figures are settled.  Process context.
 */
void mdev_core_stats(unsigned int *uuids, unsigned int *parents)
{
	struct refkey_stats s;

	rcu_barrier();
	refkey_table_stats(&mdev_uuids, &s);
	*uuids = s.objects;
	refkey_table_stats(&mdev_parents, &s);
	*parents = s.objects;
}
EXPORT_SYMBOL_IF_KUNIT(mdev_core_stats);

/* ---- create and remove ---- */

/*
 * Undo whatever the creator got done, in reverse order (M12).  The one
 * remove path: the `remove` file, mdev_remove_uuid(), parent unregister
 * and a failed create all end here, in the thread that owns the device.
 */
static void mdev_teardown(struct mdev_instance *st)
{
	struct mdev_parent_state *ps = st->pstate;
	struct mdev_device *mdev = &st->mdev;

	if (st->linked)
		mdev_links_remove(mdev);
	/*
	 * Unbinds the vendor driver: its remove callback returns nothing, so
	 * it cannot veto this (M13).  The driver core removes the attribute
	 * groups with the device (M15); nothing is re-created (M14).
	 */
	if (st->added)
		device_del(&mdev->dev);
	if (st->instance_held)
		atomic_inc(&ps->parent->available_instances);
	if (st->joined) {
		scoped_guard(mutex, &ps->lock)
			list_del_init(&mdev->next);
	}
	/*
	 * A joined child is still counted, so the registration's reference
	 * holds @ps and ours is not the last: dropping it before the count
	 * lets unregister return with every child reference gone, so the
	 * same device can register again at once.  After the count @ps may
	 * be freed: wake_up_var() only hashes its address.  (A creator that
	 * never joined is waited for by unregister through its `create`
	 * store instead.)
	 */
	mdev_parent_put(ps);
	if (st->joined && atomic_dec_and_test(&ps->nr_children))
		wake_up_var(&ps->nr_children);
	st->pstate = NULL;
	if (st->fsm_live)
		fsm_event(&st->fsm, MDEV_EV_DONE, NULL);
	dev_dbg(&mdev->dev, "removed\n");
	/* The creation reference; the UUID stays taken until the release. */
	put_device(&mdev->dev);
}

/**
 * mdev_create() - create an mdev, as a write to a type's `create` does
 * @type: the type to create it of
 * @uuid: its UUID, unique across every parent
 *
 * Steps, each undone by mdev_teardown() if a later one fails: reserve the
 * UUID (globally, before anything reaches sysfs), build the device and its
 * state machine, take an instance, join the parent, add the device, let the
 * vendor probe it, link it to its type, activate.  Uevents are held back
 * until it is active, so nobody outside is told about a half-built device
 * (M11).  Sleeps; takes no lock across the vendor's callbacks.
 *
 * Return: 0; -EEXIST if @uuid is taken under any parent; -ENODEV if the
 * parent is being unregistered; -EUSERS if the type has no instance left;
 * -ENOMEM, or the vendor probe's error.
 */
int mdev_create(struct mdev_type *type, const guid_t *uuid)
{
	struct mdev_parent *parent = type->parent;
	struct mdev_driver *drv = parent->mdev_driver;
	struct mdev_parent_state *ps;
	struct mdev_device *mdev;
	struct mdev_instance *st;
	struct refkey *rk;
	int ret;

	ps = mdev_parent_get(parent);
	if (!ps)
		return -ENODEV;

	rk = mdev_fault() ? ERR_PTR(-ENOMEM) :
	     refkey_create(&mdev_uuids, uuid, NULL);
	if (IS_ERR(rk)) {
		mdev_parent_put(ps);
		return PTR_ERR(rk);	/* -EEXIST: taken under any parent */
	}
	st = container_of(rk, struct mdev_instance, uuid_ref);
	st->pstate = ps;
	mdev = &st->mdev;
	guid_copy(&mdev->uuid, uuid);
	mdev->type = type;
	INIT_LIST_HEAD(&mdev->next);
	device_initialize(&mdev->dev);
	mdev->dev.parent = parent->dev;
	mdev->dev.bus = &mdev_bus_type;
	mdev->dev.release = mdev_release;
	mdev->dev.groups = mdev_device_groups;
	dev_set_uevent_suppress(&mdev->dev, true);

	ret = mdev_fault() ? -ENOMEM : dev_set_name(&mdev->dev, "%pUl", uuid);
	if (ret)
		goto fail;
	ret = mdev_fault() ? -ENOMEM :
	      fsm_init(&st->fsm, &mdev_fsm_table, MDEV_RESERVED,
		       dev_name(&mdev->dev));
	if (ret)
		goto fail;
	/* Others may look at the machine from here on (mdev_remove_uuid()). */
	smp_store_release(&st->fsm_live, true);

	if (!drv->get_available) {
		if (atomic_dec_if_positive(&parent->available_instances) < 0) {
			ret = -EUSERS;
			goto fail;
		}
		st->instance_held = true;
	}

	scoped_guard(mutex, &ps->lock) {
		ret = ps->closed ? -ENODEV : 0;
		if (!ret) {
			list_add_tail(&mdev->next, &ps->children);
			atomic_inc(&ps->nr_children);
			st->joined = true;
		}
	}
	if (ret)
		goto fail;

	/* mdev_bus_type matches nothing: no driver probes it by itself. */
	ret = mdev_fault() ? -ENOMEM : device_add(&mdev->dev);
	if (ret)
		goto fail;
	st->added = true;

	ret = mdev_fault() ? -ENOMEM :
	      device_driver_attach(&drv->driver, &mdev->dev);
	if (ret)
		goto fail;

	ret = mdev_links_add(mdev);
	if (ret)
		goto fail;
	st->linked = true;

	/*
	 * On success the device is no longer ours: a remover may take the
	 * machine's lock as soon as it is released, and free the device
	 * while our mutex_unlock() still touches the lock.  Hold it up until
	 * fsm_event() has returned.
	 */
	get_device(&mdev->dev);
	ret = fsm_event(&st->fsm, MDEV_EV_ACTIVATE, NULL);
	put_device(&mdev->dev);
	if (ret)
		goto fail;
	return 0;

fail:
	/* The UUID stays reserved through the unwinding (M8, M9). */
	if (st->fsm_live)
		WARN_ON_ONCE(fsm_event(&st->fsm, MDEV_EV_ABORT, NULL));
	mdev_teardown(st);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mdev_create);

/*
 * Remove an mdev: only an active one, and only once.  @self is the sysfs
 * attribute whose store is calling, whose own removal must not wait for
 * that store to return.
 */
int mdev_remove(struct mdev_instance *st, const struct attribute *self)
{
	struct kernfs_node *kn = NULL;
	int ret;

	/* Never waits: a busy machine is being created or removed (M5, M7). */
	ret = fsm_try_event(&st->fsm, MDEV_EV_REMOVE, NULL);
	if (ret)
		return ret;
	if (self)
		kn = sysfs_break_active_protection(&st->mdev.dev.kobj, self);
	mdev_teardown(st);
	if (kn)
		sysfs_unbreak_active_protection(kn);
	return 0;
}

/**
 * mdev_remove_uuid() - remove an mdev, as writing 1 to its `remove` does
 * @uuid: the device's UUID
 *
 * Sleeps, but never waits for another create or remove of @uuid.
 *
 * Return: 0; -ENODEV if there is no such device (M6); -EAGAIN while it is
 * being created or removed.
 */
int mdev_remove_uuid(const guid_t *uuid)
{
	struct mdev_instance *st;
	struct refkey *rk;
	int ret = -ENODEV;

	rk = refkey_find(&mdev_uuids, uuid);
	if (!rk)
		return -ENODEV;
	/* The reservation keeps the memory; the device may be releasing. */
	st = container_of(rk, struct mdev_instance, uuid_ref);
	/* Pairs with the creator's release: the machine is initialized. */
	if (!smp_load_acquire(&st->fsm_live)) {
		ret = -EAGAIN;		/* its creator is still building it */
	} else if (kobject_get_unless_zero(&st->mdev.dev.kobj)) {
		ret = mdev_remove(st, NULL);
		put_device(&st->mdev.dev);
	}
	refkey_put(rk);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(mdev_remove_uuid);

/*
 * Remove every child of a closed parent.  A child that another thread owns
 * (being created or removed) is left to that thread, which sees the parent
 * closed or finishes its remove; the caller then waits for the count to
 * drain.
 */
static void mdev_remove_children(struct mdev_parent_state *ps)
{
	struct mdev_instance *st;

	for (;;) {
		scoped_guard(mutex, &ps->lock) {
			st = list_first_entry_or_null(&ps->children,
						      struct mdev_instance,
						      mdev.next);
			if (st) {
				list_move_tail(&st->mdev.next, &ps->visited);
				/* Its creation reference is held: on the list. */
				get_device(&st->mdev.dev);
			}
		}
		if (!st)
			break;
		if (!fsm_event(&st->fsm, MDEV_EV_UNREGISTER, NULL))
			mdev_teardown(st);
		put_device(&st->mdev.dev);
	}
}

/**
 * mdev_register_parent() - offer mediated device types on a device
 * @parent: the vendor's parent structure, usually embedded in its own;
 *	filled in here
 * @dev: the device the types and the mdevs hang off
 * @mdev_driver: the driver that probes and removes this parent's mdevs
 * @types: @nr_types types, each with &mdev_type.sysfs_name set and
 *	optionally &mdev_type.pretty_name; they must stay until
 *	mdev_unregister_parent() returns
 * @nr_types: number of @types
 *
 * Creates mdev_supported_types/<driver>-<type>/ under @dev with the create,
 * name, device_api, available_instances, description and devices/ entries.
 * Without &mdev_driver.get_available, &mdev_driver.max_instances mdevs may
 * exist at a time across all types.
 *
 * Context: process context; may sleep.
 * Return: 0; -EEXIST if @dev already is a parent; -ENOMEM or a sysfs error.
 */
int mdev_register_parent(struct mdev_parent *parent, struct device *dev,
			 struct mdev_driver *mdev_driver,
			 struct mdev_type **types, unsigned int nr_types)
{
	struct mdev_parent_state *ps;
	struct refkey *rk;
	int ret;

	memset(parent, 0, sizeof(*parent));
	init_rwsem(&parent->unreg_sem);	/* unused; kept for the layout */
	parent->dev = dev;
	parent->mdev_driver = mdev_driver;
	parent->types = types;
	parent->nr_types = nr_types;
	atomic_set(&parent->available_instances, mdev_driver->max_instances);

	rk = refkey_create(&mdev_parents, &parent->dev, parent);
	if (IS_ERR(rk))
		return PTR_ERR(rk);
	ps = container_of(rk, struct mdev_parent_state, ref);

	/*
	 * A type's `create` works as soon as the type is added, but the
	 * parent takes no child until all are: a failure below unwinds
	 * types without children to remove (their creates get -ENODEV).
	 */
	ret = mdev_types_add(parent);
	if (ret) {
		mdev_parent_put(ps);
		return ret;
	}
	scoped_guard(mutex, &ps->lock)
		ps->closed = false;
	if (class_compat_create_link(mdev_bus_compat_class, dev, NULL))
		dev_warn(dev, "mdev: no mdev_bus class link\n");
	dev_dbg(dev, "mdev: parent registered\n");
	kobject_uevent_env(&dev->kobj, KOBJ_CHANGE,
			   (char *[]){ "MDEV_STATE=registered", NULL });
	return 0;
}
EXPORT_SYMBOL(mdev_register_parent);

/**
 * mdev_unregister_parent() - withdraw a parent and remove its mdevs
 * @parent: a parent mdev_register_parent() succeeded on
 *
 * From the start, creates on @parent fail with -ENODEV.  Every mdev of
 * @parent is removed through the same path as a write to its `remove`
 * file; creates and removes already running on @parent are waited for.
 * When this returns, nothing of @parent is left in sysfs and the core no
 * longer touches @parent, its types or its driver.
 *
 * Context: process context; may sleep.  Not from a callback of
 * @parent's &mdev_driver.
 */
void mdev_unregister_parent(struct mdev_parent *parent)
{
	struct mdev_parent_state *ps = mdev_parent_get(parent);

	if (WARN_ON(!ps))
		return;
	dev_dbg(parent->dev, "mdev: unregistering parent\n");
	scoped_guard(mutex, &ps->lock)
		ps->closed = true;
	class_compat_remove_link(mdev_bus_compat_class, parent->dev, NULL);
	mdev_remove_children(ps);
	/* Acquire: pairs with the last child's fully ordered decrement. */
	wait_var_event(&ps->nr_children,
		       !atomic_read_acquire(&ps->nr_children));
	/* Waits for create stores still running; they fail with -ENODEV. */
	mdev_types_remove(parent);
	mdev_parent_put(ps);		/* ours */
	mdev_parent_put(ps);		/* the registration's */
	kobject_uevent_env(&parent->dev->kobj, KOBJ_CHANGE,
			   (char *[]){ "MDEV_STATE=unregistered", NULL });
}
EXPORT_SYMBOL(mdev_unregister_parent);

/* ---- init ---- */

static int __init mdev_core_init(void)
{
	const struct refkey_params uuids = {
		.name = "mdev_uuid",
		.key_len = sizeof(guid_t),
		.ops = &mdev_uuid_ops,
	};
	const struct refkey_params parents = {
		.name = "mdev_parent",
		.key_len = sizeof(struct device *),
		.ops = &mdev_parent_ops,
	};
	int ret;

	ret = fsm_table_register(&mdev_fsm_table);
	if (ret)
		return ret;
	ret = refkey_table_init(&mdev_uuids, &uuids);
	if (ret)
		goto err_table;
	ret = refkey_table_init(&mdev_parents, &parents);
	if (ret)
		goto err_uuids;
	ret = mdev_bus_init();
	if (ret)
		goto err_parents;
	mdev_bus_compat_class = class_compat_register("mdev_bus");
	if (!mdev_bus_compat_class) {
		ret = -ENOMEM;
		goto err_bus;
	}
	return 0;

err_bus:
	mdev_bus_exit();
err_parents:
	refkey_table_destroy(&mdev_parents);
err_uuids:
	refkey_table_destroy(&mdev_uuids);
err_table:
	fsm_table_unregister(&mdev_fsm_table);
	return ret;
}

static void __exit mdev_core_exit(void)
{
	class_compat_unregister(mdev_bus_compat_class);
	mdev_bus_exit();
	refkey_table_destroy(&mdev_parents);
	refkey_table_destroy(&mdev_uuids);
	fsm_table_unregister(&mdev_fsm_table);
}

/* Before vendor drivers, which register in their device initcalls. */
subsys_initcall(mdev_core_init);
module_exit(mdev_core_exit);
MODULE_DESCRIPTION("Mediated device core on lib/fsm and lib/refgroup");
MODULE_LICENSE("GPL");
