/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lib/refgroup private definitions: the fault-injection hooks of the
 * create path.
 */
#ifndef _LIB_REFGROUP_INTERNAL_H
#define _LIB_REFGROUP_INTERNAL_H

#include <linux/atomic.h>
#include <linux/refgroup.h>

/*
 * Every fallible step of refgroup_find_or_create() asks this first, in
 * the order they run: allocation, id, device name, key reference, publish
 * callback, hash table insertion, device add.  refgroup_inject_fault(reg, n)
 * makes the n-th of them fail with -ENOMEM without running it, so a test
 * walks each error path in turn and checks that nothing is left behind.
 * The hook is a per-registry countdown, not the kernel's fail_nth: that one
 * also fails allocations inside the driver core, whose own error paths are
 * not what is under test, and FAILSLAB skips GFP_KERNEL allocations unless
 * reconfigured through debugfs.
 */
#ifdef CONFIG_REFGROUP_FAULT_INJECT
static inline bool refgroup_fault(struct refgroup_registry *reg)
{
	/* 1 fails this step; 0 (off) stays 0. */
	return atomic_dec_if_positive(&reg->fail_nth) == 0;
}
#else
static inline bool refgroup_fault(struct refgroup_registry *reg)
{
	return false;
}
#endif

/*
 * Called by a create with the registry lock held, once the new object's
 * device and cdev are added and before its user count is set: the one
 * moment an open of the cdev finds no users on an object that is not
 * dying.  refgroup_inject_added_hook() lets a test stop the creator there
 * and send an open into that window.  Compiled out like refgroup_fault().
 */
#ifdef CONFIG_REFGROUP_FAULT_INJECT
static inline void refgroup_added_hook(struct refgroup_registry *reg,
				       struct refgroup_obj *obj)
{
	void (*hook)(struct refgroup_registry *reg, struct refgroup_obj *obj);

	hook = READ_ONCE(reg->added_hook);
	if (hook)
		hook(reg, obj);
}
#else
static inline void refgroup_added_hook(struct refgroup_registry *reg,
				       struct refgroup_obj *obj)
{
}
#endif

#endif /* _LIB_REFGROUP_INTERNAL_H */
