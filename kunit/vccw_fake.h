/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A fake subchannel for the vfio-ccw core's KUnit suites, and the harness
 * that drives one VFIO device on it the way QEMU does: through the
 * vfio_device ops, with real user buffers and real eventfds.
 *
 * The fake answers any condition code, runs a started program with the
 * channel interpreter of ccw_guest.c (so data lands in the fake guest's
 * memory), and presents final, intermediate, unsolicited, deferred-cc,
 * halt and clear status when and as often as a test asks: at once from
 * inside the start, or later, duplicated or out of order.
 */
#ifndef _MDEVCCW_KUNIT_VCCW_FAKE_H
#define _MDEVCCW_KUNIT_VCCW_FAKE_H

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/poll.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uuid.h>

#include "../drivers/vfio-ccw/private.h"
#include "ccw_guest.h"

enum vccw_fake_irq {
	FAKE_IRQ_FINAL,		/* the started program ended */
	FAKE_IRQ_INTERMEDIATE,	/* PCI: the program goes on */
	FAKE_IRQ_UNSOLICITED,	/* attention from the device, no function */
	FAKE_IRQ_DEFERRED_CC,	/* the start failed after cc 0: cc 1 in SCSW */
	FAKE_IRQ_HALTED,	/* a halt function ended */
	FAKE_IRQ_CLEARED,	/* a clear function ended */
};

/* Sense-ID data the fake device returns: a 3832 control unit. */
#define FAKE_SENSE_ID_LEN	7
extern const u8 vccw_fake_sense_id[FAKE_SENSE_ID_LEN];

/**
 * struct vccw_fake - one fake subchannel and the device on it
 * @sch: what the core sees
 * @lock: the interrupt lock
 * @test: the test that owns it
 * @g: the guest memory programs run in
 * @dev: the subchannel device, bound to a driver named vfio_ccw
 * @uuid: the mdev's UUID
 * @mdev: the mdev, once created
 * @p: its vfio-ccw device
 * @u: a page of user memory for the harness's requests
 * @mm: the test's mm, in which @u and every vccw_ubuf() live
 * @start_cc: condition code of the next starts (and halt_cc, clear_cc)
 * @enable_ret: what enable answers
 * @quiesce_ret: what quiesce answers
 * @paths_left: what paths_failed answers
 * @start_hook: if set, called by a start with the I/O lock held, in
 *	CP_PROCESSING, before it answers
 * @quiesce_hook: if set, called by quiesce, the I/O lock held
 * @irq_when_disabled: present interrupts even while disabled (a device
 *	racing the disable)
 * @esw_addrs: final status carries ESW format-0 failing-storage and
 *	secondary CCW addresses (host addresses), marked valid
 * @hold: a start does not present final status by itself; the test does,
 *	with vccw_fake_irq(FAKE_IRQ_FINAL)
 * @enabled: the subchannel is enabled
 * @started: a program was started and has not ended
 * @horb: the host ORB of the last start
 * @last_cpa: the host CCW address final status names
 * @prog_end: how the interpreter ended the last program
 * @nr_start: starts (and the other operation counts)
 * @nr_irq_refused: interrupts while disabled (the fake then drops them)
 */
struct vccw_fake {
	struct vccw_sch sch;
	spinlock_t lock;		/* the interrupt lock: see "state" */
	struct kunit *test;
	struct ccw_guest *g;
	struct device *dev;
	guid_t uuid;
	struct mdev_device *mdev;
	struct vccw_private *p;
	void __user *u;
	struct mm_struct *mm;

	/* controls */
	int start_cc, halt_cc, clear_cc;
	int enable_ret, quiesce_ret;
	u8 paths_left;
	bool hold;
	bool irq_when_disabled;
	bool esw_addrs;
	void (*start_hook)(struct vccw_fake *f);
	void (*quiesce_hook)(struct vccw_fake *f);

	/* state, protected by lock */
	bool enabled;
	bool started;
	struct orb_be horb;
	u32 last_cpa;
	int prog_end;
	unsigned int nr_start, nr_halt, nr_clear, nr_enable, nr_disable;
	unsigned int nr_quiesce, nr_irq_refused;
};

struct vccw_fake *vccw_fake_new(struct kunit *test, unsigned int nr_pages);
struct vccw_private *vccw_fake_create_mdev(struct vccw_fake *f);
struct vccw_private *vccw_harness_create_mdev(struct vccw_fake *f,
					      struct mdev_type *type);
void vccw_fake_remove_mdev(struct vccw_fake *f);
void vccw_fake_irq(struct vccw_fake *f, enum vccw_fake_irq kind);

/* The device, as QEMU drives it, through its vfio_device ops. */
int vccw_dev_open(struct vccw_fake *f);
void vccw_dev_close(struct vccw_fake *f);

/* A user buffer of @len bytes in the test's own mm. */
void __user *vccw_ubuf(struct kunit *test, size_t len);
ssize_t vccw_pwrite(struct vccw_fake *f, void __user *ubuf, const void *src,
		    size_t len, loff_t pos);
ssize_t vccw_pread(struct vccw_fake *f, void __user *ubuf, void *dst,
		   size_t len, loff_t pos);
long vccw_ioctl(struct vccw_fake *f, unsigned int cmd, void __user *ubuf,
		void *arg, size_t len);

/* A real eventfd in the test's file table; counts read and cleared. */
int vccw_eventfd_new(struct kunit *test);
u64 vccw_eventfd_count(int fd);
int vccw_arm_irq(struct vccw_fake *f, unsigned int index, int fd);

/* Sleeping on an eventfd, as userspace polls it. */
struct vccw_efd_waiter {
	struct file *file;
	wait_queue_head_t *wqh;
	wait_queue_entry_t wait;
	poll_table pt;
	struct completion done;
};

int vccw_efd_waiter_init(struct vccw_efd_waiter *w, int fd);
u64 vccw_efd_wait(struct vccw_efd_waiter *w, unsigned long timeout);
void vccw_efd_waiter_exit(struct vccw_efd_waiter *w);

/* Write a program to the guest and start it the way QEMU does. */
void vccw_guest_sense_id(struct vccw_fake *f, u64 ccw_ga, u64 data_ga);
int vccw_start(struct vccw_fake *f, u32 cpa, u32 ctl);
int vccw_async_cmd(struct vccw_fake *f, u32 cmd);
int vccw_read_irb(struct vccw_fake *f, struct irb_be *irb);
/* The same, from a helper thread with a user buffer of its own. */
int vccw_start_u(struct vccw_fake *f, void __user *u, u32 cpa, u32 ctl);
int vccw_async_cmd_u(struct vccw_fake *f, void __user *u, u32 cmd);
int vccw_read_irb_u(struct vccw_fake *f, void __user *u, struct irb_be *irb);
int vccw_arm_irq_u(struct vccw_fake *f, void __user *u, unsigned int index,
		   int fd);

/* Wait for the bottom half: every posted interrupt has been handled. */
void vccw_settle(struct vccw_fake *f);

/* Helper threads: use the test's mm, where the user buffers are. */
void vccw_use_test_mm(struct vccw_fake *f);
void vccw_unuse_test_mm(struct vccw_fake *f);

#endif /* _MDEVCCW_KUNIT_VCCW_FAKE_H */
