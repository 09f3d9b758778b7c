// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of the vfio-ccw core on the fake subchannel (prints figures,
 * asserts nothing about speed):
 *  - the round trip of one I/O as QEMU makes it, the device completing at
 *    once: the region write (copy-in, translation, start), the interrupt,
 *    the bottom half on the workqueue, the eventfd, the sleeping waiter
 *    woken, the region read;
 *  - the IO_REQ dispatch alone: the CP_PENDING cell (-EBUSY, the cheapest
 *    one, so the engine's cost is not hidden behind a translation) through
 *    lib/fsm, against the same action called through a static 2-D
 *    jumptable under a plain mutex, upstream's shape, in the same run.
 * Build without debug instrumentation (kunit/bench.kunitconfig).
 */

#include <kunit/test.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/sort.h>

#include "bench.h"
#include "vccw_fake.h"

#define PAGES		16
#define CTL_F1		(ORB_F | ORB_P | ORB_H)
#define CCW_GA		0x1000
#define DATA_GA		0x3000
#define IOS		2000
#define ROUNDS		9
#define LOOPS		200000

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static void vccw_bench_round_trip(struct kunit *test)
{
	struct vccw_fake *f = vccw_fake_new(test, PAGES);
	struct vccw_efd_waiter w = {};
	struct irb_be irb;
	u64 *t, t0, sum = 0;
	unsigned int i;
	int efd;

	t = kunit_kmalloc_array(test, IOS, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	vccw_fake_create_mdev(f);
	KUNIT_ASSERT_EQ(test, 0, vccw_dev_open(f));
	efd = vccw_eventfd_new(test);
	KUNIT_ASSERT_EQ(test, 0, vccw_arm_irq(f, VFIO_CCW_IO_IRQ_INDEX, efd));
	KUNIT_ASSERT_EQ(test, 0, vccw_efd_waiter_init(&w, efd));
	vccw_guest_sense_id(f, CCW_GA, DATA_GA);
	for (i = 0; i < IOS; i++) {
		t0 = ktime_get_ns();
		if (vccw_start(f, CCW_GA, CTL_F1) ||
		    !vccw_efd_wait(&w, 10 * HZ) || vccw_read_irb(f, &irb))
			break;
		t[i] = ktime_get_ns() - t0;
		sum += t[i];
	}
	vccw_efd_waiter_exit(&w);
	KUNIT_ASSERT_EQ(test, i, IOS);
	KUNIT_EXPECT_EQ(test, irb.scsw.dstat,
			DEV_STAT_CHN_END | DEV_STAT_DEV_END);
	sort(t, IOS, sizeof(*t), cmp_u64, NULL);
	kunit_info(test, "bench: I/O round trip (write, start, irq, bottom half, eventfd, read): median %llu ns, p99 %llu ns, mean %llu ns over %u SENSE IDs\n",
		   t[IOS / 2], t[IOS * 99 / 100], div_u64(sum, IOS), IOS);
}

/* Upstream's shape: a static table of actions, the state under a mutex. */
static fsm_action_fn jt[VCCW_NR_STATES][VCCW_NR_EVENTS];

static void vccw_bench_dispatch(struct kunit *test)
{
	struct vccw_fake *f = vccw_fake_new(test, PAGES);
	struct vccw_io_req req = {};
	struct mutex jt_lock;		/* the jumptable's state lock */
	unsigned int i, r, jt_state = VCCW_CP_PENDING;
	u64 best_fsm = U64_MAX, best_jt = U64_MAX, t0;
	struct fsm *fsm;
	char ratio[16];
	int ret = 0;

	for (i = 0; i < vccw_fsm_table.nr_transitions; i++) {
		const struct fsm_transition *c = &vccw_fsm_table.transitions[i];

		jt[c->state][c->event] = c->action;
	}
	vccw_fake_create_mdev(f);
	KUNIT_ASSERT_EQ(test, 0, vccw_dev_open(f));
	f->hold = true;
	vccw_guest_sense_id(f, CCW_GA, DATA_GA);
	KUNIT_ASSERT_EQ(test, 0, vccw_start(f, CCW_GA, CTL_F1));
	fsm = &f->p->fsm;
	KUNIT_ASSERT_EQ(test, fsm_state(fsm), VCCW_CP_PENDING);
	mutex_init(&jt_lock);
	for (r = 0; r < ROUNDS; r++) {
		t0 = ktime_get_ns();
		for (i = 0; i < LOOPS; i++) {
			fsm_lock(fsm);
			ret |= __fsm_event(fsm, VCCW_EV_IO_REQ, &req) != -EBUSY;
			fsm_unlock(fsm);
		}
		best_fsm = min(best_fsm, ktime_get_ns() - t0);
		t0 = ktime_get_ns();
		for (i = 0; i < LOOPS; i++) {
			mutex_lock(&jt_lock);
			ret |= jt[READ_ONCE(jt_state)][VCCW_EV_IO_REQ](fsm,
					VCCW_EV_IO_REQ, &req) != -EBUSY;
			mutex_unlock(&jt_lock);
		}
		best_jt = min(best_jt, ktime_get_ns() - t0);
	}
	mutex_destroy(&jt_lock);
	KUNIT_EXPECT_EQ(test, ret, 0);
	bench_ratio(ratio, sizeof(ratio), best_fsm, best_jt);
	kunit_info(test, "bench: IO_REQ in CP_PENDING: lib/fsm %llu ps, 2-D jumptable under a mutex %llu ps, ratio %s\n",
		   div_u64(best_fsm * 1000, LOOPS), div_u64(best_jt * 1000, LOOPS),
		   ratio);
	f->hold = false;
	vccw_fake_irq(f, FAKE_IRQ_FINAL);
	vccw_settle(f);
}

static struct kunit_case vccw_bench_cases[] = {
	KUNIT_CASE(vccw_bench_round_trip),
	KUNIT_CASE(vccw_bench_dispatch),
	{}
};

static struct kunit_suite vccw_bench_suite = {
	.name = "vfio_ccw_bench",
	.test_cases = vccw_bench_cases,
};

kunit_test_suite(vccw_bench_suite);
