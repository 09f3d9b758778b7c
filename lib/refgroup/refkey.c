// SPDX-License-Identifier: GPL-2.0
/*
 * lib/refgroup keyed objects: tables, lock-free lookup, find-or-create and
 * the last put.
 *
 * Locking, in one place:
 *  - tab->lock (mutex) is the table lock.  Under it, and only under it, an
 *    object enters or leaves the hash table, the device layer adds or
 *    deletes its device, and a user count moves between 0 and 1:
 *    refcount_set() when the object is published, refcount_dec_and_mutex_lock()
 *    at the last put.  So under the lock every object in the table has
 *    users, and a new object for a key goes in only after the old one
 *    left (and left sysfs).
 *  - Lookups take no lock.  Under rcu_read_lock() they find the object in
 *    the hash table and take a reference with inc-not-zero, with acquire
 *    ordering against the release that set the first user, so that what
 *    the creator (and the device layer's add) wrote is visible.  A zero
 *    count in the table means a holder of the lock is moving the object.
 *    One that was live is dying: it is gone already, and the lookup says
 *    so without waiting (a lookup from a sysfs callback of a dying
 *    object's device, which device_del() under the lock waits for, then
 *    cannot deadlock).  One that was never live is being published: the
 *    lookup waits for the lock and looks again, so it gets the object
 *    rather than building a rival for its key.
 *  - Since lookups may still be reading an object after it left the table,
 *    its memory is freed one grace period later (call_rcu()).
 *  - Other moves of the user count are lock-free (refcount_t).
 *  - No callback of struct refkey_ops is called under tab->lock.  (->free
 *    runs from an RCU callback, which may interrupt a thread that happens
 *    to hold it.)
 */

#include <linux/cleanup.h>
#include <linux/err.h>
#include <linux/init.h>
#include <linux/export.h>
#include <linux/jhash.h>
#include <linux/lockdep.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait_bit.h>

#include "internal.h"

static const struct refkey_ops refkey_no_ops;

/**
 * __refkey_table_init() - set a table up, with a given lock class
 * @tab: the table; overwritten
 * @params: its parameters
 * @key: lockdep class of the table lock
 *
 * Use refkey_table_init(), which supplies @key per call site.
 *
 * Context: process context; may sleep.
 * Return: as refkey_table_init().
 */
int __refkey_table_init(struct refkey_table *tab,
			const struct refkey_params *params,
			struct lock_class_key *key)
{
	const struct refkey_ops *ops = params->ops ?: &refkey_no_ops;
	int ret;

	if (!params->name || !params->key_len ||
	    params->key_len > REFKEY_KEY_MAX) {
		pr_err("refgroup: %s: a name and a key of 1 to %u bytes are required\n",
		       params->name ?: "(null)", REFKEY_KEY_MAX);
		return -EINVAL;
	}
	if (!ops->alloc != !ops->free || !ops->get_key != !ops->put_key) {
		pr_err("refgroup: %s: alloc/free and get_key/put_key come in pairs\n",
		       params->name);
		return -EINVAL;
	}

	memset(tab, 0, sizeof(*tab));
	tab->name = params->name;
	tab->ops = ops;
	tab->ht_params = (struct rhashtable_params){
		.head_offset = offsetof(struct refkey, node),
		.key_offset = offsetof(struct refkey, key),
		.key_len = params->key_len,
		/* Byte-wise, so a caller's key needs no alignment. */
		.hashfn = jhash,
		.automatic_shrinking = true,
	};
	__mutex_init(&tab->lock, "refkey_table", key);
	ret = rhashtable_init(&tab->table, &tab->ht_params);
	if (ret)
		mutex_destroy(&tab->lock);
	return ret;
}
EXPORT_SYMBOL_GPL(__refkey_table_init);

/**
 * refkey_table_destroy() - tear a table down
 * @tab: a table without objects
 *
 * Every object must have been put by all its users.  One still published
 * is an unbalanced caller: this warns, naming what is left, and leaves the
 * table as it is (the objects still need it); calling it again once they
 * are gone is fine.  Objects already unpublished whose memory is still
 * held (a device layer object pinned by a file being closed, a free
 * waiting for its grace period) are waited for, up to ten seconds, since
 * their going needs nothing from the caller.
 *
 * Context: process context; may sleep.
 * Return: 0, or -EBUSY if objects are left.
 */
int refkey_table_destroy(struct refkey_table *tab)
{
	struct refkey_stats st;

	if (!atomic_read(&tab->nr_published)) {
		/* Frees queued so far, even batched lazily, run now. */
		rcu_barrier();
		wait_var_event_timeout(&tab->nr_objects,
				       !atomic_read_acquire(&tab->nr_objects),
				       10 * HZ);
		/* Those that memory holders let go meanwhile, too. */
		rcu_barrier();
	}
	refkey_table_stats(tab, &st);
	/* G9: an unbalanced user is reported, not hidden by a free. */
	if (WARN(st.objects || st.published || st.keys,
		 "refgroup: %s destroyed with %u objects (%u published), %u key references\n",
		 tab->name, st.objects, st.published, st.keys))
		return -EBUSY;
	rhashtable_destroy(&tab->table);
	mutex_destroy(&tab->lock);
	return 0;
}
EXPORT_SYMBOL_GPL(refkey_table_destroy);

/**
 * refkey_table_stats() - read a table's debug counters
 * @tab: the table
 * @stats: filled in
 *
 * Each counter is read atomically, but not all of them at one instant:
 * compare them with a baseline when the table is quiet.
 *
 * Context: any.
 */
void refkey_table_stats(const struct refkey_table *tab,
			struct refkey_stats *stats)
{
	stats->objects = atomic_read(&tab->nr_objects);
	stats->published = atomic_read(&tab->nr_published);
	stats->keys = atomic_read(&tab->nr_keys);
}
EXPORT_SYMBOL_GPL(refkey_table_stats);

#ifdef CONFIG_REFGROUP_FAULT_INJECT
/**
 * refkey_inject_fault() - make a step of the next creates fail
 * @tab: the table
 * @nth: 1 fails the next fallible step of a create on @tab with -ENOMEM,
 *	2 the one after, and so on; 0 turns injection off
 *
 * For tests only (CONFIG_REFGROUP_FAULT_INJECT).  The steps, in order:
 * allocation, key reference, publish callback, hash table insertion;
 * those without a callback are skipped.  A create that finds its key
 * takes no step.
 *
 * Context: any.
 */
void refkey_inject_fault(struct refkey_table *tab, unsigned int nth)
{
	atomic_set(&tab->fail_nth, min_t(unsigned int, nth, INT_MAX));
}
EXPORT_SYMBOL_GPL(refkey_inject_fault);
#endif

static void refkey_free_rcu(struct rcu_head *head)
{
	struct refkey *rk = container_of(head, struct refkey, rcu);
	struct refkey_table *tab = rk->tab;

	if (tab->ops->free)
		tab->ops->free(tab, rk);
	else
		kfree(rk);
	/*
	 * Last touch of @tab, ordered after the free: once destroy reads
	 * zero it frees @tab.  wake_up_var() only hashes the address.
	 */
	if (!atomic_dec_return_release(&tab->nr_objects))
		wake_up_var(&tab->nr_objects);
}

/*
 * The end of an object nobody can find any more and nobody holds: its key
 * reference goes now, its memory once lookups that may still be reading
 * it are done (G3).  The device layer calls it from the device release.
 */
void refkey_release(struct refkey *rk)
{
	struct refkey_table *tab = rk->tab;

	lockdep_assert_not_held(&tab->lock);
	WARN_ON_ONCE(refcount_read(&rk->users));
	if (rk->key_held) {
		tab->ops->put_key(tab, rk->key);
		atomic_dec(&tab->nr_keys);
	}
	call_rcu(&rk->rcu, refkey_free_rcu);
}

/* Drop the creation reference: the device layer's, or the memory. */
static void refkey_drop(struct refkey *rk)
{
	const struct refkey_layer *layer = rk->tab->layer;

	if (layer)
		layer->release(rk);
	else
		refkey_release(rk);
}

static struct refkey *refkey_alloc(struct refkey_table *tab, const void *key,
				   void *arg)
{
	struct refkey *rk;

	if (refkey_fault(tab))
		return ERR_PTR(-ENOMEM);
	if (tab->ops->alloc)
		rk = tab->ops->alloc(tab, key, arg);
	else
		rk = kzalloc(sizeof(*rk), GFP_KERNEL);
	return rk ?: ERR_PTR(-ENOMEM);
}

/*
 * Build a complete object for @key that nobody can find yet.  Without the
 * table lock: allocation, the key reference and the publish callback may
 * sleep and take locks of their own.
 */
static struct refkey *refkey_build(struct refkey_table *tab, const void *key,
				   void *arg)
{
	const struct refkey_ops *ops = tab->ops;
	struct refkey *rk;
	int ret;

	lockdep_assert_not_held(&tab->lock);
	rk = refkey_alloc(tab, key, arg);
	if (IS_ERR(rk))
		return rk;

	/* Nothing can fail before here; from here on errors drop it (G3). */
	memset(rk, 0, sizeof(*rk));
	rk->tab = tab;
	memcpy(rk->key, key, tab->ht_params.key_len);
	atomic_inc(&tab->nr_objects);

	if (tab->layer) {
		ret = tab->layer->build(tab, rk);
		if (ret)
			goto drop;
	}
	if (ops->get_key) {
		ret = refkey_fault(tab) ? -ENOMEM : ops->get_key(tab, rk->key);
		if (ret)
			goto drop;
		rk->key_held = true;
		atomic_inc(&tab->nr_keys);
	}
	if (ops->publish) {
		ret = refkey_fault(tab) ? -ENOMEM : ops->publish(tab, rk);
		if (ret)
			goto drop;
	}
	return rk;

drop:
	refkey_drop(rk);
	return ERR_PTR(ret);
}

/* Drop a complete object nobody can find any more. */
static void refkey_discard(struct refkey *rk)
{
	struct refkey_table *tab = rk->tab;

	lockdep_assert_not_held(&tab->lock);
	if (tab->ops->unpublish)
		tab->ops->unpublish(tab, rk);
	refkey_drop(rk);
}

/* Under the lock every object in the table has users (G4): inc suffices. */
static struct refkey *refkey_lookup_locked(struct refkey_table *tab,
					   const void *key)
{
	struct refkey *rk;

	lockdep_assert_held(&tab->lock);
	rk = rhashtable_lookup_fast(&tab->table, key, tab->ht_params);
	if (rk)
		refkey_get(rk);
	return rk;
}

/*
 * Publish @cand, or hand back the object that got its key first (with
 * @excl: -EEXIST instead).
 * Return: NULL if @cand is now published with one user (the caller's),
 * the existing object with a new reference, or an ERR_PTR.
 */
static struct refkey *refkey_insert_locked(struct refkey_table *tab,
					   struct refkey *cand, bool excl)
{
	struct refkey *old;
	int ret;

	lockdep_assert_held(&tab->lock);
	if (refkey_fault(tab))
		return ERR_PTR(-ENOMEM);
	old = rhashtable_lookup_get_insert_fast(&tab->table, &cand->node,
						tab->ht_params);
	if (IS_ERR(old))
		return old;
	if (old) {
		if (excl)
			return ERR_PTR(-EEXIST);
		refkey_get(old);
		return old;
	}
	/*
	 * Lookups can see @cand from here on; its count is zero until the
	 * end, so they wait for the lock and see it live or never published.
	 */
	ret = tab->layer ? tab->layer->add(tab, cand) : 0;
	if (ret) {
		rhashtable_remove_fast(&tab->table, &cand->node, tab->ht_params);
		return ERR_PTR(ret);
	}
	atomic_inc(&tab->nr_published);
	WRITE_ONCE(cand->live, true);
	/* Release: a lock-free lookup that gets a reference sees it built. */
	refcount_set_release(&cand->users, 1);
	return NULL;
}

/**
 * refkey_find() - look an object up by key
 * @tab: the table
 * @key: &refkey_params.key_len bytes
 *
 * Lock-free, but for one case: the object for @key is being published
 * (in the hash table, its first user not yet set, its creator holding the
 * table lock).  The lookup then waits for the lock and looks again, so it
 * gets the new object.  An object whose last user went is already gone
 * for it, without waiting.
 *
 * Context: process context; may take the table lock, so not from a
 * callback that runs while the table lock is held (the device layer's
 * device add: bus notifiers, uevent handlers).
 * Return: the published object for @key with a new reference, to be
 * dropped with refkey_put(), or NULL.
 */
struct refkey *refkey_find(struct refkey_table *tab, const void *key)
{
	struct refkey *rk;

	scoped_guard(rcu) {
		rk = rhashtable_lookup(&tab->table, key, tab->ht_params);
		if (!rk)
			return NULL;
		/* G11: no plain increment without the lock or a reference. */
		if (refkey_tryget(rk))
			return rk;
		/* Its last user went: as good as out of the table. */
		if (READ_ONCE(rk->live))
			return NULL;
	}
	guard(mutex)(&tab->lock);
	return refkey_lookup_locked(tab, key);
}
EXPORT_SYMBOL_GPL(refkey_find);

/**
 * refkey_find_or_create() - get the object for a key, creating it if needed
 * @tab: the table
 * @key: &refkey_params.key_len bytes
 * @arg: handed to &refkey_ops.alloc
 *
 * If @key has no object, a new one is built without the table lock
 * (&refkey_ops.alloc, &refkey_ops.get_key and &refkey_ops.publish), then,
 * under the lock, the key is looked up again: if still free the object is
 * inserted; otherwise the caller gets the object that got there first and
 * the candidate is torn down, giving back its key reference and memory.
 * Racing callers for one key thus all get the same object (G2), and the
 * caller's own reference on whatever the key names is never taken over:
 * the object takes its own (G6).
 *
 * Context: process context; may sleep.
 * Return: the object with a new reference, to be dropped with
 * refkey_put(); or, if @key has no object after all, an ERR_PTR: -ENOMEM,
 * or the error of a callback or of the hash table.
 */
struct refkey *refkey_find_or_create(struct refkey_table *tab,
				     const void *key, void *arg)
{
	struct refkey *rk, *cand;

	rk = refkey_find(tab, key);
	if (rk)
		return rk;

	cand = refkey_build(tab, key, arg);
	if (IS_ERR(cand)) {
		/* Ours failed, but another creator's may have worked. */
		rk = refkey_find(tab, key);
		return rk ?: cand;
	}

	scoped_guard(mutex, &tab->lock)
		rk = refkey_insert_locked(tab, cand, false);
	if (!rk)
		return cand;

	/* Lost the key to another caller (G2), or could not publish. */
	refkey_discard(cand);
	return rk;
}
EXPORT_SYMBOL_GPL(refkey_find_or_create);

/**
 * refkey_create() - create the object for a key that must be free
 * @tab: the table
 * @key: &refkey_params.key_len bytes
 * @arg: handed to &refkey_ops.alloc
 *
 * Like refkey_find_or_create(), but a key that already has an object is an
 * error: checked first under the lock, before anything is built, and again
 * when the candidate is inserted, so that of racing creators of one key
 * exactly one succeeds.  The key counts as taken until the last
 * refkey_put() of the object that holds it.
 *
 * Context: process context; may sleep.
 * Return: the new object with one reference, to be dropped with
 * refkey_put(); or an ERR_PTR: -EEXIST if @key has an object, else as
 * refkey_find_or_create().
 */
struct refkey *refkey_create(struct refkey_table *tab, const void *key,
			     void *arg)
{
	struct refkey *rk, *cand;

	scoped_guard(mutex, &tab->lock)
		if (rhashtable_lookup_fast(&tab->table, key, tab->ht_params))
			return ERR_PTR(-EEXIST);

	cand = refkey_build(tab, key, arg);
	if (IS_ERR(cand))
		return cand;

	scoped_guard(mutex, &tab->lock)
		rk = refkey_insert_locked(tab, cand, true);
	if (!rk)
		return cand;

	refkey_discard(cand);
	return rk;
}
EXPORT_SYMBOL_GPL(refkey_create);

/**
 * refkey_put() - drop a reference on an object
 * @rk: the object
 *
 * The last reference unpublishes the object: with the table lock held
 * from the moment the count reaches zero, it leaves the hash table (and
 * the device layer deletes its device), so a lookup never takes a
 * reference on it and a new object for the key can be created at once
 * (G4).  Then, outside the lock, &refkey_ops.unpublish runs, the key
 * reference is dropped, and the memory goes after a grace period.
 *
 * Context: process context; may take the table lock.  Not with the table
 * lock held.  A put that may be the last one must not come from a notifier
 * that &refkey_ops.unpublish unregisters (it would wait for itself): such
 * a notifier hands its reference to a work item instead.
 */
void refkey_put(struct refkey *rk)
{
	struct refkey_table *tab = rk->tab;

	might_sleep();
	if (!refcount_dec_and_mutex_lock(&rk->users, &tab->lock))
		return;
	WARN_ON_ONCE(rhashtable_remove_fast(&tab->table, &rk->node,
					    tab->ht_params));
	if (tab->layer)
		tab->layer->del(tab, rk);
	atomic_dec(&tab->nr_published);
	mutex_unlock(&tab->lock);

	refkey_discard(rk);
}
EXPORT_SYMBOL_GPL(refkey_put);

/* The RCU callbacks of the last frees run library code: let them finish. */
static void __exit refkey_exit(void)
{
	rcu_barrier();
}
module_exit(refkey_exit);
