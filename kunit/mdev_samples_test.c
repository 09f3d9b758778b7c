// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own vendor drivers against this core, unchanged (M17):
 * samples/vfio-mdev/mtty.c and mdpy.c, built into the kernel with
 * VFIO_MDEV meaning drivers/mdev, get their devices created and removed
 * through the sysfs files, as a user (or libvirt's mdevctl) would.
 */

#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/uuid.h>

#include "mdev_vendor.h"

struct sample {
	const char *type_dir;	/* under /sys */
	const char *name;	/* its `name` file */
	const char *driver;	/* the mdev_driver the device binds to */
};

static const struct sample samples[] = {
	{ "/devices/virtual/mtty/mtty/mdev_supported_types/mtty-2",
	  "Dual port serial\n", "mtty" },
	{ "/devices/virtual/mdpy/mdpy/mdev_supported_types/mdpy-vga",
	  "mdpy-vga\n", "mdpy" },
};

static char *at(struct kunit *test, const char *dir, const char *file)
{
	char *p = tv_sprintf(test, "%s/%s", dir, file);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

static unsigned long read_ulong(struct kunit *test, const char *path)
{
	unsigned long v = 0;
	char buf[32];

	KUNIT_EXPECT_GT(test, tv_read(path, buf, sizeof(buf)), 0);
	KUNIT_EXPECT_EQ(test, 0, kstrtoul(buf, 10, &v));
	return v;
}

static void sample_create_remove(struct kunit *test, const struct sample *s)
{
	char *avail = at(test, s->type_dir, "available_instances");
	char buf[64], *drv;
	unsigned long before;
	guid_t u;

	KUNIT_ASSERT_TRUE_MSG(test, tv_exists(s->type_dir), "%s", s->type_dir);
	KUNIT_EXPECT_GT(test, tv_read(at(test, s->type_dir, "name"), buf,
				      sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, s->name);
	KUNIT_EXPECT_GT(test, tv_read(at(test, s->type_dir, "device_api"), buf,
				      sizeof(buf)), 0);
	KUNIT_EXPECT_STREQ(test, buf, "vfio-pci\n");
	KUNIT_EXPECT_TRUE(test, tv_exists(at(test, s->type_dir, "devices")));
	before = read_ulong(test, avail);
	KUNIT_ASSERT_GT(test, before, 0);

	guid_gen(&u);
	snprintf(buf, sizeof(buf), "%pUl\n", &u);
	KUNIT_ASSERT_EQ(test, 0, tv_write(at(test, s->type_dir, "create"), buf));
	KUNIT_EXPECT_LT(test, read_ulong(test, avail), before);
	KUNIT_EXPECT_TRUE(test, tv_same(tv_dev_path(test, &u, "mdev_type"),
					s->type_dir));
	drv = tv_sprintf(test, "/bus/mdev/drivers/%s", s->driver);
	KUNIT_EXPECT_TRUE(test, tv_same(tv_dev_path(test, &u, "driver"), drv));
	snprintf(buf, sizeof(buf), "devices/%pUl", &u);
	KUNIT_EXPECT_TRUE(test, tv_exists(at(test, s->type_dir, buf)));
	/* The same UUID on another sample's type: one namespace (M1). */
	snprintf(buf, sizeof(buf), "%pUl\n", &u);
	KUNIT_EXPECT_EQ(test, -EEXIST,
			tv_write(at(test, samples[s == samples].type_dir,
				    "create"), buf));

	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &u));
	KUNIT_EXPECT_FALSE(test, tv_exists(tv_dev_path(test, &u, "")));
	KUNIT_EXPECT_EQ(test, read_ulong(test, avail), before);
}

/* M17: mtty, whose driver counts instances itself (get_available). */
static void mdev_samples_mtty(struct kunit *test)
{
	sample_create_remove(test, &samples[0]);
}

/* M17: mdpy, which leaves counting to the core (max_instances). */
static void mdev_samples_mdpy(struct kunit *test)
{
	sample_create_remove(test, &samples[1]);
}

static int mdev_samples_init(struct kunit_suite *suite)
{
	return tv_sysfs_mount();
}

static void mdev_samples_exit(struct kunit_suite *suite)
{
	tv_sysfs_unmount();
}

static struct kunit_case mdev_samples_cases[] = {
	KUNIT_CASE(mdev_samples_mtty),
	KUNIT_CASE(mdev_samples_mdpy),
	{}
};

static struct kunit_suite mdev_samples_suite = {
	.name = "mdev_samples",
	.suite_init = mdev_samples_init,
	.suite_exit = mdev_samples_exit,
	.test_cases = mdev_samples_cases,
};

kunit_test_suite(mdev_samples_suite);
