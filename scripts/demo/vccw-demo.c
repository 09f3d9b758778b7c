// SPDX-License-Identifier: GPL-2.0
/*
 * The demo's consumer: /init of an s390x guest that does with vfio-ccw
 * what QEMU does on a host, and checks every answer.
 *
 * It takes a virtio-ccw subchannel from io_subchannel, binds it to
 * vfio_ccw through driver_override, creates an mdev of type vfio_ccw-io,
 * opens it through a VFIO group and a type1 container, maps a DMA buffer
 * and runs channel programs through the I/O region: the data qemu's
 * channel subsystem stores and the IRB are checked byte for byte.  Then
 * the error contract, the schib, removal and rebinding; a second
 * subchannel goes through the iommufd device cdev.  One line per step;
 * the last line is "vccw-demo: PASS" or "vccw-demo: FAIL".
 *
 * The same binary runs against Linux's own vfio_ccw for the comparison
 * (vccw_mode=bench times SENSE IDs instead).  Options come as environment
 * variables from the kernel command line: vccw_mode=demo|bench,
 * vccw_count=N.
 *
 * s390x is big-endian: channel structures are native structs here.
 */
#define _GNU_SOURCE
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>

#include <linux/iommufd.h>
#include <linux/types.h>
#include <linux/vfio.h>
#include <linux/vfio_ccw.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Guest memory: one mapping at a fixed IOVA, below 16M for format 0. */
#define IOVA		0x100000UL
#define MEM_SIZE	0x10000UL

/* Where things go in it. */
#define OFF_PROG	0x0000	/* the channel program */
#define OFF_A		0x1000	/* SENSE ID data */
#define OFF_B		0x2000	/* data chaining's second buffer */
#define OFF_IDAL	0x3000
#define OFF_IDA0	0x5f80	/* 128 bytes before a page end ... */
#define OFF_IDA1	0x9000	/* ... and the rest on another page */

#define CCW_CMD_NOOP	0x03
#define CCW_CMD_TIC	0x08
#define CCW_CMD_SENSE_ID 0xe4
#define CCW_FLAG_CD	0x80
#define CCW_FLAG_CC	0x40
#define CCW_FLAG_SLI	0x20
#define CCW_FLAG_IDA	0x04

#define ORB_F		0x00800000U	/* format-1 CCWs */
#define ORB_P		0x00400000U	/* prefetch */
#define ORB_H		0x00020000U	/* format-2 IDAWs */
#define ORB_LPM_ALL	0x0000ff00U
#define ORB_F1		(ORB_F | ORB_P)	/* what QEMU mostly sends */
#define SCSW_FP		0x00c00000U	/* the same two bits in the SCSW */

#define FCTL_START	0x4
#define FCTL_HALT	0x2
#define FCTL_CLEAR	0x1
#define STCTL_PRIMARY	0x04
#define STCTL_SECONDARY	0x02
#define STCTL_PENDING	0x01
#define DEV_CE_DE	0x0c

#define SENSE_LEN	256
#define CHAIN_MAX	256	/* CCWs in one chain */

struct ccw1 {
	__u8 cmd;
	__u8 flags;
	__u16 count;
	__u32 cda;
};

struct ccw0 {
	__u8 cmd;
	__u8 addr[3];
	__u8 flags;
	__u8 zero;
	__u16 count;
};

/* Both CCW formats are 8 bytes without padding: no attribute needed. */
static_assert(sizeof(struct ccw1) == 8, "format-1 CCW");
static_assert(sizeof(struct ccw0) == 8, "format-0 CCW");

struct orb {
	__u32 intparm;
	__u32 ctl;
	__u32 cpa;
};

struct scsw {
	__u32 ctl;
	__u32 cpa;
	__u8 dstat;
	__u8 cstat;
	__u16 count;
};

struct dev {
	char sch[32];		/* subchannel bus id, 0.0.0000 */
	char ccw[32];		/* its ccw device, 0.0.0001 */
	char cutype[16];	/* as io_subchannel's ccw device showed it */
	const char *uuid;
	int container, group, iommufd, fd;
	__u32 ioas;
	off_t io_off, async_off, schib_off, crw_off;
	int efd_io, efd_crw;
	__u8 *mem;
};

static int failures, steps;
static const char *mode = "demo";
static struct dev dev_a = { .uuid = "6b2cd1f6-0ad8-4a5b-9d0e-0c0ff5e00001" };
static struct dev dev_b = { .uuid = "6b2cd1f6-0ad8-4a5b-9d0e-0c0ff5e00002" };
static __u8 sense_ref[SENSE_LEN];
static char why[256];
static __u32 last_orb_ctl;	/* of the last start written */

static int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return -1;
}

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * After a failed step, take whatever interrupts are still coming, so that
 * one difference does not cascade into the steps after it.
 */
static void settle(struct dev *d)
{
	struct ccw_io_region r;
	struct pollfd p;
	__u64 cnt;

	if (!d || d->fd <= 0 || d->efd_io <= 0)
		return;
	p = (struct pollfd){ .fd = d->efd_io, .events = POLLIN };
	while (poll(&p, 1, 200) == 1) {
		if (read(d->efd_io, &cnt, sizeof(cnt)) != sizeof(cnt) ||
		    pread(d->fd, &r, sizeof(r), d->io_off) != sizeof(r))
			break;
	}
}

/* One step: its name, its result and how long it took. */
static int step(const char *name, int (*fn)(struct dev *), struct dev *d)
{
	__u64 t0 = now_ns();
	int ret;

	why[0] = 0;
	ret = fn(d);
	steps++;
	if (ret) {
		failures++;
		settle(d);
	}
	printf("vccw-demo: %-4s %8.2f ms  %s%s%s\n", ret ? "FAIL" : "ok",
	       (now_ns() - t0) / 1e6, name, why[0] ? ": " : "", why);
	fflush(stdout);
	return ret;
}

/* sysfs */

/* Open the file a format names; the descriptor or -errno. */
static int open_fmt(int flags, const char *fmt, va_list ap)
{
	char path[256];
	int fd;

	vsnprintf(path, sizeof(path), fmt, ap);
	fd = open(path, flags);
	return fd < 0 ? -errno : fd;
}

static int wr(const char *val, const char *fmt, ...)
{
	va_list ap;
	ssize_t n;
	int fd;

	va_start(ap, fmt);
	fd = open_fmt(O_WRONLY, fmt, ap);
	va_end(ap);
	if (fd < 0)
		return fd;
	n = write(fd, val, strlen(val));
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

static int rd(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	ssize_t n;
	int fd;

	va_start(ap, fmt);
	fd = open_fmt(O_RDONLY, fmt, ap);
	va_end(ap);
	if (fd < 0)
		return fd;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/* The basename of a symlink, "" when there is none. */
static const char *link_name(const char *fmt, const char *arg)
{
	static char buf[256];
	char path[256];
	ssize_t n;

	snprintf(path, sizeof(path), fmt, arg);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0)
		return "";
	buf[n] = 0;
	return strrchr(buf, '/') ? strrchr(buf, '/') + 1 : buf;
}

/* Steps: finding and binding */

static int find_subchannels(struct dev *unused)
{
	struct dev *want[] = { &dev_a, &dev_b };
	unsigned int found = 0;
	struct dirent *e, *c;
	DIR *dir, *sub;
	char type[16], path[300];

	dir = opendir("/sys/bus/css/devices");
	if (!dir)
		return fail("no /sys/bus/css/devices: %s", strerror(errno));
	while ((e = readdir(dir)) && found < 2) {
		if (e->d_name[0] == '.' ||
		    rd(type, sizeof(type), "/sys/bus/css/devices/%s/type",
		       e->d_name) || strcmp(type, "0"))
			continue;
		snprintf(path, sizeof(path), "/sys/bus/css/devices/%s",
			 e->d_name);
		sub = opendir(path);
		while (sub && (c = readdir(sub))) {
			if (strncmp(c->d_name, "0.", 2))
				continue;
			snprintf(want[found]->sch, sizeof(want[0]->sch), "%.31s",
				 e->d_name);
			snprintf(want[found]->ccw, sizeof(want[0]->ccw), "%.31s",
				 c->d_name);
			rd(want[found]->cutype, sizeof(want[0]->cutype),
			   "%s/%s/cutype", path, c->d_name);
			found++;
			break;
		}
		if (sub)
			closedir(sub);
	}
	closedir(dir);
	if (found < 2)
		return fail("%u I/O subchannels with a device, want 2", found);
	snprintf(why, sizeof(why), "%s (%s, cu %s), %s (%s, cu %s)",
		 dev_a.sch, dev_a.ccw, dev_a.cutype, dev_b.sch, dev_b.ccw,
		 dev_b.cutype);
	return 0;
}

static int bind_vfio_ccw(struct dev *d)
{
	const char *drv = link_name("/sys/bus/css/devices/%s/driver", d->sch);
	int ret;

	if (strcmp(drv, "io_subchannel"))
		return fail("bound to '%s', not io_subchannel", drv);
	ret = wr(d->sch, "/sys/bus/css/devices/%s/driver/unbind", d->sch);
	if (ret)
		return fail("unbind: %s", strerror(-ret));
	ret = wr("vfio_ccw", "/sys/bus/css/devices/%s/driver_override", d->sch);
	if (ret)
		return fail("driver_override: %s", strerror(-ret));
	ret = wr(d->sch, "/sys/bus/css/drivers/vfio_ccw/bind");
	if (ret)
		return fail("bind: %s", strerror(-ret));
	drv = link_name("/sys/bus/css/devices/%s/driver", d->sch);
	if (strcmp(drv, "vfio_ccw"))
		return fail("bound to '%s' after bind", drv);
	return 0;
}

static int create_mdev(struct dev *d)
{
	const char *t = "/sys/bus/css/devices/%s/mdev_supported_types/vfio_ccw-io";
	char path[200], buf[64];
	int ret;

	snprintf(path, sizeof(path), t, d->sch);
	if (rd(buf, sizeof(buf), "%s/device_api", path) ||
	    strcmp(buf, "vfio-ccw"))
		return fail("device_api '%s'", buf);
	if (rd(buf, sizeof(buf), "%s/available_instances", path) ||
	    strcmp(buf, "1"))
		return fail("available_instances '%s' before", buf);
	ret = wr(d->uuid, "%s/create", path);
	if (ret)
		return fail("create: %s", strerror(-ret));
	if (rd(buf, sizeof(buf), "%s/available_instances", path) ||
	    strcmp(buf, "0"))
		return fail("available_instances '%s' after", buf);
	if (strcmp(link_name("/sys/bus/mdev/devices/%s/mdev_type", d->uuid),
		   "vfio_ccw-io"))
		return fail("the mdev's mdev_type link");
	return 0;
}

/* Steps: VFIO */

static int open_group(struct dev *d)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	const char *grp = link_name("/sys/bus/mdev/devices/%s/iommu_group",
				    d->uuid);
	char path[64];

	d->container = open("/dev/vfio/vfio", O_RDWR);
	if (d->container < 0)
		return fail("/dev/vfio/vfio: %s", strerror(errno));
	if (ioctl(d->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION)
		return fail("VFIO API version");
	if (ioctl(d->container, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU) != 1)
		return fail("no type1v2 IOMMU");
	snprintf(path, sizeof(path), "/dev/vfio/%s", grp);
	d->group = open(path, O_RDWR);
	if (d->group < 0)
		return fail("%s: %s", path, strerror(errno));
	if (ioctl(d->group, VFIO_GROUP_GET_STATUS, &st) ||
	    !(st.flags & VFIO_GROUP_FLAGS_VIABLE))
		return fail("group %s not viable", grp);
	if (ioctl(d->group, VFIO_GROUP_SET_CONTAINER, &d->container))
		return fail("SET_CONTAINER: %s", strerror(errno));
	if (ioctl(d->container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return fail("SET_IOMMU: %s", strerror(errno));
	d->fd = ioctl(d->group, VFIO_GROUP_GET_DEVICE_FD, d->uuid);
	if (d->fd < 0)
		return fail("GET_DEVICE_FD: %s", strerror(errno));
	snprintf(why, sizeof(why), "group %s", grp);
	return 0;
}

static int query_device(struct dev *d)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct vfio_irq_info irq = { .argsz = sizeof(irq) };
	union {
		struct vfio_region_info ri;
		__u8 raw[512];
	} u;
	unsigned int i;

	if (ioctl(d->fd, VFIO_DEVICE_GET_INFO, &info))
		return fail("GET_INFO: %s", strerror(errno));
	if (!(info.flags & VFIO_DEVICE_FLAGS_CCW) || info.num_regions != 4 ||
	    info.num_irqs != VFIO_CCW_NUM_IRQS)
		return fail("info flags %#x regions %u irqs %u", info.flags,
			    info.num_regions, info.num_irqs);
	d->io_off = -1;
	d->async_off = -1;
	d->schib_off = -1;
	d->crw_off = -1;
	for (i = 0; i < info.num_regions; i++) {
		struct vfio_info_cap_header *h;
		struct vfio_region_info_cap_type *t;

		memset(&u, 0, sizeof(u));
		u.ri.argsz = sizeof(u);
		u.ri.index = i;
		if (ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, &u.ri))
			return fail("REGION_INFO %u: %s", i, strerror(errno));
		if (i == VFIO_CCW_CONFIG_REGION_INDEX) {
			if (u.ri.size != sizeof(struct ccw_io_region))
				return fail("I/O region size %llu",
					    (unsigned long long)u.ri.size);
			d->io_off = u.ri.offset;
			continue;
		}
		if (!(u.ri.flags & VFIO_REGION_INFO_FLAG_CAPS) ||
		    !u.ri.cap_offset)
			return fail("region %u has no type capability", i);
		h = (void *)(u.raw + u.ri.cap_offset);
		t = (void *)h;
		if (h->id != VFIO_REGION_INFO_CAP_TYPE ||
		    t->type != VFIO_REGION_TYPE_CCW)
			return fail("region %u capability %u type %u", i,
				    h->id, t->type);
		switch (t->subtype) {
		case VFIO_REGION_SUBTYPE_CCW_ASYNC_CMD:
			d->async_off = u.ri.offset;
			break;
		case VFIO_REGION_SUBTYPE_CCW_SCHIB:
			d->schib_off = u.ri.offset;
			break;
		case VFIO_REGION_SUBTYPE_CCW_CRW:
			d->crw_off = u.ri.offset;
			break;
		}
	}
	if (d->io_off < 0 || d->async_off < 0 || d->schib_off < 0 ||
	    d->crw_off < 0)
		return fail("a region is missing");
	for (i = 0; i < VFIO_CCW_NUM_IRQS; i++) {
		irq.index = i;
		if (ioctl(d->fd, VFIO_DEVICE_GET_IRQ_INFO, &irq) ||
		    irq.count != 1 || !(irq.flags & VFIO_IRQ_INFO_EVENTFD))
			return fail("irq %u: count %u flags %#x", i,
				    irq.count, irq.flags);
	}
	snprintf(why, sizeof(why), "4 regions, 3 irqs");
	return 0;
}

static int map_memory(struct dev *d)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.iova = IOVA,
		.size = MEM_SIZE,
	};

	d->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (d->mem == MAP_FAILED)
		return fail("mmap: %s", strerror(errno));
	memset(d->mem, 0, MEM_SIZE);
	map.vaddr = (uintptr_t)d->mem;
	if (d->iommufd >= 0) {
		struct iommu_ioas_map m = {
			.size = sizeof(m),
			.flags = IOMMU_IOAS_MAP_FIXED_IOVA |
				 IOMMU_IOAS_MAP_READABLE |
				 IOMMU_IOAS_MAP_WRITEABLE,
			.ioas_id = d->ioas,
			.user_va = (uintptr_t)d->mem,
			.length = MEM_SIZE,
			.iova = IOVA,
		};

		if (ioctl(d->iommufd, IOMMU_IOAS_MAP, &m))
			return fail("IOAS_MAP: %s", strerror(errno));
	} else if (ioctl(d->container, VFIO_IOMMU_MAP_DMA, &map)) {
		return fail("MAP_DMA: %s", strerror(errno));
	}
	snprintf(why, sizeof(why), "%lu KiB at iova %#lx", MEM_SIZE >> 10, IOVA);
	return 0;
}

static int set_irq(struct dev *d, unsigned int index, int fd)
{
	struct {
		struct vfio_irq_set s;
		__s32 fd;
	} set = {
		.s = {
			.argsz = sizeof(set),
			.flags = VFIO_IRQ_SET_DATA_EVENTFD |
				 VFIO_IRQ_SET_ACTION_TRIGGER,
			.index = index,
			.count = 1,
		},
		.fd = fd,
	};

	return ioctl(d->fd, VFIO_DEVICE_SET_IRQS, &set) ? -errno : 0;
}

static int arm_eventfds(struct dev *d)
{
	d->efd_io = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	d->efd_crw = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (d->efd_io < 0 || d->efd_crw < 0)
		return fail("eventfd: %s", strerror(errno));
	if (set_irq(d, VFIO_CCW_IO_IRQ_INDEX, d->efd_io) ||
	    set_irq(d, VFIO_CCW_CRW_IRQ_INDEX, d->efd_crw))
		return fail("SET_IRQS: %s", strerror(errno));
	return 0;
}

/* Channel programs */

static struct ccw1 *prog(struct dev *d, unsigned int off)
{
	return (struct ccw1 *)(d->mem + off);
}

static void ccw(struct ccw1 *c, __u8 cmd, __u8 flags, __u16 count,
		__u32 cda)
{
	*c = (struct ccw1){ cmd, flags, count, cda };
}

/* Start the program at @off; 0 or -errno, as QEMU sees it. */
static int start_at(struct dev *d, __u32 orb_ctl, unsigned int off)
{
	struct ccw_io_region r = {};
	struct orb orb = {
		.intparm = 0xfeedf00d,
		.ctl = orb_ctl | ORB_LPM_ALL,
		.cpa = IOVA + off,
	};
	struct scsw scsw = { .ctl = FCTL_START << 12 };

	memcpy(r.orb_area, &orb, sizeof(orb));
	memcpy(r.scsw_area, &scsw, sizeof(scsw));
	last_orb_ctl = orb.ctl;
	if (pwrite(d->fd, &r, sizeof(r), d->io_off) != sizeof(r))
		return -errno;
	return 0;
}

static int start(struct dev *d, __u32 orb_ctl)
{
	return start_at(d, orb_ctl, OFF_PROG);
}

static int async(struct dev *d, __u32 cmd)
{
	struct ccw_cmd_region r = { .command = cmd };

	if (pwrite(d->fd, &r, sizeof(r), d->async_off) != sizeof(r))
		return -errno;
	return 0;
}

/* Wait for the IO eventfd, then read the IRB. */
static int wait_irb(struct dev *d, struct scsw *s)
{
	struct pollfd p = { .fd = d->efd_io, .events = POLLIN };
	struct ccw_io_region r;
	__u64 cnt;

	if (poll(&p, 1, 5000) != 1)
		return fail("no interrupt within 5 s");
	if (read(d->efd_io, &cnt, sizeof(cnt)) != sizeof(cnt))
		return fail("eventfd read: %s", strerror(errno));
	if (pread(d->fd, &r, sizeof(r), d->io_off) != sizeof(r))
		return fail("I/O region read: %s", strerror(errno));
	memcpy(s, r.irb_area, sizeof(*s));
	return 0;
}

static unsigned int fctl(const struct scsw *s)
{
	return (s->ctl >> 12) & 7;
}

/* Final status of a start that went well: CE+DE, status pending, cc 0. */
static int check_final(const struct scsw *s, __u32 cpa, __u16 resid)
{
	if (fctl(s) != FCTL_START)
		return fail("fctl %u, want start", fctl(s));
	if ((s->ctl & (STCTL_PRIMARY | STCTL_PENDING)) !=
	    (STCTL_PRIMARY | STCTL_PENDING))
		return fail("stctl %#x", s->ctl & 0x1f);
	if (s->dstat != DEV_CE_DE || s->cstat)
		return fail("device status %#x channel status %#x", s->dstat,
			    s->cstat);
	if (s->cpa != cpa)
		return fail("CCW address %#x, want %#x", s->cpa, cpa);
	if (s->count != resid)
		return fail("residual count %u, want %u", s->count, resid);
	/* Format and prefetch: those of the ORB sent, not the host's. */
	if ((s->ctl & SCSW_FP) != (last_orb_ctl & SCSW_FP))
		return fail("SCSW F/P bits %#x, the ORB's %#x",
			    s->ctl & SCSW_FP, last_orb_ctl & SCSW_FP);
	return 0;
}

static int run(struct dev *d, __u32 orb_ctl, struct scsw *s)
{
	int ret = start(d, orb_ctl);

	if (ret)
		return fail("start: %s", strerror(-ret));
	return wait_irb(d, s);
}

static int check_data(const __u8 *got, size_t len, const char *what)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (got[i] != sense_ref[i])
			return fail("%s byte %zu is %#x, want %#x", what, i,
				    got[i], sense_ref[i]);
	return 0;
}

static void clear_data(struct dev *d)
{
	memset(d->mem + OFF_A, 0x5a, SENSE_LEN);
	memset(d->mem + OFF_B, 0x5a, SENSE_LEN);
	memset(d->mem + OFF_IDA0, 0x5a, 128);
	memset(d->mem + OFF_IDA1, 0x5a, 128);
}

static int sense_id(struct dev *d)
{
	struct scsw s;
	char cu[16];

	clear_data(d);
	ccw(prog(d, OFF_PROG), CCW_CMD_SENSE_ID, CCW_FLAG_SLI, SENSE_LEN,
	    IOVA + OFF_A);
	if (run(d, ORB_F1, &s) || check_final(&s, IOVA + OFF_PROG + 8, 0))
		return -1;
	memcpy(sense_ref, d->mem + OFF_A, SENSE_LEN);
	snprintf(cu, sizeof(cu), "%02x%02x/%02x", sense_ref[1], sense_ref[2],
		 sense_ref[3]);
	if (sense_ref[0] != 0xff || strcmp(cu, d->cutype))
		return fail("sense data %02x %s, io_subchannel saw %s",
			    sense_ref[0], cu, d->cutype);
	snprintf(why, sizeof(why), "ff %s", cu);
	return 0;
}

static int command_chain(struct dev *d)
{
	struct ccw1 *c = prog(d, OFF_PROG);
	struct scsw s;

	clear_data(d);
	ccw(&c[0], CCW_CMD_SENSE_ID, CCW_FLAG_CC | CCW_FLAG_SLI, SENSE_LEN,
	    IOVA + OFF_A);
	ccw(&c[1], CCW_CMD_NOOP, CCW_FLAG_CC | CCW_FLAG_SLI, 0, 0);
	ccw(&c[2], CCW_CMD_NOOP, CCW_FLAG_SLI, 0, 0);
	if (run(d, ORB_F1, &s) || check_final(&s, IOVA + OFF_PROG + 24, 0))
		return -1;
	return check_data(d->mem + OFF_A, SENSE_LEN, "data");
}

/*
 * qemu's channel subsystem does not chain data across CCWs: the first
 * CCW (a full 256-byte SENSE ID) ends the program.  The translator still
 * translates and pins both.
 */
static int data_chain(struct dev *d)
{
	struct ccw1 *c = prog(d, OFF_PROG);
	struct scsw s;

	clear_data(d);
	ccw(&c[0], CCW_CMD_SENSE_ID, CCW_FLAG_CD, SENSE_LEN, IOVA + OFF_A);
	ccw(&c[1], CCW_CMD_SENSE_ID, CCW_FLAG_SLI, 16, IOVA + OFF_B);
	if (run(d, ORB_F1, &s) || check_final(&s, IOVA + OFF_PROG + 8, 0) ||
	    check_data(d->mem + OFF_A, SENSE_LEN, "data"))
		return -1;
	if (d->mem[OFF_B] != 0x5a)
		return fail("the chained buffer was written");
	return 0;
}

static int tic(struct dev *d)
{
	struct ccw1 *c = prog(d, OFF_PROG);
	struct scsw s;

	clear_data(d);
	ccw(&c[0], CCW_CMD_SENSE_ID, CCW_FLAG_CC | CCW_FLAG_SLI, SENSE_LEN,
	    IOVA + OFF_A);
	ccw(&c[1], CCW_CMD_TIC, 0, 0, IOVA + OFF_PROG + 0x100);
	ccw(prog(d, OFF_PROG + 0x100), CCW_CMD_NOOP, CCW_FLAG_SLI, 0, 0);
	if (run(d, ORB_F1, &s) ||
	    check_final(&s, IOVA + OFF_PROG + 0x108, 0))
		return -1;
	return check_data(d->mem + OFF_A, SENSE_LEN, "data");
}

static int idal(struct dev *d)
{
	__u64 *idaw = (__u64 *)(d->mem + OFF_IDAL);
	struct scsw s;

	clear_data(d);
	idaw[0] = IOVA + OFF_IDA0;
	idaw[1] = IOVA + OFF_IDA1;
	ccw(prog(d, OFF_PROG), CCW_CMD_SENSE_ID, CCW_FLAG_SLI | CCW_FLAG_IDA,
	    SENSE_LEN, IOVA + OFF_IDAL);
	if (run(d, ORB_F1 | ORB_H, &s) ||
	    check_final(&s, IOVA + OFF_PROG + 8, 0))
		return -1;
	if (check_data(d->mem + OFF_IDA0, 128, "first IDAW's"))
		return -1;
	/*
	 * The channel wrote the second IDAW's page.  qemu 7.2 stores the
	 * first bytes of its buffer there again (ccw_dstream_rw_ida()
	 * advances the address, not the buffer); an architected channel
	 * stores bytes 128-255.  Both prove the IDAW reached that page.
	 */
	if (!memcmp(d->mem + OFF_IDA1, sense_ref + 128, 128)) {
		snprintf(why, sizeof(why), "2 IDAWs on 2 pages");
		return 0;
	}
	if (!memcmp(d->mem + OFF_IDA1, sense_ref, 128)) {
		snprintf(why, sizeof(why),
			 "2 IDAWs on 2 pages (qemu's IDAW restart quirk)");
		return 0;
	}
	return fail("the second IDAW's page holds %02x %02x %02x %02x",
		    d->mem[OFF_IDA1], d->mem[OFF_IDA1 + 1],
		    d->mem[OFF_IDA1 + 2], d->mem[OFF_IDA1 + 3]);
}

static int format0(struct dev *d)
{
	struct ccw0 *c = (struct ccw0 *)prog(d, OFF_PROG);
	__u32 a = IOVA + OFF_A;
	struct scsw s;

	clear_data(d);
	*c = (struct ccw0){ CCW_CMD_SENSE_ID, { a >> 16, a >> 8, a },
			    CCW_FLAG_SLI, 0, SENSE_LEN };
	if (run(d, 0, &s))
		return -1;
	if (s.ctl & ORB_F)
		return fail("SCSW says format 1");
	if (check_final(&s, IOVA + OFF_PROG + 8, 0))
		return -1;
	return check_data(d->mem + OFF_A, SENSE_LEN, "data");
}

/*
 * The error contract.  On one virtual CPU, with this process running
 * SCHED_FIFO, the core's bottom half cannot run before this process
 * sleeps: a start stays pending for as long as the process wants.
 */
static void realtime(int on)
{
	struct sched_param sp = { .sched_priority = on ? 50 : 0 };

	sched_setscheduler(0, on ? SCHED_FIFO : SCHED_OTHER, &sp);
}

static void one_sense_prog(struct dev *d)
{
	clear_data(d);
	ccw(prog(d, OFF_PROG), CCW_CMD_SENSE_ID, CCW_FLAG_SLI, SENSE_LEN,
	    IOVA + OFF_A);
}

static int busy(struct dev *d)
{
	struct scsw s;
	int ret, ret2;

	one_sense_prog(d);
	realtime(1);
	ret = start(d, ORB_F1);
	ret2 = start(d, ORB_F1);
	realtime(0);
	if (ret)
		return fail("first start: %s", strerror(-ret));
	if (wait_irb(d, &s) || check_final(&s, IOVA + OFF_PROG + 8, 0))
		return -1;
	if (ret2 != -EBUSY)
		return fail("second start: %s, want EBUSY",
			    ret2 ? strerror(-ret2) : "accepted");
	return 0;
}

static int halt_clear(struct dev *d, __u32 cmd, unsigned int want)
{
	struct scsw s;
	int ret = async(d, cmd);

	if (ret)
		return fail("async write: %s", strerror(-ret));
	if (wait_irb(d, &s))
		return -1;
	if (fctl(&s) != want || !(s.ctl & STCTL_PENDING))
		return fail("fctl %u stctl %#x", fctl(&s), s.ctl & 0x1f);
	snprintf(why, sizeof(why), "fctl %s, status pending",
		 want == FCTL_HALT ? "halt" : "clear");
	return 0;
}

static int halt(struct dev *d)
{
	return halt_clear(d, VFIO_CCW_ASYNC_CMD_HSCH, FCTL_HALT);
}

static int clear(struct dev *d)
{
	return halt_clear(d, VFIO_CCW_ASYNC_CMD_CSCH, FCTL_CLEAR);
}

/* A start's final status and a halt's, both before userspace reads. */
static int two_irqs(struct dev *d)
{
	struct scsw s1, s2;
	int ret, ret2;

	one_sense_prog(d);
	realtime(1);
	ret = start(d, ORB_F1);
	ret2 = async(d, VFIO_CCW_ASYNC_CMD_HSCH);
	realtime(0);
	if (ret || ret2)
		return fail("start %d, halt %d", ret, ret2);
	if (wait_irb(d, &s1))
		return -1;
	if (fctl(&s1) != FCTL_START)
		return fail("first IRB has fctl %u: the start's was lost",
			    fctl(&s1));
	if (check_final(&s1, IOVA + OFF_PROG + 8, 0) || wait_irb(d, &s2))
		return -1;
	if (fctl(&s2) != FCTL_HALT)
		return fail("second IRB has fctl %u, want halt", fctl(&s2));
	return 0;
}

/*
 * A start while an IRB waits unread: the IRB is still there after, and
 * the new program's follows it.  The CCW addresses tell them apart
 * (qemu leaves a NOP's residual count as the last command set it).
 */
static int start_over_unread(struct dev *d)
{
	struct pollfd p = { .fd = d->efd_io, .events = POLLIN };
	struct scsw s1, s2;
	int ret;

	one_sense_prog(d);
	ret = start(d, ORB_F1);
	if (ret || poll(&p, 1, 5000) != 1)
		return fail("first start: %d", ret);
	ccw(prog(d, OFF_PROG + 0x200), CCW_CMD_NOOP, CCW_FLAG_SLI, 0, 0);
	ret = start_at(d, ORB_F1, OFF_PROG + 0x200);
	if (ret)
		return fail("second start: %s", strerror(-ret));
	if (wait_irb(d, &s1))
		return -1;
	if (s1.cpa != IOVA + OFF_PROG + 8)
		return fail("the first IRB read is not the SENSE ID's (CCW address %#x)",
			    s1.cpa);
	if (check_final(&s1, IOVA + OFF_PROG + 8, 0) || wait_irb(d, &s2) ||
	    check_final(&s2, IOVA + OFF_PROG + 0x208, 0))
		return -1;
	return 0;
}

/*
 * Unmapping guest memory a started program still has pinned: the IOAS
 * asks the device to let go (its dma_unmap callback takes the I/O lock,
 * quiesces and unpins), the unmap completes and the device works again
 * once the memory is back.  Through iommufd: type1 cannot take this step
 * without a lock inversion of its own (docs/vfio-ccw.rst, Known limits).
 */
static int unmap_pinned(struct dev *d)
{
	struct iommu_ioas_unmap um = {
		.size = sizeof(um), .ioas_id = d->ioas,
		.iova = IOVA, .length = MEM_SIZE,
	};
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = d->ioas, .user_va = (uintptr_t)d->mem,
		.length = MEM_SIZE, .iova = IOVA,
	};
	struct scsw s;
	int ret;

	one_sense_prog(d);
	realtime(1);
	ret = start(d, ORB_F1);
	if (!ret && ioctl(d->iommufd, IOMMU_IOAS_UNMAP, &um))
		ret = -errno;
	realtime(0);
	if (ret)
		return fail("start, then unmap: %s", strerror(-ret));
	if (um.length != MEM_SIZE)
		return fail("unmapped %llu bytes", (unsigned long long)um.length);
	/* Whatever status the reset left, take it. */
	settle(d);
	if (ioctl(d->iommufd, IOMMU_IOAS_MAP, &map))
		return fail("map again: %s", strerror(errno));
	one_sense_prog(d);
	if (run(d, ORB_F1, &s) || check_final(&s, IOVA + OFF_PROG + 8, 0))
		return -1;
	return check_data(d->mem + OFF_A, SENSE_LEN, "data");
}

static int refused(struct dev *d, __u32 orb_ctl, int want, const char *what)
{
	int ret = start(d, orb_ctl);

	if (ret != want)
		return fail("%s: %s, want %s", what,
			    ret ? strerror(-ret) : "accepted", strerror(-want));
	snprintf(why, sizeof(why), "%s", strerror(-want));
	return 0;
}

static int tic_to_tic(struct dev *d)
{
	struct ccw1 *c = prog(d, OFF_PROG);

	ccw(&c[0], CCW_CMD_NOOP, CCW_FLAG_CC | CCW_FLAG_SLI, 0, 0);
	ccw(&c[1], CCW_CMD_TIC, 0, 0, IOVA + OFF_PROG + 0x100);
	ccw(prog(d, OFF_PROG + 0x100), CCW_CMD_TIC, 0, 0, IOVA + OFF_PROG);
	return refused(d, ORB_F1, -EINVAL, "TIC to TIC");
}

static int data_outside(struct dev *d)
{
	ccw(prog(d, OFF_PROG), CCW_CMD_SENSE_ID, CCW_FLAG_SLI, SENSE_LEN,
	    IOVA + MEM_SIZE);
	return refused(d, ORB_F1, -EFAULT, "data outside the mapping");
}

static int too_long(struct dev *d)
{
	struct ccw1 *c = prog(d, OFF_PROG);
	unsigned int i;

	for (i = 0; i <= CHAIN_MAX; i++)
		ccw(&c[i], CCW_CMD_NOOP, CCW_FLAG_SLI |
		    (i < CHAIN_MAX ? CCW_FLAG_CC : 0), 0, 0);
	return refused(d, ORB_F1, -E2BIG, "a chain of 257 CCWs");
}

static int still_usable(struct dev *d)
{
	struct scsw s;

	one_sense_prog(d);
	if (run(d, ORB_F1, &s) || check_final(&s, IOVA + OFF_PROG + 8, 0))
		return -1;
	return check_data(d->mem + OFF_A, SENSE_LEN, "data");
}

static int schib(struct dev *d)
{
	struct ccw_schib_region r;
	unsigned int devno;
	__u16 pmcw_devno;

	if (pread(d->fd, &r, sizeof(r), d->schib_off) != sizeof(r))
		return fail("read: %s", strerror(errno));
	/* PMCW: word 1 holds the flags (byte 5: ena bit 0x80, dnv 0x01) */
	memcpy(&pmcw_devno, r.schib_area + 6, 2);
	if (sscanf(d->ccw, "%*x.%*x.%x", &devno) != 1)
		return fail("bus id %s", d->ccw);
	if (!(r.schib_area[5] & 0x01) || pmcw_devno != devno)
		return fail("dnv %u devno %04x, want %04x",
			    r.schib_area[5] & 1, pmcw_devno, devno);
	if (!(r.schib_area[5] & 0x80))
		return fail("the subchannel is not enabled while open");
	snprintf(why, sizeof(why), "devno %04x, enabled", pmcw_devno);
	return 0;
}

static int crw(struct dev *d)
{
	struct ccw_crw_region r;

	if (pread(d->fd, &r, sizeof(r), d->crw_off) != sizeof(r))
		return fail("read: %s", strerror(errno));
	if (r.crw)
		return fail("CRW %#x pending", r.crw);
	return 0;
}

static int close_device(struct dev *d)
{
	close(d->fd);
	close(d->efd_io);
	close(d->efd_crw);
	if (d->group >= 0)
		close(d->group);
	if (d->container >= 0)
		close(d->container);
	if (d->iommufd >= 0)
		close(d->iommufd);
	munmap(d->mem, MEM_SIZE);
	d->fd = -1;
	d->efd_io = -1;
	d->efd_crw = -1;
	return 0;
}

static int remove_mdev(struct dev *d)
{
	struct stat st;
	int ret = wr("1", "/sys/bus/mdev/devices/%s/remove", d->uuid);
	char path[128];

	if (ret)
		return fail("remove: %s", strerror(-ret));
	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s", d->uuid);
	if (!stat(path, &st))
		return fail("the mdev is still there");
	return 0;
}

static int rebind_io_subchannel(struct dev *d)
{
	char cu[16];
	int ret, i;

	ret = wr(d->sch, "/sys/bus/css/drivers/vfio_ccw/unbind");
	if (!ret)
		ret = wr("\n", "/sys/bus/css/devices/%s/driver_override",
			 d->sch);
	if (!ret)
		ret = wr(d->sch, "/sys/bus/css/drivers/io_subchannel/bind");
	if (ret)
		return fail("%s", strerror(-ret));
	/* io_subchannel recognizes the device asynchronously. */
	for (i = 0; i < 500; i++) {
		if (!rd(cu, sizeof(cu), "/sys/bus/css/devices/%s/%s/cutype",
			d->sch, d->ccw) && !strcmp(cu, d->cutype))
			return 0;
		usleep(10000);
	}
	return fail("the ccw device %s did not come back", d->ccw);
}

/* The second subchannel, through the iommufd device cdev. */
static int open_cdev(struct dev *d)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind),
						 .iommufd = -1 };
	struct vfio_device_attach_iommufd_pt att = { .argsz = sizeof(att) };
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	DIR *dir;
	struct dirent *e;
	char path[160] = "";

	snprintf(path, sizeof(path), "/sys/bus/mdev/devices/%s/vfio-dev",
		 d->uuid);
	dir = opendir(path);
	if (!dir)
		return fail("no vfio-dev: the kernel has no VFIO_DEVICE_CDEV");
	while ((e = readdir(dir)))
		if (!strncmp(e->d_name, "vfio", 4))
			snprintf(path, sizeof(path), "/dev/vfio/devices/%.64s",
				 e->d_name);
	closedir(dir);
	d->fd = open(path, O_RDWR);
	if (d->fd < 0)
		return fail("%s: %s", path, strerror(errno));
	d->iommufd = open("/dev/iommu", O_RDWR);
	if (d->iommufd < 0)
		return fail("/dev/iommu: %s", strerror(errno));
	bind.iommufd = d->iommufd;
	if (ioctl(d->fd, VFIO_DEVICE_BIND_IOMMUFD, &bind))
		return fail("BIND_IOMMUFD: %s", strerror(errno));
	if (ioctl(d->iommufd, IOMMU_IOAS_ALLOC, &ioas))
		return fail("IOAS_ALLOC: %s", strerror(errno));
	d->ioas = ioas.out_ioas_id;
	att.pt_id = d->ioas;
	if (ioctl(d->fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &att))
		return fail("ATTACH_IOMMUFD_PT: %s", strerror(errno));
	snprintf(why, sizeof(why), "%s", path);
	return 0;
}

/* Nothing the kernel said may look like a warning. */
static int kernel_log(struct dev *unused)
{
	static const char * const bad[] = {
		"WARNING:", "BUG:", "kernel BUG at", "possible circular",
		"inconsistent lock", "suspicious RCU", "Call Trace",
		"sleeping function called", "INFO: task", "Oops", "UBSAN:",
		"KASAN:", "Unable to handle", "list_add corruption",
		"list_del corruption", "cannot quiesce",
	};
	char rec[1024];
	unsigned int i, n = 0, lines = 0;
	ssize_t len;
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd < 0)
		return fail("/dev/kmsg: %s", strerror(errno));
	while ((len = read(fd, rec, sizeof(rec) - 1)) > 0 ||
	       (len < 0 && errno == EPIPE)) {
		if (len < 0)
			continue;
		rec[len] = 0;
		lines++;
		for (i = 0; i < ARRAY_SIZE(bad); i++)
			if (strstr(rec, bad[i]) && !n++)
				fail("%s", strchr(rec, ';') ? strchr(rec, ';') + 1 : rec);
	}
	close(fd);
	if (n)
		return -1;
	snprintf(why, sizeof(why), "%u records, none a warning", lines);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/* Start to eventfd, for vccw_count SENSE IDs. */
static int bench_sense_ids(struct dev *d)
{
	const char *env = getenv("vccw_count");
	unsigned int n = env ? atoi(env) : 1000, i;
	struct pollfd p = { .fd = d->efd_io, .events = POLLIN };
	struct ccw_io_region r;
	__u64 *lat, *wlat, sum = 0, cnt, t0;

	lat = calloc(n, sizeof(*lat));
	wlat = calloc(n, sizeof(*wlat));
	if (!lat || !wlat || !n)
		return fail("no memory");
	one_sense_prog(d);
	for (i = 0; i < n; i++) {
		t0 = now_ns();
		if (start(d, ORB_F1))
			return fail("start %u: %s", i, strerror(errno));
		wlat[i] = now_ns() - t0;
		if (poll(&p, 1, 5000) != 1)
			return fail("no interrupt for start %u", i);
		lat[i] = now_ns() - t0;
		sum += lat[i];
		if (read(d->efd_io, &cnt, sizeof(cnt)) != sizeof(cnt) ||
		    pread(d->fd, &r, sizeof(r), d->io_off) != sizeof(r))
			return fail("reading the IRB %u", i);
	}
	qsort(lat, n, sizeof(*lat), cmp_u64);
	qsort(wlat, n, sizeof(*wlat), cmp_u64);
	printf("vccw-demo: bench: sense_id n=%u median_ns=%llu p99_ns=%llu mean_ns=%llu\n",
	       n, (unsigned long long)lat[n / 2],
	       (unsigned long long)lat[(n * 99) / 100],
	       (unsigned long long)(sum / n));
	printf("vccw-demo: bench: write_median_ns=%llu\n",
	       (unsigned long long)wlat[n / 2]);
	free(lat);
	free(wlat);
	return 0;
}

static void mount_all(void)
{
	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mkdir("/dev", 0755);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
}

#define STEP(name, fn, d) step(name, fn, d)

int main(void)
{
	struct dev *a = &dev_a, *b = &dev_b;

	if (getpid() == 1)
		mount_all();
	if (getenv("vccw_mode"))
		mode = getenv("vccw_mode");
	a->iommufd = -1;
	b->container = -1;
	b->group = -1;
	printf("vccw-demo: mode %s\n", mode);

	if (STEP("find two virtio-ccw subchannels", find_subchannels, NULL) ||
	    STEP("unbind io_subchannel, driver_override + bind vfio_ccw",
		 bind_vfio_ccw, a) ||
	    STEP("create the mdev (vfio_ccw-io/create)", create_mdev, a) ||
	    STEP("open group + type1 container, get the device",
		 open_group, a) ||
	    STEP("query device, regions, irqs", query_device, a) ||
	    STEP("map a DMA buffer", map_memory, a) ||
	    STEP("arm the IO and CRW eventfds", arm_eventfds, a) ||
	    STEP("SENSE ID into the mapped buffer", sense_id, a))
		goto out;
	if (!strcmp(mode, "bench"))
		STEP("bench, start to eventfd", bench_sense_ids, a);
	STEP("command-chained program (SENSE ID, NOP, NOP)", command_chain, a);
	STEP("data-chained program", data_chain, a);
	STEP("TIC to a NOP elsewhere", tic, a);
	STEP("guest IDAL over two pages", idal, a);
	STEP("format-0 program", format0, a);
	STEP("second start while one is pending, EBUSY", busy, a);
	STEP("halt through the async region", halt, a);
	STEP("clear through the async region", clear, a);
	STEP("start and halt interrupt before a read, both read",
	     two_irqs, a);
	STEP("start with an IRB unread, both read in order",
	     start_over_unread, a);
	STEP("malformed, TIC to TIC", tic_to_tic, a);
	STEP("malformed, data outside the mapping", data_outside, a);
	STEP("malformed, chain over the limit", too_long, a);
	STEP("device still usable after the refusals", still_usable, a);
	STEP("read the schib region", schib, a);
	STEP("read the CRW region", crw, a);
	STEP("close the device", close_device, a);
	STEP("remove the mdev", remove_mdev, a);
	STEP("rebind the subchannel to io_subchannel", rebind_io_subchannel, a);

	if (STEP("second subchannel, bind vfio_ccw", bind_vfio_ccw, b) ||
	    STEP("second subchannel, create the mdev", create_mdev, b) ||
	    STEP("second subchannel, iommufd device cdev", open_cdev, b) ||
	    STEP("second subchannel, query", query_device, b) ||
	    STEP("second subchannel, map through the IOAS", map_memory, b) ||
	    STEP("second subchannel, arm the eventfds", arm_eventfds, b) ||
	    STEP("second subchannel, SENSE ID", sense_id, b))
		goto out;
	STEP("second subchannel, unmap pinned memory, map, SENSE ID",
	     unmap_pinned, b);
	STEP("second subchannel, close", close_device, b);
	STEP("second subchannel, remove the mdev", remove_mdev, b);
	STEP("second subchannel, rebind io_subchannel",
	     rebind_io_subchannel, b);
out:
	STEP("guest kernel log holds no warning", kernel_log, NULL);
	printf("vccw-demo: %d steps, %d failed\n", steps, failures);
	printf("vccw-demo: %s\n", failures ? "FAIL" : "PASS");
	fflush(stdout);
	if (getpid() == 1) {
		sync();
		reboot(RB_POWER_OFF);
	}
	return failures ? 1 : 0;
}
