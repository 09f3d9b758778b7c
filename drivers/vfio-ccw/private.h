/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vfio-ccw core's private header: one VFIO device per mdev, its state
 * machine, its regions and its queues.  See docs/vfio-ccw.rst.
 *
 * Lock order, outermost first (asserted where a lock is required):
 *
 *   vccw_sch.lock -> the I/O lock (vccw_private.fsm) -> trig_lock -> eventfd
 *        |                 |
 *        |                 +-> *vccw_sch.irq_lock -> fsm post lock
 *        +-> crw_lock (a spinlock; then, released, trig_lock)
 *   crw_read_lock -> crw_lock
 *
 * The I/O lock and crw_read_lock are held across copies to and from
 * userspace (mmap_lock nests inside them), the I/O lock across pinning;
 * no producer of interrupts or CRWs ever waits for either.  VFIO's
 * dev_set lock (open, close) and the mdev's device lock (probe, remove)
 * come before all of them.
 */
#ifndef _VFIO_CCW_PRIVATE_H
#define _VFIO_CCW_PRIVATE_H

#include <linux/eventfd.h>
#include <linux/fsm.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/vfio.h>
#include <uapi/linux/vfio_ccw.h>

#include "sch.h"

enum vccw_state {
	VCCW_NOT_OPER,
	VCCW_STANDBY,
	VCCW_IDLE,
	VCCW_CP_PROCESSING,
	VCCW_CP_PENDING,
	VCCW_NR_STATES,
};

enum vccw_event {
	VCCW_EV_NOT_OPER,
	VCCW_EV_IO_REQ,
	VCCW_EV_INTERRUPT,
	VCCW_EV_ASYNC_REQ,
	VCCW_EV_OPEN,
	VCCW_EV_CLOSE,
	VCCW_NR_EVENTS,
};

/* Regions: 1 KiB windows of the device fd, the index in the high bits. */
#define VCCW_OFFSET_SHIFT	10
#define VCCW_INDEX_TO_OFFSET(i)	((u64)(i) << VCCW_OFFSET_SHIFT)
#define VCCW_OFFSET_TO_INDEX(o)	((o) >> VCCW_OFFSET_SHIFT)
#define VCCW_OFFSET_MASK	(VCCW_INDEX_TO_OFFSET(1) - 1)

enum vccw_region {
	VCCW_REGION_IO = VFIO_CCW_CONFIG_REGION_INDEX,
	VCCW_REGION_ASYNC,
	VCCW_REGION_SCHIB,
	VCCW_REGION_CRW,
	VCCW_NR_REGIONS,
};

/*
 * Interrupts stored by the hard-irq path and not yet taken by the bottom
 * half; IRBs the bottom half made ready and userspace has not read yet;
 * CRWs not yet read.  A device presents a handful of interrupts per
 * program, so these bounds are only reached by a device or a guest gone
 * wrong: what does not fit is counted and reported, rate-limited.
 */
#define VCCW_IRQ_RING	16
#define VCCW_IRB_QUEUE	16
#define VCCW_CRW_QUEUE	16

/* A start request as a write of the I/O region hands it to the machine. */
struct vccw_io_req {
	struct orb_be orb;
	struct scsw_be scsw;
};

static_assert(offsetof(struct ccw_io_region, scsw_area) ==
	      offsetof(struct vccw_io_req, scsw));
static_assert(offsetof(struct ccw_io_region, irb_area) ==
	      sizeof(struct vccw_io_req));

/**
 * struct vccw_stats - counters of one device, for tests and debugfs
 * @irqs: interrupts the hard-irq path stored
 * @irq_overflow: interrupts the hard-irq ring had no room for
 * @irbs_delivered: IRBs made visible in the I/O region
 * @irb_overflow: IRBs the delivery queue had no room for
 * @irbs_discarded: IRBs dropped because the device was closed or gone
 * @crw_overflow: CRWs the queue had no room for
 * @starts: programs started (cc 0)
 * @resets: resets, by ioctl or because an unmap hit a pinned page
 */
struct vccw_stats {
	unsigned long irqs;
	unsigned long irq_overflow;
	unsigned long irbs_delivered;
	unsigned long irb_overflow;
	unsigned long irbs_discarded;
	unsigned long crw_overflow;
	unsigned long starts;
	unsigned long resets;
};

struct vccw_private {
	struct vfio_device vdev;
	struct vccw_sch *sch;		/* immutable */
	/* The I/O lock: its lock owns the state and everything below it. */
	struct fsm fsm;

	/* protected by the I/O lock */
	struct ccw_io_region io;	/* irb_area, ret_code: the kernel's */
	struct ccw_cmd_region cmd;	/* ret_code: the kernel's */
	struct ccwcp cp;
	bool irb_unread;		/* io.irb_area holds an unread IRB */
	/*
	 * Sequence numbers of the hard-irq ring (see ring_seq) from which
	 * status may end the pending program: since its start, and, for
	 * halt- or clear-only status, since a halt or clear issued while it
	 * was pending (U64_MAX: none issued).
	 */
	u64 start_mark;
	u64 halt_mark;
	u64 clear_mark;
	/*
	 * The SCSW format and prefetch bits of the guest's last start that
	 * went (cc 0), for status stored from scsw_flags_mark on, and of the
	 * one before, for status stored earlier: the host program is always
	 * format 1 and prefetchable, and its status must describe the
	 * guest's program.
	 */
	u32 scsw_flags;
	u32 prev_scsw_flags;
	u64 scsw_flags_mark;
	/*
	 * The system is going down (vccw_sch_shutdown()): no open, reset or
	 * unmap may enable the subchannel again.  Set once, before the
	 * events that take the I/O lock; read under it.
	 */
	bool shut_down;
	struct irb_be irbq[VCCW_IRB_QUEUE];
	unsigned int irbq_head;
	unsigned int irbq_len;

	/* protected by *sch->irq_lock */
	struct vccw_stored {
		struct irb_be irb;
		u64 seq;
	} ring[VCCW_IRQ_RING];
	unsigned int ring_head;
	unsigned int ring_len;
	u64 ring_seq;			/* number of the next IRB stored */
	struct fsm_post_node irq_post;	/* INTERRUPT: the bottom half */

	/* protected by crw_lock */
	spinlock_t crw_lock;
	struct mutex crw_read_lock;	/* readers, one at a time */
	u32 crw[VCCW_CRW_QUEUE];
	unsigned int crw_head;
	unsigned int crw_len;

	/* protected by trig_lock */
	struct mutex trig_lock;
	struct eventfd_ctx *trig[VFIO_CCW_NUM_IRQS];

	/*
	 * Each written under the lock of the field it counts (the I/O lock,
	 * irq_lock or crw_lock); read lock-free, as statistics.
	 */
	struct vccw_stats stats;
};

static inline struct vccw_private *to_vccw(struct vfio_device *vdev)
{
	return container_of(vdev, struct vccw_private, vdev);
}

/* fsm.c */
extern struct fsm_table vccw_fsm_table;
int vccw_fsm_register(void);
void vccw_fsm_unregister(void);

/* irq.c */
void vccw_irb_deliver(struct vccw_private *p, const struct irb_be *irb);
void vccw_irb_consumed(struct vccw_private *p);
void vccw_irb_discard_all(struct vccw_private *p);
bool vccw_ring_pop(struct vccw_private *p, struct irb_be *irb, u64 *seq);
u64 vccw_ring_mark(struct vccw_private *p);
void vccw_drain(struct vccw_private *p);
void vccw_signal(struct vccw_private *p, unsigned int index);
void vccw_triggers_release(struct vccw_private *p);
int vccw_set_irqs(struct vccw_private *p, u32 flags, unsigned int index,
		  void __user *data);
void vccw_crw_queue(struct vccw_private *p, u32 crw);
ssize_t vccw_crw_read(struct vccw_private *p, char __user *buf, size_t count,
		      size_t off);
void vccw_crw_flush(struct vccw_private *p);

/* ops.c */
extern const struct vfio_device_ops vccw_vfio_ops;

/* sch.c */
int vccw_device_init(struct vfio_device *vdev);
void vccw_device_release(struct vfio_device *vdev);

/*
 * Fault injection (tests only): the n-th fallible step of the probe and
 * of GET_REGION_INFO, from 1, fails with -ENOMEM.
 */
#ifdef CONFIG_VFIO_CCW_CORE_FAULT_INJECT
extern atomic_t vccw_fail_nth;
void vccw_inject_fault(unsigned int nth);
unsigned int vccw_nr_devices(void);

static inline bool vccw_fault(void)
{
	return atomic_dec_if_positive(&vccw_fail_nth) == 0;
}
#else
static inline bool vccw_fault(void)
{
	return false;
}
#endif

/* Rate-limited: guests and userspace can make these as often as they like. */
#define vccw_dbg_rl(p, fmt, ...) \
	dev_dbg_ratelimited((p)->vdev.dev, fmt, ##__VA_ARGS__)
#define vccw_warn_rl(p, fmt, ...) \
	dev_warn_ratelimited((p)->vdev.dev, fmt, ##__VA_ARGS__)

#endif /* _VFIO_CCW_PRIVATE_H */
