// SPDX-License-Identifier: GPL-2.0
/*
 * vfio-ccw's VFIO device: the four regions, the ioctls, open and close.
 *
 * Each region is a 1 KiB window of the device fd whose index is the
 * offset's high bits.  The index and the range are checked before any
 * lock is taken, against the region's real size, and every access stays
 * inside the kernel's copy of that region.
 */

#include <linux/minmax.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vfio.h>

#include "private.h"

static const size_t vccw_region_size[VCCW_NR_REGIONS] = {
	[VCCW_REGION_IO] = sizeof(struct ccw_io_region),
	[VCCW_REGION_ASYNC] = sizeof(struct ccw_cmd_region),
	[VCCW_REGION_SCHIB] = sizeof(struct ccw_schib_region),
	[VCCW_REGION_CRW] = sizeof(struct ccw_crw_region),
};

static const u32 vccw_region_subtype[VCCW_NR_REGIONS] = {
	[VCCW_REGION_ASYNC] = VFIO_REGION_SUBTYPE_CCW_ASYNC_CMD,
	[VCCW_REGION_SCHIB] = VFIO_REGION_SUBTYPE_CCW_SCHIB,
	[VCCW_REGION_CRW] = VFIO_REGION_SUBTYPE_CCW_CRW,
};

/* Region index and offset inside it, or -EINVAL: C1, before any lock. */
static int vccw_region_of(loff_t pos, size_t count, unsigned int *index,
			  size_t *off)
{
	u64 idx;

	if (pos < 0)
		return -EINVAL;
	idx = VCCW_OFFSET_TO_INDEX((u64)pos);
	if (idx >= VCCW_NR_REGIONS)
		return -EINVAL;
	*index = idx;
	*off = (u64)pos & VCCW_OFFSET_MASK;
	if (*off >= vccw_region_size[idx] ||
	    count > vccw_region_size[idx] - *off)
		return -EINVAL;
	return 0;
}

static bool overlaps(size_t off, size_t count, size_t start, size_t len)
{
	return off < start + len && start < off + count;
}

static ssize_t vccw_read_io(struct vccw_private *p, char __user *buf,
			    size_t count, size_t off)
{
	guard(fsm)(&p->fsm);
	if (copy_to_user(buf, (u8 *)&p->io + off, count))
		return -EFAULT;
	if (p->irb_unread &&
	    overlaps(off, count, offsetof(struct ccw_io_region, irb_area),
		     IRB_AREA_SIZE))
		vccw_irb_consumed(p);
	return count;
}

static ssize_t vccw_read_cmd(struct vccw_private *p, char __user *buf,
			     size_t count, size_t off)
{
	guard(fsm)(&p->fsm);
	if (copy_to_user(buf, (u8 *)&p->cmd + off, count))
		return -EFAULT;
	return count;
}

static ssize_t vccw_read_schib(struct vccw_private *p, char __user *buf,
			       size_t count, size_t off)
{
	struct ccw_schib_region r;
	int ret;

	guard(fsm)(&p->fsm);
	ret = p->sch->ops->read_schib(p->sch, r.schib_area);
	if (ret)
		return ret;
	if (copy_to_user(buf, (u8 *)&r + off, count))
		return -EFAULT;
	return count;
}

static ssize_t vccw_read(struct vfio_device *vdev, char __user *buf,
			 size_t count, loff_t *ppos)
{
	struct vccw_private *p = to_vccw(vdev);
	unsigned int index;
	size_t off;
	int ret;

	/* Like 6.12's, the regions ignore and keep the file position. */
	ret = vccw_region_of(*ppos, count, &index, &off);
	if (ret || !count)
		return ret;
	switch (index) {
	case VCCW_REGION_IO:
		return vccw_read_io(p, buf, count, off);
	case VCCW_REGION_ASYNC:
		return vccw_read_cmd(p, buf, count, off);
	case VCCW_REGION_SCHIB:
		return vccw_read_schib(p, buf, count, off);
	default:
		return vccw_crw_read(p, buf, count, off);
	}
}

/*
 * The I/O region: only the ORB and SCSW areas come from userspace; the IRB
 * area and the return code are the kernel's and a write never touches
 * them.  The I/O lock is tried, not waited for (-EAGAIN, which QEMU
 * retries at once), and held from the copy to the return code.
 */
static ssize_t vccw_write_io(struct vccw_private *p, const char __user *buf,
			     size_t count, size_t off)
{
	struct vccw_io_req req;
	size_t n = min(count, sizeof(req) - off);
	int ret;

	scoped_cond_guard(fsm_try, return -EAGAIN, &p->fsm) {
		/* A partial write completes the request in the region. */
		memcpy(&req, &p->io, sizeof(req));
		if (copy_from_user((u8 *)&req + off, buf, n))
			return -EFAULT;
		ret = __fsm_event(&p->fsm, VCCW_EV_IO_REQ, &req);
		p->io.ret_code = ret;
	}
	return ret ? ret : count;
}

static ssize_t vccw_write_async(struct vccw_private *p,
				const char __user *buf, size_t count,
				size_t off)
{
	u32 cmd;
	int ret;

	scoped_cond_guard(fsm_try, return -EAGAIN, &p->fsm) {
		cmd = p->cmd.command;
		if (copy_from_user((u8 *)&cmd + off, buf,
				   min(count, sizeof(cmd) - off)))
			return -EFAULT;
		p->cmd.command = cmd;
		ret = __fsm_event(&p->fsm, VCCW_EV_ASYNC_REQ, &cmd);
		p->cmd.ret_code = ret;
	}
	return ret ? ret : count;
}

static ssize_t vccw_write(struct vfio_device *vdev, const char __user *buf,
			  size_t count, loff_t *ppos)
{
	struct vccw_private *p = to_vccw(vdev);
	unsigned int index;
	ssize_t ret;
	size_t off;

	ret = vccw_region_of(*ppos, count, &index, &off);
	if (ret || !count)
		return ret;
	switch (index) {
	case VCCW_REGION_IO:
		/* A request must carry some of the ORB or the SCSW. */
		if (off >= sizeof(struct vccw_io_req))
			return -EINVAL;
		return vccw_write_io(p, buf, count, off);
	case VCCW_REGION_ASYNC:
		if (off >= sizeof(p->cmd.command))
			return -EINVAL;
		return vccw_write_async(p, buf, count, off);
	default:
		return -EINVAL;		/* schib and crw are read-only */
	}
}

static int vccw_get_info(void __user *arg)
{
	struct vfio_device_info info;
	size_t minsz = offsetofend(struct vfio_device_info, num_irqs);

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	info.flags = VFIO_DEVICE_FLAGS_CCW | VFIO_DEVICE_FLAGS_RESET;
	info.num_regions = VCCW_NR_REGIONS;
	info.num_irqs = VFIO_CCW_NUM_IRQS;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static int vccw_get_region_info(void __user *arg)
{
	size_t minsz = offsetofend(struct vfio_region_info, offset);
	struct vfio_info_cap caps = {};
	struct vfio_region_info info;
	struct vfio_region_info_cap_type cap = {
		.header.id = VFIO_REGION_INFO_CAP_TYPE,
		.header.version = 1,
		.type = VFIO_REGION_TYPE_CCW,
	};
	int ret = 0;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz)
		return -EINVAL;
	if (info.index >= VCCW_NR_REGIONS)
		return -EINVAL;
	info.offset = VCCW_INDEX_TO_OFFSET(info.index);
	info.size = vccw_region_size[info.index];
	info.flags = VFIO_REGION_INFO_FLAG_READ;
	if (info.index == VCCW_REGION_IO || info.index == VCCW_REGION_ASYNC)
		info.flags |= VFIO_REGION_INFO_FLAG_WRITE;
	info.cap_offset = 0;
	if (info.index != VCCW_REGION_IO) {
		cap.subtype = vccw_region_subtype[info.index];
		ret = vccw_fault() ? -ENOMEM :
		      vfio_info_add_capability(&caps, &cap.header, sizeof(cap));
		if (ret)
			return ret;
		info.flags |= VFIO_REGION_INFO_FLAG_CAPS;
		if (info.argsz < sizeof(info) + caps.size) {
			info.argsz = sizeof(info) + caps.size;
		} else {
			vfio_info_cap_shift(&caps, sizeof(info));
			if (copy_to_user(arg + sizeof(info), caps.buf,
					 caps.size))
				ret = -EFAULT;
			info.cap_offset = sizeof(info);
		}
		kfree(caps.buf);
		if (ret)
			return ret;
	}
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static int vccw_get_irq_info(void __user *arg)
{
	size_t minsz = offsetofend(struct vfio_irq_info, count);
	struct vfio_irq_info info;

	if (copy_from_user(&info, arg, minsz))
		return -EFAULT;
	if (info.argsz < minsz || info.index >= VFIO_CCW_NUM_IRQS)
		return -EINVAL;
	info.flags = VFIO_IRQ_INFO_EVENTFD;
	info.count = 1;
	return copy_to_user(arg, &info, minsz) ? -EFAULT : 0;
}

static int vccw_ioctl_set_irqs(struct vccw_private *p, void __user *arg)
{
	size_t minsz = offsetofend(struct vfio_irq_set, count);
	struct vfio_irq_set hdr;
	size_t data_size = 0;
	int ret;

	if (copy_from_user(&hdr, arg, minsz))
		return -EFAULT;
	ret = vfio_set_irqs_validate_and_prepare(&hdr, 1, VFIO_CCW_NUM_IRQS,
						 &data_size);
	if (ret)
		return ret;
	/* With no data to read, only a plain trigger makes sense. */
	if (!hdr.count &&
	    (hdr.flags & VFIO_IRQ_SET_DATA_TYPE_MASK) != VFIO_IRQ_SET_DATA_NONE)
		return -EINVAL;
	return vccw_set_irqs(p, hdr.flags, hdr.index, arg + minsz);
}

/* CLOSE then OPEN, under the I/O lock: nothing runs in between. */
static int vccw_reset_locked(struct vccw_private *p)
{
	int ret;

	fsm_lockdep_assert_held(&p->fsm);
	p->stats.resets++;
	ret = __fsm_event(&p->fsm, VCCW_EV_CLOSE, NULL);
	if (!ret)
		ret = __fsm_event(&p->fsm, VCCW_EV_OPEN, NULL);
	return ret;
}

static int vccw_reset(struct vccw_private *p)
{
	guard(fsm)(&p->fsm);
	return vccw_reset_locked(p);
}

static long vccw_ioctl(struct vfio_device *vdev, unsigned int cmd,
		       unsigned long uarg)
{
	struct vccw_private *p = to_vccw(vdev);
	void __user *arg = (void __user *)uarg;

	switch (cmd) {
	case VFIO_DEVICE_GET_INFO:
		return vccw_get_info(arg);
	case VFIO_DEVICE_GET_REGION_INFO:
		return vccw_get_region_info(arg);
	case VFIO_DEVICE_GET_IRQ_INFO:
		return vccw_get_irq_info(arg);
	case VFIO_DEVICE_SET_IRQS:
		return vccw_ioctl_set_irqs(p, arg);
	case VFIO_DEVICE_RESET:
		return vccw_reset(p);
	default:
		return -ENOTTY;
	}
}

static int vccw_open_device(struct vfio_device *vdev)
{
	struct vccw_private *p = to_vccw(vdev);

	return fsm_event(&p->fsm, VCCW_EV_OPEN, NULL);
}

static void vccw_close_device(struct vfio_device *vdev)
{
	struct vccw_private *p = to_vccw(vdev);

	fsm_event(&p->fsm, VCCW_EV_CLOSE, NULL);
	/* The eventfds and CRWs were this session's. */
	vccw_triggers_release(p);
	vccw_crw_flush(p);
}

/* Memory a pending program may still use is going away: reset. */
static void vccw_dma_unmap(struct vfio_device *vdev, u64 iova, u64 length)
{
	struct vccw_private *p = to_vccw(vdev);

	guard(fsm)(&p->fsm);
	if (ccwcp_pins_range(&p->cp, iova, length))
		vccw_reset_locked(p);
}

/* Userspace is asked to let go of a device being removed. */
static void vccw_request(struct vfio_device *vdev, unsigned int count)
{
	struct vccw_private *p = to_vccw(vdev);

	if (!(count % 10))
		vccw_dbg_rl(p, "asking userspace to release the device (%u)\n",
			    count);
	vccw_signal(p, VFIO_CCW_REQ_IRQ_INDEX);
}

const struct vfio_device_ops vccw_vfio_ops = {
	.name = "vfio-ccw",
	.init = vccw_device_init,
	.release = vccw_device_release,
	.open_device = vccw_open_device,
	.close_device = vccw_close_device,
	.read = vccw_read,
	.write = vccw_write,
	.ioctl = vccw_ioctl,
	.dma_unmap = vccw_dma_unmap,
	.request = vccw_request,
	.bind_iommufd = vfio_iommufd_emulated_bind,
	.unbind_iommufd = vfio_iommufd_emulated_unbind,
	.attach_ioas = vfio_iommufd_emulated_attach_ioas,
	.detach_ioas = vfio_iommufd_emulated_detach_ioas,
};
