// SPDX-License-Identifier: GPL-2.0
/*
 * The test vendor driver and the sysfs and thread helpers of the mdev
 * KUnit suites (see mdev_vendor.h).
 */

#include <kunit/device.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kobject.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/path.h>
#include <linux/slab.h>

#include "mdev_vendor.h"
#include "../drivers/mdev/internal.h"

static struct tv_parent *to_tv(struct mdev_device *mdev)
{
	return container_of(mdev->type->parent, struct tv_parent, parent);
}

static void tv_enter(struct tv_parent *tp)
{
	int n = atomic_inc_return(&tp->in_callback);
	int max = atomic_read(&tp->max_in_callback);

	while (n > max && !atomic_try_cmpxchg(&tp->max_in_callback, &max, n))
		;
}

static void tv_leave(struct tv_parent *tp)
{
	atomic_dec(&tp->in_callback);
}

void tv_gate_arm(struct tv_gate *g)
{
	reinit_completion(&g->entered);
	reinit_completion(&g->go);
	/* The completions are ready before a callback sees the gate armed. */
	smp_store_release(&g->armed, true);
}

/* The first callback through an armed gate stops there. */
static void tv_gate_pass(struct tv_gate *g)
{
	/* Pairs with tv_gate_arm(); cmpxchg: one callback stops, not two. */
	if (!smp_load_acquire(&g->armed) || !cmpxchg(&g->armed, true, false))
		return;
	complete(&g->entered);
	wait_for_completion(&g->go);
}

bool tv_gate_wait_entered(struct tv_gate *g)
{
	return wait_for_completion_timeout(&g->entered, 10 * HZ);
}

void tv_gate_open(struct tv_gate *g)
{
	complete(&g->go);
}

static int tv_probe(struct mdev_device *mdev)
{
	struct tv_parent *tp = to_tv(mdev);
	char name[UUID_STRING_LEN + 1];
	struct tv_mdev *m;
	int ret;

	tv_enter(tp);
	atomic_inc(&tp->probes);
	/*
	 * M11, MR6: the core's part is complete before the vendor's probe;
	 * M4: the device is still reserved (not removable, not active) and
	 * unannounced.
	 */
	snprintf(name, sizeof(name), "%pUl", &mdev->uuid);
	if (!device_is_registered(&mdev->dev) ||
	    strcmp(dev_name(&mdev->dev), name) ||
	    mdev->dev.parent != tp->dev ||
	    !dev_get_uevent_suppress(&mdev->dev) || READ_ONCE(mdev->active) ||
	    fsm_state(&to_mdev_instance(mdev)->fsm) != MDEV_RESERVED)
		atomic_inc(&tp->probe_saw_bad);
	tv_gate_pass(&tp->probe_gate);
	ret = READ_ONCE(tp->probe_err);
	if (!ret) {
		m = kzalloc(sizeof(*m), GFP_KERNEL);
		if (m) {
			m->tp = tp;
			guid_copy(&m->uuid, &mdev->uuid);
			dev_set_drvdata(&mdev->dev, m);
			atomic_inc(&tp->live);
			if (tp->probe_hook)
				tp->probe_hook(tp, mdev);
		} else {
			ret = -ENOMEM;
		}
	}
	tv_leave(tp);
	return ret;
}

static void tv_remove_cb(struct mdev_device *mdev)
{
	struct tv_parent *tp = to_tv(mdev);
	struct tv_mdev *m = dev_get_drvdata(&mdev->dev);

	tv_enter(tp);
	atomic_inc(&tp->removes);
	tv_gate_pass(&tp->remove_gate);
	if (m) {
		if (tp->remove_hook)
			tp->remove_hook(tp, mdev);
		dev_set_drvdata(&mdev->dev, NULL);
		kfree(m);
		atomic_dec(&tp->live);
	}
	tv_leave(tp);
}

static ssize_t tv_show_description(struct mdev_type *type, char *buf)
{
	return sysfs_emit(buf, "test type %s\n", type->sysfs_name);
}

struct mdev_driver tv_driver = {
	.device_api = "vfio-pci",
	.probe = tv_probe,
	.remove = tv_remove_cb,
	.show_description = tv_show_description,
	.driver = {
		.name = "mdev_kunit_vendor",
		.owner = THIS_MODULE,
	},
};

static atomic_t tv_driver_users = ATOMIC_INIT(0);

int tv_driver_register(void)
{
	int ret = 0;

	if (atomic_inc_return(&tv_driver_users) == 1)
		ret = mdev_register_driver(&tv_driver);
	if (ret)
		atomic_dec(&tv_driver_users);
	return ret;
}

void tv_driver_unregister(void)
{
	if (atomic_dec_and_test(&tv_driver_users))
		mdev_unregister_driver(&tv_driver);
}

static void tv_parent_cleanup(void *data)
{
	struct tv_parent *tp = data;

	if (tp->registered)
		tv_parent_unregister(tp);
}

struct tv_parent *tv_parent_new(struct kunit *test, const char *name,
				unsigned int max_instances)
{
	static const char * const names[TV_NR_TYPES] = { "a", "b" };
	struct tv_parent *tp;
	int i;

	tp = kunit_kzalloc(test, sizeof(*tp), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tp);
	tp->test = test;
	tp->dev = kunit_device_register(test, name);
	KUNIT_ASSERT_FALSE(test, IS_ERR_OR_NULL(tp->dev));
	for (i = 0; i < TV_NR_TYPES; i++) {
		tp->type[i].sysfs_name = names[i];
		tp->types[i] = &tp->type[i];
	}
	tp->type[0].pretty_name = "Test type A";
	init_completion(&tp->probe_gate.entered);
	init_completion(&tp->probe_gate.go);
	init_completion(&tp->remove_gate.entered);
	init_completion(&tp->remove_gate.go);
	/* Copied into the parent when it registers. */
	tv_driver.max_instances = max_instances;
	/* Runs before the device goes: actions run last-added first. */
	KUNIT_ASSERT_EQ(test, 0,
			kunit_add_action_or_reset(test, tv_parent_cleanup, tp));
	return tp;
}

int tv_parent_register(struct tv_parent *tp)
{
	int ret = mdev_register_parent(&tp->parent, tp->dev, &tv_driver,
				       tp->types, TV_NR_TYPES);

	tp->registered = !ret;
	return ret;
}

void tv_parent_unregister(struct tv_parent *tp)
{
	mdev_unregister_parent(&tp->parent);
	tp->registered = false;
}

/* ---- sysfs through a kernel mount ---- */

static struct vfsmount *tv_mnt;
static unsigned int tv_mnt_users;

int tv_sysfs_mount(void)
{
	struct file_system_type *fs;
	struct vfsmount *mnt;

	if (tv_mnt_users++)
		return 0;
	fs = get_fs_type("sysfs");
	mnt = fs ? kern_mount(fs) : ERR_PTR(-ENODEV);
	if (IS_ERR(mnt)) {
		tv_mnt_users--;
		return PTR_ERR(mnt);
	}
	tv_mnt = mnt;
	return 0;
}

void tv_sysfs_unmount(void)
{
	if (!--tv_mnt_users) {
		kern_unmount(tv_mnt);
		tv_mnt = NULL;
	}
}

/* Suite setup of the suites driving sysfs: the mount, then the driver. */
int tv_suite_init(struct kunit_suite *suite)
{
	int ret = tv_sysfs_mount();

	if (ret)
		return ret;
	ret = tv_driver_register();
	if (ret)
		tv_sysfs_unmount();
	return ret;
}

void tv_suite_exit(struct kunit_suite *suite)
{
	tv_driver_unregister();
	tv_sysfs_unmount();
}

static struct file *tv_open(const char *path, int flags)
{
	struct path root = { .mnt = tv_mnt, .dentry = tv_mnt->mnt_root };

	return file_open_root(&root, path, flags, 0);
}

/* Write @buf to the sysfs file @path: 0 or a negative error. */
int tv_write(const char *path, const char *buf)
{
	size_t len = strlen(buf);
	struct file *f = tv_open(path, O_WRONLY);
	loff_t pos = 0;
	ssize_t ret;

	if (IS_ERR(f))
		return PTR_ERR(f);
	ret = kernel_write(f, buf, len, &pos);
	fput(f);
	if (ret < 0)
		return ret;
	return ret == len ? 0 : -EIO;
}

ssize_t tv_read(const char *path, char *buf, size_t len)
{
	struct file *f = tv_open(path, O_RDONLY);
	loff_t pos = 0;
	ssize_t ret;

	if (IS_ERR(f))
		return PTR_ERR(f);
	ret = kernel_read(f, buf, len - 1, &pos);
	fput(f);
	if (ret >= 0)
		buf[ret] = '\0';
	return ret;
}

static int tv_lookup(const char *path, unsigned int flags, struct path *p)
{
	return vfs_path_lookup(tv_mnt->mnt_root, tv_mnt, path, flags, p);
}

/* Whether @path exists; a symlink counts itself, not its target. */
bool tv_exists(const char *path)
{
	struct path p;

	if (tv_lookup(path, 0, &p))
		return false;
	path_put(&p);
	return true;
}

/* Whether the symlink @link leads to @target. */
bool tv_same(const char *link, const char *target)
{
	struct path a, b;
	bool same;

	if (tv_lookup(link, LOOKUP_FOLLOW, &a))
		return false;
	if (tv_lookup(target, LOOKUP_FOLLOW, &b)) {
		path_put(&a);
		return false;
	}
	same = a.dentry == b.dentry;
	path_put(&a);
	path_put(&b);
	return same;
}

/* A test-managed formatted string. */
char *tv_sprintf(struct kunit *test, const char *fmt, ...)
{
	char *tmp, *s;
	va_list ap;

	va_start(ap, fmt);
	tmp = kvasprintf(GFP_KERNEL, fmt, ap);
	va_end(ap);
	s = tmp ? kunit_kstrdup(test, tmp, GFP_KERNEL) : NULL;
	kfree(tmp);
	KUNIT_ASSERT_NOT_NULL(test, s);
	return s;
}

static char *tv_type_path_alloc(struct mdev_type *type, const char *file)
{
	char *dir = kobject_get_path(mdev_type_kobj(type), GFP_KERNEL);
	char *path = dir ? kasprintf(GFP_KERNEL, "%s/%s", dir, file) : NULL;

	kfree(dir);
	return path;
}

/* Test-managed path of @file in @type's directory. */
char *tv_type_path(struct kunit *test, struct mdev_type *type,
		   const char *file)
{
	char *tmp = tv_type_path_alloc(type, file);
	char *path = tmp ? kunit_kstrdup(test, tmp, GFP_KERNEL) : NULL;

	kfree(tmp);
	KUNIT_ASSERT_NOT_NULL(test, path);
	return path;
}

/* Test-managed path of @file of the mdev @uuid, through /sys/bus/mdev. */
char *tv_dev_path(struct kunit *test, const guid_t *uuid, const char *file)
{
	char *tmp = kasprintf(GFP_KERNEL, "/bus/mdev/devices/%pUl%s%s", uuid,
			      *file ? "/" : "", file);
	char *path = tmp ? kunit_kstrdup(test, tmp, GFP_KERNEL) : NULL;

	kfree(tmp);
	KUNIT_ASSERT_NOT_NULL(test, path);
	return path;
}

/* Write @uuid to @type's `create`: usable from any thread. */
int tv_create(struct kunit *test, struct mdev_type *type, const guid_t *uuid)
{
	char *path = tv_type_path_alloc(type, "create");
	char buf[UUID_STRING_LEN + 2];
	int ret;

	if (!path)
		return -ENOMEM;
	snprintf(buf, sizeof(buf), "%pUl\n", uuid);
	ret = tv_write(path, buf);
	kfree(path);
	return ret;
}

/* Write 1 to the `remove` file of the mdev @uuid: usable from any thread. */
int tv_remove(struct kunit *test, const guid_t *uuid)
{
	char *path = kasprintf(GFP_KERNEL, "/bus/mdev/devices/%pUl/remove",
			       uuid);
	int ret;

	if (!path)
		return -ENOMEM;
	ret = tv_write(path, "1\n");
	kfree(path);
	return ret;
}

static int tv_count_one(struct device *dev, void *data)
{
	(*(unsigned int *)data)++;
	return 0;
}

unsigned int tv_bus_devices(void)
{
	unsigned int n = 0;

	bus_for_each_dev(&mdev_bus_type, NULL, &n, tv_count_one);
	return n;
}

/* ---- jobs ---- */

static int tv_job_thread(void *data)
{
	struct tv_job *job = data;

	job->ret = job->fn(job);
	complete_all(&job->done);
	return 0;
}

void tv_job_start(struct tv_job *job)
{
	struct task_struct *t;

	init_completion(&job->done);
	t = kthread_run(tv_job_thread, job, "mdev_kunit_job");
	if (IS_ERR(t)) {
		job->ret = PTR_ERR(t);
		complete_all(&job->done);
	}
}

bool tv_job_done_within(struct tv_job *job, unsigned int ms)
{
	return wait_for_completion_timeout(&job->done, msecs_to_jiffies(ms));
}

int tv_job_create(struct tv_job *job)
{
	return tv_create(job->test, job->type, &job->uuid);
}

int tv_job_remove(struct tv_job *job)
{
	return tv_remove(job->test, &job->uuid);
}

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);
MODULE_DESCRIPTION("KUnit tests and benchmark of the mdev core");
MODULE_LICENSE("GPL");
