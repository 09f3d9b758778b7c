// SPDX-License-Identifier: GPL-2.0
/*
 * The s390 backend of the vfio-ccw core: a css driver named vfio_ccw for
 * I/O subchannels.  See docs/vfio-ccw.rst.
 *
 * Each bound subchannel gets one struct vccw_css, and through it a struct
 * vccw_sch the core drives.
 * The core does everything VFIO; this file only turns its operations into
 * cio calls and the css callbacks into the core's entry points.
 *
 * The css layer calls into the bound driver three ways, none of them
 * serialized against unbind by the css layer itself:
 *   - irq, under the subchannel lock;
 *   - chp_event, under the subchannel lock too (atomic context);
 *   - sch_event, in process context with no lock at all, on cio's
 *     single-threaded slow path (which must not wait for a remove that
 *     waits for userspace).
 * sch->driver is written without the subchannel lock, so any of them may
 * still be called for a subchannel this driver has let go, whose drvdata
 * another driver owns.  So each finds its vccw_css in vccw_css_bound, by
 * subchannel id, under the subchannel lock: probe publishes it there and
 * remove withdraws it, both under that lock.  What the core must hear in
 * process context (channel-path events, a subchannel gone) is queued for
 * a work item, which remove stops and cancels before anything goes.
 */

#include <linux/completion.h>
#include <linux/device.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <uapi/linux/vfio_ccw.h>

#include <asm/irq.h>
#include <asm/isc.h>

/* cio's own headers: Kbuild puts drivers/s390/cio on the include path. */
#include "chp.h"
#include "cio.h"
#include "css.h"
#include "ioasm.h"
#include "orb.h"

#include "sch.h"

/* The channel-path events one subchannel holds until the work runs. */
#define VCCW_CSS_CHP_QUEUE	8

/* How long one round of cancel, halt or clear may take to interrupt. */
#define VCCW_CSS_QUIESCE_WAIT	(3 * HZ)
/* Rounds of quiesce before giving up, whatever the device presents. */
#define VCCW_CSS_QUIESCE_ROUNDS	32

struct vccw_css_chp {
	u8 chpid;
	enum vccw_chp_event event;
};

/**
 * struct vccw_css - one bound I/O subchannel
 * @orb: the ORB of the start in progress (must stay put while the channel
 *	subsystem fetches it: not on the stack)
 * @sch: the subchannel
 * @core: what the vfio-ccw core drives
 * @event_work: hands the queued events to the core
 * @chp: those events, oldest at @chp_head
 * @chp_head: index of the oldest
 * @chp_len: how many are queued
 * @not_oper: the subchannel is gone: tell the core
 * @events_closed: not bound yet, or remove has begun: queue nothing
 * @quiesced: completed by the interrupt that ends a round of quiesce
 */
struct vccw_css {
	union orb orb;			/* protected by sch->lock */
	struct subchannel *sch;
	struct vccw_sch core;
	struct work_struct event_work;
	/* protected by sch->lock */
	struct vccw_css_chp chp[VCCW_CSS_CHP_QUEUE];
	unsigned int chp_head;
	unsigned int chp_len;
	bool not_oper;
	bool events_closed;
	struct completion *quiesced;
};

static struct css_driver vccw_css_driver;

/*
 * The bound subchannels, by subchannel id.  Written and read with the
 * subchannel's lock held, the xarray's own lock inside it for writes:
 * that lock is only ever taken with interrupts off.
 */
static DEFINE_XARRAY_FLAGS(vccw_css_bound, XA_FLAGS_LOCK_IRQ);

static unsigned long vccw_css_key(struct subchannel *sch)
{
	return (unsigned long)sch->schid.cssid << 24 |
	       sch->schid.ssid << 16 | sch->schid.sch_no;
}

/* This driver's vccw_css for @sch, or NULL. */
static struct vccw_css *vccw_css_lookup(struct subchannel *sch)
{
	struct vccw_css *css;

	lockdep_assert_held(&sch->lock);
	css = xa_load(&vccw_css_bound, vccw_css_key(sch));
	return css && css->sch == sch ? css : NULL;
}

static struct vccw_css *vccw_css_of(struct vccw_sch *core)
{
	return container_of(core, struct vccw_css, core);
}

/* The interruption parameter cio's interrupt handler expects back. */
static u32 vccw_css_intparm(struct subchannel *sch)
{
	return (u32)virt_to_phys(sch);
}

static int vccw_css_enable(struct vccw_sch *core)
{
	struct subchannel *sch = vccw_css_of(core)->sch;
	int ret;

	spin_lock_irq(&sch->lock);
	ret = cio_enable_subchannel(sch, vccw_css_intparm(sch));
	spin_unlock_irq(&sch->lock);
	return ret;
}

static int vccw_css_disable(struct vccw_sch *core)
{
	struct subchannel *sch = vccw_css_of(core)->sch;
	int ret;

	spin_lock_irq(&sch->lock);
	ret = cio_disable_subchannel(sch);
	spin_unlock_irq(&sch->lock);
	return ret;
}

static int vccw_css_start(struct vccw_sch *core, const struct orb_be *orb)
{
	struct vccw_css *css = vccw_css_of(core);
	struct subchannel *sch = css->sch;
	int cc;

	static_assert(sizeof(*orb) == offsetofend(struct cmd_orb, cpa));
	spin_lock_irq(&sch->lock);
	memset(&css->orb, 0, sizeof(css->orb));
	memcpy(&css->orb, orb, sizeof(*orb));
	css->orb.cmd.intparm = vccw_css_intparm(sch);
	cc = ssch(sch->schid, &css->orb);
	if (!cc)
		sch->schib.scsw.cmd.actl |= SCSW_ACTL_START_PEND;
	spin_unlock_irq(&sch->lock);
	return cc;
}

/* Halt or clear: the instruction, and the pending bit cio keeps for it. */
static int vccw_css_async(struct vccw_sch *core,
			  int (*insn)(struct subchannel_id schid), u32 pend)
{
	struct subchannel *sch = vccw_css_of(core)->sch;
	int cc;

	spin_lock_irq(&sch->lock);
	cc = insn(sch->schid);
	if (!cc)
		sch->schib.scsw.cmd.actl |= pend;
	spin_unlock_irq(&sch->lock);
	return cc;
}

static int vccw_css_halt(struct vccw_sch *core)
{
	return vccw_css_async(core, hsch, SCSW_ACTL_HALT_PEND);
}

static int vccw_css_clear(struct vccw_sch *core)
{
	return vccw_css_async(core, csch, SCSW_ACTL_CLEAR_PEND);
}

/*
 * Cancel, halt, then clear, one step per interrupt, until the subchannel
 * can be disabled.  cio_cancel_halt_clear() bounds its halts and clears
 * (three, then 255, then -EIO), each wait is bounded and so is the
 * number of rounds, so this ends; once it returns the subchannel is
 * disabled or cannot be told anything more.
 */
static int vccw_css_quiesce_sch(struct vccw_css *css)
{
	struct subchannel *sch = css->sch;
	unsigned int round = 0;
	int iretry = 255;
	int ret;

	spin_lock_irq(&sch->lock);
	for (;;) {
		DECLARE_COMPLETION_ONSTACK(done);

		/* A device that keeps presenting status uses no retries. */
		if (++round > VCCW_CSS_QUIESCE_ROUNDS) {
			ret = -ETIMEDOUT;
			break;
		}
		ret = cio_cancel_halt_clear(sch, &iretry);
		if (ret == -EBUSY) {
			css->quiesced = &done;
			spin_unlock_irq(&sch->lock);
			wait_for_completion_timeout(&done,
						    VCCW_CSS_QUIESCE_WAIT);
			spin_lock_irq(&sch->lock);
			css->quiesced = NULL;
		} else if (ret) {
			break;
		}
		ret = cio_disable_subchannel(sch);
		if (ret != -EBUSY)
			break;
		/* Status pending: let its interrupt in before the next round. */
		spin_unlock_irq(&sch->lock);
		cond_resched();
		spin_lock_irq(&sch->lock);
	}
	spin_unlock_irq(&sch->lock);
	if (ret && ret != -ENODEV)
		dev_warn_ratelimited(&sch->dev,
				     "vfio_ccw: cannot quiesce: %d\n", ret);
	return ret == -ENODEV ? 0 : ret;
}

static int vccw_css_quiesce(struct vccw_sch *core)
{
	return vccw_css_quiesce_sch(vccw_css_of(core));
}

static int vccw_css_read_schib(struct vccw_sch *core, void *schib)
{
	struct subchannel *sch = vccw_css_of(core)->sch;

	static_assert(sizeof(sch->schib) == sizeof_field(struct ccw_schib_region,
							 schib_area));
	int ret = -ENODEV;

	spin_lock_irq(&sch->lock);
	if (!cio_update_schib(sch)) {
		memcpy(schib, &sch->schib, sizeof(sch->schib));
		ret = 0;
	}
	spin_unlock_irq(&sch->lock);
	return ret;
}

static u8 vccw_css_path_mask(struct vccw_sch *core)
{
	struct subchannel *sch = vccw_css_of(core)->sch;
	u8 lpm;

	spin_lock_irq(&sch->lock);
	lpm = sch->lpm;
	spin_unlock_irq(&sch->lock);
	return lpm;
}

static u8 vccw_css_paths_failed(struct vccw_sch *core, u8 lpm)
{
	struct subchannel *sch = vccw_css_of(core)->sch;

	u8 left = 0;

	spin_lock_irq(&sch->lock);
	/* An ORB without a path mask may have used any path. */
	sch->lpm &= lpm ? ~lpm : 0;
	if (!cio_update_schib(sch))
		left = sch->lpm;
	spin_unlock_irq(&sch->lock);
	return left;
}

static const struct vccw_sch_ops vccw_css_ops = {
	.enable = vccw_css_enable,
	.disable = vccw_css_disable,
	.start = vccw_css_start,
	.halt = vccw_css_halt,
	.clear = vccw_css_clear,
	.quiesce = vccw_css_quiesce,
	.read_schib = vccw_css_read_schib,
	.path_mask = vccw_css_path_mask,
	.paths_failed = vccw_css_paths_failed,
};

/* cio's interrupt handler, with the subchannel lock held. */
static void vccw_css_irq(struct subchannel *sch)
{
	struct vccw_css *css = vccw_css_lookup(sch);

	inc_irq_stat(IRQIO_CIO);
	if (!css) {
		/* Not bound (any more): nobody to tell; stop it talking. */
		cio_disable_subchannel(sch);
		return;
	}
	if (css->quiesced)
		complete(css->quiesced);
	/* struct irb is the big-endian IRB ccw_s390_check.c proves it is. */
	vccw_sch_interrupt(&css->core, (const void *)this_cpu_ptr(&cio_irb));
}

/* The core hears in process context what css said under the lock. */
static void vccw_css_event_work(struct work_struct *work)
{
	struct vccw_css *css = container_of(work, struct vccw_css, event_work);
	struct subchannel *sch = css->sch;
	struct vccw_css_chp ev;
	bool not_oper;

	for (;;) {
		scoped_guard(spinlock_irq, &sch->lock) {
			not_oper = css->not_oper;
			css->not_oper = false;
			if (!not_oper && !css->chp_len)
				return;
			if (!not_oper) {
				ev = css->chp[css->chp_head];
				css->chp_head = (css->chp_head + 1) %
						VCCW_CSS_CHP_QUEUE;
				css->chp_len--;
			}
		}
		if (not_oper)
			vccw_sch_not_oper(&css->core);
		else
			vccw_sch_chp_event(&css->core, ev.chpid, ev.event);
	}
}

static void vccw_css_queue_chp(struct vccw_css *css, u8 chpid,
			       enum vccw_chp_event event)
{
	struct subchannel *sch = css->sch;

	lockdep_assert_held(&sch->lock);
	if (css->events_closed)
		return;
	if (css->chp_len == VCCW_CSS_CHP_QUEUE) {
		/* Userspace learns the paths from the schib region anyway. */
		dev_warn_ratelimited(&sch->dev,
				     "vfio_ccw: channel-path event for %02x dropped\n",
				     chpid);
		return;
	}
	css->chp[(css->chp_head + css->chp_len++) % VCCW_CSS_CHP_QUEUE] =
		(struct vccw_css_chp){ .chpid = chpid, .event = event };
	queue_work(system_unbound_wq, &css->event_work);
}

/*
 * With the subchannel lock held.  The path masks change here, before the
 * next start reads them; the core hears of paths that come and go through
 * a CRW.  Unlike 6.12's driver this does not halt or clear a program
 * running on the path that went: only the core asks for halt and clear,
 * so it always knows whose status it reads.  Such a program ends when the
 * channel subsystem ends it, or when userspace, told by the CRW, halts or
 * clears it (docs/vfio-ccw.rst, Known limits).
 */
static int vccw_css_chp_event(struct subchannel *sch, struct chp_link *link,
			      int event)
{
	struct vccw_css *css = vccw_css_lookup(sch);
	u8 mask;

	if (!css)
		return 0;
	mask = chp_ssd_get_mask(&sch->ssd_info, link);
	if (!mask)
		return 0;
	if (cio_update_schib(sch))
		return -ENODEV;
	switch (event) {
	case CHP_VARY_OFF:
		sch->opm &= ~mask;
		sch->lpm &= ~mask;
		break;
	case CHP_OFFLINE:
		vccw_css_queue_chp(css, link->chpid.id, VCCW_CHP_OFFLINE);
		break;
	case CHP_VARY_ON:
		sch->opm |= mask;
		sch->lpm |= mask;
		break;
	case CHP_ONLINE:
		sch->lpm |= mask & sch->opm;
		vccw_css_queue_chp(css, link->chpid.id, VCCW_CHP_ONLINE);
		break;
	}
	return 0;
}

/*
 * Process context, on cio's slow path or the machine-check thread, which
 * must not wait: everything here happens under the subchannel lock.  A
 * subchannel that is gone is scheduled for unregistration (which unbinds
 * this driver) and the core is told through the work item.
 */
static int vccw_css_sch_event(struct subchannel *sch, int slow)
{
	struct vccw_css *css;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&sch->lock, flags);
	css = vccw_css_lookup(sch);
	if (!css)
		goto out;
	if (!device_is_registered(&sch->dev) ||
	    work_pending(&sch->todo_work)) {
		ret = -EAGAIN;
		goto out;
	}
	if (cio_update_schib(sch)) {
		if (!css->events_closed) {
			css->not_oper = true;
			queue_work(system_unbound_wq, &css->event_work);
		}
		css_sched_sch_todo(sch, SCH_TODO_UNREG);
	}
out:
	spin_unlock_irqrestore(&sch->lock, flags);
	return ret;
}

static int vccw_css_probe(struct subchannel *sch)
{
	unsigned long key = vccw_css_key(sch);
	struct vccw_css *css;
	void *old;
	u8 opm;
	int ret;

	if (sch->schib.pmcw.qf) {
		dev_warn(&sch->dev, "vfio_ccw: QDIO subchannels are not supported\n");
		return -ENODEV;
	}
	/* GFP_DMA: the ORB inside must be addressable by the channel. */
	css = kzalloc(sizeof(*css), GFP_KERNEL | GFP_DMA);
	if (!css)
		return -ENOMEM;
	css->sch = sch;
	css->core.dev = &sch->dev;
	css->core.ops = &vccw_css_ops;
	css->core.irq_lock = &sch->lock;
	css->events_closed = true;
	INIT_WORK(&css->event_work, vccw_css_event_work);
	ret = xa_reserve_irq(&vccw_css_bound, key, GFP_KERNEL);
	if (ret)
		goto free;
	opm = chp_get_sch_opm(sch);
	scoped_guard(spinlock_irq, &sch->lock) {
		/* As io_subchannel would: one bound at boot never met it. */
		sch->isc = VFIO_CCW_ISC;
		sch->opm = opm;
		sch->lpm = sch->schib.pmcw.pam & opm;
		/* Reserved: no allocation under the lock, and nothing there. */
		old = xa_store(&vccw_css_bound, key, css, GFP_ATOMIC);
		/* Another binding's entry: put it back, bind nothing. */
		if (WARN_ON_ONCE(old))
			xa_store(&vccw_css_bound, key, old, GFP_ATOMIC);
	}
	if (old) {
		ret = -EEXIST;
		goto free;
	}
	dev_set_drvdata(&sch->dev, css);
	ret = vccw_sch_register(&css->core);
	if (ret)
		goto unpublish;
	/* Only now may events reach the core. */
	scoped_guard(spinlock_irq, &sch->lock)
		css->events_closed = false;
	return 0;
unpublish:
	scoped_guard(spinlock_irq, &sch->lock)
		xa_erase(&vccw_css_bound, key);
	dev_set_drvdata(&sch->dev, NULL);
free:
	kfree(css);
	return ret;
}

static void vccw_css_remove(struct subchannel *sch)
{
	struct vccw_css *css = dev_get_drvdata(&sch->dev);

	scoped_guard(spinlock_irq, &sch->lock)
		css->events_closed = true;
	cancel_work_sync(&css->event_work);
	/* Removes the mdev; its close still needs interrupts delivered. */
	vccw_sch_unregister(&css->core);
	scoped_guard(spinlock_irq, &sch->lock) {
		cio_disable_subchannel(sch);
		xa_erase(&vccw_css_bound, vccw_css_key(sch));
	}
	dev_set_drvdata(&sch->dev, NULL);
	kfree(css);
}

/*
 * Reboot or kexec: leave no channel program running into freed memory.
 * The core quiesces under its I/O lock, as a close does.
 */
static void vccw_css_shutdown(struct subchannel *sch)
{
	struct vccw_css *css = dev_get_drvdata(&sch->dev);

	if (css)
		vccw_sch_shutdown(&css->core);
}

static struct css_device_id vccw_css_ids[] = {
	{ .match_flags = 0x1, .type = SUBCHANNEL_TYPE_IO, },
	{ /* end of list */ },
};
MODULE_DEVICE_TABLE(css, vccw_css_ids);

static struct css_driver vccw_css_driver = {
	.drv = {
		.name = "vfio_ccw",
		.owner = THIS_MODULE,
	},
	.subchannel_type = vccw_css_ids,
	.irq = vccw_css_irq,
	.probe = vccw_css_probe,
	.remove = vccw_css_remove,
	.shutdown = vccw_css_shutdown,
	.sch_event = vccw_css_sch_event,
	.chp_event = vccw_css_chp_event,
};

static int __init vccw_css_init(void)
{
	int ret;

	isc_register(VFIO_CCW_ISC);
	ret = css_driver_register(&vccw_css_driver);
	if (ret)
		isc_unregister(VFIO_CCW_ISC);
	return ret;
}

static void __exit vccw_css_exit(void)
{
	css_driver_unregister(&vccw_css_driver);
	isc_unregister(VFIO_CCW_ISC);
}

module_init(vccw_css_init);
module_exit(vccw_css_exit);

MODULE_DESCRIPTION("vfio-ccw: I/O subchannels for VFIO, on the vfio-ccw core");
MODULE_LICENSE("GPL");

#if IS_ENABLED(CONFIG_VFIO_CCW_S390_KUNIT_TEST)
#include "../../kunit/vfio_ccw_css_test.c"
#endif
