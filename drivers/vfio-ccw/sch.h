/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vfio-ccw core as a subchannel backend sees it.  See docs/vfio-ccw.rst.
 *
 * A backend (the s390 css driver, or the fake subchannel of the KUnit
 * suites) owns one struct vccw_sch per subchannel it drives.  It fills in
 * the operations and its interrupt lock, registers the subchannel, and from
 * then on tells the core about interrupts, subchannel events and
 * channel-path events.  The core turns the subchannel into an mdev parent
 * with the single type "io" (vfio_ccw-io when the backend's driver is
 * named vfio_ccw) and each mdev into a VFIO device QEMU drives.
 *
 * Nothing here is s390-specific: all formats are the big-endian ones of
 * ccw.h and the core compiles and runs on every architecture.
 */
#ifndef _VFIO_CCW_SCH_H
#define _VFIO_CCW_SCH_H

#include <linux/mdev.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "ccw.h"
#include "cp.h"

struct vccw_sch;
struct vccw_private;

/**
 * struct vccw_sch_ops - what the core asks of a subchannel
 * @enable: enable the subchannel for I/O interruptions; 0 or -errno
 *	(-ENODEV: it is gone)
 * @disable: disable it; 0 or -errno.  Called also on a subchannel that
 *	may already be disabled or gone.
 * @start: start the channel program of @orb (a host ORB: every address
 *	in it and behind it is host memory; the backend sets the
 *	interruption parameter it wants back); the condition code 0-3 of
 *	the start, or -errno if the backend could not even try
 * @halt: halt the subchannel's current function; condition code 0-3
 * @clear: clear the subchannel's current function; condition code 0-3.
 *	Outside @quiesce a backend never halts or clears on its own: the
 *	core tells a halt's or clear's end from stale status by knowing
 *	when it asked for it.
 * @quiesce: stop whatever the subchannel is doing and wait, bounded, until
 *	it can no longer use a program the core started; 0, or -errno if
 *	the wait ran out (the core then frees the program regardless: the
 *	backend must have made the subchannel unable to reach it, by
 *	disabling it)
 * @read_schib: refresh and copy the subchannel information block (52
 *	bytes, as the schib region carries it) into @schib; 0 or -ENODEV
 * @path_mask: the logical paths the core may start on (an ORB LPM)
 * @paths_failed: a start ended with cc 3 on the paths of @lpm: forget
 *	them and return the paths that remain (0: none, the device is gone)
 *
 * Every operation is called in process context with the device's I/O
 * lock held (so one at a time per subchannel) and may sleep.  A backend
 * takes its own interrupt lock inside them as it needs; it may call
 * vccw_sch_interrupt() from inside @start, @halt or @clear (a device that
 * completes at once).
 */
struct vccw_sch_ops {
	int (*enable)(struct vccw_sch *sch);
	int (*disable)(struct vccw_sch *sch);
	int (*start)(struct vccw_sch *sch, const struct orb_be *orb);
	int (*halt)(struct vccw_sch *sch);
	int (*clear)(struct vccw_sch *sch);
	int (*quiesce)(struct vccw_sch *sch);
	int (*read_schib)(struct vccw_sch *sch, void *schib);
	u8 (*path_mask)(struct vccw_sch *sch);
	u8 (*paths_failed)(struct vccw_sch *sch, u8 lpm);
};

/* Channel-path events a backend reports (vccw_sch_chp_event()). */
enum vccw_chp_event {
	VCCW_CHP_OFFLINE,	/* varied off or gone: CRW "permanent error" */
	VCCW_CHP_ONLINE,	/* varied on or back: CRW "initialized" */
};

/**
 * struct vccw_sch - one subchannel as the core knows it
 * @dev: the subchannel's device: the mdev parent
 * @ops: its operations
 * @irq_lock: the backend's interrupt lock, held whenever it calls
 *	vccw_sch_interrupt() (on s390 the subchannel lock)
 * @mem_ops: how a channel program's guest memory is read and pinned; NULL
 *	for VFIO's (vfio_dma_rw() and vfio_pin_pages() on the VFIO device)
 * @mem_ctx: passed to @mem_ops
 *
 * The backend sets these five fields before vccw_sch_register() and does
 * not change them afterwards; the rest is the core's.
 */
struct vccw_sch {
	struct device *dev;
	const struct vccw_sch_ops *ops;
	spinlock_t *irq_lock;		/* the backend's, see above */
	const struct ccwcp_mem_ops *mem_ops;
	void *mem_ctx;
	/* private: */
	struct mdev_parent parent;
	struct mdev_type type;
	struct mdev_type *types[1];
	/*
	 * Serializes the backend's subchannel and channel-path events against
	 * the probe and remove of the mdev: the core's stand-in for the
	 * device lock of the bound driver.
	 */
	struct mutex lock;
	/*
	 * The device of the mdev, while it is probed.  Written under @lock
	 * and *@irq_lock both; read under either.
	 */
	struct vccw_private *private;
	bool registered;		/* the parent is registered */
};

int vccw_sch_register(struct vccw_sch *sch);
void vccw_sch_unregister(struct vccw_sch *sch);
void vccw_sch_interrupt(struct vccw_sch *sch, const struct irb_be *irb);
void vccw_sch_not_oper(struct vccw_sch *sch);
void vccw_sch_shutdown(struct vccw_sch *sch);
void vccw_sch_chp_event(struct vccw_sch *sch, u8 chpid,
			enum vccw_chp_event event);

#endif /* _VFIO_CCW_SCH_H */
