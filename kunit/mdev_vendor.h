/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small vendor driver for the mdev KUnit suites, with callbacks a test
 * can make block, fail and count, on fake parents from
 * kunit_device_register(); and helpers that drive the real sysfs files
 * through a kernel mount of sysfs.
 */
#ifndef _MDEVCCW_KUNIT_MDEV_VENDOR_H
#define _MDEVCCW_KUNIT_MDEV_VENDOR_H

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/mdev.h>
#include <linux/uuid.h>

#define TV_NR_TYPES	2

/* A gate a callback stops at until the test opens it. */
struct tv_gate {
	bool armed;			/* the next callback stops */
	struct completion entered;	/* it has stopped */
	struct completion go;		/* let it continue */
};

struct tv_parent {
	struct mdev_parent parent;
	struct device *dev;
	struct kunit *test;
	struct mdev_type type[TV_NR_TYPES];
	struct mdev_type *types[TV_NR_TYPES];
	bool registered;

	/* controls, set by the test before the operation they affect */
	int probe_err;			/* probe returns this */
	struct tv_gate probe_gate, remove_gate;

	/* counters, changed by the callbacks */
	atomic_t probes;		/* probe calls */
	atomic_t removes;		/* remove calls */
	atomic_t live;			/* per-device states allocated */
	atomic_t in_callback;		/* callbacks running now */
	atomic_t max_in_callback;	/* most ever running at once */
	atomic_t probe_saw_bad;		/* probe found the device half built */

	/* optional, for the stress test: called at the end of the callbacks */
	void (*probe_hook)(struct tv_parent *tp, struct mdev_device *mdev);
	void (*remove_hook)(struct tv_parent *tp, struct mdev_device *mdev);
};

/* Per-device vendor state, made in probe, freed in remove. */
struct tv_mdev {
	struct tv_parent *tp;
	guid_t uuid;
};

extern struct mdev_driver tv_driver;

int tv_driver_register(void);
void tv_driver_unregister(void);

struct tv_parent *tv_parent_new(struct kunit *test, const char *name,
				unsigned int max_instances);
int tv_parent_register(struct tv_parent *tp);
void tv_parent_unregister(struct tv_parent *tp);

void tv_gate_arm(struct tv_gate *g);
bool tv_gate_wait_entered(struct tv_gate *g);
void tv_gate_open(struct tv_gate *g);

/* sysfs, through a private kernel mount */
int tv_sysfs_mount(void);
void tv_sysfs_unmount(void);
int tv_suite_init(struct kunit_suite *suite);
void tv_suite_exit(struct kunit_suite *suite);
int tv_write(const char *path, const char *buf);
ssize_t tv_read(const char *path, char *buf, size_t len);
bool tv_exists(const char *path);
bool tv_same(const char *link, const char *target);
__printf(2, 3) char *tv_sprintf(struct kunit *test, const char *fmt, ...);
char *tv_type_path(struct kunit *test, struct mdev_type *type,
		   const char *file);
char *tv_dev_path(struct kunit *test, const guid_t *uuid, const char *file);
int tv_create(struct kunit *test, struct mdev_type *type, const guid_t *uuid);
int tv_remove(struct kunit *test, const guid_t *uuid);
unsigned int tv_bus_devices(void);

/* a function run in a kthread, its result collected later */
struct tv_job {
	int (*fn)(struct tv_job *job);
	struct mdev_type *type;
	guid_t uuid;
	struct tv_parent *tp;
	struct kunit *test;
	int ret;
	struct completion done;
};

void tv_job_start(struct tv_job *job);
bool tv_job_done_within(struct tv_job *job, unsigned int ms);
int tv_job_create(struct tv_job *job);
int tv_job_remove(struct tv_job *job);

#endif
