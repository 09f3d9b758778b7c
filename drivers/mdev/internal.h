/* SPDX-License-Identifier: GPL-2.0 */
/*
 * drivers/mdev private definitions: the per-device and per-parent state
 * the core keeps next to the structures of include/linux/mdev.h, which
 * it uses exactly as Linux 6.12 defines them.
 */
#ifndef _DRIVERS_MDEV_INTERNAL_H
#define _DRIVERS_MDEV_INTERNAL_H

#include <linux/atomic.h>
#include <linux/fsm.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/refkey.h>
#include <linux/uuid.h>
#include <linux/wait.h>

/*
 * Lifecycle of one mdev (one lib/fsm instance per device, mutex flavour).
 * Whoever moves a device into RESERVED or REMOVING owns it until it moves
 * on: the creator builds it, the remover tears it down.  Everybody else is
 * answered at once from the state, so no caller ever waits for a vendor
 * callback of another one.
 */
enum mdev_lifecycle {
	MDEV_RESERVED,		/* UUID taken, being built by its creator */
	MDEV_ACTIVE,		/* built; removable */
	MDEV_REMOVING,		/* being torn down by its remover */
	MDEV_GONE,		/* torn down; memory waits for the last put */
	MDEV_NR_STATES,
};

enum mdev_event {
	MDEV_EV_ACTIVATE,	/* creator: built completely */
	MDEV_EV_ABORT,		/* creator: a step failed, unwind */
	MDEV_EV_REMOVE,		/* `remove` file or mdev_remove_uuid() */
	MDEV_EV_UNREGISTER,	/* the parent is going away */
	MDEV_EV_DONE,		/* remover: torn down */
	MDEV_NR_EVENTS,
};

struct mdev_parent_state;

/*
 * One mediated device.  One allocation: the UUID reservation (a
 * lib/refgroup keyed object, no device of its own) holds the memory, so
 * the UUID stays taken until the device's final release (M8).
 */
struct mdev_instance {
	struct refkey uuid_ref;		/* key: the UUID */
	struct mdev_device mdev;
	struct fsm fsm;
	struct mdev_parent_state *pstate; /* holds a user reference */
	/* set once by the creator; others read it with acquire */
	bool fsm_live;
	/* what the creator got done, read by the remover: mirror (M12) */
	bool added;			/* device_add() succeeded */
	bool linked;			/* both sysfs links exist */
	bool instance_held;		/* took one of available_instances */
	bool joined;			/* on the parent's lists */
};

/*
 * What the core keeps per registered parent: a lib/refgroup keyed object,
 * keyed by the parent's struct device, so one device is one parent at most and
 * a create finds its parent's state with a reference, or learns that it
 * is gone.
 */
struct mdev_parent_state {
	struct refkey ref;		/* key: parent->dev */
	struct mdev_parent *parent;

	struct mutex lock;		/* closed and the two lists */
	/* no new child: registration not complete, or unregister started */
	bool closed;
	struct list_head children;	/* mdev_device.next, not torn down */
	struct list_head visited;	/* children unregister has handled */
	/*
	 * Children joined and not yet torn down.  While a child is counted,
	 * the registration's reference keeps this state alive; its own
	 * reference is dropped before its count, the last touch of it.
	 * Unregister waits for 0.
	 */
	atomic_t nr_children;
};

/*
 * The kobject of @type's directory, which the core owns (sysfs.c): the
 * parent of its "devices" kobject.  &mdev_type.kobj is left unused.  Valid
 * while @type is registered.
 */
static inline struct kobject *mdev_type_kobj(struct mdev_type *type)
{
	return type->devices_kobj->parent;
}

static inline struct mdev_instance *to_mdev_instance(struct mdev_device *mdev)
{
	return container_of(mdev, struct mdev_instance, mdev);
}

/*
 * Shared by the files of mdev.ko, so never static: VISIBLE_IF_KUNIT would
 * make them so with KUnit off and break that build.  Some are exported
 * to the KUnit module only (EXPORT_SYMBOL_IF_KUNIT).
 */
extern const struct bus_type mdev_bus_type;
extern struct fsm_table mdev_fsm_table;
extern const struct attribute_group *mdev_device_groups[];

/* core.c */
int mdev_create(struct mdev_type *type, const guid_t *uuid);
int mdev_remove(struct mdev_instance *st, const struct attribute *self);
int mdev_remove_uuid(const guid_t *uuid);
struct mdev_parent_state *mdev_parent_get(struct mdev_parent *parent);
void mdev_parent_put(struct mdev_parent_state *ps);
void mdev_core_stats(unsigned int *uuids, unsigned int *parents);

/* sysfs.c */
int mdev_parse_uuid(const char *buf, size_t count, guid_t *uuid);
int mdev_type_add(struct mdev_parent *parent, struct mdev_type *type);
int mdev_types_add(struct mdev_parent *parent);
void mdev_types_remove(struct mdev_parent *parent);
int mdev_links_add(struct mdev_device *mdev);
void mdev_links_remove(struct mdev_device *mdev);

/* driver.c */
int mdev_bus_init(void);
void mdev_bus_exit(void);

/*
 * Fault injection for tests (CONFIG_MDEV_FAULT_INJECT): the n-th fallible
 * step of the next creates fails with -ENOMEM.  The steps, in order: the
 * UUID reservation, the device name, the state machine, device_add(), the
 * vendor probe, each of the two sysfs links.  A per-core countdown for the
 * reasons lib/refgroup gives for its own.
 */
#ifdef CONFIG_MDEV_FAULT_INJECT
extern atomic_t mdev_fail_nth;

static inline bool mdev_fault(void)
{
	return atomic_dec_if_positive(&mdev_fail_nth) == 0;
}

void mdev_inject_fault(unsigned int nth);
#else
static inline bool mdev_fault(void)
{
	return false;
}
#endif

#endif /* _DRIVERS_MDEV_INTERNAL_H */
