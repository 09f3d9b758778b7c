// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-ccw subchannels as mdev parents, and the lifetime of the device
 * behind each mdev.
 *
 * The device (struct vccw_private) is reachable from its subchannel only
 * through vccw_sch.private, which probe sets (before the VFIO device can
 * be opened) and remove clears, under both the subchannel's event lock and
 * its interrupt lock.  Every backend entry point (interrupt, subchannel
 * event, channel-path event) looks the device up under one of those locks
 * and does its work before dropping it, so once remove has cleared the
 * link none of them can reach the device.  Remove then runs what was
 * already posted, on the core's workqueue, before it returns: after that
 * nothing of the device touches the subchannel again, even if a last
 * reference (an open cdev) keeps the memory until later.
 */

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <linux/vfio.h>
#include <kunit/visibility.h>

#include "private.h"

#ifdef CONFIG_VFIO_CCW_CORE_FAULT_INJECT
atomic_t vccw_fail_nth;

/**
 * vccw_inject_fault() - make a step of the next probes fail (tests only)
 * @nth: the fallible step to fail with -ENOMEM, from 1; 0 turns it off
 */
void vccw_inject_fault(unsigned int nth)
{
	atomic_set(&vccw_fail_nth, min_t(unsigned int, nth, INT_MAX));
}
EXPORT_SYMBOL_IF_KUNIT(vccw_inject_fault);

static atomic_t vccw_devices;

/* Devices between init and release, for tests counting leaks. */
unsigned int vccw_nr_devices(void)
{
	return atomic_read(&vccw_devices);
}
EXPORT_SYMBOL_IF_KUNIT(vccw_nr_devices);

static void vccw_count(int d)
{
	atomic_add(d, &vccw_devices);
}
#else
static void vccw_count(int d)
{
}
#endif

static int vccw_mdev_probe(struct mdev_device *mdev);
static void vccw_mdev_remove(struct mdev_device *mdev);

/* Runs the devices' bottom halves, off the system workqueue. */
static struct workqueue_struct *vccw_wq;

static struct mdev_driver vccw_mdev_driver = {
	.device_api = VFIO_DEVICE_API_CCW_STRING,
	.max_instances = 1,
	.probe = vccw_mdev_probe,
	.remove = vccw_mdev_remove,
	.driver = {
		.name = "vfio_ccw_mdev",
		.owner = THIS_MODULE,
		.mod_name = KBUILD_MODNAME,
	},
};

static struct vccw_sch *mdev_to_sch(struct mdev_device *mdev)
{
	return container_of(mdev->type->parent, struct vccw_sch, parent);
}

/* Publish or withdraw the device for the backend's entry points. */
static void vccw_link(struct vccw_sch *sch, struct vccw_private *p)
{
	guard(mutex)(&sch->lock);
	scoped_guard(spinlock_irqsave, sch->irq_lock)
		sch->private = p;
}

/*
 * Withdraw the device from its subchannel, then run what was posted to it
 * before.  Nothing can store or post anything from here on.
 */
static void vccw_unlink(struct vccw_private *p)
{
	vccw_link(p->sch, NULL);
	vccw_drain(p);
}

static int vccw_mdev_probe(struct mdev_device *mdev)
{
	struct vccw_sch *sch = mdev_to_sch(mdev);
	struct vccw_private *p;
	int ret;

	p = vccw_fault() ? ERR_PTR(-ENOMEM) :
	    vfio_alloc_device(vccw_private, vdev, &mdev->dev, &vccw_vfio_ops);
	if (IS_ERR(p))
		return PTR_ERR(p);
	dev_set_drvdata(&mdev->dev, p);
	/* Linked first: an interrupt for a device just opened has a home. */
	vccw_link(sch, p);
	ret = vccw_fault() ? -ENOMEM :
	      vfio_register_emulated_iommu_dev(&p->vdev);
	if (ret)
		goto unlink;
	return 0;
unlink:
	vccw_unlink(p);
	dev_set_drvdata(&mdev->dev, NULL);
	vfio_put_device(&p->vdev);
	return ret;
}

static void vccw_mdev_remove(struct mdev_device *mdev)
{
	struct vccw_private *p = dev_get_drvdata(&mdev->dev);

	/* Waits for userspace to close the device (REQ asks it to). */
	vfio_unregister_group_dev(&p->vdev);
	vccw_unlink(p);
	dev_set_drvdata(&mdev->dev, NULL);
	vfio_put_device(&p->vdev);
}

/*
 * Guest memory through VFIO, for backends that have no memory of their
 * own to offer (all real ones).
 */
static int vccw_vfio_read(void *ctx, u64 gaddr, void *buf, size_t len)
{
	struct vccw_private *p = ctx;

	return vfio_dma_rw(&p->vdev, gaddr, buf, len, false);
}

static int vccw_vfio_pin(void *ctx, u64 gaddr, unsigned int npage,
			 struct page **pages)
{
	struct vccw_private *p = ctx;
	int ret;

	ret = vfio_pin_pages(&p->vdev, gaddr, npage,
			     IOMMU_READ | IOMMU_WRITE, pages);
	if (ret == npage)
		return 0;
	if (ret > 0)
		vfio_unpin_pages(&p->vdev, gaddr, ret);
	return ret < 0 ? ret : -EFAULT;
}

static void vccw_vfio_unpin(void *ctx, u64 gaddr, unsigned int npage)
{
	struct vccw_private *p = ctx;

	vfio_unpin_pages(&p->vdev, gaddr, npage);
}

static const struct ccwcp_mem_ops vccw_vfio_mem_ops = {
	.read = vccw_vfio_read,
	.pin = vccw_vfio_pin,
	.unpin = vccw_vfio_unpin,
};

/* vfio_device_ops.init: everything the device needs before it is seen. */
int vccw_device_init(struct vfio_device *vdev)
{
	struct vccw_private *p = to_vccw(vdev);
	struct mdev_device *mdev = to_mdev_device(vdev->dev);
	struct vccw_sch *sch = mdev_to_sch(mdev);
	int ret;

	p->sch = sch;
	spin_lock_init(&p->crw_lock);
	mutex_init(&p->crw_read_lock);
	mutex_init(&p->trig_lock);
	p->start_mark = U64_MAX;
	p->halt_mark = U64_MAX;
	p->clear_mark = U64_MAX;
	if (vccw_fault())
		ret = -ENOMEM;
	else if (sch->mem_ops)
		ret = ccwcp_init(&p->cp, sch->mem_ops, sch->mem_ctx);
	else
		ret = ccwcp_init(&p->cp, &vccw_vfio_mem_ops, p);
	if (ret)
		goto err_cp;
	ret = vccw_fault() ? -ENOMEM :
	      fsm_init(&p->fsm, &vccw_fsm_table, VCCW_STANDBY,
		       dev_name(sch->dev));
	if (ret)
		goto err_fsm;
	fsm_set_workqueue(&p->fsm, vccw_wq);
	ret = fsm_post_init(&p->irq_post, &p->fsm, VCCW_EV_INTERRUPT, NULL);
	if (WARN_ON_ONCE(ret))
		goto err_post;
	vccw_count(1);
	return 0;
err_post:
	fsm_destroy(&p->fsm);
err_fsm:
	ccwcp_destroy(&p->cp);
err_cp:
	mutex_destroy(&p->trig_lock);
	mutex_destroy(&p->crw_read_lock);
	return ret;
}

/* vfio_device_ops.release: the last reference; nothing can reach @vdev. */
void vccw_device_release(struct vfio_device *vdev)
{
	struct vccw_private *p = to_vccw(vdev);

	/* Runs the interrupts posted before the link went. */
	fsm_destroy(&p->fsm);
	vccw_count(-1);
	ccwcp_destroy(&p->cp);
	vccw_triggers_release(p);
	mutex_destroy(&p->trig_lock);
	mutex_destroy(&p->crw_read_lock);
}

/**
 * vccw_sch_register() - make a subchannel an mdev parent of type "io"
 * @sch: the subchannel, its backend fields set, the rest zeroed
 *
 * Context: process context; may sleep.
 * Return: 0 or -errno.
 */
int vccw_sch_register(struct vccw_sch *sch)
{
	int ret;

	if (WARN_ON(!sch->dev || !sch->ops || !sch->irq_lock))
		return -EINVAL;
	mutex_init(&sch->lock);
	sch->private = NULL;
	sch->type.sysfs_name = "io";
	sch->type.pretty_name = "I/O subchannel (Non-QDIO)";
	sch->types[0] = &sch->type;
	ret = mdev_register_parent(&sch->parent, sch->dev, &vccw_mdev_driver,
				   sch->types, ARRAY_SIZE(sch->types));
	if (ret) {
		mutex_destroy(&sch->lock);
		return ret;
	}
	sch->registered = true;
	return 0;
}
EXPORT_SYMBOL_GPL(vccw_sch_register);

/**
 * vccw_sch_unregister() - remove a subchannel's mdev and parent
 * @sch: a subchannel vccw_sch_register() accepted
 *
 * Removes the mdev (asking userspace to close it, and waiting) first.
 *
 * Context: process context; may sleep.  Not with @sch's events running.
 */
void vccw_sch_unregister(struct vccw_sch *sch)
{
	if (!sch->registered)
		return;
	mdev_unregister_parent(&sch->parent);
	WARN_ON_ONCE(sch->private);
	sch->registered = false;
	mutex_destroy(&sch->lock);
}
EXPORT_SYMBOL_GPL(vccw_sch_unregister);

/**
 * vccw_sch_not_oper() - the subchannel is no longer operational
 * @sch: the subchannel
 *
 * Context: process context; may sleep.
 */
void vccw_sch_not_oper(struct vccw_sch *sch)
{
	guard(mutex)(&sch->lock);
	if (sch->private)
		fsm_event(&sch->private->fsm, VCCW_EV_NOT_OPER, NULL);
}
EXPORT_SYMBOL_GPL(vccw_sch_not_oper);

/**
 * vccw_sch_shutdown() - the system goes down: stop the device's I/O
 * @sch: the subchannel
 *
 * What a close does (quiesce, disable, release the program) under the
 * I/O lock, then NOT_OPER; no open, reset or unmap enables the
 * subchannel again, so nothing more is started before the reboot.
 *
 * Context: process context; may sleep.
 */
void vccw_sch_shutdown(struct vccw_sch *sch)
{
	guard(mutex)(&sch->lock);
	if (!sch->private)
		return;
	WRITE_ONCE(sch->private->shut_down, true);
	fsm_event(&sch->private->fsm, VCCW_EV_CLOSE, NULL);
	fsm_event(&sch->private->fsm, VCCW_EV_NOT_OPER, NULL);
}
EXPORT_SYMBOL_GPL(vccw_sch_shutdown);

/**
 * vccw_sch_chp_event() - a channel path of the subchannel changed
 * @sch: the subchannel
 * @chpid: the channel path
 * @event: what happened to it
 *
 * Queues the channel report word userspace reads from the CRW region.
 * The backend has updated its path masks already.
 *
 * Context: process context; may sleep.
 */
void vccw_sch_chp_event(struct vccw_sch *sch, u8 chpid,
			enum vccw_chp_event event)
{
	u32 erc = event == VCCW_CHP_OFFLINE ? CRW_ERC_PERRN : CRW_ERC_INIT;

	guard(mutex)(&sch->lock);
	if (sch->private)
		vccw_crw_queue(sch->private, CRW_RSC_CHP << CRW_RSC_SHIFT |
				erc << CRW_ERC_SHIFT | chpid);
}
EXPORT_SYMBOL_GPL(vccw_sch_chp_event);

static int __init vccw_init(void)
{
	int ret;

	/*
	 * Not ordered: lib/fsm keeps each device's events in order, and a
	 * device stuck on its I/O lock (a copy from userspace that faults
	 * slowly) must not hold up the others.
	 */
	vccw_wq = alloc_workqueue("vfio_ccw", 0, 0);
	if (!vccw_wq)
		return -ENOMEM;
	ret = vccw_fsm_register();
	if (ret)
		goto err_fsm;
	ret = mdev_register_driver(&vccw_mdev_driver);
	if (ret)
		goto err_drv;
	return 0;
err_drv:
	vccw_fsm_unregister();
err_fsm:
	destroy_workqueue(vccw_wq);
	return ret;
}

static void __exit vccw_exit(void)
{
	mdev_unregister_driver(&vccw_mdev_driver);
	vccw_fsm_unregister();
	destroy_workqueue(vccw_wq);
}

module_init(vccw_init);
module_exit(vccw_exit);

MODULE_DESCRIPTION("vfio-ccw core: channel I/O subchannels for VFIO");
MODULE_LICENSE("GPL");
