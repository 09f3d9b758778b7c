// SPDX-License-Identifier: GPL-2.0
/*
 * lib/refgroup mechanism: registries, find-or-create, the last put and
 * the cdev open/release helpers.
 *
 * Locking, in one place:
 *  - reg->lock (mutex) is the registry lock.  Under it, and only under it,
 *    an object enters or leaves the hash table, its device is added or
 *    deleted, and its user count moves between 0 and 1: refcount_set() when
 *    it is published, refcount_dec_and_mutex_lock() at the last put.  So a
 *    lookup under the lock never finds an object without users, and a new
 *    object for a key is added only after the old one left sysfs.
 *  - Other moves of the user count are lock-free (refcount_t).
 *  - No callback of struct refgroup_ops runs under reg->lock, and neither
 *    does the device release: while the lock is held, the reference
 *    device_initialize() gave is still outstanding, and it is dropped
 *    only after the lock is released.
 *  - Lock order: reg->lock before the driver core's locks (device_add(),
 *    device_del()).  So sysfs callbacks of an object's device must not
 *    take reg->lock (no lookup, create or last put from there): device_del()
 *    under reg->lock waits for them.
 */

#include <linux/cdev.h>
#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/fs.h>
#include <linux/jhash.h>
#include <linux/kdev_t.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait_bit.h>

#include "internal.h"

static const struct refgroup_ops refgroup_no_ops;

static bool refgroup_has_cdev(const struct refgroup_registry *reg)
{
	return !(reg->flags & (REFGROUP_NO_CDEV | REFGROUP_NO_DEVICE));
}

static bool refgroup_has_device(const struct refgroup_registry *reg)
{
	return !(reg->flags & REFGROUP_NO_DEVICE);
}

static int refgroup_params_check(const struct refgroup_params *p)
{
	const struct refgroup_ops *ops = p->ops ?: &refgroup_no_ops;

	if (!p->name || !p->key_len || p->key_len > REFGROUP_KEY_MAX) {
		pr_err("refgroup: %s: a name and a key of 1 to %u bytes are required\n",
		       p->name ?: "(null)", REFGROUP_KEY_MAX);
		return -EINVAL;
	}
	if (p->flags & ~REFGROUP_FLAGS) {
		pr_err("refgroup: %s: unknown flags 0x%lx\n", p->name,
		       (unsigned long)(p->flags & ~REFGROUP_FLAGS));
		return -EINVAL;
	}
	if ((p->flags & REFGROUP_NO_DEVICE) &&
	    (p->fops || p->class || p->parent || p->groups)) {
		pr_err("refgroup: %s: objects without a device take no fops, class, parent or groups\n",
		       p->name);
		return -EINVAL;
	}
	if (!(p->flags & (REFGROUP_NO_CDEV | REFGROUP_NO_DEVICE)) && !p->fops) {
		pr_err("refgroup: %s: a character device needs file operations\n",
		       p->name);
		return -EINVAL;
	}
	if (p->max_ids > REFGROUP_MAX_IDS) {
		pr_err("refgroup: %s: %u ids, at most %u\n", p->name,
		       p->max_ids, REFGROUP_MAX_IDS);
		return -EINVAL;
	}
	if (!ops->alloc != !ops->free || !ops->get_key != !ops->put_key) {
		pr_err("refgroup: %s: alloc/free and get_key/put_key come in pairs\n",
		       p->name);
		return -EINVAL;
	}
	return 0;
}

/**
 * __refgroup_registry_init() - set a registry up, with a given lock class
 * @reg: the registry; overwritten
 * @params: its parameters
 * @key: lockdep class of the registry lock
 *
 * Use refgroup_registry_init(), which supplies @key per call site.
 *
 * Context: process context; may sleep.
 * Return: as refgroup_registry_init().
 */
int __refgroup_registry_init(struct refgroup_registry *reg,
			     const struct refgroup_params *params,
			     struct lock_class_key *key)
{
	int ret;

	ret = refgroup_params_check(params);
	if (ret)
		return ret;

	memset(reg, 0, sizeof(*reg));
	reg->name = params->name;
	reg->ops = params->ops ?: &refgroup_no_ops;
	reg->fops = params->fops;
	reg->groups = params->groups;
	reg->flags = params->flags;
	reg->max_ids = params->max_ids ?: REFGROUP_MAX_IDS;
	reg->ht_params = (struct rhashtable_params){
		.head_offset = offsetof(struct refgroup_obj, node),
		.key_offset = offsetof(struct refgroup_obj, key),
		.key_len = params->key_len,
		/* Byte-wise, so a caller's key needs no alignment. */
		.hashfn = jhash,
		.automatic_shrinking = true,
	};
	__mutex_init(&reg->lock, "refgroup_registry", key);
	ida_init(&reg->ida);

	ret = rhashtable_init(&reg->table, &reg->ht_params);
	if (ret)
		goto err_lock;
	if (refgroup_has_cdev(reg)) {
		ret = alloc_chrdev_region(&reg->devt, 0, reg->max_ids,
					  reg->name);
		if (ret)
			goto err_table;
	}
	if (!refgroup_has_device(reg)) {
		/* Nothing of the objects reaches sysfs. */
	} else if (params->class) {
		reg->class = params->class;
	} else {
		reg->own_class = class_create(reg->name);
		if (IS_ERR(reg->own_class)) {
			ret = PTR_ERR(reg->own_class);
			reg->own_class = NULL;
			goto err_region;
		}
		reg->class = reg->own_class;
	}
	reg->parent = get_device(params->parent);
	return 0;

err_region:
	if (refgroup_has_cdev(reg))
		unregister_chrdev_region(reg->devt, reg->max_ids);
err_table:
	rhashtable_destroy(&reg->table);
err_lock:
	ida_destroy(&reg->ida);
	mutex_destroy(&reg->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(__refgroup_registry_init);

/**
 * refgroup_registry_destroy() - tear a registry down
 * @reg: a registry without objects
 *
 * Every object must have been put by all its users.  One still published
 * is an unbalanced caller: this warns, naming what is left, and leaves
 * the registry as it is (the objects still need it for their release);
 * calling it again once they are gone is fine.  Objects already
 * unpublished whose release the VFS still delays (a file being closed by
 * a delayed fput, a kobject release delayed for debugging) are waited for,
 * up to ten seconds, since their going needs nothing from the caller.
 *
 * Context: process context; may sleep.
 * Return: 0, or -EBUSY if objects are left.
 */
int refgroup_registry_destroy(struct refgroup_registry *reg)
{
	struct refgroup_stats st;

	if (!atomic_read(&reg->nr_published))
		wait_var_event_timeout(&reg->nr_objects,
				       !atomic_read_acquire(&reg->nr_objects),
				       10 * HZ);
	refgroup_registry_stats(reg, &st);
	/* G9: an unbalanced user is reported, not hidden by a free. */
	if (WARN(st.objects || st.published || st.ids || st.keys,
		 "refgroup: %s destroyed with %u objects (%u published), %u ids, %u key references\n",
		 reg->name, st.objects, st.published, st.ids, st.keys))
		return -EBUSY;

	put_device(reg->parent);
	if (reg->own_class)
		class_destroy(reg->own_class);
	if (refgroup_has_cdev(reg))
		unregister_chrdev_region(reg->devt, reg->max_ids);
	rhashtable_destroy(&reg->table);
	ida_destroy(&reg->ida);
	mutex_destroy(&reg->lock);
	return 0;
}
EXPORT_SYMBOL_GPL(refgroup_registry_destroy);

/**
 * refgroup_registry_stats() - read a registry's debug counters
 * @reg: the registry
 * @stats: filled in
 *
 * Each counter is read atomically, but not all of them at one instant:
 * compare them with a baseline when the registry is quiet.
 *
 * Context: any.
 */
void refgroup_registry_stats(const struct refgroup_registry *reg,
			     struct refgroup_stats *stats)
{
	stats->objects = atomic_read(&reg->nr_objects);
	stats->published = atomic_read(&reg->nr_published);
	stats->ids = atomic_read(&reg->nr_ids);
	stats->keys = atomic_read(&reg->nr_keys);
}
EXPORT_SYMBOL_GPL(refgroup_registry_stats);

#ifdef CONFIG_REFGROUP_FAULT_INJECT
/**
 * refgroup_inject_fault() - make a step of the next creates fail
 * @reg: the registry
 * @nth: 1 fails the next fallible step of refgroup_find_or_create() on
 *	@reg with -ENOMEM, 2 the one after, and so on; 0 turns injection off
 *
 * For tests only (CONFIG_REFGROUP_FAULT_INJECT).  The steps, in order:
 * allocation, id, device name, key reference, publish callback, hash table
 * insertion, device add; those without a callback are skipped.  A create
 * that finds its key takes no step.
 *
 * Context: any.
 */
void refgroup_inject_fault(struct refgroup_registry *reg, unsigned int nth)
{
	atomic_set(&reg->fail_nth, min_t(unsigned int, nth, INT_MAX));
}
EXPORT_SYMBOL_GPL(refgroup_inject_fault);

/**
 * refgroup_inject_added_hook() - run a function inside the next creates
 * @reg: the registry
 * @hook: called by every create on @reg that publishes its object, with
 *	the registry lock held, after the object's device and cdev were
 *	added and before its user count is set: the cdev can be opened,
 *	and an open finds no users.  NULL turns it off.
 *
 * For tests only (CONFIG_REFGROUP_FAULT_INJECT): a test stops the
 * creator in @hook to send an open into that window.  @hook must not take
 * the registry lock (no lookup, create or last put on @reg).
 *
 * Context: any; not while a create runs on @reg.
 */
void refgroup_inject_added_hook(struct refgroup_registry *reg,
				void (*hook)(struct refgroup_registry *reg,
					     struct refgroup_obj *obj))
{
	WRITE_ONCE(reg->added_hook, hook);
}
EXPORT_SYMBOL_GPL(refgroup_inject_added_hook);
#endif

/*
 * The only place an object's memory, id and key reference go (G3): the
 * candidate that lost, the object whose last user and last file went.
 */
static void refgroup_dev_release(struct device *dev)
{
	struct refgroup_obj *obj = refgroup_from_dev(dev);
	struct refgroup_registry *reg = obj->reg;

	lockdep_assert_not_held(&reg->lock);
	WARN_ON_ONCE(refcount_read(&obj->users));
	if (obj->key_held) {
		reg->ops->put_key(reg, obj->key);
		atomic_dec(&reg->nr_keys);
	}
	/* Only now: no node, no sysfs entry, no open file uses the minor. */
	if (obj->id >= 0) {
		ida_free(&reg->ida, obj->id);
		atomic_dec(&reg->nr_ids);
	}
	if (reg->ops->free)
		reg->ops->free(reg, obj);
	else
		kfree(obj);
	/*
	 * Last touch of @reg, ordered after everything above: once destroy
	 * reads zero it frees @reg.  wake_up_var() only hashes the address.
	 */
	if (!atomic_dec_return_release(&reg->nr_objects))
		wake_up_var(&reg->nr_objects);
}

static struct refgroup_obj *refgroup_alloc(struct refgroup_registry *reg,
					   const void *key, void *arg)
{
	struct refgroup_obj *obj;

	if (refgroup_fault(reg))
		return ERR_PTR(-ENOMEM);
	if (reg->ops->alloc)
		obj = reg->ops->alloc(reg, key, arg);
	else
		obj = kzalloc(sizeof(*obj), GFP_KERNEL);
	return obj ?: ERR_PTR(-ENOMEM);
}

/*
 * Build a complete object for @key that nobody can find yet.  Without the
 * registry lock: allocation, the key reference and the publish callback
 * may sleep and take locks of their own.
 */
static struct refgroup_obj *refgroup_build(struct refgroup_registry *reg,
					   const void *key, void *arg)
{
	const struct refgroup_ops *ops = reg->ops;
	struct refgroup_obj *obj;
	int ret;

	lockdep_assert_not_held(&reg->lock);
	obj = refgroup_alloc(reg, key, arg);
	if (IS_ERR(obj))
		return obj;

	/*
	 * Nothing can fail between the allocation and device_initialize();
	 * from there on every error ends in put_device() (G3).
	 */
	memset(obj, 0, sizeof(*obj));
	obj->reg = reg;
	obj->id = -1;
	memcpy(obj->key, key, reg->ht_params.key_len);
	device_initialize(&obj->dev);
	obj->dev.release = refgroup_dev_release;
	obj->dev.class = reg->class;
	obj->dev.parent = reg->parent;
	obj->dev.groups = reg->groups;
	atomic_inc(&reg->nr_objects);

	if (refgroup_has_device(reg)) {
		ret = refgroup_fault(reg) ? -ENOMEM :
		      ida_alloc_max(&reg->ida, reg->max_ids - 1, GFP_KERNEL);
		if (ret < 0)
			goto put;
		obj->id = ret;
		atomic_inc(&reg->nr_ids);

		ret = refgroup_fault(reg) ? -ENOMEM :
		      dev_set_name(&obj->dev, "%s%d", reg->name, obj->id);
		if (ret)
			goto put;
	}

	if (ops->get_key) {
		ret = refgroup_fault(reg) ? -ENOMEM : ops->get_key(reg, obj->key);
		if (ret)
			goto put;
		obj->key_held = true;
		atomic_inc(&reg->nr_keys);
	}

	if (refgroup_has_cdev(reg)) {
		obj->dev.devt = MKDEV(MAJOR(reg->devt), obj->id);
		cdev_init(&obj->cdev, reg->fops);
		obj->cdev.owner = reg->fops->owner;
	}

	if (ops->publish) {
		ret = refgroup_fault(reg) ? -ENOMEM : ops->publish(reg, obj);
		if (ret)
			goto put;
	}
	return obj;

put:
	put_device(&obj->dev);
	return ERR_PTR(ret);
}

/* Drop a complete object nobody can find any more. */
static void refgroup_discard(struct refgroup_obj *obj)
{
	struct refgroup_registry *reg = obj->reg;

	lockdep_assert_not_held(&reg->lock);
	if (reg->ops->unpublish)
		reg->ops->unpublish(reg, obj);
	/* Open files keep the memory through the cdev until their close. */
	put_device(&obj->dev);
}

/* Under the lock every object in the table has users (G4): inc suffices. */
static struct refgroup_obj *refgroup_get_locked(struct refgroup_registry *reg,
						struct refgroup_obj *obj)
{
	lockdep_assert_held(&reg->lock);
	refgroup_get(obj);
	return obj;
}

static struct refgroup_obj *refgroup_lookup_locked(struct refgroup_registry *reg,
						   const void *key)
{
	struct refgroup_obj *obj;

	lockdep_assert_held(&reg->lock);
	obj = rhashtable_lookup_fast(&reg->table, key, reg->ht_params);
	return obj ? refgroup_get_locked(reg, obj) : NULL;
}

/*
 * Publish @cand, or hand back the object that got its key first (with
 * @excl: -EEXIST instead).
 * Return: NULL if @cand is now published with one user (the caller's),
 * the existing object with a new reference, or an ERR_PTR.
 */
static struct refgroup_obj *refgroup_insert_locked(struct refgroup_registry *reg,
						   struct refgroup_obj *cand,
						   bool excl)
{
	struct refgroup_obj *old;
	int ret;

	lockdep_assert_held(&reg->lock);
	if (refgroup_fault(reg))
		return ERR_PTR(-ENOMEM);
	old = rhashtable_lookup_get_insert_fast(&reg->table, &cand->node,
						reg->ht_params);
	if (IS_ERR(old))
		return old;
	if (old)
		return excl ? ERR_PTR(-EEXIST) : refgroup_get_locked(reg, old);

	/* Without a devt, cdev_device_add() is device_add(). */
	ret = !refgroup_has_device(reg) ? 0 : refgroup_fault(reg) ? -ENOMEM :
	      cdev_device_add(&cand->cdev, &cand->dev);
	if (ret) {
		rhashtable_remove_fast(&reg->table, &cand->node, reg->ht_params);
		return ERR_PTR(ret);
	}
	atomic_inc(&reg->nr_published);
	/* Tests only: an open forced in here finds the count zero. */
	refgroup_added_hook(reg, cand);
	/*
	 * Last, so an opener that finds the count zero and waits for the lock
	 * (refgroup_open()) sees the object either live or never published.
	 */
	refcount_set(&cand->users, 1);
	return NULL;
}

/**
 * refgroup_find() - look an object up by key
 * @reg: the registry
 * @key: &refgroup_params.key_len bytes
 *
 * Context: process context; takes the registry lock.
 * Return: the published object for @key with a new reference, to be
 * dropped with refgroup_put(), or NULL.
 */
struct refgroup_obj *refgroup_find(struct refgroup_registry *reg,
				   const void *key)
{
	guard(mutex)(&reg->lock);
	return refgroup_lookup_locked(reg, key);
}
EXPORT_SYMBOL_GPL(refgroup_find);

/**
 * refgroup_find_or_create() - get the object for a key, creating it if needed
 * @reg: the registry
 * @key: &refgroup_params.key_len bytes
 * @arg: handed to &refgroup_ops.alloc
 *
 * If @key has no object, a new one is built without the registry lock
 * (&refgroup_ops.alloc, an id, &refgroup_ops.get_key and
 * &refgroup_ops.publish), then, under the lock, the key is looked up
 * again: if still free the object is inserted and its device added;
 * otherwise the caller gets the object that got there first and the
 * candidate is torn down through its device release, which returns its
 * id, key reference and memory.  Racing callers for one key thus all get
 * the same object (G2), and the caller's own reference on whatever the key
 * names is never taken over: the object takes its own (G6).
 *
 * Context: process context; may sleep.
 * Return: the object with a new reference, to be dropped with
 * refgroup_put(); or, if @key has no object after all, an ERR_PTR:
 * -ENOSPC when the ids are exhausted, -ENOMEM, or the error of a
 * callback, the hash table or device_add().
 */
struct refgroup_obj *refgroup_find_or_create(struct refgroup_registry *reg,
					     const void *key, void *arg)
{
	struct refgroup_obj *obj, *cand;

	obj = refgroup_find(reg, key);
	if (obj)
		return obj;

	cand = refgroup_build(reg, key, arg);
	if (IS_ERR(cand)) {
		/* Ours failed, but another creator's may have worked. */
		obj = refgroup_find(reg, key);
		return obj ?: cand;
	}

	scoped_guard(mutex, &reg->lock)
		obj = refgroup_insert_locked(reg, cand, false);
	if (!obj)
		return cand;

	/* Lost the key to another caller (G2), or could not publish. */
	refgroup_discard(cand);
	return obj;
}
EXPORT_SYMBOL_GPL(refgroup_find_or_create);

/**
 * refgroup_create() - create the object for a key that must be free
 * @reg: the registry
 * @key: &refgroup_params.key_len bytes
 * @arg: handed to &refgroup_ops.alloc
 *
 * Like refgroup_find_or_create(), but a key that already has an object is
 * an error: checked first under the lock, before anything is built, and
 * again when the candidate is inserted, so that of racing creators of one
 * key exactly one succeeds.  The key counts as taken until the last
 * refgroup_put() of the object that holds it.
 *
 * Context: process context; may sleep.
 * Return: the new object with one reference, to be dropped with
 * refgroup_put(); or an ERR_PTR: -EEXIST if @key has an object, else as
 * refgroup_find_or_create().
 */
struct refgroup_obj *refgroup_create(struct refgroup_registry *reg,
				     const void *key, void *arg)
{
	struct refgroup_obj *obj, *cand;

	scoped_guard(mutex, &reg->lock)
		if (rhashtable_lookup_fast(&reg->table, key, reg->ht_params))
			return ERR_PTR(-EEXIST);

	cand = refgroup_build(reg, key, arg);
	if (IS_ERR(cand))
		return cand;

	scoped_guard(mutex, &reg->lock)
		obj = refgroup_insert_locked(reg, cand, true);
	if (!obj)
		return cand;

	refgroup_discard(cand);
	return obj;
}
EXPORT_SYMBOL_GPL(refgroup_create);

/**
 * refgroup_put() - drop a reference on an object
 * @obj: the object
 *
 * The last reference unpublishes the object: with the registry lock held
 * from the moment the count reaches zero, it leaves the hash table and its
 * device and cdev are deleted, so no lookup sees it dying and a new
 * object for the key can be created at once (G4).  Then, outside the lock,
 * &refgroup_ops.unpublish runs and the creation reference on the device is
 * dropped; open files of the cdev keep the memory until their last close.
 *
 * Context: process context; may take the registry lock.  Not with the
 * registry lock held, and not from a sysfs callback of any object of the
 * registry: a last put holds the lock in device_del(), which waits for
 * those callbacks.  A put that may be the last one must not come from a
 * notifier that &refgroup_ops.unpublish unregisters (it would wait for
 * itself): such a notifier hands its reference to a work item instead.
 */
void refgroup_put(struct refgroup_obj *obj)
{
	struct refgroup_registry *reg = obj->reg;

	might_sleep();
	if (!refcount_dec_and_mutex_lock(&obj->users, &reg->lock))
		return;
	WARN_ON_ONCE(rhashtable_remove_fast(&reg->table, &obj->node,
					    reg->ht_params));
	if (refgroup_has_device(reg))
		cdev_device_del(&obj->cdev, &obj->dev);
	atomic_dec(&reg->nr_published);
	mutex_unlock(&reg->lock);

	refgroup_discard(obj);
}
EXPORT_SYMBOL_GPL(refgroup_put);

/**
 * refgroup_open() - open helper for an object's cdev
 * @inode: the inode being opened; its cdev is an object's
 * @file: the file; its private_data is set to the object
 *
 * Takes a reference for the file, unless the object is dying: its last
 * reference went, and a file opened through a node or inode still around
 * must not bring it back (G5).  Usable as &file_operations.open as it is;
 * a driver with more to do calls it first and finds its structure from
 * @file->private_data with container_of().
 *
 * Context: process context; may take the registry lock.
 * Return: 0, or -ENODEV if the object is dying or was never published.
 */
int refgroup_open(struct inode *inode, struct file *file)
{
	struct refgroup_obj *obj = container_of(inode->i_cdev,
						struct refgroup_obj, cdev);

	if (!refcount_inc_not_zero(&obj->users)) {
		/*
		 * Zero is final for a dying object, but a new one is reachable
		 * from cdev_device_add() on while its creator, holding the
		 * lock, has not set the count yet.  Under the lock the answer
		 * is final either way.
		 */
		guard(mutex)(&obj->reg->lock);
		if (!refcount_inc_not_zero(&obj->users))
			return -ENODEV;
	}
	file->private_data = obj;
	return 0;
}
EXPORT_SYMBOL_GPL(refgroup_open);

/**
 * refgroup_release() - release helper for an object's cdev
 * @inode: the inode
 * @file: a file refgroup_open() succeeded on
 *
 * Drops the file's reference, which may be the last one: see
 * refgroup_put().  The memory stays until the VFS lets go of the cdev,
 * just after this returns.  Usable as &file_operations.release as it is.
 *
 * Context: process context.
 * Return: 0.
 */
int refgroup_release(struct inode *inode, struct file *file)
{
	refgroup_put(file->private_data);
	return 0;
}
EXPORT_SYMBOL_GPL(refgroup_release);

MODULE_DESCRIPTION("Keyed, refcounted objects with a device and a cdev");
MODULE_LICENSE("GPL");
