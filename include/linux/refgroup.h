/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keyed, refcounted objects with a struct device and a character device,
 * built on the keyed objects of linux/refkey.h.
 *
 * A registry (struct refgroup_registry) maps fixed-size byte keys to
 * objects (struct refgroup_obj, embedded in the driver's structure).
 * refgroup_find_or_create() publishes at most one object per key; users
 * are counted, and the last refgroup_put() unpublishes the object (hash
 * table and device removal) in one critical section of the registry lock.
 * Lookups are lock-free.  The id (minor) and the key reference go in the
 * device release, which open files delay until their last close, and the
 * memory one RCU grace period after it.  A keyed namespace that needs no device uses linux/refkey.h
 * directly.  See docs/refgroup.rst.
 */
#ifndef _LINUX_REFGROUP_H
#define _LINUX_REFGROUP_H

#include <linux/bits.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/idr.h>
#include <linux/kdev_t.h>
#include <linux/lockdep_types.h>
#include <linux/refkey.h>
#include <linux/types.h>

struct file;
struct inode;
struct refgroup_registry;

/* Keys are stored in the object; a UUID or a pointer fits. */
#define REFGROUP_KEY_MAX	REFKEY_KEY_MAX
/* Ids double as minors, so one registry has at most one major's worth. */
#define REFGROUP_MAX_IDS	(MINORMASK + 1)

/* Objects get no character device: a keyed registry of plain devices. */
#define REFGROUP_NO_CDEV	BIT(0)
#define REFGROUP_FLAGS		REFGROUP_NO_CDEV

/**
 * struct refgroup_obj - a keyed, refcounted object
 * @dev: the object's device.  The driver may use it (dev_name(),
 *	dev_info(), as a parent) but never adds, deletes or puts it.
 *
 * Embed it in the driver's structure and get back to that structure with
 * container_of().  The object, its device and its cdev are one
 * allocation.  Every field but @dev is private to lib/refgroup.
 */
struct refgroup_obj {
	struct device dev;
	/* private: */
	struct cdev cdev;
	struct refkey ref;		/* the key, the users, the memory */
	/* set before the object is published, constant afterwards */
	int id;				/* -1 until allocated */
};

/**
 * struct refgroup_ops - optional callbacks of a registry
 * @alloc: allocate the driver's structure embedding the object for @key;
 *	@arg is what the caller gave refgroup_find_or_create().  Returns the
 *	embedded object, NULL (meaning -ENOMEM) or an ERR_PTR().  The
 *	embedded object need not be initialized.  Without @alloc the library
 *	allocates a bare struct refgroup_obj.
 * @free: free what @alloc returned.  Needed with @alloc.
 * @get_key: take a reference on what @key names (an iommu_group, say);
 *	an error fails the create with that error.
 * @put_key: drop the reference @get_key took.  Needed with @get_key.
 * @publish: called on a fully built object just before it is looked up
 *	under the registry lock and, if its key is still free, made visible.
 *	The place to register notifiers: until the object is visible its
 *	user count is zero, so refgroup_tryget() in a notifier fails on it.
 *	An error fails the create with that error.
 * @unpublish: undo @publish.  Called once for every object that was
 *	built completely (whose @publish, if any, succeeded): after it lost
 *	a race for its key or failed to be made visible, or after its last
 *	user went and it left the registry; always before its memory can go.
 *
 * None of them runs with the registry lock held, so each may call
 * refgroup_find() or refgroup_find_or_create() on the same registry.  All
 * but @free run in process context and may sleep.  @put_key runs from the
 * device release, which may be the last close of a file; @free one RCU
 * grace period later, from an RCU callback (softirq context: it must not
 * sleep), since lock-free lookups may still be reading the object;
 * @unpublish may run from refgroup_put(), hence from a file release.
 */
struct refgroup_ops {
	struct refgroup_obj *(*alloc)(struct refgroup_registry *reg,
				      const void *key, void *arg);
	void (*free)(struct refgroup_registry *reg, struct refgroup_obj *obj);
	int (*get_key)(struct refgroup_registry *reg, const void *key);
	void (*put_key)(struct refgroup_registry *reg, const void *key);
	int (*publish)(struct refgroup_registry *reg, struct refgroup_obj *obj);
	void (*unpublish)(struct refgroup_registry *reg,
			  struct refgroup_obj *obj);
};

/**
 * struct refgroup_params - what refgroup_registry_init() sets up
 * @name: name of the class (unless @class is given) and of the char
 *	device region; objects are named @name followed by their id.  Kept
 *	by reference: it must outlive the registry.
 * @key_len: key size in bytes, 1 to %REFGROUP_KEY_MAX; keys are hashed
 *	and compared with memcmp() over exactly these bytes
 * @max_ids: ids (minors) available, at most %REFGROUP_MAX_IDS; 0 means
 *	that many
 * @flags: 0 or %REFGROUP_NO_CDEV
 * @ops: callbacks, or NULL for none
 * @fops: file operations of the objects' cdevs; required unless
 *	%REFGROUP_NO_CDEV.  refgroup_open() and refgroup_release() fit
 *	@fops->open and @fops->release as they are.
 * @class: class of the objects' devices; NULL makes the registry create
 *	one named @name
 * @parent: parent of every object's device, or NULL (a virtual device);
 *	the registry holds a reference on it
 * @groups: attribute groups of every object's device, or NULL
 */
struct refgroup_params {
	const char *name;
	unsigned int key_len;
	unsigned int max_ids;
	unsigned int flags;
	const struct refgroup_ops *ops;
	const struct file_operations *fops;
	const struct class *class;
	struct device *parent;
	const struct attribute_group **groups;
};

/**
 * struct refgroup_registry - objects by key, with their ids and devices
 *
 * Set up with refgroup_registry_init(); every field is private.
 */
struct refgroup_registry {
	/* private: */
	/* the objects by key; its lock is the registry lock */
	struct refkey_table keys;
	struct refkey_ops key_ops;	/* translate to ops */
	const struct refgroup_ops *ops;
	const struct file_operations *fops;
	const struct class *class;
	struct class *own_class;
	struct device *parent;
	const struct attribute_group **groups;
	unsigned int flags;
	unsigned int max_ids;
	dev_t devt;			/* first of max_ids minors */
	struct ida ida;
	atomic_t nr_ids;		/* ids (minors) allocated */
#ifdef CONFIG_REFGROUP_FAULT_INJECT
	/* run by a create between device add and its first user, or NULL */
	void (*added_hook)(struct refgroup_registry *reg,
			   struct refgroup_obj *obj);
#endif
};

/**
 * struct refgroup_stats - a registry's debug counters
 * @objects: objects whose memory exists: built and not yet freed
 *	(candidates, published objects, unpublished ones pinned by open
 *	files, and freed ones waiting for their RCU grace period: call
 *	rcu_barrier() first for a settled figure)
 * @published: objects a lookup can find
 * @ids: ids (minors) allocated; an id is freed only in the release
 * @keys: key references (&refgroup_ops.get_key) held by objects
 *
 * Each is 0 when nothing is left; tests compare them with a baseline.
 */
struct refgroup_stats {
	unsigned int objects;
	unsigned int published;
	unsigned int ids;
	unsigned int keys;
};

int __refgroup_registry_init(struct refgroup_registry *reg,
			     const struct refgroup_params *params,
			     struct lock_class_key *key);

/**
 * refgroup_registry_init() - set a registry up
 * @reg: the registry (embedded or static); overwritten
 * @params: its parameters; the structure itself need not stay around
 *
 * Each call site gets its own lockdep class for the registry lock.
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for bad @params; or the error of allocating the
 * hash table, the char device region or the class.
 */
#define refgroup_registry_init(reg, params)				\
({									\
	static struct lock_class_key __refgroup_key;			\
									\
	__refgroup_registry_init((reg), (params), &__refgroup_key);	\
})

int refgroup_registry_destroy(struct refgroup_registry *reg);
void refgroup_registry_stats(const struct refgroup_registry *reg,
			     struct refgroup_stats *stats);

struct refgroup_obj *refgroup_find(struct refgroup_registry *reg,
				   const void *key);
struct refgroup_obj *refgroup_find_or_create(struct refgroup_registry *reg,
					     const void *key, void *arg);
struct refgroup_obj *refgroup_create(struct refgroup_registry *reg,
				     const void *key, void *arg);
void refgroup_put(struct refgroup_obj *obj);

int refgroup_open(struct inode *inode, struct file *file);
int refgroup_release(struct inode *inode, struct file *file);

#ifdef CONFIG_REFGROUP_FAULT_INJECT
void refgroup_inject_fault(struct refgroup_registry *reg, unsigned int nth);
void refgroup_inject_added_hook(struct refgroup_registry *reg,
				void (*hook)(struct refgroup_registry *reg,
					     struct refgroup_obj *obj));
#else
static inline void refgroup_inject_fault(struct refgroup_registry *reg,
					 unsigned int nth)
{
}

static inline void
refgroup_inject_added_hook(struct refgroup_registry *reg,
			   void (*hook)(struct refgroup_registry *reg,
					struct refgroup_obj *obj))
{
}
#endif

/**
 * refgroup_get() - take another reference on an object
 * @obj: an object the caller holds a reference on
 *
 * Context: any.
 */
static inline void refgroup_get(struct refgroup_obj *obj)
{
	refkey_get(&obj->ref);
}

/**
 * refgroup_tryget() - take a reference unless the object is not live
 * @obj: an object whose memory the caller knows to be valid, e.g. from a
 *	notifier registered in &refgroup_ops.publish and not yet
 *	unregistered in &refgroup_ops.unpublish
 *
 * Fails on an object not published yet and on one whose last user went.
 * A notifier must not drop the reference it got here itself if it may be
 * the last one (see refgroup_put()).
 *
 * Context: any.
 * Return: true if a reference was taken.
 */
static inline bool refgroup_tryget(struct refgroup_obj *obj)
{
	return refkey_tryget(&obj->ref);
}

/**
 * refgroup_key() - the key of an object
 * @obj: the object
 *
 * Return: its key, &refgroup_params.key_len bytes, constant for its life.
 */
static inline const void *refgroup_key(const struct refgroup_obj *obj)
{
	return refkey_key(&obj->ref);
}

/**
 * refgroup_id() - the id of an object
 * @obj: the object
 *
 * Unique among the registry's objects until the object is released; it is
 * also the minor of the object's cdev.
 *
 * Return: the id.
 */
static inline int refgroup_id(const struct refgroup_obj *obj)
{
	return obj->id;
}

/**
 * refgroup_from_dev() - the object a device belongs to
 * @dev: the device of a refgroup object, e.g. in a sysfs attribute
 *	callback of &refgroup_params.groups
 *
 * Return: the object.
 */
static inline struct refgroup_obj *refgroup_from_dev(struct device *dev)
{
	return container_of(dev, struct refgroup_obj, dev);
}

#endif /* _LINUX_REFGROUP_H */
