// SPDX-License-Identifier: GPL-2.0
/*
 * The fake subchannel and the QEMU-like harness of the vfio-ccw core's
 * KUnit suites (see vccw_fake.h).
 */

#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/eventfd.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kthread.h>
#include <linux/mman.h>
#include <linux/poll.h>
#include <linux/syscalls.h>
#include <linux/uaccess.h>

#include "vccw_fake.h"
#include "../drivers/mdev/internal.h"

const u8 vccw_fake_sense_id[FAKE_SENSE_ID_LEN] = {
	0xff, 0x38, 0x32, 0x01, 0x38, 0x32, 0x01,
};

static struct vccw_fake *sch_to_fake(struct vccw_sch *sch)
{
	return container_of(sch, struct vccw_fake, sch);
}

/*
 * The fake's operations take its lock explicitly (not with guard()),
 * which sparse's context tracking follows.
 */
static int fake_enable(struct vccw_sch *sch)
{
	struct vccw_fake *f = sch_to_fake(sch);
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&f->lock, flags);
	f->nr_enable++;
	ret = f->enable_ret;
	if (!ret)
		f->enabled = true;
	spin_unlock_irqrestore(&f->lock, flags);
	return ret;
}

static int fake_disable(struct vccw_sch *sch)
{
	struct vccw_fake *f = sch_to_fake(sch);
	unsigned long flags;

	spin_lock_irqsave(&f->lock, flags);
	f->nr_disable++;
	f->enabled = false;
	spin_unlock_irqrestore(&f->lock, flags);
	return 0;
}

/* What the fake device returns for byte @k of an input command. */
static u8 fake_data_byte(u8 cmd, unsigned int k)
{
	if (cmd == CCWC_SENSE_ID)
		return k < FAKE_SENSE_ID_LEN ? vccw_fake_sense_id[k] : 0;
	return cmd ^ (u8)k;
}

/* Run the host program as a channel would, moving the data. */
static void fake_run(struct vccw_fake *f, const struct orb_be *orb)
{
	struct ccw_interp it;
	struct ccw_xfer *x;
	unsigned int i, k, n, steps = 0;
	unsigned long flags;
	int r;

	x = kmalloc(sizeof(*x), GFP_KERNEL);
	if (!x) {
		spin_lock_irqsave(&f->lock, flags);
		f->prog_end = -ENOMEM;
		spin_unlock_irqrestore(&f->lock, flags);
		return;
	}
	ccw_interp_start(&it, f->g, true, orb, 0);
	while (steps++ < 4096 && (r = ccw_interp_next(&it, x)) > 0) {
		if ((x->cmd & 3) != 2 && (x->cmd & 0xf) != 4)
			continue;
		for (k = 0, i = 0; i < x->nr; i++)
			for (n = 0; n < x->range[i].len; n++, k++)
				*(u8 *)ccw_guest_ptr(f->g, x->range[i].addr + n) =
					fake_data_byte(x->cmd, k);
	}
	kfree(x);
	spin_lock_irqsave(&f->lock, flags);
	f->prog_end = it.end;
	f->last_cpa = (u32)it.at + sizeof(struct ccw1_be);
	spin_unlock_irqrestore(&f->lock, flags);
}

/* Present an interrupt, as the backend's handler would: under the lock. */
static void fake_irq_locked(struct vccw_fake *f, enum vccw_fake_irq kind)
{
	const u32 done = SCSWB_STCTL_PRIMARY | SCSWB_STCTL_SECONDARY |
			 SCSWB_STCTL_PENDING;
	const u32 busy = SCSWB_ACTL_SCH_ACTIVE | SCSWB_ACTL_DEV_ACTIVE;
	struct irb_be irb = {};
	u32 ctl;

	lockdep_assert_held(&f->lock);
	switch (kind) {
	case FAKE_IRQ_FINAL:
		ctl = scswb_make_ctl(0, SCSWB_FCTL_START, 0, done);
		irb.scsw.dstat = DEV_STAT_CHN_END | DEV_STAT_DEV_END;
		if (f->prog_end < 0) {
			ctl |= SCSWB_STCTL_ALERT;
			irb.scsw.cstat = 0x20;	/* program check */
		}
		irb.scsw.cpa = cpu_to_be32(f->last_cpa);
		if (f->esw_addrs) {
			memset(irb.esw + ESW_FADDR, 0xee, ESW_ADDRS_LEN);
			irb.esw[ESW_ERW] |= ERW0_FSAVF;
			irb.esw[ESW_ERW + 1] |= ERW1_SCAVF;
		}
		f->started = false;
		break;
	case FAKE_IRQ_INTERMEDIATE:
		ctl = scswb_make_ctl(0, SCSWB_FCTL_START, busy,
				     SCSWB_STCTL_INTER | SCSWB_STCTL_PENDING);
		irb.scsw.cstat = 0x80;	/* PCI */
		irb.scsw.cpa = cpu_to_be32(f->last_cpa);
		break;
	case FAKE_IRQ_UNSOLICITED:
		ctl = scswb_make_ctl(0, 0, 0,
				     SCSWB_STCTL_ALERT | SCSWB_STCTL_PENDING);
		irb.scsw.dstat = DEV_STAT_ATTENTION;
		break;
	case FAKE_IRQ_DEFERRED_CC:
		ctl = scswb_make_ctl(1, SCSWB_FCTL_START, 0, SCSWB_STCTL_PENDING);
		f->started = false;
		break;
	case FAKE_IRQ_HALTED:
		ctl = scswb_make_ctl(0, SCSWB_FCTL_HALT |
				     (f->started ? SCSWB_FCTL_START : 0), 0, done);
		irb.scsw.cpa = cpu_to_be32(f->last_cpa);
		f->started = false;
		break;
	default:
		ctl = scswb_make_ctl(0, SCSWB_FCTL_CLEAR, 0, SCSWB_STCTL_PENDING);
		f->started = false;
		break;
	}
	/* A channel reports the format and prefetch bits of the ORB it ran. */
	if ((ctl & SCSWB_FCTL_MASK) >> SCSWB_FCTL_SHIFT & SCSWB_FCTL_START)
		ctl |= be32_to_cpu(f->horb.ctl) & (SCSWB_F | SCSWB_P);
	irb.scsw.ctl = cpu_to_be32(ctl);
	if (!f->enabled && !f->irq_when_disabled) {
		f->nr_irq_refused++;
		return;
	}
	vccw_sch_interrupt(&f->sch, &irb);
}

void vccw_fake_irq(struct vccw_fake *f, enum vccw_fake_irq kind)
{
	unsigned long flags;

	spin_lock_irqsave(&f->lock, flags);
	fake_irq_locked(f, kind);
	spin_unlock_irqrestore(&f->lock, flags);
}

static int fake_start(struct vccw_sch *sch, const struct orb_be *orb)
{
	struct vccw_fake *f = sch_to_fake(sch);

	scoped_guard(spinlock_irqsave, &f->lock) {
		f->nr_start++;
		if (f->start_cc)
			return f->start_cc;
		f->horb = *orb;
		f->started = true;
	}
	if (f->start_hook)
		f->start_hook(f);
	fake_run(f, orb);
	if (!f->hold)
		vccw_fake_irq(f, FAKE_IRQ_FINAL);
	return 0;
}

/* Halt or clear: its condition code, and at once its status unless held. */
static int fake_async(struct vccw_sch *sch, bool clear)
{
	struct vccw_fake *f = sch_to_fake(sch);
	unsigned long flags;
	int cc;

	spin_lock_irqsave(&f->lock, flags);
	if (clear)
		f->nr_clear++;
	else
		f->nr_halt++;
	cc = clear ? f->clear_cc : f->halt_cc;
	if (!cc && !f->hold)
		fake_irq_locked(f, clear ? FAKE_IRQ_CLEARED : FAKE_IRQ_HALTED);
	spin_unlock_irqrestore(&f->lock, flags);
	return cc;
}

static int fake_halt(struct vccw_sch *sch)
{
	return fake_async(sch, false);
}

static int fake_clear(struct vccw_sch *sch)
{
	return fake_async(sch, true);
}

static int fake_quiesce(struct vccw_sch *sch)
{
	struct vccw_fake *f = sch_to_fake(sch);
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&f->lock, flags);
	f->nr_quiesce++;
	f->started = false;
	ret = f->quiesce_ret;
	spin_unlock_irqrestore(&f->lock, flags);
	return ret;
}

static int fake_quiesce_hooked(struct vccw_sch *sch)
{
	struct vccw_fake *f = sch_to_fake(sch);

	if (f->quiesce_hook)
		f->quiesce_hook(f);
	return fake_quiesce(sch);
}

static int fake_read_schib(struct vccw_sch *sch, void *schib)
{
	u8 *b = schib;
	unsigned int i;

	for (i = 0; i < SCHIB_AREA_SIZE; i++)
		b[i] = 0x50 + i;
	return 0;
}

static u8 fake_path_mask(struct vccw_sch *sch)
{
	return 0x80;
}

static u8 fake_paths_failed(struct vccw_sch *sch, u8 lpm)
{
	return sch_to_fake(sch)->paths_left;
}

static const struct vccw_sch_ops fake_ops = {
	.enable = fake_enable,
	.disable = fake_disable,
	.start = fake_start,
	.halt = fake_halt,
	.clear = fake_clear,
	.quiesce = fake_quiesce_hooked,
	.read_schib = fake_read_schib,
	.path_mask = fake_path_mask,
	.paths_failed = fake_paths_failed,
};

KUNIT_DEFINE_ACTION_WRAPPER(guest_destroy, ccw_guest_destroy,
			    struct ccw_guest *);

static void fake_cleanup(void *data)
{
	struct vccw_fake *f = data;

	vccw_dev_close(f);
	vccw_fake_remove_mdev(f);
	vccw_sch_unregister(&f->sch);
}

struct vccw_fake *vccw_fake_new(struct kunit *test, unsigned int nr_pages)
{
	struct device_driver *drv;
	struct vccw_fake *f;

	f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, f);
	f->test = test;
	spin_lock_init(&f->lock);
	f->g = ccw_guest_create(nr_pages);
	KUNIT_ASSERT_NOT_NULL(test, f->g);
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, guest_destroy, f->g));
	f->u = vccw_ubuf(test, PAGE_SIZE);
	f->mm = current->mm;
	drv = kunit_driver_create(test, "vfio_ccw");
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(drv));
	f->dev = kunit_device_register_with_driver(test, "0.0.0042", drv);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(f->dev));
	f->sch.dev = f->dev;
	f->sch.ops = &fake_ops;
	f->sch.irq_lock = &f->lock;
	f->sch.mem_ops = &ccw_guest_mem_ops;
	f->sch.mem_ctx = f->g;
	f->paths_left = 0x40;
	KUNIT_ASSERT_EQ(test, 0, vccw_sch_register(&f->sch));
	/* Runs before the device goes: actions run last-added first. */
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, fake_cleanup, f));
	return f;
}

/*
 * An mdev of @type for the harness @f drives: the fake's own type, or a
 * real backend's (kunit/vfio_ccw_css_test.c).
 */
struct vccw_private *vccw_harness_create_mdev(struct vccw_fake *f,
					      struct mdev_type *type)
{
	struct kunit *test = f->test;
	char name[UUID_STRING_LEN + 1];
	struct device *dev;
	int ret;

	generate_random_guid(f->uuid.b);
	ret = mdev_create(type, &f->uuid);
	KUNIT_ASSERT_EQ(test, ret, 0);
	snprintf(name, sizeof(name), "%pUl", &f->uuid);
	dev = bus_find_device_by_name(&mdev_bus_type, NULL, name);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	f->mdev = to_mdev_device(dev);
	f->p = dev_get_drvdata(dev);
	/* The mdev lives until removed; the lookup's reference is not needed. */
	put_device(dev);
	KUNIT_ASSERT_NOT_NULL(test, f->p);
	return f->p;
}

struct vccw_private *vccw_fake_create_mdev(struct vccw_fake *f)
{
	return vccw_harness_create_mdev(f, &f->sch.type);
}

void vccw_fake_remove_mdev(struct vccw_fake *f)
{
	if (!f->mdev)
		return;
	KUNIT_EXPECT_EQ(f->test, 0, mdev_remove_uuid(&f->uuid));
	f->mdev = NULL;
	f->p = NULL;
}

static bool fake_opened(struct vccw_fake *f)
{
	return f->p && f->p->vdev.open_count;
}

/* As vfio_df_open() does: under the dev_set lock, counted. */
int vccw_dev_open(struct vccw_fake *f)
{
	struct vfio_device *vdev = &f->p->vdev;
	int ret;

	guard(mutex)(&vdev->dev_set->lock);
	if (vdev->open_count)
		return -EBUSY;
	ret = vdev->ops->open_device(vdev);
	if (!ret)
		vdev->open_count = 1;
	return ret;
}

void vccw_dev_close(struct vccw_fake *f)
{
	struct vfio_device *vdev;

	if (!fake_opened(f))
		return;
	vdev = &f->p->vdev;
	guard(mutex)(&vdev->dev_set->lock);
	vdev->ops->close_device(vdev);
	vdev->open_count = 0;
}

void __user *vccw_ubuf(struct kunit *test, size_t len)
{
	unsigned long addr;

	addr = kunit_vm_mmap(test, NULL, 0, PAGE_ALIGN(len),
			     PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	KUNIT_ASSERT_FALSE_MSG(test, IS_ERR_VALUE(addr) || !addr,
			       "kunit_vm_mmap: %ld", (long)addr);
	return (void __user *)addr;
}

ssize_t vccw_pwrite(struct vccw_fake *f, void __user *ubuf, const void *src,
		    size_t len, loff_t pos)
{
	struct vfio_device *vdev = &f->p->vdev;

	if (src && copy_to_user(ubuf, src, len))
		return -EFAULT;
	return vdev->ops->write(vdev, ubuf, len, &pos);
}

ssize_t vccw_pread(struct vccw_fake *f, void __user *ubuf, void *dst,
		   size_t len, loff_t pos)
{
	struct vfio_device *vdev = &f->p->vdev;
	ssize_t ret;

	ret = vdev->ops->read(vdev, ubuf, len, &pos);
	if (ret > 0 && dst && copy_from_user(dst, ubuf, ret))
		return -EFAULT;
	return ret;
}

long vccw_ioctl(struct vccw_fake *f, unsigned int cmd, void __user *ubuf,
		void *arg, size_t len)
{
	struct vfio_device *vdev = &f->p->vdev;
	long ret;

	if (arg && copy_to_user(ubuf, arg, len))
		return -EFAULT;
	ret = vdev->ops->ioctl(vdev, cmd, (unsigned long)ubuf);
	if (arg && copy_from_user(arg, ubuf, len))
		return -EFAULT;
	return ret;
}

/*
 * No kernel API makes an eventfd: make one the way userspace does, with
 * the system call, in the test's file table.
 */
#ifdef CONFIG_ARCH_HAS_SYSCALL_WRAPPER
#ifdef CONFIG_X86_64
long __x64_sys_eventfd2(const struct pt_regs *regs);

static int new_eventfd(void)
{
	struct pt_regs regs = {};

	regs.di = 0;
	regs.si = EFD_NONBLOCK | EFD_CLOEXEC;
	return __x64_sys_eventfd2(&regs);
}
#elif defined(CONFIG_S390)
long __s390x_sys_eventfd2(struct pt_regs *regs);

static int new_eventfd(void)
{
	struct pt_regs regs = {};

	regs.orig_gpr2 = 0;
	regs.gprs[3] = EFD_NONBLOCK | EFD_CLOEXEC;
	return __s390x_sys_eventfd2(&regs);
}
#else
static int new_eventfd(void)
{
	return -EOPNOTSUPP;
}
#endif
#else
static int new_eventfd(void)
{
	return sys_eventfd2(0, EFD_NONBLOCK | EFD_CLOEXEC);
}
#endif

static void eventfd_close_action(void *data)
{
	close_fd((unsigned long)data);
}

int vccw_eventfd_new(struct kunit *test)
{
	int fd = new_eventfd();
	int ret;

	KUNIT_ASSERT_GE_MSG(test, fd, 0, "eventfd: %d", fd);
	ret = kunit_add_action_or_reset(test, eventfd_close_action,
					(void *)(unsigned long)fd);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return fd;
}

u64 vccw_eventfd_count(int fd)
{
	struct file *file = fget(fd);
	loff_t pos = 0;
	u64 cnt = 0;

	if (!file)
		return 0;
	if (kernel_read(file, &cnt, sizeof(cnt), &pos) != sizeof(cnt))
		cnt = 0;
	fput(file);
	return cnt;
}

int vccw_arm_irq_u(struct vccw_fake *f, void __user *u, unsigned int index,
		   int fd)
{
	struct {
		struct vfio_irq_set hdr;
		s32 fd;
	} __packed set = {
		.hdr = {
			.argsz = sizeof(set),
			.flags = VFIO_IRQ_SET_DATA_EVENTFD |
				 VFIO_IRQ_SET_ACTION_TRIGGER,
			.index = index,
			.start = 0,
			.count = 1,
		},
		.fd = fd,
	};

	return vccw_ioctl(f, VFIO_DEVICE_SET_IRQS, u, &set, sizeof(set));
}

int vccw_arm_irq(struct vccw_fake *f, unsigned int index, int fd)
{
	return vccw_arm_irq_u(f, f->u, index, fd);
}

/* SENSE ID at @ccw_ga into @data_ga, format 1. */
void vccw_guest_sense_id(struct vccw_fake *f, u64 ccw_ga, u64 data_ga)
{
	ccw_put1(f->g, ccw_ga, CCWC_SENSE_ID, CCWF_SLI, 256, data_ga);
}

/* A start request as QEMU writes it: the whole region, start function. */
int vccw_start_u(struct vccw_fake *f, void __user *u, u32 cpa, u32 ctl)
{
	struct ccw_io_region r = {};
	struct scsw_be *scsw = (struct scsw_be *)r.scsw_area;
	ssize_t ret;

	ccw_make_orb((struct orb_be *)r.orb_area, ctl, cpa);
	scsw->ctl = cpu_to_be32(scswb_make_ctl(0, SCSWB_FCTL_START, 0, 0));
	/* What QEMU leaves in the areas it does not own: anything. */
	memset(r.irb_area, 0xa5, sizeof(r.irb_area));
	r.ret_code = 0x5a5a5a5a;
	ret = vccw_pwrite(f, u, &r, sizeof(r), 0);
	if (ret < 0)
		return ret;
	return ret == sizeof(r) ? 0 : -EIO;
}

int vccw_async_cmd_u(struct vccw_fake *f, void __user *u, u32 cmd)
{
	struct ccw_cmd_region r = { .command = cmd, .ret_code = 0x5a5a };
	ssize_t ret;

	ret = vccw_pwrite(f, u, &r, sizeof(r),
			  VCCW_INDEX_TO_OFFSET(VCCW_REGION_ASYNC));
	if (ret < 0)
		return ret;
	return ret == sizeof(r) ? 0 : -EIO;
}

/* Read the whole I/O region, as QEMU does on the IO eventfd. */
int vccw_read_irb_u(struct vccw_fake *f, void __user *u, struct irb_be *irb)
{
	struct ccw_io_region r;
	ssize_t ret;

	ret = vccw_pread(f, u, &r, sizeof(r), 0);
	if (ret < 0)
		return ret;
	memcpy(irb, r.irb_area, sizeof(*irb));
	return 0;
}

int vccw_start(struct vccw_fake *f, u32 cpa, u32 ctl)
{
	return vccw_start_u(f, f->u, cpa, ctl);
}

int vccw_async_cmd(struct vccw_fake *f, u32 cmd)
{
	return vccw_async_cmd_u(f, f->u, cmd);
}

int vccw_read_irb(struct vccw_fake *f, struct irb_be *irb)
{
	return vccw_read_irb_u(f, f->u, irb);
}

void vccw_settle(struct vccw_fake *f)
{
	vccw_drain(f->p);
}

void vccw_use_test_mm(struct vccw_fake *f)
{
	kthread_use_mm(f->mm);
}

void vccw_unuse_test_mm(struct vccw_fake *f)
{
	kthread_unuse_mm(f->mm);
}

/*
 * Sleep until an eventfd is signalled, as a poll() in userspace would:
 * the waiter is on the eventfd's wait queue, its wake-up completes.
 */
static int efd_wake(wait_queue_entry_t *wait, unsigned int mode, int sync,
		    void *key)
{
	struct vccw_efd_waiter *w = container_of(wait, struct vccw_efd_waiter,
						 wait);

	if (key_to_poll(key) & EPOLLIN)
		complete(&w->done);
	return 0;
}

static void efd_queue(struct file *file, wait_queue_head_t *wqh,
		      poll_table *pt)
{
	struct vccw_efd_waiter *w = container_of(pt, struct vccw_efd_waiter,
						 pt);

	w->wqh = wqh;
	add_wait_queue(wqh, &w->wait);
}

int vccw_efd_waiter_init(struct vccw_efd_waiter *w, int fd)
{
	w->file = fget(fd);
	if (!w->file)
		return -EBADF;
	init_completion(&w->done);
	init_waitqueue_func_entry(&w->wait, efd_wake);
	init_poll_funcptr(&w->pt, efd_queue);
	vfs_poll(w->file, &w->pt);
	return w->wqh ? 0 : -EINVAL;
}

/* Wait for a signal, then read and clear the count. */
u64 vccw_efd_wait(struct vccw_efd_waiter *w, unsigned long timeout)
{
	loff_t pos = 0;
	u64 cnt = 0;

	if (!wait_for_completion_timeout(&w->done, timeout))
		return 0;
	if (kernel_read(w->file, &cnt, sizeof(cnt), &pos) != sizeof(cnt))
		return 0;
	return cnt;
}

void vccw_efd_waiter_exit(struct vccw_efd_waiter *w)
{
	if (w->wqh)
		remove_wait_queue(w->wqh, &w->wait);
	fput(w->file);
}

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
