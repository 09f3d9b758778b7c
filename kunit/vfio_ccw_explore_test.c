// SPDX-License-Identifier: GPL-2.0
/*
 * The vfio-ccw core explored exhaustively (fsm_explore.h): from a freshly
 * opened device, every sequence of up to explore_depth steps over start,
 * halt, clear, the three kinds of interrupt, read, close, open, not-oper
 * and reset, run against the real core on the fake subchannel and checked
 * after every step against a model of the contract (C2, C7-C12, CR14):
 * the state, the return code, a program exactly while one is pending, the
 * IRBs userspace reads (none lost, none twice, in order), and after close
 * nothing pinned or allocated.  It also prints, measured from the real
 * code, what each request does in each state, for docs/vfio-ccw.rst.
 */

#include <kunit/test.h>
#include <linux/errname.h>
#include <linux/module.h>

#include "fsm_explore.h"
#include "vccw_fake.h"

static unsigned int explore_depth = 8;
module_param(explore_depth, uint, 0444);
MODULE_PARM_DESC(explore_depth, "longest sequence the vfio-ccw explorer runs");

#define PAGES		16
#define CTL_F1		(ORB_F | ORB_P | ORB_H)
#define CCW_GA		0x1000
#define DATA_GA		0x3000

enum vx_step {
	VX_START, VX_HALT, VX_CLEAR, VX_FINAL, VX_INTER, VX_UNSOL, VX_READ,
	VX_CLOSE, VX_OPEN, VX_NOT_OPER, VX_RESET, VX_NR_STEPS,
};

static const char * const vx_step_names[] = {
	"start", "halt", "clear", "final-irq", "intermediate-irq",
	"unsolicited-irq", "read", "close", "open", "not-oper", "reset",
};

/* IRB kinds, as the model queues them and a read tells them apart. */
enum { IRB_NONE, IRB_FINAL, IRB_INTER, IRB_UNSOL, IRB_HALT, IRB_CLEAR };

/* All u8: compared as bytes, no padding. */
struct vx_model {
	u8 state;
	u8 open;
	u8 qlen;			/* IRBs userspace has yet to read */
	u8 q[FSM_EXPLORE_MAX_DEPTH];	/* their kinds, oldest first */
};

/*
 * Merge key: the state, open or not, and the first three unread IRBs
 * with a depth that stops counting at four.  What lies further down the
 * queue does not change what the next steps can do.
 */
struct vx_key {
	u8 state;
	u8 open;
	u8 qlen;
	u8 q[3];
};

static void vx_key(const void *model, void *key)
{
	const struct vx_model *m = model;
	struct vx_key *k = key;

	k->state = m->state;
	k->open = m->open;
	k->qlen = min_t(u8, m->qlen, 4);
	memcpy(k->q, m->q, sizeof(k->q));
}

/* What each step did in each state: return code and state after. */
struct vx_cell {
	bool seen;
	bool varies;
	int ret;
	u8 next;
};

struct vx_ctx {
	struct kunit *test;
	struct vccw_fake *f;
	struct vx_cell cell[VCCW_NR_STATES][VX_NR_STEPS];
};

static void vx_model_init(void *ctx, void *model)
{
	struct vx_model *m = model;

	memset(m, 0, sizeof(*m));
	m->state = VCCW_IDLE;
	m->open = 1;
}

static void *vx_setup(void *ctx)
{
	struct vx_ctx *c = ctx;
	struct vccw_fake *f = c->f;

	/*
	 * Fresh as userspace sees it: opened from STANDBY (or NOT_OPER, the
	 * subchannel back), with nothing
	 * queued, pinned or pending (the teardown checked that).
	 */
	f->hold = true;
	if (vccw_dev_open(f))
		return NULL;
	return f;
}

static int vx_teardown(void *ctx, void *sys, const char **why)
{
	struct vccw_fake *f = sys;
	struct vccw_stats *st;
	int ret = 0;

	vccw_dev_close(f);
	vccw_settle(f);
	if (f->p->cp.active || f->p->cp.nr_allocs || f->p->cp.nr_pinned ||
	    f->g->nr_pinned) {
		*why = "a program, an allocation or a pin survived the close";
		ret = -EINVAL;
	}
	st = &f->p->stats;
	if (st->irqs != st->irbs_delivered + st->irb_overflow +
	    st->irbs_discarded) {
		*why = "an IRB neither shown, nor dropped, nor discarded";
		ret = -EINVAL;
	}
	if (fsm_state(&f->p->fsm) > VCCW_STANDBY || f->p->irb_unread ||
	    f->p->ring_len || f->p->trig[0]) {
		*why = "the close left the device busy";
		ret = -EINVAL;
	}
	return ret;
}

static void push(struct vx_model *m, u8 kind)
{
	if (m->qlen < ARRAY_SIZE(m->q))
		m->q[m->qlen++] = kind;
}

static u8 irb_kind(const struct irb_be *irb)
{
	unsigned int fctl = scswb_fctl(&irb->scsw);

	if (fctl & SCSWB_FCTL_CLEAR)
		return IRB_CLEAR;
	if (fctl & SCSWB_FCTL_HALT)
		return IRB_HALT;
	if (!fctl)
		return irb->scsw.dstat == DEV_STAT_ATTENTION ? IRB_UNSOL :
		       IRB_NONE;
	if (scswb_stctl(&irb->scsw) & SCSWB_STCTL_INTER)
		return IRB_INTER;
	return IRB_FINAL;
}

static bool enabled(const struct vx_model *m)
{
	return m->open && (m->state == VCCW_IDLE || m->state == VCCW_CP_PENDING);
}

/* The contract, step by step: update @m, and say what @ret must be. */
static int vx_predict(struct vx_model *m, unsigned int step)
{
	bool io_ok = m->state == VCCW_IDLE || m->state == VCCW_CP_PENDING;

	switch (step) {
	case VX_START:
		if (!io_ok)
			return -EACCES;
		if (m->state == VCCW_CP_PENDING)
			return -EBUSY;
		m->state = VCCW_CP_PENDING;
		return 0;
	case VX_HALT:
	case VX_CLEAR:
		if (!io_ok)
			return -EACCES;
		push(m, step == VX_HALT ? IRB_HALT : IRB_CLEAR);
		m->state = VCCW_IDLE;
		return 0;
	case VX_FINAL:
	case VX_INTER:
	case VX_UNSOL:
		if (!enabled(m))
			return 0;
		push(m, step == VX_FINAL ? IRB_FINAL :
			step == VX_INTER ? IRB_INTER : IRB_UNSOL);
		if (step == VX_FINAL)
			m->state = VCCW_IDLE;
		return 0;
	case VX_READ:
		if (m->qlen) {
			memmove(m->q, m->q + 1, --m->qlen);
			m->q[m->qlen] = 0;
		}
		return 0;
	case VX_CLOSE:
		m->state = VCCW_STANDBY;
		m->open = 0;
		m->qlen = 0;
		memset(m->q, 0, sizeof(m->q));
		return 0;
	case VX_OPEN:
		m->state = VCCW_IDLE;
		m->open = 1;
		return 0;
	case VX_NOT_OPER:
		m->state = VCCW_NOT_OPER;
		return 0;
	default:	/* reset */
		m->state = VCCW_IDLE;
		m->qlen = 0;
		memset(m->q, 0, sizeof(m->q));
		return 0;
	}
}

/* Steps a closed device cannot be given (no fd), and opening twice. */
static bool applicable(const struct vx_model *m, unsigned int step)
{
	switch (step) {
	case VX_OPEN:
		return !m->open;
	case VX_FINAL:
	case VX_INTER:
	case VX_UNSOL:
	case VX_NOT_OPER:
		return true;
	default:
		return m->open;
	}
}

static int vx_do(struct vccw_fake *f, unsigned int step, u8 *kind)
{
	struct irb_be irb;
	int ret = 0;

	switch (step) {
	case VX_START:
		return vccw_start(f, CCW_GA, CTL_F1);
	case VX_HALT:
	case VX_CLEAR:
		/* Halt and clear complete at once; starts wait for the test. */
		f->hold = false;
		ret = vccw_async_cmd(f, step == VX_HALT ?
				     VFIO_CCW_ASYNC_CMD_HSCH :
				     VFIO_CCW_ASYNC_CMD_CSCH);
		f->hold = true;
		return ret;
	case VX_FINAL:
		vccw_fake_irq(f, FAKE_IRQ_FINAL);
		return 0;
	case VX_INTER:
		vccw_fake_irq(f, FAKE_IRQ_INTERMEDIATE);
		return 0;
	case VX_UNSOL:
		vccw_fake_irq(f, FAKE_IRQ_UNSOLICITED);
		return 0;
	case VX_READ:
		ret = vccw_read_irb(f, &irb);
		*kind = irb_kind(&irb);
		return ret;
	case VX_CLOSE:
		vccw_dev_close(f);
		return 0;
	case VX_OPEN:
		return vccw_dev_open(f);
	case VX_NOT_OPER:
		vccw_sch_not_oper(&f->sch);
		return 0;
	default:
		return vccw_ioctl(f, VFIO_DEVICE_RESET, f->u, NULL, 0);
	}
}

static void vx_record(struct vx_ctx *c, unsigned int from, unsigned int step,
		      int ret, unsigned int to)
{
	struct vx_cell *cell = &c->cell[from][step];

	if (cell->seen && (cell->ret != ret || cell->next != to))
		cell->varies = true;
	cell->seen = true;
	cell->ret = ret;
	cell->next = to;
}

static int vx_step(void *ctx, void *sys, void *model, unsigned int step,
		   const char **why)
{
	struct vx_ctx *c = ctx;
	struct vccw_fake *f = sys;
	struct vx_model *m = model;
	struct vccw_private *p = f->p;
	u8 want_kind = m->qlen ? m->q[0] : IRB_NONE;
	unsigned int from = m->state;
	bool had_unread = m->qlen;
	u8 kind = IRB_NONE;
	bool pending;
	int want, ret;

	if (!applicable(m, step))
		return 0;
	want = vx_predict(m, step);
	ret = vx_do(f, step, &kind);
	vccw_settle(f);
	vx_record(c, from, step, ret, fsm_state(&p->fsm));
	if (ret != want) {
		*why = "return code";
		kunit_info(c->test, "%s: got %d, want %d\n",
			   vx_step_names[step], ret, want);
		return -EINVAL;
	}
	if (fsm_state(&p->fsm) != m->state) {
		*why = "state";
		return -EINVAL;
	}
	pending = m->state == VCCW_CP_PENDING;
	scoped_guard(fsm, &p->fsm) {
		if (p->cp.active != pending) {
			*why = "a program without a pending start, or the reverse";
			return -EINVAL;
		}
		if (!p->cp.active && (p->cp.nr_allocs || p->cp.nr_pinned)) {
			*why = "memory or pins without a program";
			return -EINVAL;
		}
		if (p->irb_unread != !!m->qlen ||
		    p->irbq_len != (m->qlen ? m->qlen - 1 : 0)) {
			*why = "IRBs lost or duplicated";
			return -EINVAL;
		}
	}
	if (step == VX_READ && had_unread && kind != want_kind) {
		*why = "IRB out of order";
		return -EINVAL;
	}
	return 0;
}

static const struct fsm_explore_ops vx_ops = {
	.nr_steps = VX_NR_STEPS,
	.step_names = vx_step_names,
	.model_size = sizeof(struct vx_model),
	.key_size = sizeof(struct vx_key),
	.key = vx_key,
	.model_init = vx_model_init,
	.setup = vx_setup,
	.step = vx_step,
	.teardown = vx_teardown,
};

/*
 * Printed between markers for scripts/check.sh, which compares it with
 * the table of docs/vfio-ccw.rst: "state step: ret -> next".
 */
static void vx_print_cells(struct vx_ctx *c)
{
	unsigned int s, e;

	pr_info("vfio-ccw-cells: begin\n");
	for (s = 0; s < VCCW_NR_STATES; s++)
		for (e = 0; e < VX_NR_STEPS; e++) {
			struct vx_cell *cell = &c->cell[s][e];

			if (!cell->seen)
				continue;
			pr_info("vfio-ccw-cells: %s %s %s %s%s\n",
				fsm_state_name(&vccw_fsm_table, s),
				vx_step_names[e], cell->ret ?
				errname(cell->ret) ?: "?" : "0",
				fsm_state_name(&vccw_fsm_table, cell->next),
				cell->varies ? " varies" : "");
		}
	pr_info("vfio-ccw-cells: end\n");
}

static void vccw_explore(struct kunit *test)
{
	struct fsm_explore_result res;
	struct vx_ctx *c;
	int ret;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->test = test;
	c->f = vccw_fake_new(test, PAGES);
	vccw_fake_create_mdev(c->f);
	vccw_guest_sense_id(c->f, CCW_GA, DATA_GA);
	ret = fsm_explore(test, &vx_ops, c, explore_depth, &res);
	KUNIT_EXPECT_EQ(test, ret, 0);
	fsm_explore_report(test, &res);
	if (!ret)
		vx_print_cells(c);
}

/* The table as Graphviz, for docs/vfio-ccw-fsm.dot (scripts/check.sh). */
static void vccw_fsm_graph(struct kunit *test)
{
	fsm_explore_print_dot(test, &vccw_fsm_table, "vfio-ccw-dot");
}

static struct kunit_case vccw_explore_cases[] = {
	KUNIT_CASE_SLOW(vccw_explore),
	KUNIT_CASE(vccw_fsm_graph),
	{}
};

static struct kunit_suite vccw_explore_suite = {
	.name = "vfio_ccw_explore",
	.test_cases = vccw_explore_cases,
};

kunit_test_suite(vccw_explore_suite);
