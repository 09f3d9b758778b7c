// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the vfio-ccw core (drivers/vfio-ccw/{fsm,irq,ops,sch}.c)
 * on the fake subchannel, driven as QEMU drives it: whole-region writes
 * and reads, ioctls and eventfds through the vfio_device ops, with real
 * user buffers.  Requirements C1-C20 of requirements.md; each case names
 * the ones it covers.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "vccw_fake.h"
#include "../drivers/mdev/internal.h"

#define PAGES		16
#define CTL_F1		(ORB_F | ORB_P | ORB_H)
#define CCW_GA		0x1000
#define DATA_GA		0x3000

static struct vccw_fake *open_fake(struct kunit *test)
{
	struct vccw_fake *f = vccw_fake_new(test, PAGES);

	vccw_fake_create_mdev(f);
	KUNIT_ASSERT_EQ(test, 0, vccw_dev_open(f));
	KUNIT_ASSERT_EQ(test, fsm_state(&f->p->fsm), VCCW_IDLE);
	return f;
}

static unsigned int state(struct vccw_fake *f)
{
	return fsm_state(&f->p->fsm);
}

/* C7: a program exists exactly while one is being processed or pending. */
static void expect_program(struct kunit *test, struct vccw_fake *f, bool on)
{
	guard(fsm)(&f->p->fsm);
	KUNIT_EXPECT_EQ(test, f->p->cp.active, on);
	if (!on) {
		KUNIT_EXPECT_EQ(test, f->p->cp.nr_allocs, 0);
		KUNIT_EXPECT_EQ(test, f->p->cp.nr_pinned, 0);
		KUNIT_EXPECT_EQ(test, f->g->nr_pinned, 0);
	}
}

static int start_sense_id(struct vccw_fake *f)
{
	vccw_guest_sense_id(f, CCW_GA, DATA_GA);
	return vccw_start(f, CCW_GA, CTL_F1);
}

static long region_info(struct vccw_fake *f, void *ri, size_t len)
{
	return vccw_ioctl(f, VFIO_DEVICE_GET_REGION_INFO, f->u, ri, len);
}

/* C17: what GET_INFO, GET_REGION_INFO and GET_IRQ_INFO report. */
static void vccw_test_abi_info(struct kunit *test)
{
	static const struct { u64 size; u32 flags; u32 subtype; } want[] = {
		{ 124, VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE, 0 },
		{ 8, VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_WRITE |
		     VFIO_REGION_INFO_FLAG_CAPS, VFIO_REGION_SUBTYPE_CCW_ASYNC_CMD },
		{ 52, VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_CAPS,
		  VFIO_REGION_SUBTYPE_CCW_SCHIB },
		{ 8, VFIO_REGION_INFO_FLAG_READ | VFIO_REGION_INFO_FLAG_CAPS,
		  VFIO_REGION_SUBTYPE_CCW_CRW },
	};
	struct vccw_fake *f = open_fake(test);
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct {
		struct vfio_region_info info;
		struct vfio_region_info_cap_type cap;
	} ri;
	struct vfio_irq_info ii;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, 0, vccw_ioctl(f, VFIO_DEVICE_GET_INFO, f->u,
					    &info, sizeof(info)));
	KUNIT_EXPECT_EQ(test, info.flags,
			VFIO_DEVICE_FLAGS_CCW | VFIO_DEVICE_FLAGS_RESET);
	KUNIT_EXPECT_EQ(test, info.num_regions, 4);
	KUNIT_EXPECT_EQ(test, info.num_irqs, 3);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		/* Too small for the capability: told the size it needs. */
		memset(&ri, 0, sizeof(ri));
		ri.info.argsz = sizeof(ri.info);
		ri.info.index = i;
		KUNIT_ASSERT_EQ(test, 0, region_info(f, &ri, sizeof(ri)));
		KUNIT_EXPECT_EQ(test, ri.info.offset, (u64)i << 10);
		KUNIT_EXPECT_EQ(test, ri.info.size, want[i].size);
		KUNIT_EXPECT_EQ(test, ri.info.flags, want[i].flags);
		KUNIT_EXPECT_EQ(test, ri.info.cap_offset, 0);
		if (!want[i].subtype)
			continue;
		KUNIT_EXPECT_EQ(test, ri.info.argsz, sizeof(ri));
		ri.info.argsz = sizeof(ri);
		KUNIT_ASSERT_EQ(test, 0, region_info(f, &ri, sizeof(ri)));
		KUNIT_EXPECT_EQ(test, ri.info.cap_offset, sizeof(ri.info));
		KUNIT_EXPECT_EQ(test, ri.cap.header.id, VFIO_REGION_INFO_CAP_TYPE);
		KUNIT_EXPECT_EQ(test, ri.cap.type, VFIO_REGION_TYPE_CCW);
		KUNIT_EXPECT_EQ(test, ri.cap.subtype, want[i].subtype);
	}
	ri.info.argsz = sizeof(ri);
	ri.info.index = 4;
	KUNIT_EXPECT_EQ(test, -EINVAL, vccw_ioctl(f, VFIO_DEVICE_GET_REGION_INFO,
						  f->u, &ri, sizeof(ri)));
	for (i = 0; i < 4; i++) {
		ii = (struct vfio_irq_info){ .argsz = sizeof(ii), .index = i };
		KUNIT_EXPECT_EQ(test, i < 3 ? 0 : -EINVAL,
				vccw_ioctl(f, VFIO_DEVICE_GET_IRQ_INFO, f->u,
					   &ii, sizeof(ii)));
		if (i < 3) {
			KUNIT_EXPECT_EQ(test, ii.count, 1);
			KUNIT_EXPECT_EQ(test, ii.flags, VFIO_IRQ_INFO_EVENTFD);
		}
	}
	KUNIT_EXPECT_EQ(test, -ENOTTY,
			vccw_ioctl(f, VFIO_DEVICE_PCI_HOT_RESET, f->u, NULL, 0));
}

/*
 * C1: every offset outside a region, in any window, is -EINVAL before a
 * lock is taken: with the I/O lock held here, a write that tried it would
 * answer -EAGAIN instead.
 */
static void vccw_test_region_bounds(struct kunit *test)
{
	static const struct { loff_t pos; size_t len; } bad[] = {
		{ 0, 125 }, { 120, 5 }, { 124, 1 },
		{ 1024, 9 }, { 1024 + 8, 1 }, { 2048, 53 }, { 3072 + 4, 5 },
		{ 4096, 1 }, { 5 << 10, 8 }, { 1ULL << 40, 8 },
		{ (1ULL << 40) + 1024, 8 }, { -1, 1 }, { -1024, 8 },
	};
	struct vccw_fake *f = open_fake(test);
	unsigned int i;

	fsm_lock(&f->p->fsm);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		KUNIT_EXPECT_EQ_MSG(test, -EINVAL,
				    vccw_pwrite(f, f->u, NULL, bad[i].len,
						bad[i].pos),
				    "write %lld+%zu", bad[i].pos, bad[i].len);
	}
	/* Read-only regions refuse writes, also before the lock. */
	KUNIT_EXPECT_EQ(test, -EINVAL, vccw_pwrite(f, f->u, NULL, 8, 2048));
	KUNIT_EXPECT_EQ(test, -EINVAL, vccw_pwrite(f, f->u, NULL, 8, 3072));
	/* Writes that carry no part of a request. */
	KUNIT_EXPECT_EQ(test, -EINVAL, vccw_pwrite(f, f->u, NULL, 4, 120));
	KUNIT_EXPECT_EQ(test, -EINVAL, vccw_pwrite(f, f->u, NULL, 1, 24));
	KUNIT_EXPECT_EQ(test, -EINVAL, vccw_pwrite(f, f->u, NULL, 4, 1028));
	/* Nothing to do is done at once. */
	KUNIT_EXPECT_EQ(test, 0, vccw_pwrite(f, f->u, NULL, 0, 0));
	KUNIT_EXPECT_EQ(test, 0, vccw_pread(f, f->u, NULL, 0, 2048));
	/* A good offset does try the lock. */
	KUNIT_EXPECT_EQ(test, -EAGAIN, vccw_pwrite(f, f->u, NULL, 124, 0));
	KUNIT_EXPECT_EQ(test, -EAGAIN, vccw_pwrite(f, f->u, NULL, 8, 1024));
	fsm_unlock(&f->p->fsm);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ(test, -EINVAL,
				vccw_pread(f, f->u, NULL, bad[i].len,
					   bad[i].pos));
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
}

/* C7, C11, C17: one SENSE ID, as QEMU does it, data and IRB checked. */
static void vccw_test_sense_id(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	int efd = vccw_eventfd_new(test);
	struct irb_be irb;
	u8 *data;

	KUNIT_ASSERT_EQ(test, 0, vccw_arm_irq(f, VFIO_CCW_IO_IRQ_INDEX, efd));
	memset(ccw_guest_ptr(f->g, DATA_GA), 0, 256);
	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	KUNIT_EXPECT_EQ(test, vccw_eventfd_count(efd), 1);
	expect_program(test, f, false);
	KUNIT_ASSERT_EQ(test, 0, vccw_read_irb(f, &irb));
	KUNIT_EXPECT_EQ(test, scswb_fctl(&irb.scsw), SCSWB_FCTL_START);
	KUNIT_EXPECT_EQ(test, scswb_cc(&irb.scsw), 0);
	KUNIT_EXPECT_EQ(test, irb.scsw.dstat,
			DEV_STAT_CHN_END | DEV_STAT_DEV_END);
	/* The CCW address is the guest's, of the CCW after the last. */
	KUNIT_EXPECT_EQ(test, be32_to_cpu(irb.scsw.cpa), CCW_GA + 8);
	data = ccw_guest_ptr(f->g, DATA_GA);
	KUNIT_EXPECT_MEMEQ(test, data, vccw_fake_sense_id, FAKE_SENSE_ID_LEN);
	KUNIT_EXPECT_EQ(test, f->p->io.ret_code, 0);
	KUNIT_EXPECT_EQ(test, f->nr_start, 1);
	/* The host ORB: format 1, prefetch, format-2 IDAWs, a host CCW. */
	KUNIT_EXPECT_TRUE(test, be32_to_cpu(f->horb.ctl) & ORB_F);
	KUNIT_EXPECT_NE(test, be32_to_cpu(f->horb.cpa), CCW_GA);
}

/*
 * C17: the host program is format 1 and prefetched whatever the guest's
 * is; the status userspace reads describes the guest's ORB (SCSW bits F
 * and P), not the host's.
 */
static void vccw_test_scsw_format(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	struct irb_be irb;

	ccw_put0(f->g, CCW_GA, CCWC_SENSE_ID, CCWF_SLI, 256, DATA_GA);
	KUNIT_ASSERT_EQ(test, 0, vccw_start(f, CCW_GA, 0));
	vccw_settle(f);
	KUNIT_EXPECT_TRUE(test, be32_to_cpu(f->horb.ctl) & ORB_F);
	KUNIT_ASSERT_EQ(test, 0, vccw_read_irb(f, &irb));
	KUNIT_EXPECT_EQ(test, scswb_ctl(&irb.scsw) & (SCSWB_F | SCSWB_P), 0);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(irb.scsw.cpa), CCW_GA + 8);

	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	vccw_settle(f);
	KUNIT_ASSERT_EQ(test, 0, vccw_read_irb(f, &irb));
	KUNIT_EXPECT_EQ(test, scswb_ctl(&irb.scsw) & (SCSWB_F | SCSWB_P),
			SCSWB_F | SCSWB_P);
}

/* C2: no start, halt or clear before the device is open or once it is gone. */
static void vccw_test_refused_closed(struct kunit *test)
{
	struct vccw_fake *f = vccw_fake_new(test, PAGES);

	vccw_fake_create_mdev(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_STANDBY);
	KUNIT_EXPECT_EQ(test, -EACCES, start_sense_id(f));
	KUNIT_EXPECT_EQ(test, -EACCES, vccw_async_cmd(f, VFIO_CCW_ASYNC_CMD_HSCH));
	KUNIT_EXPECT_EQ(test, f->p->io.ret_code, -EACCES);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_STANDBY);
	vccw_sch_not_oper(&f->sch);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_NOT_OPER);
	KUNIT_EXPECT_EQ(test, -EACCES, start_sense_id(f));
	KUNIT_EXPECT_EQ(test, -EACCES, vccw_async_cmd(f, VFIO_CCW_ASYNC_CMD_CSCH));
	KUNIT_EXPECT_EQ(test, state(f), VCCW_NOT_OPER);
	KUNIT_EXPECT_EQ(test, f->nr_start + f->nr_halt + f->nr_clear, 0);
	expect_program(test, f, false);
	/* Not operational: open fails; operational again: it works. */
	f->enable_ret = -ENODEV;
	KUNIT_EXPECT_EQ(test, -ENODEV, vccw_dev_open(f));
	f->enable_ret = 0;
	KUNIT_EXPECT_EQ(test, 0, vccw_dev_open(f));
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
}

/* C7: each condition code of the start, and what QEMU is told. */
static void vccw_test_start_cc(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);

	f->start_cc = 1;
	KUNIT_EXPECT_EQ(test, -EBUSY, start_sense_id(f));
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	expect_program(test, f, false);
	f->start_cc = 2;
	KUNIT_EXPECT_EQ(test, -EBUSY, start_sense_id(f));
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	f->start_cc = 3;
	f->paths_left = 0x40;
	KUNIT_EXPECT_EQ(test, -EACCES, start_sense_id(f));
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	expect_program(test, f, false);
	f->paths_left = 0;
	KUNIT_EXPECT_EQ(test, -ENODEV, start_sense_id(f));
	KUNIT_EXPECT_EQ(test, state(f), VCCW_NOT_OPER);
	expect_program(test, f, false);
	KUNIT_EXPECT_EQ(test, f->p->io.ret_code, -ENODEV);
	/* Malformed programs: the translator's errno, the device usable. */
	vccw_dev_close(f);
	f->start_cc = 0;
	KUNIT_ASSERT_EQ(test, 0, vccw_dev_open(f));
	ccw_put1(f->g, CCW_GA, CCWC_TIC, 0, 0, CCW_GA + 8);
	ccw_put1(f->g, CCW_GA + 8, CCWC_TIC, 0, 0, CCW_GA);
	KUNIT_EXPECT_EQ(test, -EINVAL, vccw_start(f, CCW_GA, CTL_F1));
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	KUNIT_EXPECT_EQ(test, -EFAULT, vccw_start(f, PAGES * PAGE_SIZE, CTL_F1));
	expect_program(test, f, false);
	KUNIT_EXPECT_EQ(test, 0, start_sense_id(f));
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
}

/*
 * C9: a start while one is pending is -EBUSY with nothing translated and
 * the pending program and the region's ORB untouched (CR6); and a start
 * never overwrites an IRB userspace has not read (CR2).
 */
static void vccw_test_pending_busy(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	struct irb_be irb;
	u8 orb[ORB_AREA_SIZE];
	unsigned int allocs, reads;

	f->hold = true;
	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	KUNIT_EXPECT_EQ(test, state(f), VCCW_CP_PENDING);
	expect_program(test, f, true);
	allocs = f->p->cp.nr_allocs;
	reads = f->g->nr_reads;
	memcpy(orb, f->p->io.orb_area, sizeof(orb));
	KUNIT_EXPECT_EQ(test, -EBUSY, vccw_start(f, CCW_GA + 0x100, CTL_F1));
	KUNIT_EXPECT_EQ(test, state(f), VCCW_CP_PENDING);
	KUNIT_EXPECT_EQ(test, f->p->cp.nr_allocs, allocs);
	KUNIT_EXPECT_EQ(test, f->g->nr_reads, reads);
	KUNIT_EXPECT_MEMEQ(test, f->p->io.orb_area, orb, sizeof(orb));
	KUNIT_EXPECT_EQ(test, f->nr_start, 1);
	vccw_fake_irq(f, FAKE_IRQ_FINAL);
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	expect_program(test, f, false);
	/* The IRB is unread; the next start must not wipe it. */
	f->hold = false;
	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	KUNIT_EXPECT_TRUE(test, f->p->irb_unread);
	memcpy(&irb, f->p->io.irb_area, sizeof(irb));
	KUNIT_EXPECT_EQ(test, scswb_fctl(&irb.scsw), SCSWB_FCTL_START);
	KUNIT_EXPECT_EQ(test, irb.scsw.dstat,
			DEV_STAT_CHN_END | DEV_STAT_DEV_END);
	vccw_settle(f);
	/* Both IRBs arrive, one per read. */
	KUNIT_ASSERT_EQ(test, 0, vccw_read_irb(f, &irb));
	KUNIT_EXPECT_EQ(test, irb.scsw.dstat,
			DEV_STAT_CHN_END | DEV_STAT_DEV_END);
	KUNIT_EXPECT_TRUE(test, f->p->irb_unread);
	KUNIT_ASSERT_EQ(test, 0, vccw_read_irb(f, &irb));
	KUNIT_EXPECT_FALSE(test, f->p->irb_unread);
	KUNIT_EXPECT_EQ(test, f->p->stats.irbs_delivered, 2);
}

/*
 * Partial writes complete the request with what the region holds; a
 * request without the start function is -EOPNOTSUPP (C17).
 */
static void vccw_test_partial_write(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	struct scsw_be scsw = {};

	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	vccw_settle(f);
	scsw.ctl = cpu_to_be32(scswb_make_ctl(0, SCSWB_FCTL_START, 0, 0));
	KUNIT_EXPECT_EQ(test, sizeof(scsw),
			vccw_pwrite(f, f->u, &scsw, sizeof(scsw), 12));
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, f->nr_start, 2);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(f->horb.ctl) & ORB_F, ORB_F);
	scsw.ctl = cpu_to_be32(scswb_make_ctl(0, SCSWB_FCTL_HALT, 0, 0));
	KUNIT_EXPECT_EQ(test, -EOPNOTSUPP,
			vccw_pwrite(f, f->u, &scsw, sizeof(scsw), 12));
	KUNIT_EXPECT_EQ(test, f->p->io.ret_code, -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, f->nr_start, 2);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
}

/* From inside a start: the status of a halt issued while idle arrives. */
static void stale_halt_hook(struct vccw_fake *f)
{
	scoped_guard(spinlock_irqsave, &f->lock)
		f->started = false;
	vccw_fake_irq(f, FAKE_IRQ_HALTED);
	scoped_guard(spinlock_irqsave, &f->lock)
		f->started = true;
}

/*
 * The hard cases: status stored before the bottom half gets to it, for a
 * function issued before the one pending.  The test holds the I/O lock,
 * as a writer translating a program would, and dispatches the requests
 * itself; the bottom half runs only afterwards.
 *  - @dup_final: a duplicate of the previous program's final status is
 *    stored before the new start: it must not end the new program;
 *  - else: an idle halt's status is stored during the new start, and the
 *    new program is halted afterwards: only the second halt's status may
 *    end it.
 */
static void stale_during_start(struct kunit *test, struct vccw_fake *f,
			       bool dup_final)
{
	struct vccw_io_req req = {};
	u32 cmd = VFIO_CCW_ASYNC_CMD_HSCH;
	struct irb_be irb;

	ccw_make_orb(&req.orb, CTL_F1, CCW_GA);
	req.scsw.ctl = cpu_to_be32(scswb_make_ctl(0, SCSWB_FCTL_START, 0, 0));
	f->hold = true;
	f->start_hook = dup_final ? NULL : stale_halt_hook;
	scoped_guard(fsm, &f->p->fsm) {
		if (dup_final)
			vccw_fake_irq(f, FAKE_IRQ_FINAL);
		KUNIT_EXPECT_EQ(test, 0, __fsm_event(&f->p->fsm, VCCW_EV_IO_REQ,
						     &req));
		if (!dup_final)
			KUNIT_EXPECT_EQ(test, 0, __fsm_event(&f->p->fsm,
							     VCCW_EV_ASYNC_REQ,
							     &cmd));
	}
	f->start_hook = NULL;
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_CP_PENDING);
	expect_program(test, f, true);
	KUNIT_EXPECT_EQ(test, 0, vccw_read_irb(f, &irb));
	scoped_guard(spinlock_irqsave, &f->lock)
		f->started = true;
	vccw_fake_irq(f, dup_final ? FAKE_IRQ_FINAL : FAKE_IRQ_HALTED);
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	expect_program(test, f, false);
	KUNIT_EXPECT_EQ(test, 0, vccw_read_irb(f, &irb));
}

/*
 * The status of a halt issued while idle, arriving once a new program is
 * pending, does not end that program (its pages stay pinned for the
 * channel); a halt issued while pending does.  And no host address of
 * the ESW reaches userspace.
 */
static void vccw_test_stale_status(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	struct irb_be irb;
	unsigned int i;

	vccw_guest_sense_id(f, CCW_GA, DATA_GA);
	stale_during_start(test, f, true);
	stale_during_start(test, f, false);

	f->hold = true;
	f->start_hook = stale_halt_hook;
	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	f->start_hook = NULL;
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_CP_PENDING);
	expect_program(test, f, true);
	KUNIT_ASSERT_EQ(test, 0, vccw_read_irb(f, &irb));
	KUNIT_EXPECT_EQ(test, scswb_fctl(&irb.scsw), SCSWB_FCTL_HALT);
	/* Ours, now: a halt-only status ends the program. */
	KUNIT_EXPECT_EQ(test, 0, vccw_async_cmd(f, VFIO_CCW_ASYNC_CMD_HSCH));
	scoped_guard(spinlock_irqsave, &f->lock)
		f->started = false;
	vccw_fake_irq(f, FAKE_IRQ_HALTED);
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	expect_program(test, f, false);
	KUNIT_EXPECT_EQ(test, 0, vccw_read_irb(f, &irb));

	f->hold = false;
	f->esw_addrs = true;
	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	vccw_settle(f);
	KUNIT_ASSERT_EQ(test, 0, vccw_read_irb(f, &irb));
	for (i = 0; i < ESW_ADDRS_LEN; i++)
		KUNIT_EXPECT_EQ(test, irb.esw[ESW_FADDR + i], 0);
	KUNIT_EXPECT_FALSE(test, irb.esw[ESW_ERW] & ERW0_FSAVF);
	KUNIT_EXPECT_FALSE(test, irb.esw[ESW_ERW + 1] & ERW1_SCAVF);
	/* Halt with cc 3 while pending: gone, and the program freed. */
	f->hold = true;
	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	f->halt_cc = 3;
	KUNIT_EXPECT_EQ(test, -ENODEV, vccw_async_cmd(f, VFIO_CCW_ASYNC_CMD_HSCH));
	KUNIT_EXPECT_EQ(test, state(f), VCCW_NOT_OPER);
	expect_program(test, f, false);
}

/* C11, CR4: intermediate status keeps the state and the program. */
static void vccw_test_intermediate(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	int efd = vccw_eventfd_new(test);
	struct irb_be irb;

	KUNIT_ASSERT_EQ(test, 0, vccw_arm_irq(f, VFIO_CCW_IO_IRQ_INDEX, efd));
	f->hold = true;
	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	vccw_fake_irq(f, FAKE_IRQ_INTERMEDIATE);
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_CP_PENDING);
	expect_program(test, f, true);
	KUNIT_EXPECT_EQ(test, vccw_eventfd_count(efd), 1);
	KUNIT_ASSERT_EQ(test, 0, vccw_read_irb(f, &irb));
	KUNIT_EXPECT_EQ(test, scswb_stctl(&irb.scsw) & SCSWB_STCTL_INTER,
			SCSWB_STCTL_INTER);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(irb.scsw.cpa), CCW_GA + 8);
	vccw_fake_irq(f, FAKE_IRQ_FINAL);
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	expect_program(test, f, false);
	KUNIT_EXPECT_EQ(test, vccw_eventfd_count(efd), 1);
}

/* C12, CR3: unsolicited status, idle or pending, disturbs nothing. */
static void vccw_test_unsolicited(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	struct irb_be irb;

	vccw_fake_irq(f, FAKE_IRQ_UNSOLICITED);
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	KUNIT_ASSERT_EQ(test, 0, vccw_read_irb(f, &irb));
	KUNIT_EXPECT_EQ(test, irb.scsw.dstat, DEV_STAT_ATTENTION);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(irb.scsw.cpa), 0);
	f->hold = true;
	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	vccw_fake_irq(f, FAKE_IRQ_UNSOLICITED);
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_CP_PENDING);
	expect_program(test, f, true);
	KUNIT_ASSERT_EQ(test, 0, vccw_read_irb(f, &irb));
	KUNIT_EXPECT_EQ(test, irb.scsw.dstat, DEV_STAT_ATTENTION);
	vccw_fake_irq(f, FAKE_IRQ_DEFERRED_CC);
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	expect_program(test, f, false);
	KUNIT_ASSERT_EQ(test, 0, vccw_read_irb(f, &irb));
	KUNIT_EXPECT_EQ(test, scswb_cc(&irb.scsw), 1);
}

/* C10: halt and clear, idle and pending, each condition code. */
static void vccw_test_halt_clear(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	struct irb_be irb;

	f->hold = true;
	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	f->hold = false;
	KUNIT_EXPECT_EQ(test, 0, vccw_async_cmd(f, VFIO_CCW_ASYNC_CMD_HSCH));
	KUNIT_EXPECT_EQ(test, f->p->cmd.ret_code, 0);
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	expect_program(test, f, false);
	KUNIT_ASSERT_EQ(test, 0, vccw_read_irb(f, &irb));
	KUNIT_EXPECT_TRUE(test, scswb_fctl(&irb.scsw) & SCSWB_FCTL_HALT);
	/* Halt and clear stay in CP_PENDING until their status. */
	f->hold = true;
	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	KUNIT_EXPECT_EQ(test, 0, vccw_async_cmd(f, VFIO_CCW_ASYNC_CMD_CSCH));
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_CP_PENDING);
	expect_program(test, f, true);
	vccw_fake_irq(f, FAKE_IRQ_CLEARED);
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	expect_program(test, f, false);
	/* In IDLE too (a lost interrupt); unknown commands; busy. */
	KUNIT_EXPECT_EQ(test, 0, vccw_async_cmd(f, VFIO_CCW_ASYNC_CMD_HSCH));
	KUNIT_EXPECT_EQ(test, -EINVAL, vccw_async_cmd(f, 4));
	KUNIT_EXPECT_EQ(test, -EINVAL, vccw_async_cmd(f, 3));
	f->halt_cc = 1;
	KUNIT_EXPECT_EQ(test, -EBUSY, vccw_async_cmd(f, VFIO_CCW_ASYNC_CMD_HSCH));
	f->halt_cc = 2;
	KUNIT_EXPECT_EQ(test, -EBUSY, vccw_async_cmd(f, VFIO_CCW_ASYNC_CMD_HSCH));
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	f->clear_cc = 3;
	KUNIT_EXPECT_EQ(test, -ENODEV, vccw_async_cmd(f, VFIO_CCW_ASYNC_CMD_CSCH));
	KUNIT_EXPECT_EQ(test, state(f), VCCW_NOT_OPER);
	KUNIT_EXPECT_EQ(test, f->p->cmd.ret_code, -ENODEV);
}

/* CR14: two interrupts before the first read: both arrive, in order. */
static void vccw_test_two_irqs(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	int efd = vccw_eventfd_new(test);
	unsigned int i, kept;
	struct irb_be irb;

	KUNIT_ASSERT_EQ(test, 0, vccw_arm_irq(f, VFIO_CCW_IO_IRQ_INDEX, efd));
	f->hold = true;
	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	vccw_fake_irq(f, FAKE_IRQ_INTERMEDIATE);
	vccw_fake_irq(f, FAKE_IRQ_FINAL);
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	KUNIT_EXPECT_EQ(test, vccw_eventfd_count(efd), 1);
	KUNIT_ASSERT_EQ(test, 0, vccw_read_irb(f, &irb));
	KUNIT_EXPECT_TRUE(test, scswb_stctl(&irb.scsw) & SCSWB_STCTL_INTER);
	/* The read made the second one visible, with a signal of its own. */
	KUNIT_EXPECT_EQ(test, vccw_eventfd_count(efd), 1);
	KUNIT_ASSERT_EQ(test, 0, vccw_read_irb(f, &irb));
	KUNIT_EXPECT_FALSE(test, scswb_stctl(&irb.scsw) & SCSWB_STCTL_INTER);
	KUNIT_EXPECT_EQ(test, vccw_eventfd_count(efd), 0);
	/*
	 * A flood nobody reads: bounded, and every IRB is either kept or
	 * counted as dropped, in the hard-irq ring or in the delivery queue
	 * depending on when the bottom half ran.  What is kept arrives.
	 */
	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	for (i = 0; i < VCCW_IRB_QUEUE + 4; i++)
		vccw_fake_irq(f, FAKE_IRQ_UNSOLICITED);
	/* The program's end comes last: it must be what survives. */
	vccw_fake_irq(f, FAKE_IRQ_FINAL);
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	for (kept = 0; f->p->irb_unread && kept < 2 * VCCW_IRB_QUEUE; kept++)
		KUNIT_EXPECT_EQ(test, 0, vccw_read_irb(f, &irb));
	KUNIT_EXPECT_EQ(test, irb.scsw.dstat,
			DEV_STAT_CHN_END | DEV_STAT_DEV_END);
	KUNIT_EXPECT_GE(test, kept, VCCW_IRQ_RING);
	KUNIT_EXPECT_EQ(test, kept + f->p->stats.irq_overflow +
			f->p->stats.irb_overflow, VCCW_IRB_QUEUE + 5);
	KUNIT_EXPECT_FALSE(test, f->p->irb_unread);
}

/* C7: close and reset from CP_PENDING: quiesced, freed, STANDBY / IDLE. */
static void vccw_test_close_reset(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	int efd = vccw_eventfd_new(test);

	KUNIT_ASSERT_EQ(test, 0, vccw_arm_irq(f, VFIO_CCW_IO_IRQ_INDEX, efd));
	f->hold = true;
	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	KUNIT_EXPECT_EQ(test, 0, vccw_ioctl(f, VFIO_DEVICE_RESET, f->u, NULL, 0));
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	KUNIT_EXPECT_EQ(test, f->nr_quiesce, 1);
	expect_program(test, f, false);
	/* The eventfd survives a reset, not a close. */
	KUNIT_EXPECT_NOT_NULL(test, f->p->trig[VFIO_CCW_IO_IRQ_INDEX]);
	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	f->quiesce_ret = -ETIMEDOUT;
	vccw_dev_close(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_STANDBY);
	KUNIT_EXPECT_FALSE(test, f->enabled);
	expect_program(test, f, false);
	KUNIT_EXPECT_NULL(test, f->p->trig[VFIO_CCW_IO_IRQ_INDEX]);
	/* Interrupts after the close are dropped, and disable again. */
	f->irq_when_disabled = true;
	vccw_fake_irq(f, FAKE_IRQ_FINAL);
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_STANDBY);
	KUNIT_EXPECT_EQ(test, f->nr_disable, 3);	/* reset, close, irq */
	KUNIT_EXPECT_FALSE(test, f->p->irb_unread);
}

/*
 * C15: shutdown (reboot, kexec) quiesces under the I/O lock and leaves
 * the subchannel disabled for good: a reset cannot enable it again.
 */
static void vccw_test_shutdown(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	unsigned int enables;

	f->hold = true;
	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	vccw_sch_shutdown(&f->sch);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_NOT_OPER);
	KUNIT_EXPECT_EQ(test, f->nr_quiesce, 1);
	KUNIT_EXPECT_FALSE(test, f->enabled);
	expect_program(test, f, false);
	enables = f->nr_enable;
	vccw_ioctl(f, VFIO_DEVICE_RESET, f->u, NULL, 0);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_NOT_OPER);
	KUNIT_EXPECT_EQ(test, f->nr_enable, enables);
	KUNIT_EXPECT_FALSE(test, f->enabled);
}

/* NOT_OPER from every open state frees the program in process context. */
static void vccw_test_not_oper(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);

	f->hold = true;
	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	vccw_sch_not_oper(&f->sch);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_NOT_OPER);
	expect_program(test, f, false);
	KUNIT_EXPECT_FALSE(test, f->enabled);
	vccw_dev_close(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_STANDBY);
	KUNIT_EXPECT_EQ(test, 0, vccw_dev_open(f));
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
}

/* C17: the schib region reads, and is read-only. */
static void vccw_test_schib(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	u8 b[SCHIB_AREA_SIZE];

	KUNIT_ASSERT_EQ(test, SCHIB_AREA_SIZE,
			vccw_pread(f, f->u, b, sizeof(b), 2048));
	KUNIT_EXPECT_EQ(test, b[0], 0x50);
	KUNIT_EXPECT_EQ(test, b[51], 0x50 + 51);
	KUNIT_ASSERT_EQ(test, 4, vccw_pread(f, f->u, b, 4, 2048 + 48));
	KUNIT_EXPECT_EQ(test, b[0], 0x50 + 48);
	KUNIT_EXPECT_EQ(test, -EINVAL, vccw_pwrite(f, f->u, b, 4, 2048));
}

/* C17: channel-path events become CRWs, read one at a time. */
static void vccw_test_crw(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	int efd = vccw_eventfd_new(test);
	struct ccw_crw_region r;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, 0, vccw_arm_irq(f, VFIO_CCW_CRW_IRQ_INDEX, efd));
	vccw_sch_chp_event(&f->sch, 0x42, VCCW_CHP_OFFLINE);
	vccw_sch_chp_event(&f->sch, 0x42, VCCW_CHP_ONLINE);
	KUNIT_EXPECT_EQ(test, vccw_eventfd_count(efd), 2);
	/* A read of the pad, or of part of the word, takes nothing. */
	KUNIT_ASSERT_EQ(test, 4, vccw_pread(f, f->u, &r.pad, 4, 3072 + 4));
	KUNIT_ASSERT_EQ(test, 1, vccw_pread(f, f->u, &r.pad, 1, 3072));
	KUNIT_ASSERT_EQ(test, 8, vccw_pread(f, f->u, &r, 8, 3072));
	KUNIT_EXPECT_EQ(test, r.crw, 0x04060042);
	/* More is queued: signalled again. */
	KUNIT_EXPECT_EQ(test, vccw_eventfd_count(efd), 1);
	KUNIT_ASSERT_EQ(test, 8, vccw_pread(f, f->u, &r, 8, 3072));
	KUNIT_EXPECT_EQ(test, r.crw, 0x04020042);
	KUNIT_EXPECT_EQ(test, vccw_eventfd_count(efd), 0);
	KUNIT_ASSERT_EQ(test, 8, vccw_pread(f, f->u, &r, 8, 3072));
	KUNIT_EXPECT_EQ(test, r.crw, 0);
	KUNIT_EXPECT_EQ(test, -EINVAL, vccw_pwrite(f, f->u, &r, 8, 3072));
	for (i = 0; i < VCCW_CRW_QUEUE + 2; i++)
		vccw_sch_chp_event(&f->sch, i, VCCW_CHP_OFFLINE);
	KUNIT_EXPECT_EQ(test, f->p->stats.crw_overflow, 2);
	/* They were the session's: a new one starts with none. */
	vccw_dev_close(f);
	KUNIT_ASSERT_EQ(test, 0, vccw_dev_open(f));
	KUNIT_ASSERT_EQ(test, 8, vccw_pread(f, f->u, &r, 8, 3072));
	KUNIT_EXPECT_EQ(test, r.crw, 0);
}

/* C14: SET_IRQS: every data type, bad requests, release on close. */
static void vccw_test_set_irqs(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	int efd = vccw_eventfd_new(test);
	int efd2 = vccw_eventfd_new(test);
	struct {
		struct vfio_irq_set hdr;
		u8 data[4];
	} __packed s;
	unsigned int i;

	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, 0, vccw_arm_irq(f, i, efd));
	s.hdr = (struct vfio_irq_set){
		.argsz = sizeof(s.hdr), .index = VFIO_CCW_REQ_IRQ_INDEX,
		.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER,
		.count = 1,
	};
	KUNIT_EXPECT_EQ(test, 0, vccw_ioctl(f, VFIO_DEVICE_SET_IRQS, f->u, &s,
					    sizeof(s)));
	KUNIT_EXPECT_EQ(test, vccw_eventfd_count(efd), 1);
	s.hdr.argsz = sizeof(s.hdr) + 1;
	s.hdr.flags = VFIO_IRQ_SET_DATA_BOOL | VFIO_IRQ_SET_ACTION_TRIGGER;
	s.data[0] = 1;
	KUNIT_EXPECT_EQ(test, 0, vccw_ioctl(f, VFIO_DEVICE_SET_IRQS, f->u, &s,
					    sizeof(s)));
	s.data[0] = 0;
	KUNIT_EXPECT_EQ(test, 0, vccw_ioctl(f, VFIO_DEVICE_SET_IRQS, f->u, &s,
					    sizeof(s)));
	KUNIT_EXPECT_EQ(test, vccw_eventfd_count(efd), 1);
	/* Out of range, not a trigger, a bad fd. */
	s.hdr.index = 3;
	KUNIT_EXPECT_EQ(test, -EINVAL, vccw_ioctl(f, VFIO_DEVICE_SET_IRQS,
						  f->u, &s, sizeof(s)));
	s.hdr.index = 0;
	s.hdr.flags = VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_MASK;
	s.hdr.argsz = sizeof(s.hdr);
	KUNIT_EXPECT_EQ(test, -EINVAL, vccw_ioctl(f, VFIO_DEVICE_SET_IRQS,
						  f->u, &s, sizeof(s)));
	KUNIT_EXPECT_EQ(test, -EBADF, vccw_arm_irq(f, 0, 1000));
	KUNIT_EXPECT_EQ(test, -EINVAL, vccw_arm_irq(f, 0, -2));
	/* REQ: what a remove with userspace still holding the device sends. */
	KUNIT_EXPECT_EQ(test, 0, vccw_arm_irq(f, VFIO_CCW_REQ_IRQ_INDEX, efd2));
	KUNIT_EXPECT_EQ(test, 0, vccw_eventfd_count(efd));
	f->p->vdev.ops->request(&f->p->vdev, 0);
	KUNIT_EXPECT_EQ(test, vccw_eventfd_count(efd2), 1);
	KUNIT_EXPECT_EQ(test, vccw_eventfd_count(efd), 0);
	/* With no data to read, only a plain trigger is accepted. */
	s.hdr = (struct vfio_irq_set){
		.argsz = sizeof(s.hdr), .index = 0, .count = 0,
		.flags = VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER,
	};
	KUNIT_EXPECT_EQ(test, -EINVAL, vccw_ioctl(f, VFIO_DEVICE_SET_IRQS,
						  f->u, &s, sizeof(s)));
	/* Replaced, then released. */
	KUNIT_EXPECT_EQ(test, 0, vccw_arm_irq(f, 0, efd2));
	vccw_fake_irq(f, FAKE_IRQ_UNSOLICITED);
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, vccw_eventfd_count(efd2), 1);
	KUNIT_EXPECT_EQ(test, vccw_eventfd_count(efd), 0);
	KUNIT_EXPECT_EQ(test, 0, vccw_arm_irq(f, 0, -1));
	KUNIT_EXPECT_NULL(test, f->p->trig[0]);
	vccw_dev_close(f);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_NULL(test, f->p->trig[i]);
}

/* Unmapping memory a pending program pinned resets the device. */
static void vccw_test_dma_unmap(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	struct vfio_device *vdev;

	f->hold = true;
	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	vdev = &f->p->vdev;
	vdev->ops->dma_unmap(vdev, DATA_GA + PAGE_SIZE, PAGE_SIZE);
	vdev->ops->dma_unmap(vdev, 0, DATA_GA);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_CP_PENDING);
	KUNIT_EXPECT_EQ(test, f->p->stats.resets, 0);
	vdev->ops->dma_unmap(vdev, DATA_GA + 0x80, 1);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	KUNIT_EXPECT_EQ(test, f->p->stats.resets, 1);
	expect_program(test, f, false);
	f->hold = false;
	KUNIT_EXPECT_EQ(test, 0, start_sense_id(f));
}

/*
 * CP_PROCESSING exists only inside the starting action, under the I/O
 * lock: from there, a second start and a halt are told -EAGAIN at once
 * by the lock (C3, C8, CR9), and the state is CP_PROCESSING.  (lib/fsm
 * refuses a nested dispatch, so the table's CP_PROCESSING cells are
 * unreachable by construction.)
 */
static int hook_results[3];

static void cp_processing_hook(struct vccw_fake *f)
{
	hook_results[0] = fsm_state(&f->p->fsm);
	hook_results[1] = vccw_start(f, CCW_GA, CTL_F1);
	hook_results[2] = vccw_async_cmd(f, VFIO_CCW_ASYNC_CMD_HSCH);
}

static void vccw_test_cp_processing(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);

	f->start_hook = cp_processing_hook;
	KUNIT_ASSERT_EQ(test, 0, start_sense_id(f));
	KUNIT_EXPECT_EQ(test, hook_results[0], VCCW_CP_PROCESSING);
	KUNIT_EXPECT_EQ(test, hook_results[1], -EAGAIN);
	KUNIT_EXPECT_EQ(test, hook_results[2], -EAGAIN);
	KUNIT_EXPECT_EQ(test, f->nr_start, 1);
	KUNIT_EXPECT_EQ(test, f->nr_halt, 0);
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
}

/* C19: every cell is declared; none falls to the default. */
static void vccw_test_table_complete(struct kunit *test)
{
	bool seen[VCCW_NR_STATES][VCCW_NR_EVENTS] = {};
	unsigned int i;

	KUNIT_EXPECT_EQ(test, vccw_fsm_table.nr_transitions,
			VCCW_NR_STATES * VCCW_NR_EVENTS);
	for (i = 0; i < vccw_fsm_table.nr_transitions; i++) {
		const struct fsm_transition *t = &vccw_fsm_table.transitions[i];

		KUNIT_EXPECT_FALSE(test, seen[t->state][t->event]);
		seen[t->state][t->event] = true;
		KUNIT_EXPECT_NOT_NULL(test, t->action);
		/* No way back into CP_PROCESSING from CP_PENDING. */
		if (t->state == VCCW_CP_PENDING)
			KUNIT_EXPECT_FALSE(test, t->next & BIT(VCCW_CP_PROCESSING));
	}
}

/* The mdev type as mdevctl sees it. */
static void vccw_test_mdev_type(struct kunit *test)
{
	struct vccw_fake *f = vccw_fake_new(test, PAGES);
	guid_t other = GUID_INIT(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);

	KUNIT_EXPECT_STREQ(test, f->sch.type.sysfs_name, "io");
	KUNIT_EXPECT_STREQ(test, dev_driver_string(f->dev), "vfio_ccw");
	vccw_fake_create_mdev(f);
	KUNIT_EXPECT_STREQ(test, f->p->vdev.ops->name, "vfio-ccw");
	/* One device per subchannel. */
	KUNIT_EXPECT_EQ(test, mdev_create(&f->sch.type, &other), -EUSERS);
}

/*
 * Every fallible step of the probe, then every allocation, pin and read of
 * a translation, failed in turn: a clear errno each time, and counts back
 * at the baseline (no device, no program, no pin, no UUID kept).
 */
static void vccw_test_fault_injection(struct kunit *test)
{
	struct vccw_fake *f = vccw_fake_new(test, PAGES);
	unsigned int n, devices = vccw_nr_devices(), uuids, parents, u0;
	struct vfio_region_info ri;
	int ret;

	mdev_core_stats(&u0, &parents);
	for (n = 1; n < 32; n++) {
		generate_random_guid(f->uuid.b);
		vccw_inject_fault(n);
		ret = mdev_create(&f->sch.type, &f->uuid);
		vccw_inject_fault(0);
		if (!ret)
			break;
		KUNIT_EXPECT_EQ_MSG(test, ret, -ENOMEM, "probe step %u", n);
		KUNIT_EXPECT_NULL(test, f->sch.private);
		KUNIT_EXPECT_EQ(test, vccw_nr_devices(), devices);
		mdev_core_stats(&uuids, &parents);
		KUNIT_EXPECT_EQ(test, uuids, u0);
	}
	KUNIT_ASSERT_EQ(test, ret, 0);
	kunit_info(test, "probe: %u fallible steps\n", n - 1);
	KUNIT_EXPECT_GE(test, n - 1, 4);
	KUNIT_EXPECT_EQ(test, 0, mdev_remove_uuid(&f->uuid));
	KUNIT_EXPECT_EQ(test, vccw_nr_devices(), devices);

	vccw_fake_create_mdev(f);
	KUNIT_ASSERT_EQ(test, 0, vccw_dev_open(f));
	ri = (struct vfio_region_info){ .argsz = sizeof(ri), .index = 1 };
	vccw_inject_fault(1);
	KUNIT_EXPECT_EQ(test, -ENOMEM, vccw_ioctl(f, VFIO_DEVICE_GET_REGION_INFO,
						  f->u, &ri, sizeof(ri)));
	vccw_inject_fault(0);

	/* A program with three chains, a data chain and an IDAL. */
	ccw_put1(f->g, CCW_GA, CCWC_SENSE_ID, CCWF_CC | CCWF_SLI, 7, DATA_GA);
	ccw_put1(f->g, CCW_GA + 8, 0x02, CCWF_CD | CCWF_IDA, 0x1800,
		 CCW_GA + 0x100);
	ccw_put_idaw(f->g, CCW_GA + 0x100, true, DATA_GA + 0x1000);
	ccw_put_idaw(f->g, CCW_GA + 0x108, true, DATA_GA + 0x2000);
	ccw_put1(f->g, CCW_GA + 16, 0x02, CCWF_CC, 16, DATA_GA + 0x3000);
	ccw_put1(f->g, CCW_GA + 24, CCWC_TIC, 0, 0, CCW_GA + 0x200);
	ccw_put1(f->g, CCW_GA + 0x200, CCWC_NOP, 0, 0, 0);
	for (n = 1; n < 64; n++) {
		f->p->cp.fail_alloc_nth = n;
		ret = vccw_start(f, CCW_GA, CTL_F1);
		f->p->cp.fail_alloc_nth = 0;
		if (!ret)
			break;
		KUNIT_EXPECT_EQ_MSG(test, ret, -ENOMEM, "allocation %u", n);
		KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
		expect_program(test, f, false);
	}
	KUNIT_EXPECT_EQ(test, ret, 0);
	kunit_info(test, "translation: %u allocations\n", n - 1);
	KUNIT_EXPECT_GE(test, n - 1, 3);
	vccw_settle(f);
	expect_program(test, f, false);
	for (n = 1; n < 64; n++) {
		f->g->fail_pin_nth = n;
		ret = vccw_start(f, CCW_GA, CTL_F1);
		f->g->fail_pin_nth = 0;
		vccw_settle(f);
		if (!ret)
			break;
		KUNIT_EXPECT_EQ_MSG(test, ret, -ENOMEM, "pin %u", n);
		expect_program(test, f, false);
	}
	KUNIT_EXPECT_GE(test, n - 1, 3);
	for (n = 1; n < 64; n++) {
		f->g->fail_read_nth = n;
		ret = vccw_start(f, CCW_GA, CTL_F1);
		f->g->fail_read_nth = 0;
		vccw_settle(f);
		if (!ret)
			break;
		KUNIT_EXPECT_EQ_MSG(test, ret, -EFAULT, "read %u", n);
		expect_program(test, f, false);
	}
	KUNIT_EXPECT_GE(test, n - 1, 2);
	KUNIT_EXPECT_EQ(test, state(f), VCCW_IDLE);
	/* The data really arrived, chain by chain. */
	KUNIT_EXPECT_MEMEQ(test, ccw_guest_ptr(f->g, DATA_GA),
			   vccw_fake_sense_id, FAKE_SENSE_ID_LEN);
	KUNIT_EXPECT_EQ(test, *(u8 *)ccw_guest_ptr(f->g, DATA_GA + 0x1000),
			0x02);
	KUNIT_EXPECT_EQ(test, *(u8 *)ccw_guest_ptr(f->g, DATA_GA + 0x3000),
			0x02);
}

static struct kunit_case vccw_test_cases[] = {
	KUNIT_CASE(vccw_test_abi_info),
	KUNIT_CASE(vccw_test_region_bounds),
	KUNIT_CASE(vccw_test_sense_id),
	KUNIT_CASE(vccw_test_scsw_format),
	KUNIT_CASE(vccw_test_refused_closed),
	KUNIT_CASE(vccw_test_start_cc),
	KUNIT_CASE(vccw_test_pending_busy),
	KUNIT_CASE(vccw_test_partial_write),
	KUNIT_CASE(vccw_test_stale_status),
	KUNIT_CASE(vccw_test_intermediate),
	KUNIT_CASE(vccw_test_unsolicited),
	KUNIT_CASE(vccw_test_halt_clear),
	KUNIT_CASE(vccw_test_two_irqs),
	KUNIT_CASE(vccw_test_close_reset),
	KUNIT_CASE(vccw_test_shutdown),
	KUNIT_CASE(vccw_test_not_oper),
	KUNIT_CASE(vccw_test_schib),
	KUNIT_CASE(vccw_test_crw),
	KUNIT_CASE(vccw_test_set_irqs),
	KUNIT_CASE(vccw_test_dma_unmap),
	KUNIT_CASE(vccw_test_cp_processing),
	KUNIT_CASE(vccw_test_table_complete),
	KUNIT_CASE(vccw_test_mdev_type),
	KUNIT_CASE(vccw_test_fault_injection),
	{}
};

static struct kunit_suite vccw_test_suite = {
	.name = "vfio_ccw",
	.test_cases = vccw_test_cases,
};

kunit_test_suite(vccw_test_suite);
