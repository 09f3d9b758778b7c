// SPDX-License-Identifier: GPL-2.0
/*
 * lib/refgroup device objects: registries whose keyed objects (refkey.c)
 * each carry a struct device and, unless REFGROUP_NO_CDEV, a cdev and a
 * minor; and the cdev open/release helpers.
 *
 * Locking, in one place (refkey.c has the rest):
 *  - The registry lock is the table lock of the embedded refkey_table.
 *    Under it, and only under it, an object's device and cdev are added
 *    (right after it entered the hash table, before its first user) and
 *    deleted (at its last put, as it leaves the table).  So a new object
 *    for a key is added only after the old one left sysfs.
 *  - Neither a callback of struct refgroup_ops nor the device release runs
 *    under the registry lock: while it is held, the reference
 *    device_initialize() gave is still outstanding, and it is dropped only
 *    after the lock is released.
 *  - Lock order: the registry lock before the driver core's locks
 *    (device_add(), device_del()).  So sysfs callbacks of an object's
 *    device must not take it (no lookup, create or last put from there:
 *    a lookup takes it when it meets an object in transition):
 *    device_del() under the lock waits for them.
 */

#include <linux/cdev.h>
#include <linux/cleanup.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/export.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/refgroup.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "internal.h"

static const struct refgroup_ops refgroup_no_ops;

static struct refgroup_registry *to_registry(struct refkey_table *tab)
{
	return container_of(tab, struct refgroup_registry, keys);
}

static struct refgroup_obj *to_obj(struct refkey *rk)
{
	return container_of(rk, struct refgroup_obj, ref);
}

/* A refkey answer as a refgroup one: NULL and ERR_PTR()s pass through. */
static struct refgroup_obj *to_obj_or_err(struct refkey *rk)
{
	return IS_ERR_OR_NULL(rk) ? ERR_CAST(rk) : to_obj(rk);
}

static bool refgroup_has_cdev(const struct refgroup_registry *reg)
{
	return !(reg->flags & REFGROUP_NO_CDEV);
}

/* ---- struct refgroup_ops on top of struct refkey_ops ---- */

static struct refkey *refgroup_key_alloc(struct refkey_table *tab,
					 const void *key, void *arg)
{
	struct refgroup_registry *reg = to_registry(tab);
	struct refgroup_obj *obj;

	if (reg->ops->alloc)
		obj = reg->ops->alloc(reg, key, arg);
	else
		obj = kzalloc(sizeof(*obj), GFP_KERNEL);
	/* NULL stays NULL (-ENOMEM), an ERR_PTR() passes. */
	return IS_ERR_OR_NULL(obj) ? ERR_CAST(obj) : &obj->ref;
}

static void refgroup_key_free(struct refkey_table *tab, struct refkey *rk)
{
	struct refgroup_registry *reg = to_registry(tab);

	if (reg->ops->free)
		reg->ops->free(reg, to_obj(rk));
	else
		kfree(to_obj(rk));
}

static int refgroup_key_get(struct refkey_table *tab, const void *key)
{
	struct refgroup_registry *reg = to_registry(tab);

	return reg->ops->get_key(reg, key);
}

static void refgroup_key_put(struct refkey_table *tab, const void *key)
{
	struct refgroup_registry *reg = to_registry(tab);

	reg->ops->put_key(reg, key);
}

static int refgroup_key_publish(struct refkey_table *tab, struct refkey *rk)
{
	struct refgroup_registry *reg = to_registry(tab);

	return reg->ops->publish(reg, to_obj(rk));
}

static void refgroup_key_unpublish(struct refkey_table *tab, struct refkey *rk)
{
	struct refgroup_registry *reg = to_registry(tab);

	reg->ops->unpublish(reg, to_obj(rk));
}

/* ---- the device layer ---- */

/*
 * The only place an object's id goes, and from where its key reference and
 * memory go (G3): the candidate that lost, the object whose last user and
 * last file went.
 */
static void refgroup_dev_release(struct device *dev)
{
	struct refgroup_obj *obj = refgroup_from_dev(dev);
	struct refgroup_registry *reg = to_registry(obj->ref.tab);

	/* Only now: no node, no sysfs entry, no open file uses the minor. */
	if (obj->id >= 0) {
		ida_free(&reg->ida, obj->id);
		atomic_dec(&reg->nr_ids);
	}
	refkey_release(&obj->ref);
}

static int refgroup_layer_build(struct refkey_table *tab, struct refkey *rk)
{
	struct refgroup_registry *reg = to_registry(tab);
	struct refgroup_obj *obj = to_obj(rk);
	int ret;

	/* First, and infallible: from here on every error ends in put_device(). */
	memset(&obj->dev, 0, sizeof(obj->dev));
	memset(&obj->cdev, 0, sizeof(obj->cdev));
	obj->id = -1;
	device_initialize(&obj->dev);
	obj->dev.release = refgroup_dev_release;
	obj->dev.class = reg->class;
	obj->dev.parent = reg->parent;
	obj->dev.groups = reg->groups;

	ret = refkey_fault(tab) ? -ENOMEM :
	      ida_alloc_max(&reg->ida, reg->max_ids - 1, GFP_KERNEL);
	if (ret < 0)
		return ret;
	obj->id = ret;
	atomic_inc(&reg->nr_ids);

	ret = refkey_fault(tab) ? -ENOMEM :
	      dev_set_name(&obj->dev, "%s%d", tab->name, obj->id);
	if (ret)
		return ret;

	if (refgroup_has_cdev(reg)) {
		obj->dev.devt = MKDEV(MAJOR(reg->devt), obj->id);
		cdev_init(&obj->cdev, reg->fops);
		obj->cdev.owner = reg->fops->owner;
	}
	return 0;
}

/*
 * Called by a create with the registry lock held, once the new object's
 * device and cdev are added and before its user count is set: the one
 * moment an open of the cdev finds no users on an object that is not
 * dying.  refgroup_inject_added_hook() lets a test stop the creator there
 * and send an open into that window.
 */
static void refgroup_added_hook(struct refgroup_registry *reg,
				struct refgroup_obj *obj)
{
#ifdef CONFIG_REFGROUP_FAULT_INJECT
	void (*hook)(struct refgroup_registry *reg, struct refgroup_obj *obj);

	hook = READ_ONCE(reg->added_hook);
	if (hook)
		hook(reg, obj);
#endif
}

static int refgroup_layer_add(struct refkey_table *tab, struct refkey *rk)
{
	struct refgroup_registry *reg = to_registry(tab);
	struct refgroup_obj *obj = to_obj(rk);
	int ret;

	lockdep_assert_held(&tab->lock);
	/* Without a devt, cdev_device_add() is device_add(). */
	ret = refkey_fault(tab) ? -ENOMEM : cdev_device_add(&obj->cdev, &obj->dev);
	if (!ret)
		refgroup_added_hook(reg, obj);
	return ret;
}

static void refgroup_layer_del(struct refkey_table *tab, struct refkey *rk)
{
	struct refgroup_obj *obj = to_obj(rk);

	lockdep_assert_held(&tab->lock);
	cdev_device_del(&obj->cdev, &obj->dev);
}

/* Open files keep the memory through the cdev until their close. */
static void refgroup_layer_release(struct refkey *rk)
{
	put_device(&to_obj(rk)->dev);
}

static const struct refkey_layer refgroup_layer = {
	.build = refgroup_layer_build,
	.add = refgroup_layer_add,
	.del = refgroup_layer_del,
	.release = refgroup_layer_release,
};

/* ---- registries ---- */

static int refgroup_params_check(const struct refgroup_params *p)
{
	const struct refgroup_ops *ops = p->ops ?: &refgroup_no_ops;

	if (p->flags & ~REFGROUP_FLAGS) {
		pr_err("refgroup: %s: unknown flags 0x%lx\n", p->name ?: "(null)",
		       (unsigned long)(p->flags & ~REFGROUP_FLAGS));
		return -EINVAL;
	}
	if (!(p->flags & REFGROUP_NO_CDEV) && !p->fops) {
		pr_err("refgroup: %s: a character device needs file operations\n",
		       p->name ?: "(null)");
		return -EINVAL;
	}
	if (p->max_ids > REFGROUP_MAX_IDS) {
		pr_err("refgroup: %s: %u ids, at most %u\n", p->name ?: "(null)",
		       p->max_ids, REFGROUP_MAX_IDS);
		return -EINVAL;
	}
	if (!ops->alloc != !ops->free || !ops->get_key != !ops->put_key) {
		pr_err("refgroup: %s: alloc/free and get_key/put_key come in pairs\n",
		       p->name ?: "(null)");
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
	const struct refkey_params kp = {
		.name = params->name,
		.key_len = params->key_len,
		.ops = &reg->key_ops,
	};
	const struct refgroup_ops *ops = params->ops ?: &refgroup_no_ops;
	int ret;

	ret = refgroup_params_check(params);
	if (ret)
		return ret;

	memset(reg, 0, sizeof(*reg));
	reg->ops = ops;
	/* Only the callbacks the driver has: the counters tell them apart. */
	reg->key_ops = (struct refkey_ops){
		.alloc = refgroup_key_alloc,
		.free = refgroup_key_free,
		.get_key = ops->get_key ? refgroup_key_get : NULL,
		.put_key = ops->put_key ? refgroup_key_put : NULL,
		.publish = ops->publish ? refgroup_key_publish : NULL,
		.unpublish = ops->unpublish ? refgroup_key_unpublish : NULL,
	};
	reg->fops = params->fops;
	reg->groups = params->groups;
	reg->flags = params->flags;
	reg->max_ids = params->max_ids ?: REFGROUP_MAX_IDS;
	ida_init(&reg->ida);

	ret = __refkey_table_init(&reg->keys, &kp, key);
	if (ret)
		goto err_ida;
	reg->keys.layer = &refgroup_layer;
	if (refgroup_has_cdev(reg)) {
		ret = alloc_chrdev_region(&reg->devt, 0, reg->max_ids,
					  params->name);
		if (ret)
			goto err_table;
	}
	if (params->class) {
		reg->class = params->class;
	} else {
		reg->own_class = class_create(params->name);
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
	refkey_table_destroy(&reg->keys);
err_ida:
	ida_destroy(&reg->ida);
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
	int ret = refkey_table_destroy(&reg->keys);

	if (ret)
		return ret;
	/* Ids go in the release, before the memory: none can be left. */
	WARN_ON_ONCE(atomic_read(&reg->nr_ids));
	put_device(reg->parent);
	if (reg->own_class)
		class_destroy(reg->own_class);
	if (refgroup_has_cdev(reg))
		unregister_chrdev_region(reg->devt, reg->max_ids);
	ida_destroy(&reg->ida);
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
	struct refkey_stats ks;

	refkey_table_stats(&reg->keys, &ks);
	stats->objects = ks.objects;
	stats->published = ks.published;
	stats->keys = ks.keys;
	stats->ids = atomic_read(&reg->nr_ids);
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
	refkey_inject_fault(&reg->keys, nth);
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

/* ---- lookup, create, put ---- */

/**
 * refgroup_find() - look an object up by key
 * @reg: the registry
 * @key: &refgroup_params.key_len bytes
 *
 * Lock-free, as refkey_find(): it takes the registry lock only when it
 * meets the object for @key while it is being published or unpublished.
 *
 * Context: process context; may take the registry lock.
 * Return: the published object for @key with a new reference, to be
 * dropped with refgroup_put(), or NULL.
 */
struct refgroup_obj *refgroup_find(struct refgroup_registry *reg,
				   const void *key)
{
	return to_obj_or_err(refkey_find(&reg->keys, key));
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
	return to_obj_or_err(refkey_find_or_create(&reg->keys, key, arg));
}
EXPORT_SYMBOL_GPL(refgroup_find_or_create);

/**
 * refgroup_create() - create the object for a key that must be free
 * @reg: the registry
 * @key: &refgroup_params.key_len bytes
 * @arg: handed to &refgroup_ops.alloc
 *
 * Like refgroup_find_or_create(), but a key that already has an object is
 * an error, as for refkey_create().
 *
 * Context: process context; may sleep.
 * Return: the new object with one reference, to be dropped with
 * refgroup_put(); or an ERR_PTR: -EEXIST if @key has an object, else as
 * refgroup_find_or_create().
 */
struct refgroup_obj *refgroup_create(struct refgroup_registry *reg,
				     const void *key, void *arg)
{
	return to_obj_or_err(refkey_create(&reg->keys, key, arg));
}
EXPORT_SYMBOL_GPL(refgroup_create);

/**
 * refgroup_put() - drop a reference on an object
 * @obj: the object
 *
 * The last reference unpublishes the object: with the registry lock held
 * from the moment the count reaches zero, it leaves the hash table and its
 * device and cdev are deleted, so no lookup takes a reference on it and a
 * new object for the key can be created at once (G4).  Then, outside the
 * lock, &refgroup_ops.unpublish runs and the creation reference on the
 * device is dropped; open files of the cdev keep the memory until their
 * last close.
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
	refkey_put(&obj->ref);
}
EXPORT_SYMBOL_GPL(refgroup_put);

/* ---- the cdev ---- */

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

	if (!refgroup_tryget(obj)) {
		/*
		 * Zero is final for a dying object, but a new one is reachable
		 * from cdev_device_add() on while its creator, holding the
		 * lock, has not set the count yet.  Under the lock the answer
		 * is final either way.
		 */
		guard(mutex)(&obj->ref.tab->lock);
		if (!refgroup_tryget(obj))
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

MODULE_DESCRIPTION("Keyed, refcounted objects, with a device and a cdev or without");
MODULE_LICENSE("GPL");
