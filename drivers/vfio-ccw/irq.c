// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-ccw interrupts, from the subchannel to userspace, and the CRW queue.
 *
 * An I/O interruption takes two steps.  The hard-irq part only stores the
 * IRB, under the backend's interrupt lock, and posts INTERRUPT; it takes
 * no sleeping lock and allocates nothing.  The bottom half is that event's
 * action: process context, the I/O lock held, one IRB per event so that
 * each meets the state it belongs to.  It maps the CCW address back, frees
 * a finished program and makes the IRB visible in the I/O region.  An IRB
 * userspace has not read yet is never overwritten: the next one waits in
 * a queue and becomes visible, with a new signal, once the first is read.
 */

#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/uaccess.h>

#include "private.h"

/**
 * vccw_sch_interrupt() - an I/O interruption for a subchannel
 * @sch: the subchannel
 * @irb: its interruption response block
 *
 * Stores @irb for the device's bottom half.  An interrupt with no device
 * probed, or with no room left, is counted and dropped.
 *
 * Context: any, hard interrupts included; *@sch->irq_lock held.
 */
void vccw_sch_interrupt(struct vccw_sch *sch, const struct irb_be *irb)
{
	struct vccw_stored *e;
	struct vccw_private *p;

	lockdep_assert_held(sch->irq_lock);
	p = sch->private;
	if (!p)
		return;
	if (p->ring_len == VCCW_IRQ_RING) {
		/* As the delivery queue does: this one replaces the newest. */
		p->stats.irq_overflow++;
		vccw_warn_rl(p, "interrupt dropped: %u stored already\n",
			     VCCW_IRQ_RING);
		e = &p->ring[(p->ring_head + p->ring_len - 1) % VCCW_IRQ_RING];
	} else {
		e = &p->ring[(p->ring_head + p->ring_len++) % VCCW_IRQ_RING];
		p->stats.irqs++;
	}
	e->irb = *irb;
	e->seq = p->ring_seq++;
	fsm_post(&p->irq_post);
}
EXPORT_SYMBOL_GPL(vccw_sch_interrupt);

/* The oldest stored interrupt, if any, and its number.  Under *irq_lock. */
bool vccw_ring_pop(struct vccw_private *p, struct irb_be *irb, u64 *seq)
{
	lockdep_assert_held(p->sch->irq_lock);
	if (!p->ring_len)
		return false;
	*irb = p->ring[p->ring_head].irb;
	*seq = p->ring[p->ring_head].seq;
	p->ring_head = (p->ring_head + 1) % VCCW_IRQ_RING;
	p->ring_len--;
	return true;
}

/*
 * Run every interrupt stored so far through the bottom half, and wait for
 * it: an event that finds more stored posts itself again, hence the loop.
 * Not under the I/O lock.
 */
void vccw_drain(struct vccw_private *p)
{
	unsigned long flags;
	bool more;

	do {
		fsm_flush(&p->fsm);
		spin_lock_irqsave(p->sch->irq_lock, flags);
		more = p->ring_len;
		spin_unlock_irqrestore(p->sch->irq_lock, flags);
	} while (more);
}

/*
 * The number the next stored interrupt will get: status stored from now
 * on comes after whatever the caller is about to ask the subchannel.
 */
u64 vccw_ring_mark(struct vccw_private *p)
{
	unsigned long flags;
	u64 seq;

	spin_lock_irqsave(p->sch->irq_lock, flags);
	seq = p->ring_seq;
	spin_unlock_irqrestore(p->sch->irq_lock, flags);
	return seq;
}

/*
 * The subchannel can no longer interrupt for what was stored: drop it, and
 * the event that would have delivered it.  Under the I/O lock.
 */
void vccw_irb_discard_all(struct vccw_private *p)
{
	struct irb_be irb;
	u64 seq;

	fsm_lockdep_assert_held(&p->fsm);
	scoped_guard(spinlock_irqsave, p->sch->irq_lock) {
		while (vccw_ring_pop(p, &irb, &seq))
			p->stats.irbs_discarded++;
		fsm_post_cancel(&p->irq_post);
	}
}

static void vccw_irb_show(struct vccw_private *p, const struct irb_be *irb)
{
	memcpy(p->io.irb_area, irb, sizeof(p->io.irb_area));
	p->irb_unread = true;
	p->stats.irbs_delivered++;
	vccw_signal(p, VFIO_CCW_IO_IRQ_INDEX);
}

/* Make @irb visible now, or after the IRBs userspace has yet to read. */
void vccw_irb_deliver(struct vccw_private *p, const struct irb_be *irb)
{
	fsm_lockdep_assert_held(&p->fsm);
	if (!p->irb_unread) {
		vccw_irb_show(p, irb);
		return;
	}
	if (p->irbq_len == VCCW_IRB_QUEUE) {
		/*
		 * Drop the newest queued IRB for this one: what comes last
		 * is what ends a program, and the guest must see that end.
		 */
		p->stats.irb_overflow++;
		vccw_warn_rl(p, "IRB dropped: %u unread already\n",
			     VCCW_IRB_QUEUE + 1);
		p->irbq_len--;
	}
	p->irbq[(p->irbq_head + p->irbq_len++) % VCCW_IRB_QUEUE] = *irb;
}

/* Userspace read the IRB area: show the next one, if any. */
void vccw_irb_consumed(struct vccw_private *p)
{
	struct irb_be irb;

	fsm_lockdep_assert_held(&p->fsm);
	p->irb_unread = false;
	if (!p->irbq_len)
		return;
	irb = p->irbq[p->irbq_head];
	p->irbq_head = (p->irbq_head + 1) % VCCW_IRB_QUEUE;
	p->irbq_len--;
	vccw_irb_show(p, &irb);
}

/* Signal one of the device's eventfds, if userspace armed it. */
void vccw_signal(struct vccw_private *p, unsigned int index)
{
	guard(mutex)(&p->trig_lock);
	if (p->trig[index])
		eventfd_signal(p->trig[index]);
}

void vccw_triggers_release(struct vccw_private *p)
{
	unsigned int i;

	guard(mutex)(&p->trig_lock);
	for (i = 0; i < VFIO_CCW_NUM_IRQS; i++) {
		if (p->trig[i])
			eventfd_ctx_put(p->trig[i]);
		p->trig[i] = NULL;
	}
}

/* VFIO_DEVICE_SET_IRQS with ACTION_TRIGGER, one irq of count 1. */
int vccw_set_irqs(struct vccw_private *p, u32 flags, unsigned int index,
		  void __user *data)
{
	struct eventfd_ctx *ctx, *old;
	s32 fd;
	u8 on;

	if (!(flags & VFIO_IRQ_SET_ACTION_TRIGGER))
		return -EINVAL;
	if (index >= VFIO_CCW_NUM_IRQS)
		return -EINVAL;
	switch (flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		vccw_signal(p, index);
		return 0;
	case VFIO_IRQ_SET_DATA_BOOL:
		if (get_user(on, (u8 __user *)data))
			return -EFAULT;
		if (on)
			vccw_signal(p, index);
		return 0;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		if (get_user(fd, (s32 __user *)data))
			return -EFAULT;
		if (fd < -1)
			return -EINVAL;
		ctx = NULL;
		if (fd >= 0) {
			ctx = eventfd_ctx_fdget(fd);
			if (IS_ERR(ctx))
				return PTR_ERR(ctx);
		}
		/* Swapped under the lock every signaller takes. */
		scoped_guard(mutex, &p->trig_lock) {
			old = p->trig[index];
			p->trig[index] = ctx;
		}
		if (old)
			eventfd_ctx_put(old);
		return 0;
	default:
		return -EINVAL;
	}
}

/* Queue a channel report word for userspace and tell it. */
void vccw_crw_queue(struct vccw_private *p, u32 crw)
{
	scoped_guard(spinlock_irqsave, &p->crw_lock) {
		if (p->crw_len == VCCW_CRW_QUEUE) {
			p->stats.crw_overflow++;
			vccw_warn_rl(p, "CRW %#x dropped: %u queued already\n",
				     crw, VCCW_CRW_QUEUE);
			return;
		}
		p->crw[(p->crw_head + p->crw_len++) % VCCW_CRW_QUEUE] = crw;
	}
	vccw_signal(p, VFIO_CCW_CRW_IRQ_INDEX);
}

/*
 * A read of the CRW region: the oldest CRW (0 when none), taken only once
 * a read that covers all of it reached userspace; a signal for the next.
 * Readers take turns, so the head they peeked at is still the head when
 * they take it; producers never wait for a reader.
 */
ssize_t vccw_crw_read(struct vccw_private *p, char __user *buf, size_t count,
		      size_t off)
{
	struct ccw_crw_region r = {};
	bool more = false, have;

	guard(mutex)(&p->crw_read_lock);
	scoped_guard(spinlock_irqsave, &p->crw_lock) {
		have = p->crw_len;
		if (have)
			r.crw = p->crw[p->crw_head];
	}
	if (copy_to_user(buf, (u8 *)&r + off, count))
		return -EFAULT;
	if (have && !off && count >= sizeof(r.crw)) {
		scoped_guard(spinlock_irqsave, &p->crw_lock) {
			p->crw_head = (p->crw_head + 1) % VCCW_CRW_QUEUE;
			p->crw_len--;
			more = p->crw_len;
		}
	}
	if (more)
		vccw_signal(p, VFIO_CCW_CRW_IRQ_INDEX);
	return count;
}

/* The CRWs of a session that ended. */
void vccw_crw_flush(struct vccw_private *p)
{
	guard(mutex)(&p->crw_read_lock);
	scoped_guard(spinlock_irqsave, &p->crw_lock)
		p->crw_len = 0;
}
