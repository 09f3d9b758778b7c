/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lib/refgroup private definitions: how the device objects (core.c) are
 * layered on the keyed objects (refkey.c), and the fault-injection hook
 * of the create path.
 */
#ifndef _LIB_REFGROUP_INTERNAL_H
#define _LIB_REFGROUP_INTERNAL_H

#include <linux/atomic.h>
#include <linux/refkey.h>

/*
 * What a table of device objects adds to the keyed-object lifecycle.
 * Set by refgroup_registry_init() on the table it embeds; NULL for a
 * plain table.
 * @build: after the allocation, before the key reference: the fallible
 *	steps of making the device (it is initialized first, so from here on
 *	the object goes through @release on every path).
 * @add: under the table lock, once the object is in the hash table and
 *	before its first user: device and cdev add.  An error unwinds the
 *	insertion.
 * @del: under the table lock, at the last put, as the object leaves the
 *	hash table: device and cdev delete.
 * @release: drop the creation reference of an object nobody can find any
 *	more; the memory goes once every holder let go, by refkey_release().
 */
struct refkey_layer {
	int (*build)(struct refkey_table *tab, struct refkey *rk);
	int (*add)(struct refkey_table *tab, struct refkey *rk);
	void (*del)(struct refkey_table *tab, struct refkey *rk);
	void (*release)(struct refkey *rk);
};

void refkey_release(struct refkey *rk);

/*
 * Every fallible step of a create asks this first, in the order they run:
 * allocation, (device layer: id, device name,) key reference, publish
 * callback, hash table insertion, (device layer: device add).
 * refkey_inject_fault(tab, n) makes the n-th of them fail with -ENOMEM
 * without running it, so a test walks each error path in turn and checks
 * that nothing is left behind.  The hook is a per-table countdown, not the
 * kernel's fail_nth: that one also fails allocations inside the driver
 * core, whose own error paths are not what is under test, and FAILSLAB
 * skips GFP_KERNEL allocations unless reconfigured through debugfs.
 */
#ifdef CONFIG_REFGROUP_FAULT_INJECT
static inline bool refkey_fault(struct refkey_table *tab)
{
	/* 1 fails this step; 0 (off) stays 0. */
	return atomic_dec_if_positive(&tab->fail_nth) == 0;
}
#else
static inline bool refkey_fault(struct refkey_table *tab)
{
	return false;
}
#endif

#endif /* _LIB_REFGROUP_INTERNAL_H */
