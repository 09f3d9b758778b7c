/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keyed, refcounted objects without a device: the light half of
 * lib/refgroup.
 *
 * A table (struct refkey_table) maps fixed-size byte keys to objects
 * (struct refkey, embedded in the user's structure).  At most one object
 * per key is published, even when creates race; users are counted, and
 * the last refkey_put() unpublishes the object in one critical section of
 * the table lock.  Lookups take no lock: they run under RCU and take their
 * reference with inc-not-zero, so an object's memory is freed one grace
 * period after it left the table.  lib/refgroup's objects with a device
 * and a cdev (linux/refgroup.h) are built on these.  See docs/refgroup.rst.
 */
#ifndef _LINUX_REFKEY_H
#define _LINUX_REFKEY_H

#include <linux/atomic.h>
#include <linux/lockdep_types.h>
#include <linux/mutex.h>
#include <linux/refcount.h>
#include <linux/rhashtable-types.h>
#include <linux/types.h>

struct refkey_layer;
struct refkey_table;

/* Keys are stored in the object; a UUID or a pointer fits. */
#define REFKEY_KEY_MAX		32

/**
 * struct refkey - a keyed, refcounted object
 *
 * Embed it in the driver's structure and get back to that structure with
 * container_of().  Every field is private to lib/refgroup.
 */
struct refkey {
	/* private: */
	/* 0 -> 1 and 1 -> 0 only under tab->lock; other moves lock-free */
	refcount_t users;
	bool key_held;			/* ops->get_key succeeded */
	/* set under tab->lock just before the first user; read lock-free */
	bool live;
	/* changed under tab->lock; lookups walk it under RCU */
	struct rhash_head node;
	/* set before the object is published, constant afterwards */
	struct refkey_table *tab;
	struct rcu_head rcu;		/* the deferred free */
	u8 key[REFKEY_KEY_MAX] __aligned(sizeof(u64));
};

/**
 * struct refkey_ops - optional callbacks of a table
 * @alloc: allocate the driver's structure embedding the object for @key;
 *	@arg is what the caller gave refkey_find_or_create().  Returns the
 *	embedded object, NULL (meaning -ENOMEM) or an ERR_PTR().  The
 *	embedded object need not be initialized.  Without @alloc the library
 *	allocates a bare struct refkey.
 * @free: free what @alloc returned.  Needed with @alloc.  Called from an
 *	RCU callback (softirq context): it must not sleep.
 * @get_key: take a reference on what @key names; an error fails the
 *	create with that error.
 * @put_key: drop the reference @get_key took.  Needed with @get_key.
 *	Called in process context as soon as the object is unpublished.
 * @publish: called on a fully built object just before it is looked up
 *	under the table lock and, if its key is still free, made visible.
 *	Until then its user count is zero, so refkey_tryget() fails on it.
 *	An error fails the create with that error.
 * @unpublish: undo @publish.  Called once for every object that was
 *	built completely: after it lost a race for its key or failed to be
 *	made visible, or after its last user went; always before its memory
 *	can go.
 *
 * None of them runs with the table lock held, so each may call
 * refkey_find() or refkey_find_or_create() on the same table; all but
 * @free run in process context and may sleep.
 */
struct refkey_ops {
	struct refkey *(*alloc)(struct refkey_table *tab, const void *key,
				void *arg);
	void (*free)(struct refkey_table *tab, struct refkey *rk);
	int (*get_key)(struct refkey_table *tab, const void *key);
	void (*put_key)(struct refkey_table *tab, const void *key);
	int (*publish)(struct refkey_table *tab, struct refkey *rk);
	void (*unpublish)(struct refkey_table *tab, struct refkey *rk);
};

/**
 * struct refkey_params - what refkey_table_init() sets up
 * @name: used in messages; kept by reference: it must outlive the table
 * @key_len: key size in bytes, 1 to %REFKEY_KEY_MAX; keys are hashed and
 *	compared with memcmp() over exactly these bytes
 * @ops: callbacks, or NULL for none
 */
struct refkey_params {
	const char *name;
	unsigned int key_len;
	const struct refkey_ops *ops;
};

/**
 * struct refkey_table - objects by key
 *
 * Set up with refkey_table_init(); every field is private.
 */
struct refkey_table {
	/* private: */
	const char *name;
	const struct refkey_ops *ops;
	const struct refkey_layer *layer;	/* refgroup's devices, or NULL */
	struct rhashtable_params ht_params;

	/* the table lock: membership, the layer's add/del, users 0 <-> 1 */
	struct mutex lock;
	/* changed under lock; lookups read it under RCU */
	struct rhashtable table;

	/* debug counters, changed at the events they name, read lock-free */
	atomic_t nr_objects;		/* built, memory not yet freed */
	atomic_t nr_published;		/* in the table */
	atomic_t nr_keys;		/* key references held by objects */
#ifdef CONFIG_REFGROUP_FAULT_INJECT
	atomic_t fail_nth;		/* fallible step to fail, 0: none */
#endif
};

/**
 * struct refkey_stats - a table's debug counters
 * @objects: objects whose memory exists; a free waits for an RCU grace
 *	period, so call rcu_barrier() first for a settled figure
 * @published: objects a lookup can find
 * @keys: key references (&refkey_ops.get_key) held by objects
 */
struct refkey_stats {
	unsigned int objects;
	unsigned int published;
	unsigned int keys;
};

int __refkey_table_init(struct refkey_table *tab,
			const struct refkey_params *params,
			struct lock_class_key *key);

/**
 * refkey_table_init() - set a table up
 * @tab: the table (embedded or static); overwritten
 * @params: its parameters; the structure itself need not stay around
 *
 * Each call site gets its own lockdep class for the table lock.
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for bad @params; or the error of allocating the hash
 * table.
 */
#define refkey_table_init(tab, params)					\
({									\
	static struct lock_class_key __refkey_key;			\
									\
	__refkey_table_init((tab), (params), &__refkey_key);		\
})

int refkey_table_destroy(struct refkey_table *tab);
void refkey_table_stats(const struct refkey_table *tab,
			struct refkey_stats *stats);

struct refkey *refkey_find(struct refkey_table *tab, const void *key);
struct refkey *refkey_find_or_create(struct refkey_table *tab,
				     const void *key, void *arg);
struct refkey *refkey_create(struct refkey_table *tab, const void *key,
			     void *arg);
void refkey_put(struct refkey *rk);

#ifdef CONFIG_REFGROUP_FAULT_INJECT
void refkey_inject_fault(struct refkey_table *tab, unsigned int nth);
#else
static inline void refkey_inject_fault(struct refkey_table *tab,
				       unsigned int nth)
{
}
#endif

/**
 * refkey_get() - take another reference on an object
 * @rk: an object the caller holds a reference on
 *
 * Context: any.
 */
static inline void refkey_get(struct refkey *rk)
{
	refcount_inc(&rk->users);
}

/**
 * refkey_tryget() - take a reference unless the object is not live
 * @rk: an object whose memory the caller knows to be valid, e.g. from a
 *	notifier registered in &refkey_ops.publish and not yet unregistered
 *	in &refkey_ops.unpublish
 *
 * Fails on an object not published yet and on one whose last user went.
 *
 * Context: any.
 * Return: true if a reference was taken.
 */
static inline bool refkey_tryget(struct refkey *rk)
{
	/* Acquire: pairs with the release that published the object. */
	return refcount_inc_not_zero_acquire(&rk->users);
}

/**
 * refkey_key() - the key of an object
 * @rk: the object
 *
 * Return: its key, &refkey_params.key_len bytes, constant for its life.
 */
static inline const void *refkey_key(const struct refkey *rk)
{
	return rk->key;
}

#endif /* _LINUX_REFKEY_H */
