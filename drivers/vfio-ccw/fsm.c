// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-ccw's I/O state machine: one lib/fsm table whose instance lock is
 * the device's I/O lock.  Every decision that depends on the state is taken
 * in an action, under that lock, so no state is ever read and acted upon
 * without it, and every cell's errno is written here once.
 */

#include <linux/errno.h>
#include <linux/fsm.h>

#include "private.h"

#define S(x)	BIT(VCCW_##x)

static struct vccw_private *fsm_to_vccw(struct fsm *fsm)
{
	return container_of(fsm, struct vccw_private, fsm);
}

/* A refusal that changes nothing: the cell is its errno. */
static int vccw_act_refuse_eacces(struct fsm *fsm, unsigned int ev, void *arg)
{
	return -EACCES;
}

static int vccw_act_refuse_eagain(struct fsm *fsm, unsigned int ev, void *arg)
{
	return -EAGAIN;
}

static int vccw_act_refuse_ebusy(struct fsm *fsm, unsigned int ev, void *arg)
{
	return -EBUSY;
}

static int vccw_act_nop(struct fsm *fsm, unsigned int ev, void *arg)
{
	return 0;
}

/*
 * The subchannel is idle (or gone) and can no longer reach the program:
 * release it, and the interrupts that were stored for it.
 */
static void vccw_drop_program(struct vccw_private *p)
{
	ccwcp_free(&p->cp);
	vccw_irb_discard_all(p);
}

/*
 * Final status for the pending program: the start function's end (final
 * interrupt, deferred condition code, a halt of it), or the end of a halt
 * or clear issued while it was pending.  Each IRB carries the number the
 * hard-irq path gave it, and the device marks where its start, halt and
 * clear were issued: status stored before the start (a duplicate, or an
 * idle halt's end the bottom half had not taken yet) or a halt- or
 * clear-only status from before this program's halt or clear cannot end
 * it, however late the bottom half gets to it.
 */
static bool irb_ends_program(const struct vccw_private *p,
			     const struct irb_be *irb, u64 seq)
{
	unsigned int stctl = scswb_stctl(&irb->scsw);
	unsigned int fctl = scswb_fctl(&irb->scsw);

	if (seq < p->start_mark)
		return false;
	if (!(fctl & SCSWB_FCTL_START)) {
		if (fctl & SCSWB_FCTL_CLEAR)
			return seq >= p->clear_mark;
		if (fctl & SCSWB_FCTL_HALT)
			return seq >= p->halt_mark;
		return false;		/* unsolicited */
	}
	if (scswb_cc(&irb->scsw))
		return true;		/* deferred condition code */
	return (stctl & SCSWB_STCTL_PENDING) && !(stctl & SCSWB_STCTL_INTER) &&
	       !(scswb_actl(&irb->scsw) &
		 (SCSWB_ACTL_SCH_ACTIVE | SCSWB_ACTL_DEV_ACTIVE));
}

/*
 * No host address reaches userspace: the CCW address is mapped back (or
 * zeroed), and the ESW's failing-storage and secondary CCW addresses,
 * host addresses of the translated program, are withdrawn with their
 * validity bits.  A start's status gets the format and prefetch bits of
 * the guest's ORB back: the host program is format 1 and prefetched.
 */
static void irb_map_addresses(struct vccw_private *p, struct irb_be *irb,
			      u64 seq)
{
	u32 cpa = 0, ctl = scswb_ctl(&irb->scsw);

	if (scswb_fctl(&irb->scsw) & SCSWB_FCTL_START) {
		cpa = ccwcp_guest_cpa(&p->cp, be32_to_cpu(irb->scsw.cpa));
		ctl &= ~(SCSWB_F | SCSWB_P);
		ctl |= seq >= p->scsw_flags_mark ? p->scsw_flags :
						   p->prev_scsw_flags;
	}
	irb->scsw.ctl = cpu_to_be32(ctl);
	irb->scsw.cpa = cpu_to_be32(cpa);
	memset(irb->esw + ESW_FADDR, 0, ESW_ADDRS_LEN);
	irb->esw[ESW_ERW] &= ~ERW0_FSAVF;
	irb->esw[ESW_ERW + 1] &= ~ERW1_SCAVF;
}

/* Take the oldest interrupt the hard-irq path stored, and rearm. */
static bool vccw_next_irb(struct vccw_private *p, struct irb_be *irb,
			  u64 *seq)
{
	bool more;

	scoped_guard(spinlock_irqsave, p->sch->irq_lock) {
		if (!vccw_ring_pop(p, irb, seq))
			return false;
		more = p->ring_len;
	}
	/* One IRB per event, so each one meets the state it belongs to. */
	if (more)
		fsm_post(&p->irq_post);
	return true;
}

/* IDLE, IO_REQ: translate and start the one program a device may have. */
static int vccw_act_start(struct fsm *fsm, unsigned int ev, void *arg)
{
	struct vccw_private *p = fsm_to_vccw(fsm);
	const struct vccw_io_req *req = arg;
	struct vccw_sch *sch = p->sch;
	struct orb_be horb;
	u8 lpm, left;
	int ret;

	if (!(scswb_fctl(&req->scsw) & SCSWB_FCTL_START)) {
		/* Halt and clear go through the async region. */
		vccw_dbg_rl(p, "I/O region write without the start function\n");
		return -EOPNOTSUPP;
	}
	memcpy(&p->io, req, sizeof(*req));	/* the ORB and SCSW areas */
	fsm_move(fsm, VCCW_CP_PROCESSING);
	ret = ccwcp_translate(&p->cp, &req->orb);
	if (ret) {
		vccw_dbg_rl(p, "channel program refused: %d\n", ret);
		fsm_move(fsm, VCCW_IDLE);
		return ret;
	}
	ccwcp_host_orb(&p->cp, &horb, 0, sch->ops->path_mask(sch));
	p->start_mark = vccw_ring_mark(p);
	p->halt_mark = U64_MAX;
	p->clear_mark = U64_MAX;
	ret = sch->ops->start(sch, &horb);
	switch (ret) {
	case 0:
		p->stats.starts++;
		p->prev_scsw_flags = p->scsw_flags;
		p->scsw_flags = be32_to_cpu(req->orb.ctl) & (ORB_F | ORB_P);
		p->scsw_flags_mark = p->start_mark;
		fsm_move(fsm, VCCW_CP_PENDING);
		return 0;
	case 1:
	case 2:
		ret = -EBUSY;
		break;
	case 3:
		lpm = (be32_to_cpu(horb.ctl) & ORB_LPM) >> 8;
		left = sch->ops->paths_failed(sch, lpm);
		if (!left) {
			ccwcp_free(&p->cp);
			sch->ops->disable(sch);
			fsm_move(fsm, VCCW_NOT_OPER);
			return -ENODEV;
		}
		ret = -EACCES;
		break;
	default:
		if (ret > 0)
			ret = -EIO;
		break;
	}
	ccwcp_free(&p->cp);
	fsm_move(fsm, VCCW_IDLE);
	return ret;
}

/*
 * IDLE and CP_PENDING, ASYNC_REQ: halt or clear.  Neither moves by
 * itself: a pending program ends with the final status that follows.
 */
static int vccw_act_async(struct fsm *fsm, unsigned int ev, void *arg)
{
	struct vccw_private *p = fsm_to_vccw(fsm);
	struct vccw_sch *sch = p->sch;
	bool pending = fsm_state(fsm) == VCCW_CP_PENDING;
	u32 cmd = *(u32 *)arg;
	u64 mark;
	int cc;

	/* From here on, this function's end may end a pending program. */
	mark = vccw_ring_mark(p);
	switch (cmd) {
	case VFIO_CCW_ASYNC_CMD_HSCH:
		if (pending)
			p->halt_mark = min(p->halt_mark, mark);
		cc = sch->ops->halt(sch);
		break;
	case VFIO_CCW_ASYNC_CMD_CSCH:
		if (pending)
			p->clear_mark = min(p->clear_mark, mark);
		cc = sch->ops->clear(sch);
		break;
	default:
		vccw_dbg_rl(p, "unknown async command %#x\n", cmd);
		return -EINVAL;
	}
	switch (cc) {
	case 0:
		return 0;
	case 1:
	case 2:
		return -EBUSY;
	case 3:
		sch->ops->disable(sch);
		vccw_drop_program(p);
		fsm_move(fsm, VCCW_NOT_OPER);
		return -ENODEV;
	default:
		return cc < 0 ? cc : -EIO;
	}
}

/* CP_PENDING, INTERRUPT: only final status ends the program. */
static int vccw_act_irq_pending(struct fsm *fsm, unsigned int ev, void *arg)
{
	struct vccw_private *p = fsm_to_vccw(fsm);
	struct irb_be irb;
	bool final;
	u64 seq;

	if (!vccw_next_irb(p, &irb, &seq))
		return 0;
	final = irb_ends_program(p, &irb, seq);
	irb_map_addresses(p, &irb, seq);
	if (final) {
		ccwcp_free(&p->cp);
		fsm_move(fsm, VCCW_IDLE);
	}
	vccw_irb_deliver(p, &irb);
	return 0;
}

/* IDLE (and CP_PROCESSING), INTERRUPT: unsolicited, or a halt's or clear's end. */
static int vccw_act_irq_deliver(struct fsm *fsm, unsigned int ev, void *arg)
{
	struct vccw_private *p = fsm_to_vccw(fsm);
	struct irb_be irb;
	u64 seq;

	if (!vccw_next_irb(p, &irb, &seq))
		return 0;
	irb_map_addresses(p, &irb, seq);
	vccw_irb_deliver(p, &irb);
	return 0;
}

/* NOT_OPER and STANDBY, INTERRUPT: nobody listens; disable it again. */
static int vccw_act_irq_closed(struct fsm *fsm, unsigned int ev, void *arg)
{
	struct vccw_private *p = fsm_to_vccw(fsm);
	struct irb_be irb;
	u64 seq;

	if (!vccw_next_irb(p, &irb, &seq))
		return 0;
	p->stats.irbs_discarded++;
	p->sch->ops->disable(p->sch);
	return 0;
}

/* STANDBY and NOT_OPER, OPEN. */
static int vccw_act_open(struct fsm *fsm, unsigned int ev, void *arg)
{
	struct vccw_private *p = fsm_to_vccw(fsm);
	int ret;

	if (READ_ONCE(p->shut_down)) {
		fsm_move(fsm, VCCW_NOT_OPER);
		return -ENODEV;
	}
	ret = p->sch->ops->enable(p->sch);
	if (ret) {
		vccw_dbg_rl(p, "cannot enable the subchannel: %d\n", ret);
		fsm_move(fsm, VCCW_NOT_OPER);
		return -ENODEV;
	}
	fsm_move(fsm, VCCW_IDLE);
	return 0;
}

/* Any open state, CLOSE: quiesce, disable, release, STANDBY. */
static int vccw_act_close(struct fsm *fsm, unsigned int ev, void *arg)
{
	struct vccw_private *p = fsm_to_vccw(fsm);
	struct vccw_sch *sch = p->sch;
	int ret;

	if (fsm_state(fsm) != VCCW_NOT_OPER) {
		ret = sch->ops->quiesce(sch);
		if (ret)
			vccw_warn_rl(p, "subchannel did not quiesce: %d\n", ret);
	}
	sch->ops->disable(sch);
	vccw_drop_program(p);
	/* What userspace did not read belongs to the session that ended. */
	p->stats.irbs_discarded += p->irbq_len;
	p->irb_unread = false;
	p->irbq_len = 0;
	memset(p->io.irb_area, 0, sizeof(p->io.irb_area));
	fsm_move(fsm, VCCW_STANDBY);
	return 0;
}

/* Any state but NOT_OPER, NOT_OPER: the subchannel is gone. */
static int vccw_act_not_oper(struct fsm *fsm, unsigned int ev, void *arg)
{
	struct vccw_private *p = fsm_to_vccw(fsm);

	if (fsm_state(fsm) != VCCW_STANDBY)
		p->sch->ops->disable(p->sch);
	vccw_drop_program(p);
	fsm_move(fsm, VCCW_NOT_OPER);
	return 0;
}

static const char * const vccw_state_names[] = {
	[VCCW_NOT_OPER] = "NOT_OPER",
	[VCCW_STANDBY] = "STANDBY",
	[VCCW_IDLE] = "IDLE",
	[VCCW_CP_PROCESSING] = "CP_PROCESSING",
	[VCCW_CP_PENDING] = "CP_PENDING",
};

static const char * const vccw_event_names[] = {
	[VCCW_EV_NOT_OPER] = "NOT_OPER",
	[VCCW_EV_IO_REQ] = "IO_REQ",
	[VCCW_EV_INTERRUPT] = "INTERRUPT",
	[VCCW_EV_ASYNC_REQ] = "ASYNC_REQ",
	[VCCW_EV_OPEN] = "OPEN",
	[VCCW_EV_CLOSE] = "CLOSE",
};

#define CELL(st, ev, fn, nx) \
	{ VCCW_##st, VCCW_EV_##ev, fn, nx }

/*
 * Every cell, with the states it may move to.  There is no move from
 * CP_PENDING to CP_PROCESSING: one channel program per device at most.
 * CP_PROCESSING exists only inside vccw_act_start(), under the I/O lock; its
 * cells are there for completeness and answer as a busy device would.
 */
static const struct fsm_transition vccw_transitions[] = {
	CELL(NOT_OPER, NOT_OPER, vccw_act_nop, 0),
	CELL(NOT_OPER, IO_REQ, vccw_act_refuse_eacces, 0),
	CELL(NOT_OPER, INTERRUPT, vccw_act_irq_closed, 0),
	CELL(NOT_OPER, ASYNC_REQ, vccw_act_refuse_eacces, 0),
	CELL(NOT_OPER, OPEN, vccw_act_open, S(IDLE)),
	CELL(NOT_OPER, CLOSE, vccw_act_close, S(STANDBY)),

	CELL(STANDBY, NOT_OPER, vccw_act_not_oper, S(NOT_OPER)),
	CELL(STANDBY, IO_REQ, vccw_act_refuse_eacces, 0),
	CELL(STANDBY, INTERRUPT, vccw_act_irq_closed, 0),
	CELL(STANDBY, ASYNC_REQ, vccw_act_refuse_eacces, 0),
	CELL(STANDBY, OPEN, vccw_act_open, S(IDLE) | S(NOT_OPER)),
	CELL(STANDBY, CLOSE, vccw_act_nop, 0),

	CELL(IDLE, NOT_OPER, vccw_act_not_oper, S(NOT_OPER)),
	CELL(IDLE, IO_REQ, vccw_act_start,
	     S(CP_PROCESSING) | S(CP_PENDING) | S(IDLE) | S(NOT_OPER)),
	CELL(IDLE, INTERRUPT, vccw_act_irq_deliver, 0),
	CELL(IDLE, ASYNC_REQ, vccw_act_async, S(NOT_OPER)),
	CELL(IDLE, OPEN, vccw_act_refuse_ebusy, 0),
	CELL(IDLE, CLOSE, vccw_act_close, S(STANDBY)),

	CELL(CP_PROCESSING, NOT_OPER, vccw_act_not_oper, S(NOT_OPER)),
	CELL(CP_PROCESSING, IO_REQ, vccw_act_refuse_eagain, 0),
	CELL(CP_PROCESSING, INTERRUPT, vccw_act_irq_deliver, 0),
	CELL(CP_PROCESSING, ASYNC_REQ, vccw_act_refuse_eagain, 0),
	CELL(CP_PROCESSING, OPEN, vccw_act_refuse_ebusy, 0),
	CELL(CP_PROCESSING, CLOSE, vccw_act_close, S(STANDBY)),

	CELL(CP_PENDING, NOT_OPER, vccw_act_not_oper, S(NOT_OPER)),
	CELL(CP_PENDING, IO_REQ, vccw_act_refuse_ebusy, 0),
	CELL(CP_PENDING, INTERRUPT, vccw_act_irq_pending, S(IDLE)),
	CELL(CP_PENDING, ASYNC_REQ, vccw_act_async, S(NOT_OPER)),
	CELL(CP_PENDING, OPEN, vccw_act_refuse_ebusy, 0),
	CELL(CP_PENDING, CLOSE, vccw_act_close, S(STANDBY)),
};

struct fsm_table vccw_fsm_table = {
	.name = "vfio_ccw",
	.flavour = FSM_SLEEPING,
	.nr_states = VCCW_NR_STATES,
	.nr_events = VCCW_NR_EVENTS,
	.state_names = vccw_state_names,
	.event_names = vccw_event_names,
	.transitions = vccw_transitions,
	.nr_transitions = ARRAY_SIZE(vccw_transitions),
	.history = 16,
};

int vccw_fsm_register(void)
{
	return fsm_table_register(&vccw_fsm_table);
}

void vccw_fsm_unregister(void)
{
	fsm_table_unregister(&vccw_fsm_table);
}
