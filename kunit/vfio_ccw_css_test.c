// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the s390 backend (drivers/vfio-ccw/css.c), on the real
 * channel subsystem of qemu-system-s390x: an I/O subchannel with a
 * virtio-ccw device behind it (kunit.sh's s390x configuration adds one)
 * is taken from io_subchannel, bound to vfio_ccw, driven through the
 * vfio-ccw core and given back.
 *
 * Built into css.c (it includes this file) to reach its static functions;
 * the core's KUnit harness (vccw_fake.c) drives the VFIO device, with the
 * guest memory of ccw_guest.c instead of VFIO's.
 */
#include <kunit/test.h>
#include <linux/device.h>

/* Relative to this file, which css.c includes. */
#include "vccw_fake.h"

#define CSS_PAGES	8
#define CSS_CCW_GA	0x1000
#define CSS_DATA_GA	0x3000

/* An I/O subchannel with a device that io_subchannel drives. */
static int css_find_io(struct device *dev, const void *unused)
{
	struct subchannel *sch = to_subchannel(dev);

	return sch->st == SUBCHANNEL_TYPE_IO && dev->driver &&
	       !strcmp(dev->driver->name, "io_subchannel") &&
	       sch->schib.pmcw.dnv;
}

/* Give the subchannel back to io_subchannel, whatever the test did. */
static void css_restore(void *data)
{
	struct subchannel *sch = data;

	device_release_driver(&sch->dev);
	device_set_driver_override(&sch->dev, "");
	if (device_attach(&sch->dev) != 1)
		pr_warn("vfio_ccw_css_test: %s not rebound\n",
			dev_name(&sch->dev));
	put_device(&sch->dev);
}

/* Take a subchannel from io_subchannel and bind it to vfio_ccw. */
static struct subchannel *css_take(struct kunit *test)
{
	struct subchannel *sch;
	struct device *dev;

	/* css_bus_type is css.c's own; the driver knows its bus. */
	dev = bus_find_device(vccw_css_driver.drv.bus, NULL, NULL, css_find_io);
	if (!dev)
		kunit_skip(test, "no I/O subchannel with a device (qemu -device virtio-rng-ccw)");
	sch = to_subchannel(dev);
	KUNIT_ASSERT_EQ(test, 0, kunit_add_action_or_reset(test, css_restore, sch));
	device_release_driver(dev);
	KUNIT_ASSERT_EQ(test, 0, device_set_driver_override(dev, "vfio_ccw"));
	KUNIT_ASSERT_EQ(test, 0, device_driver_attach(&vccw_css_driver.drv, dev));
	return sch;
}

static bool css_enabled(struct subchannel *sch)
{
	struct schib schib;

	return !stsch(sch->schid, &schib) && schib.pmcw.ena;
}

/* C17: a QDIO subchannel is refused before anything is made. */
static void vccw_css_test_qdio_refused(struct kunit *test)
{
	struct subchannel *sch = kunit_kzalloc(test, sizeof(*sch), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, sch);
	sch->schib.pmcw.qf = 1;
	KUNIT_EXPECT_EQ(test, vccw_css_probe(sch), -ENODEV);
	KUNIT_EXPECT_NULL(test, dev_get_drvdata(&sch->dev));
}

/*
 * C15, C17: bind publishes the drvdata and an mdev type vfio_ccw-io;
 * unbind leaves the subchannel disabled and the drvdata gone, and
 * io_subchannel takes the subchannel back.
 */
static void vccw_css_test_bind_unbind(struct kunit *test)
{
	struct subchannel *sch = css_take(test);
	struct vccw_css *css = dev_get_drvdata(&sch->dev);

	KUNIT_ASSERT_NOT_NULL(test, css);
	KUNIT_EXPECT_PTR_EQ(test, css->sch, sch);
	/* mdev_supported_types/vfio_ccw-io/devices, as mdevctl finds it. */
	KUNIT_ASSERT_NOT_NULL(test, css->core.type.devices_kobj);
	KUNIT_EXPECT_STREQ(test, kobject_name(css->core.type.devices_kobj->parent),
			   "vfio_ccw-io");
	KUNIT_EXPECT_STREQ(test,
			   kobject_name(css->core.type.devices_kobj->parent->parent),
			   "mdev_supported_types");
	KUNIT_EXPECT_FALSE(test, css_enabled(sch));
	/* Enabled as an open would leave it: unbind must not leave it so. */
	mutex_lock(&css->core.lock);
	KUNIT_EXPECT_EQ(test, 0, css->core.ops->enable(&css->core));
	mutex_unlock(&css->core.lock);
	KUNIT_EXPECT_TRUE(test, css_enabled(sch));
	device_release_driver(&sch->dev);
	KUNIT_EXPECT_NULL(test, dev_get_drvdata(&sch->dev));
	KUNIT_EXPECT_FALSE(test, css_enabled(sch));
}

KUNIT_DEFINE_ACTION_WRAPPER(css_guest_destroy, ccw_guest_destroy,
			    struct ccw_guest *);

static void css_close(struct vccw_fake *f)
{
	vccw_dev_close(f);
	vccw_fake_remove_mdev(f);
}

KUNIT_DEFINE_ACTION_WRAPPER(css_close_action, css_close, struct vccw_fake *);

/*
 * A harness for the core on the real subchannel, memory from ccw_guest.
 * Closed and removed at the test's end at the latest, before css_restore()
 * unbinds (which would wait for the close forever).
 */
static struct vccw_fake *css_open(struct kunit *test, struct vccw_css *css)
{
	struct vccw_fake *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, f);
	f->test = test;
	f->g = ccw_guest_create(CSS_PAGES);
	KUNIT_ASSERT_NOT_NULL(test, f->g);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, css_guest_destroy, f->g));
	f->u = vccw_ubuf(test, PAGE_SIZE);
	f->mm = current->mm;
	/* No mdev exists yet: nothing has read these. */
	css->core.mem_ops = &ccw_guest_mem_ops;
	css->core.mem_ctx = f->g;
	vccw_harness_create_mdev(f, &css->core.type);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, css_close_action, f));
	KUNIT_ASSERT_EQ(test, 0, vccw_dev_open(f));
	return f;
}

static int css_wait_irb(struct kunit *test, struct vccw_efd_waiter *w,
			struct vccw_fake *f, struct irb_be *irb)
{
	if (!vccw_efd_wait(w, 5 * HZ))
		return -ETIMEDOUT;
	return vccw_read_irb(f, irb);
}

/*
 * C7, C10, C11, C17, C18: a SENSE ID through the core and the real
 * channel subsystem, data and IRB checked; then a halt and a clear
 * through the async region; close quiesces and disables.
 */
static void vccw_css_test_io(struct kunit *test)
{
	struct subchannel *sch = css_take(test);
	struct vccw_css *css = dev_get_drvdata(&sch->dev);
	struct vccw_efd_waiter w;
	struct vccw_fake *f;
	struct irb_be irb;
	int efd;
	u8 *data;

	KUNIT_ASSERT_NOT_NULL(test, css);
	f = css_open(test, css);
	KUNIT_EXPECT_TRUE(test, css_enabled(sch));
	efd = vccw_eventfd_new(test);
	KUNIT_ASSERT_EQ(test, 0, vccw_arm_irq(f, VFIO_CCW_IO_IRQ_INDEX, efd));
	KUNIT_ASSERT_EQ(test, 0, vccw_efd_waiter_init(&w, efd));

	data = ccw_guest_ptr(f->g, CSS_DATA_GA);
	memset(data, 0x5a, 256);
	vccw_guest_sense_id(f, CSS_CCW_GA, CSS_DATA_GA);
	KUNIT_EXPECT_EQ(test, 0, vccw_start(f, CSS_CCW_GA,
					    ORB_F | ORB_P | ORB_H));
	KUNIT_EXPECT_EQ(test, 0, css_wait_irb(test, &w, f, &irb));
	KUNIT_EXPECT_EQ(test, scswb_fctl(&irb.scsw), SCSWB_FCTL_START);
	KUNIT_EXPECT_EQ(test, scswb_cc(&irb.scsw), 0);
	KUNIT_EXPECT_EQ(test, irb.scsw.dstat,
			DEV_STAT_CHN_END | DEV_STAT_DEV_END);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(irb.scsw.cpa), CSS_CCW_GA + 8);
	/* A virtio-ccw device: control unit 3832. */
	KUNIT_EXPECT_EQ(test, data[0], 0xff);
	KUNIT_EXPECT_EQ(test, data[1], 0x38);
	KUNIT_EXPECT_EQ(test, data[2], 0x32);
	KUNIT_EXPECT_EQ(test, fsm_state(&f->p->fsm), VCCW_IDLE);
	KUNIT_EXPECT_EQ(test, scswb_ctl(&irb.scsw) & (SCSWB_F | SCSWB_P),
			SCSWB_F | SCSWB_P);

	/*
	 * Format 0 without prefetch: the channel ran the host's format-1,
	 * prefetched program, userspace reads the status of its own.
	 */
	memset(data, 0x5a, 256);
	ccw_put0(f->g, CSS_CCW_GA, CCWC_SENSE_ID, CCWF_SLI, 256, CSS_DATA_GA);
	KUNIT_EXPECT_EQ(test, 0, vccw_start(f, CSS_CCW_GA, 0));
	KUNIT_EXPECT_EQ(test, 0, css_wait_irb(test, &w, f, &irb));
	KUNIT_EXPECT_EQ(test, irb.scsw.dstat,
			DEV_STAT_CHN_END | DEV_STAT_DEV_END);
	KUNIT_EXPECT_EQ(test, scswb_ctl(&irb.scsw) & (SCSWB_F | SCSWB_P), 0);
	KUNIT_EXPECT_EQ(test, data[0], 0xff);

	KUNIT_EXPECT_EQ(test, 0, vccw_async_cmd(f, VFIO_CCW_ASYNC_CMD_HSCH));
	KUNIT_EXPECT_EQ(test, 0, css_wait_irb(test, &w, f, &irb));
	KUNIT_EXPECT_EQ(test, scswb_fctl(&irb.scsw), SCSWB_FCTL_HALT);
	KUNIT_EXPECT_EQ(test, 0, vccw_async_cmd(f, VFIO_CCW_ASYNC_CMD_CSCH));
	KUNIT_EXPECT_EQ(test, 0, css_wait_irb(test, &w, f, &irb));
	KUNIT_EXPECT_EQ(test, scswb_fctl(&irb.scsw), SCSWB_FCTL_CLEAR);
	vccw_efd_waiter_exit(&w);

	css_close(f);
	KUNIT_EXPECT_FALSE(test, css_enabled(sch));
}

static struct chp_link css_link(struct subchannel *sch)
{
	struct chp_link link = {};

	chp_id_init(&link.chpid);
	link.chpid.id = sch->schib.pmcw.chpid[0];
	return link;
}

static int css_chp_event(struct subchannel *sch, struct chp_link *link,
			 int event)
{
	guard(spinlock_irq)(&sch->lock);
	return vccw_css_chp_event(sch, link, event);
}

/*
 * C15: channel-path events, which css raises under the subchannel lock,
 * change the path masks at once and reach the open device as CRWs from
 * process context; once remove began, nothing more is queued.
 */
static void vccw_css_test_chp_event(struct kunit *test)
{
	struct subchannel *sch = css_take(test);
	struct vccw_css *css = dev_get_drvdata(&sch->dev);
	struct chp_link link = css_link(sch);
	struct ccw_crw_region crw;
	struct vccw_fake *f;
	u8 mask, lpm;

	KUNIT_ASSERT_NOT_NULL(test, css);
	mask = chp_ssd_get_mask(&sch->ssd_info, &link);
	if (!mask)
		kunit_skip(test, "no subchannel description for chpid %02x",
			   link.chpid.id);
	f = css_open(test, css);
	lpm = sch->lpm;

	KUNIT_EXPECT_EQ(test, 0, css_chp_event(sch, &link, CHP_VARY_OFF));
	KUNIT_EXPECT_EQ(test, vccw_css_path_mask(&css->core), lpm & ~mask);
	KUNIT_EXPECT_EQ(test, 0, css_chp_event(sch, &link, CHP_VARY_ON));
	KUNIT_EXPECT_EQ(test, vccw_css_path_mask(&css->core), lpm | mask);

	KUNIT_EXPECT_EQ(test, 0, css_chp_event(sch, &link, CHP_OFFLINE));
	flush_work(&css->event_work);
	KUNIT_EXPECT_EQ(test, sizeof(crw),
			vccw_pread(f, f->u, &crw, sizeof(crw),
				   VCCW_INDEX_TO_OFFSET(VCCW_REGION_CRW)));
	KUNIT_EXPECT_EQ(test, crw.crw, CRW_RSC_CHP << CRW_RSC_SHIFT |
			CRW_ERC_PERRN << CRW_ERC_SHIFT | link.chpid.id);

	scoped_guard(spinlock_irq, &sch->lock)
		css->events_closed = true;
	KUNIT_EXPECT_EQ(test, 0, css_chp_event(sch, &link, CHP_ONLINE));
	KUNIT_EXPECT_EQ(test, 0, css_chp_event(sch, &link, CHP_VARY_ON));
	flush_work(&css->event_work);
	/* Nothing reached the device: no CRW to read. */
	KUNIT_EXPECT_EQ(test, sizeof(crw),
			vccw_pread(f, f->u, &crw, sizeof(crw),
				   VCCW_INDEX_TO_OFFSET(VCCW_REGION_CRW)));
	KUNIT_EXPECT_EQ(test, crw.crw, 0);
	css_close(f);
}

/*
 * C15: sch_event finds its own vccw_css under the subchannel lock, finds
 * the subchannel still there, and leaves one another driver holds alone
 * (as after an unbind racing the event: css read sch->driver first).
 */
static void vccw_css_test_sch_event(struct kunit *test)
{
	struct subchannel *sch = css_take(test);
	void *io_drvdata;

	/* Nothing waits: the fast path and the slow path answer at once. */
	KUNIT_EXPECT_EQ(test, vccw_css_sch_event(sch, 0), 0);
	KUNIT_EXPECT_EQ(test, vccw_css_sch_event(sch, 1), 0);
	scoped_guard(spinlock_irq, &sch->lock)
		KUNIT_EXPECT_FALSE(test, vccw_css_lookup(sch)->not_oper);
	KUNIT_EXPECT_NOT_NULL(test, dev_get_drvdata(&sch->dev));

	/* Back with io_subchannel, as after an unbind racing the event. */
	device_release_driver(&sch->dev);
	device_set_driver_override(&sch->dev, "");
	KUNIT_ASSERT_EQ(test, 1, device_attach(&sch->dev));
	io_drvdata = dev_get_drvdata(&sch->dev);
	scoped_guard(spinlock_irq, &sch->lock)
		KUNIT_EXPECT_NULL(test, vccw_css_lookup(sch));
	KUNIT_EXPECT_EQ(test, vccw_css_sch_event(sch, 1), 0);
	KUNIT_EXPECT_PTR_EQ(test, dev_get_drvdata(&sch->dev), io_drvdata);
}

static struct kunit_case vccw_css_test_cases[] = {
	KUNIT_CASE(vccw_css_test_qdio_refused),
	KUNIT_CASE(vccw_css_test_bind_unbind),
	KUNIT_CASE(vccw_css_test_io),
	KUNIT_CASE(vccw_css_test_chp_event),
	KUNIT_CASE(vccw_css_test_sch_event),
	{}
};

static struct kunit_suite vccw_css_test_suite = {
	.name = "vfio_ccw_css",
	.test_cases = vccw_css_test_cases,
};

kunit_test_suite(vccw_css_test_suite);
