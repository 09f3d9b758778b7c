// SPDX-License-Identifier: GPL-2.0
/*
 * The race catalogue of requirements.md (CR1-CR14) against the vfio-ccw
 * core, as kthread tests.  Each forced race parks one side at a gate
 * inside the fake subchannel (with the I/O lock held, where the real
 * driver would be translating, starting or quiescing) or on a lock the
 * test holds, runs the other side into it, checks that it waits or is
 * refused as the contract says, and then lets both finish.  The stress
 * cases run everything at once; on x86_64 -smp 4 KCSAN and lockdep watch.
 * Helper threads use EXPECT only.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/random.h>

#include "vccw_fake.h"
#include "../drivers/mdev/internal.h"

#define PAGES		16
#define CTL_F1		(ORB_F | ORB_P | ORB_H)
#define CCW_GA		0x1000
#define DATA_GA		0x3000
#define SHORT		msecs_to_jiffies(100)
#define LONG		(10 * HZ)

/* A gate a fake operation stops at, the I/O lock held, until opened. */
struct gate {
	bool armed;
	struct completion entered;
	struct completion go;
};

static struct gate *the_gate;	/* armed by the running test, or NULL */

static void gate_arm(struct gate *g)
{
	init_completion(&g->entered);
	init_completion(&g->go);
	WRITE_ONCE(g->armed, true);
	the_gate = g;
}

static void gate_hook(struct vccw_fake *f)
{
	struct gate *g = the_gate;

	if (!g || !xchg(&g->armed, false))
		return;
	complete_all(&g->entered);
	wait_for_completion_timeout(&g->go, LONG);
}

static void gate_open(struct gate *g)
{
	complete_all(&g->go);
}

static void gate_forget(void *data)
{
	the_gate = NULL;
}

/* In test memory, forgotten before it is freed. */
static struct gate *new_gate(struct kunit *test)
{
	struct gate *g = kunit_kzalloc(test, sizeof(*g), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, g);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, gate_forget, NULL));
	return g;
}

/* A helper thread running one harness call in the test's mm. */
struct rthread {
	struct vccw_fake *f;
	void __user *u;
	int (*fn)(struct rthread *r);
	unsigned long arg;
	int ret;
	struct completion done;
};

/*
 * If the test ends early (a failed ASSERT), nothing a helper still uses
 * may go first: open the gate and wait for the helper, from a cleanup
 * action that runs before the test's memory is freed.
 */
static void rthread_reap(void *data)
{
	struct rthread *r = data;

	if (the_gate)
		gate_open(the_gate);
	if (!wait_for_completion_timeout(&r->done, LONG))
		pr_err("vccw-race: a helper thread did not finish\n");
}

static int rthread_main(void *data)
{
	struct rthread *r = data;

	vccw_use_test_mm(r->f);
	r->ret = r->fn(r);
	vccw_unuse_test_mm(r->f);
	complete_all(&r->done);
	return 0;
}

static struct rthread *rthread_run(struct kunit *test, struct vccw_fake *f,
				   int (*fn)(struct rthread *r),
				   unsigned long arg)
{
	struct rthread *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct task_struct *t;

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->f = f;
	r->u = vccw_ubuf(test, PAGE_SIZE);
	r->fn = fn;
	r->arg = arg;
	init_completion(&r->done);
	t = kthread_run(rthread_main, r, "vccw-race");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, rthread_reap,
							   r));
	return r;
}

static bool rthread_done(struct rthread *r, unsigned long timeout)
{
	return wait_for_completion_timeout(&r->done, timeout);
}

static struct vccw_fake *open_fake(struct kunit *test)
{
	struct vccw_fake *f = vccw_fake_new(test, PAGES);

	vccw_fake_create_mdev(f);
	KUNIT_ASSERT_EQ(test, 0, vccw_dev_open(f));
	vccw_guest_sense_id(f, CCW_GA, DATA_GA);
	return f;
}

static int do_start(struct rthread *r)
{
	return vccw_start_u(r->f, r->u, CCW_GA, CTL_F1);
}

static int do_read(struct rthread *r)
{
	struct ccw_io_region reg;
	loff_t pos = 0;
	ssize_t ret;

	ret = r->f->p->vdev.ops->read(&r->f->p->vdev, r->u, sizeof(reg), &pos);
	if (ret != sizeof(reg))
		return ret < 0 ? ret : -EIO;
	if (copy_from_user(&reg, r->u, sizeof(reg)))
		return -EFAULT;
	/* The request in the region is whole: the one that was started. */
	if (reg.ret_code)
		return -EPROTO;
	return be32_to_cpu(((struct orb_be *)reg.orb_area)->cpa) == CCW_GA ?
	       0 : -EBADMSG;
}

static int do_close(struct rthread *r)
{
	vccw_dev_close(r->f);
	return 0;
}

static int do_reset(struct rthread *r)
{
	return vccw_ioctl(r->f, VFIO_DEVICE_RESET, r->u, NULL, 0);
}

/* Park a start in CP_PROCESSING, the I/O lock held. */
static struct rthread *park_start(struct kunit *test, struct vccw_fake *f,
				  struct gate *g)
{
	struct rthread *a;

	gate_arm(g);
	f->start_hook = gate_hook;
	a = rthread_run(test, f, do_start, 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&g->entered, LONG));
	KUNIT_EXPECT_EQ(test, fsm_state(&f->p->fsm), VCCW_CP_PROCESSING);
	return a;
}

/*
 * CR5, CR9 (C3, C8): while one writer translates and starts, a second
 * start and a halt are refused with -EAGAIN at once, and nothing of them
 * reaches the subchannel.
 */
static void vccw_race_two_writers(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	struct gate *g = new_gate(test);
	struct rthread *a = park_start(test, f, g);

	KUNIT_EXPECT_EQ(test, -EAGAIN, vccw_start(f, CCW_GA, CTL_F1));
	KUNIT_EXPECT_EQ(test, -EAGAIN, vccw_async_cmd(f, VFIO_CCW_ASYNC_CMD_HSCH));
	KUNIT_EXPECT_EQ(test, -EAGAIN, vccw_async_cmd(f, VFIO_CCW_ASYNC_CMD_CSCH));
	gate_open(g);
	KUNIT_ASSERT_TRUE(test, rthread_done(a, LONG));
	KUNIT_EXPECT_EQ(test, a->ret, 0);
	KUNIT_EXPECT_EQ(test, f->nr_start, 1);
	KUNIT_EXPECT_EQ(test, f->nr_halt + f->nr_clear, 0);
	vccw_settle(f);
	KUNIT_EXPECT_EQ(test, fsm_state(&f->p->fsm), VCCW_IDLE);
}

/*
 * CR7 (C4, C5): a reader of the I/O region waits for the writer and then
 * sees its whole request and its return code, never half of it.
 */
static void vccw_race_reader_writer(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	struct gate *g = new_gate(test);
	struct rthread *a, *r;

	a = park_start(test, f, g);
	r = rthread_run(test, f, do_read, 0);
	KUNIT_EXPECT_FALSE(test, rthread_done(r, SHORT));
	gate_open(g);
	KUNIT_ASSERT_TRUE(test, rthread_done(a, LONG));
	KUNIT_ASSERT_TRUE(test, rthread_done(r, LONG));
	KUNIT_EXPECT_EQ(test, a->ret, 0);
	KUNIT_EXPECT_EQ(test, r->ret, 0);
}

/*
 * CR1 (C6): an interrupt that arrives while a writer holds the I/O lock
 * is stored at once and delivered by the bottom half after the writer,
 * under the lock, never into the middle of the write; and both IRBs (it
 * and the started program's) reach userspace in order.
 */
static void vccw_race_bh_vs_writer(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	struct gate *g = new_gate(test);
	struct irb_be irb;
	struct rthread *a;
	unsigned int stored;

	a = park_start(test, f, g);
	vccw_fake_irq(f, FAKE_IRQ_UNSOLICITED);
	/* Give the bottom half every chance to run; it must wait. */
	msleep(50);
	scoped_guard(spinlock_irqsave, &f->lock)
		stored = f->p->ring_len;
	KUNIT_EXPECT_EQ(test, stored, 1);
	gate_open(g);
	KUNIT_ASSERT_TRUE(test, rthread_done(a, LONG));
	KUNIT_EXPECT_EQ(test, a->ret, 0);
	vccw_settle(f);
	KUNIT_ASSERT_EQ(test, 0, vccw_read_irb(f, &irb));
	KUNIT_EXPECT_EQ(test, irb.scsw.dstat, DEV_STAT_ATTENTION);
	KUNIT_ASSERT_EQ(test, 0, vccw_read_irb(f, &irb));
	KUNIT_EXPECT_EQ(test, irb.scsw.dstat,
			DEV_STAT_CHN_END | DEV_STAT_DEV_END);
	KUNIT_EXPECT_EQ(test, f->p->stats.irbs_delivered, 2);
	KUNIT_EXPECT_EQ(test, fsm_state(&f->p->fsm), VCCW_IDLE);
}

/*
 * CR11: close and reset racing a start, both orders.  Never CP_PENDING
 * without a program, nor STANDBY with one.
 */
static void vccw_race_close_vs_start(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	struct gate *g = new_gate(test);
	struct rthread *a, *c;

	/* The start holds the lock: close waits, then finds CP_PENDING. */
	f->hold = true;
	a = park_start(test, f, g);
	c = rthread_run(test, f, do_reset, 0);
	KUNIT_EXPECT_FALSE(test, rthread_done(c, SHORT));
	gate_open(g);
	KUNIT_ASSERT_TRUE(test, rthread_done(a, LONG));
	KUNIT_ASSERT_TRUE(test, rthread_done(c, LONG));
	KUNIT_EXPECT_EQ(test, a->ret, 0);
	KUNIT_EXPECT_EQ(test, c->ret, 0);
	KUNIT_EXPECT_EQ(test, fsm_state(&f->p->fsm), VCCW_IDLE);
	KUNIT_EXPECT_FALSE(test, f->p->cp.active);
	KUNIT_EXPECT_EQ(test, f->g->nr_pinned, 0);
	KUNIT_EXPECT_EQ(test, f->nr_quiesce, 1);

	/* Close holds the lock (quiescing): the start is refused. */
	f->start_hook = NULL;
	gate_arm(g);
	f->quiesce_hook = gate_hook;
	c = rthread_run(test, f, do_close, 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&g->entered, LONG));
	KUNIT_EXPECT_EQ(test, -EAGAIN, vccw_start(f, CCW_GA, CTL_F1));
	gate_open(g);
	KUNIT_ASSERT_TRUE(test, rthread_done(c, LONG));
	KUNIT_EXPECT_EQ(test, -EACCES, vccw_start(f, CCW_GA, CTL_F1));
	KUNIT_EXPECT_EQ(test, fsm_state(&f->p->fsm), VCCW_STANDBY);
	KUNIT_EXPECT_FALSE(test, f->p->cp.active);
	KUNIT_EXPECT_EQ(test, f->g->nr_pinned, 0);
}

/* CR12 (C14): the IO eventfd replaced while the bottom half signals it. */
struct swap_arg {
	int fd[2];
	bool stop;
	unsigned long swaps;
};

static int do_swap(struct rthread *r)
{
	struct swap_arg *s = (struct swap_arg *)r->arg;
	unsigned int i;
	int ret, fd;

	for (i = 0; !READ_ONCE(s->stop); i++) {
		fd = i % 3 == 2 ? -1 : s->fd[i % 3];
		ret = vccw_arm_irq_u(r->f, r->u, VFIO_CCW_IO_IRQ_INDEX, fd);
		if (ret)
			return ret;
		/* Let the other side run, even without preemption. */
		if (!(i % 8))
			schedule_timeout_uninterruptible(1);
	}
	s->swaps = i;
	return 0;
}

static int do_irqs(struct rthread *r)
{
	struct irb_be irb;
	unsigned int i;
	int ret;

	for (i = 0; i < r->arg; i++) {
		vccw_fake_irq(r->f, FAKE_IRQ_UNSOLICITED);
		if (i % 2)
			vccw_settle(r->f);
		ret = vccw_read_irb_u(r->f, r->u, &irb);
		if (ret)
			return ret;
		cond_resched();
	}
	return 0;
}

static void vccw_race_eventfd_swap(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	struct swap_arg s = {};
	struct rthread *a, *b;
	u64 signals;

	s.fd[0] = vccw_eventfd_new(test);
	s.fd[1] = vccw_eventfd_new(test);
	a = rthread_run(test, f, do_swap, (unsigned long)&s);
	b = rthread_run(test, f, do_irqs, 3000);
	KUNIT_EXPECT_TRUE(test, rthread_done(b, 60 * HZ));
	WRITE_ONCE(s.stop, true);
	KUNIT_ASSERT_TRUE(test, rthread_done(a, 60 * HZ));
	KUNIT_ASSERT_TRUE(test, rthread_done(b, 60 * HZ));
	KUNIT_EXPECT_EQ(test, a->ret, 0);
	KUNIT_EXPECT_EQ(test, b->ret, 0);
	vccw_settle(f);
	signals = vccw_eventfd_count(s.fd[0]) + vccw_eventfd_count(s.fd[1]);
	KUNIT_EXPECT_LE(test, signals, f->p->stats.irbs_delivered);
	/* The two sides did overlap. */
	KUNIT_EXPECT_GT(test, signals, 0);
	kunit_info(test, "%llu signals for %lu IRBs, %lu swaps\n", signals,
		   f->p->stats.irbs_delivered, s.swaps);
	vccw_dev_close(f);
	KUNIT_EXPECT_NULL(test, f->p->trig[VFIO_CCW_IO_IRQ_INDEX]);
}

/*
 * CR13 (C15): remove while a channel-path event for the device runs.  The
 * event holds the subchannel's event lock (parked here on the trigger
 * lock the test holds); remove must wait for it before the device can
 * go, and afterwards no event or interrupt reaches the device.
 */
static int do_chp(struct rthread *r)
{
	vccw_sch_chp_event(&r->f->sch, 0x11, VCCW_CHP_OFFLINE);
	return 0;
}

static int do_remove(struct rthread *r)
{
	return mdev_remove_uuid(&r->f->uuid);
}

static void vccw_race_remove_vs_event(struct kunit *test)
{
	struct vccw_fake *f = vccw_fake_new(test, PAGES);
	struct rthread *c, *rm;
	struct vccw_private *p;
	unsigned int i;

	p = vccw_fake_create_mdev(f);
	mutex_lock(&p->trig_lock);
	c = rthread_run(test, f, do_chp, 0);
	/* The event is in: it holds the event lock, waiting for ours. */
	for (i = 0; i < 5000 && !mutex_is_locked(&f->sch.lock); i++)
		usleep_range(1000, 2000);
	KUNIT_EXPECT_TRUE(test, mutex_is_locked(&f->sch.lock));
	rm = rthread_run(test, f, do_remove, 0);
	KUNIT_EXPECT_FALSE(test, rthread_done(rm, SHORT));
	KUNIT_EXPECT_PTR_EQ(test, f->sch.private, p);
	mutex_unlock(&p->trig_lock);
	KUNIT_ASSERT_TRUE(test, rthread_done(c, LONG));
	KUNIT_ASSERT_TRUE(test, rthread_done(rm, LONG));
	KUNIT_EXPECT_EQ(test, rm->ret, 0);
	f->mdev = NULL;
	f->p = NULL;
	/* Gone: events and interrupts find nothing (KASAN would say so). */
	KUNIT_EXPECT_NULL(test, f->sch.private);
	vccw_sch_chp_event(&f->sch, 0x11, VCCW_CHP_ONLINE);
	vccw_sch_not_oper(&f->sch);
	f->irq_when_disabled = true;
	vccw_fake_irq(f, FAKE_IRQ_UNSOLICITED);
}

/* CR13 under load: events and interrupts while devices come and go. */
struct churn {
	struct vccw_fake *f;
	bool stop;
	unsigned long events;
};

static int churn_events(void *data)
{
	struct churn *c = data;

	while (!READ_ONCE(c->stop)) {
		vccw_fake_irq(c->f, FAKE_IRQ_UNSOLICITED);
		vccw_sch_chp_event(&c->f->sch, 0x22, VCCW_CHP_OFFLINE);
		if (!(c->events % 16))
			vccw_sch_not_oper(&c->f->sch);
		c->events++;
		cond_resched();
	}
	return 0;
}

static void vccw_race_remove_churn(struct kunit *test)
{
	struct vccw_fake *f = vccw_fake_new(test, PAGES);
	struct churn c = { .f = f };
	struct task_struct *t;
	unsigned int i;

	f->irq_when_disabled = true;
	t = kthread_run(churn_events, &c, "vccw-churn");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	get_task_struct(t);
	for (i = 0; i < 40; i++) {
		vccw_fake_create_mdev(f);
		if (i % 2 && !vccw_dev_open(f))
			vccw_dev_close(f);
		vccw_fake_remove_mdev(f);
	}
	WRITE_ONCE(c.stop, true);
	kthread_stop(t);
	put_task_struct(t);
	kunit_info(test, "%lu event rounds over 40 devices\n", c.events);
	KUNIT_EXPECT_NULL(test, f->sch.private);
}

/*
 * Everything at once (CR8, C13): starts, reads, halts and unsolicited
 * interrupts from four threads.  Whatever interleaving happens, every
 * return code is one of the contract's, and the device ends idle with
 * nothing pinned.
 */
static int stress_starts(struct rthread *r)
{
	unsigned int i;
	int ret;

	for (i = 0; i < r->arg; i++) {
		ret = vccw_start_u(r->f, r->u, CCW_GA, CTL_F1);
		if (ret && ret != -EAGAIN && ret != -EBUSY)
			return ret;
		/* Let the holder, or the bottom half, finish. */
		if (ret)
			schedule_timeout_uninterruptible(1);
		cond_resched();
	}
	return 0;
}

static int stress_halts(struct rthread *r)
{
	unsigned int i;
	int ret;

	for (i = 0; i < r->arg; i++) {
		ret = vccw_async_cmd_u(r->f, r->u, i % 2 ?
				       VFIO_CCW_ASYNC_CMD_HSCH :
				       VFIO_CCW_ASYNC_CMD_CSCH);
		if (ret && ret != -EAGAIN)
			return ret;
		if (ret == -EAGAIN)
			schedule_timeout_uninterruptible(1);
		cond_resched();
	}
	return 0;
}

static void vccw_race_stress(struct kunit *test)
{
	struct vccw_fake *f = open_fake(test);
	struct vccw_stats *st;
	struct rthread *t[4];
	struct irb_be irb;
	unsigned int i;

	t[0] = rthread_run(test, f, stress_starts, 300);
	t[1] = rthread_run(test, f, stress_starts, 300);
	t[2] = rthread_run(test, f, stress_halts, 200);
	t[3] = rthread_run(test, f, do_irqs, 200);
	for (i = 0; i < ARRAY_SIZE(t); i++) {
		KUNIT_ASSERT_TRUE(test, rthread_done(t[i], 120 * HZ));
		KUNIT_EXPECT_EQ_MSG(test, t[i]->ret, 0, "thread %u", i);
	}
	vccw_settle(f);
	while (f->p->irb_unread)
		KUNIT_ASSERT_EQ(test, 0, vccw_read_irb(f, &irb));
	/* Every IRB stored was shown, dropped for room, or discarded. */
	st = &f->p->stats;
	KUNIT_EXPECT_EQ(test, st->irqs, st->irbs_delivered + st->irb_overflow +
			st->irbs_discarded);
	KUNIT_EXPECT_EQ(test, fsm_state(&f->p->fsm), VCCW_IDLE);
	KUNIT_EXPECT_FALSE(test, f->p->cp.active);
	KUNIT_EXPECT_EQ(test, f->g->nr_pinned, 0);
	kunit_info(test, "%u starts, %u halts, %u clears, %lu IRBs\n",
		   f->nr_start, f->nr_halt, f->nr_clear,
		   f->p->stats.irbs_delivered);
}

static struct kunit_case vccw_race_cases[] = {
	KUNIT_CASE(vccw_race_two_writers),
	KUNIT_CASE(vccw_race_reader_writer),
	KUNIT_CASE(vccw_race_bh_vs_writer),
	KUNIT_CASE(vccw_race_close_vs_start),
	KUNIT_CASE_SLOW(vccw_race_eventfd_swap),
	KUNIT_CASE(vccw_race_remove_vs_event),
	KUNIT_CASE_SLOW(vccw_race_remove_churn),
	KUNIT_CASE_SLOW(vccw_race_stress),
	{}
};

static struct kunit_suite vccw_race_suite = {
	.name = "vfio_ccw_race",
	.test_cases = vccw_race_cases,
};

kunit_test_suite(vccw_race_suite);
