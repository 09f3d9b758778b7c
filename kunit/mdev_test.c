// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the mdev core (drivers/mdev): the sysfs ABI of Linux 6.12
 * driven through the real files, the global UUID namespace, the lifecycle
 * races of the 2018/2019 reviews forced step by step with gates in a test
 * vendor driver, parent unregister against creates and removes in flight,
 * and fault injection over every fallible step of the create path.
 *
 * Each case names the requirements (M*, MR*) of requirements.md it covers.
 */

#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kobject.h>
#include <linux/poison.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "fsm_explore.h"
#include "mdev_vendor.h"
#include "uevent_listener.h"
#include "../drivers/mdev/internal.h"

/* How long a caller that must not wait is given before it counts as stuck. */
#define NO_WAIT_MS	5000
/* How long what must happen is waited for before it counts as missing. */
#define WAIT_MS		10000
/*
 * How long a caller that must keep waiting is watched to still be waiting.
 * Only for negative checks ("has not returned yet"), never as a wait for
 * something to happen: a correct core keeps waiting however slow the
 * machine, so such a check cannot fail falsely, and the window gives a
 * broken one time to return early and be caught.
 */
#define STILL_WAITING_MS 200

struct counts {
	unsigned int uuids, parents, bus;
	int avail, live;
};

static void snap(struct tv_parent *tp, struct counts *c)
{
	mdev_core_stats(&c->uuids, &c->parents);
	c->bus = tv_bus_devices();
	c->avail = atomic_read(&tp->parent.available_instances);
	c->live = atomic_read(&tp->live);
}

static void expect_counts(struct kunit *test, struct tv_parent *tp,
			  const struct counts *base)
{
	struct counts now;

	snap(tp, &now);
	KUNIT_EXPECT_EQ(test, now.uuids, base->uuids);
	KUNIT_EXPECT_EQ(test, now.parents, base->parents);
	KUNIT_EXPECT_EQ(test, now.bus, base->bus);
	KUNIT_EXPECT_EQ(test, now.avail, base->avail);
	KUNIT_EXPECT_EQ(test, now.live, base->live);
}

static struct tv_parent *parent_up(struct kunit *test, const char *name,
				   unsigned int max)
{
	struct tv_parent *tp = tv_parent_new(test, name, max);

	KUNIT_ASSERT_EQ(test, 0, tv_parent_register(tp));
	return tp;
}

static void read_expect(struct kunit *test, const char *path,
			const char *want)
{
	char buf[128];

	KUNIT_EXPECT_EQ(test, tv_read(path, buf, sizeof(buf)),
			(ssize_t)strlen(want));
	KUNIT_EXPECT_STREQ(test, buf, want);
}

static void job_start(struct kunit *test, struct tv_job *job,
		      int (*fn)(struct tv_job *), struct tv_parent *tp,
		      struct mdev_type *type, const guid_t *uuid)
{
	job->fn = fn;
	job->tp = tp;
	job->type = type;
	job->test = test;
	if (uuid)
		guid_copy(&job->uuid, uuid);
	tv_job_start(job);
}

static struct tv_job *job_new(struct kunit *test, int (*fn)(struct tv_job *),
			      struct tv_parent *tp, struct mdev_type *type,
			      const guid_t *uuid)
{
	struct tv_job *job = kunit_kzalloc(test, sizeof(*job), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, job);
	job_start(test, job, fn, tp, type, uuid);
	return job;
}

static int job_result(struct kunit *test, struct tv_job *job)
{
	KUNIT_EXPECT_TRUE(test, tv_job_done_within(job, NO_WAIT_MS));
	wait_for_completion(&job->done);
	return job->ret;
}

/*
 * The result of a job that must not wait for the callback held at @gate.
 * One still running after NO_WAIT_MS is a failure; @gate is then opened,
 * so that the job, and the test, still finish.
 */
static int job_result_unheld(struct kunit *test, struct tv_job *job,
			     struct tv_gate *gate)
{
	bool done = tv_job_done_within(job, NO_WAIT_MS);

	KUNIT_EXPECT_TRUE_MSG(test, done,
			      "still waiting after %u ms for a callback held at a gate",
			      NO_WAIT_MS);
	if (!done)
		tv_gate_open(gate);
	wait_for_completion(&job->done);
	return job->ret;
}

static int job_remove_uuid(struct tv_job *job)
{
	return mdev_remove_uuid(&job->uuid);
}

/*
 * Poll @cond(@arg) every millisecond for up to WAIT_MS: for what must
 * happen, however slowly the machine gets there.
 */
static bool poll_until(bool (*cond)(void *arg), void *arg)
{
	unsigned long end = jiffies + msecs_to_jiffies(WAIT_MS);

	for (;;) {
		if (cond(arg))
			return true;
		if (time_after(jiffies, end))
			return false;
		usleep_range(1000, 2000);
	}
}

/* M17, M15: the 6.12 layout, file by file, through a create and a remove. */
static void mdev_test_sysfs_layout(struct kunit *test)
{
	struct tv_parent *tp = parent_up(test, "mdev-layout", 2);
	struct mdev_type *a = &tp->type[0], *b = &tp->type[1];
	char *pdir = kobject_get_path(&tp->dev->kobj, GFP_KERNEL);
	char want[80], *path;
	guid_t u;

	KUNIT_ASSERT_NOT_NULL(test, pdir);
	path = kunit_kstrdup(test, pdir, GFP_KERNEL);
	kfree(pdir);
	pdir = path;

	snprintf(want, sizeof(want), "%s-a", dev_driver_string(tp->dev));
	KUNIT_EXPECT_STREQ(test, kobject_name(mdev_type_kobj(a)), want);
	KUNIT_EXPECT_PTR_EQ(test, a->parent, &tp->parent);
	KUNIT_EXPECT_TRUE(test, tv_exists(tv_type_path(test, a, "create")));
	read_expect(test, tv_type_path(test, a, "name"), "Test type A\n");
	read_expect(test, tv_type_path(test, b, "name"), "b\n");
	read_expect(test, tv_type_path(test, a, "device_api"), "vfio-pci\n");
	read_expect(test, tv_type_path(test, a, "available_instances"), "2\n");
	read_expect(test, tv_type_path(test, b, "description"),
		    "test type b\n");
	KUNIT_EXPECT_TRUE(test, tv_exists(tv_type_path(test, a, "devices")));
	path = tv_sprintf(test, "/class/mdev_bus/%s", dev_name(tp->dev));
	KUNIT_EXPECT_TRUE(test, tv_same(path, pdir));

	guid_gen(&u);
	KUNIT_ASSERT_EQ(test, 0, tv_create(test, a, &u));
	read_expect(test, tv_type_path(test, b, "available_instances"), "1\n");
	KUNIT_EXPECT_TRUE(test, tv_exists(tv_dev_path(test, &u, "remove")));
	KUNIT_EXPECT_TRUE(test, tv_same(tv_dev_path(test, &u, "mdev_type"),
					tv_type_path(test, a, "")));
	KUNIT_EXPECT_TRUE(test, tv_same(tv_dev_path(test, &u, "driver"),
					"/bus/mdev/drivers/mdev_kunit_vendor"));
	path = tv_sprintf(test, "devices/%pUl", &u);
	KUNIT_EXPECT_TRUE(test, tv_same(tv_type_path(test, a, path),
					tv_dev_path(test, &u, "")));
	path = tv_sprintf(test, "%s/%pUl", pdir, &u);
	KUNIT_EXPECT_TRUE(test, tv_same(path, tv_dev_path(test, &u, "")));

	/* `remove`: 0 does nothing, garbage is -EINVAL, 1 removes. */
	KUNIT_EXPECT_EQ(test, 0, tv_write(tv_dev_path(test, &u, "remove"),
					  "0\n"));
	KUNIT_EXPECT_EQ(test, -EINVAL,
			tv_write(tv_dev_path(test, &u, "remove"), "yes\n"));
	KUNIT_EXPECT_TRUE(test, tv_exists(tv_dev_path(test, &u, "")));
	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &u));
	KUNIT_EXPECT_FALSE(test, tv_exists(tv_dev_path(test, &u, "")));
	KUNIT_EXPECT_FALSE(test, tv_exists(path));
	path = tv_sprintf(test, "devices/%pUl", &u);
	KUNIT_EXPECT_FALSE(test, tv_exists(tv_type_path(test, a, path)));
	read_expect(test, tv_type_path(test, a, "available_instances"), "2\n");
	KUNIT_EXPECT_EQ(test, atomic_read(&tp->probes), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&tp->removes), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&tp->probe_saw_bad), 0);

	/* Unregister leaves nothing of the parent behind (M16). */
	tv_parent_unregister(tp);
	path = tv_sprintf(test, "%s/mdev_supported_types", pdir);
	KUNIT_EXPECT_FALSE(test, tv_exists(path));
	path = tv_sprintf(test, "/class/mdev_bus/%s", dev_name(tp->dev));
	KUNIT_EXPECT_FALSE(test, tv_exists(path));
}

struct uuid_case {
	const char *in;
	size_t len;		/* 0: strlen(in) */
	bool ok;
};

static const struct uuid_case uuid_cases[] = {
	{ "0123abcd-4567-89ef-0123-456789abcdef", 0, true },
	{ "0123ABCD-4567-89EF-0123-456789ABCDEF", 0, true },
	{ "0123AbCd-4567-89eF-0123-456789aBcDeF\n", 0, true },
	{ "", 0, false },
	{ "\n", 0, false },
	{ "0123abcd-4567-89ef-0123-456789abcde", 0, false },
	{ "0123abcd-4567-89ef-0123-456789abcde\n", 0, false },
	{ "0123abcd-4567-89ef-0123-456789abcdef0", 0, false },
	{ "0123abcd-4567-89ef-0123-456789abcdef ", 0, false },
	{ "0123abcd-4567-89ef-0123-456789abcdef\n\n", 0, false },
	{ "0123abcd-4567-89ef-0123-456789abcdef\r\n", 0, false },
	{ "0123abcg-4567-89ef-0123-456789abcdef", 0, false },
	{ "0123abcd04567-89ef-0123-456789abcdef", 0, false },
	{ "0123abc-d4567-89ef-0123-456789abcdef", 0, false },
	{ "{123abcd-4567-89ef-0123-456789abcde}", 0, false },
	{ " 0123abcd-4567-89ef-0123-456789abcdef", 0, false },
	{ "0123abcd-4567-89ef-0123-456789abcdef", 37, false }, /* NUL */
	{ "0123abcd-4567-89ef-0123\000456789abcdef", 36, false },
};

/* UUID parsing accepts exactly what 6.12 accepts, and changes nothing else. */
static void mdev_test_uuid_parse(struct kunit *test)
{
	struct tv_parent *tp = parent_up(test, "mdev-parse", 4);
	char *create = tv_type_path(test, &tp->type[0], "create");
	struct counts base;
	unsigned int i;
	guid_t u, want;

	KUNIT_ASSERT_EQ(test, 0, guid_parse(uuid_cases[0].in, &want));
	snap(tp, &base);
	for (i = 0; i < ARRAY_SIZE(uuid_cases); i++) {
		const struct uuid_case *c = &uuid_cases[i];
		size_t len = c->len ?: strlen(c->in);

		KUNIT_EXPECT_EQ_MSG(test, mdev_parse_uuid(c->in, len, &u),
				    c->ok ? 0 : -EINVAL, "case %u", i);
		if (c->ok)
			KUNIT_EXPECT_TRUE_MSG(test, guid_equal(&u, &want),
					      "case %u", i);
		/* sysfs itself answers an empty write before the store runs */
		if (c->ok || !len || memchr(c->in, '\0', len))
			continue;
		KUNIT_EXPECT_EQ_MSG(test, tv_write(create, c->in), -EINVAL,
				    "case %u", i);
		expect_counts(test, tp, &base);
	}
	/* Upper case in, the canonical lower-case name out. */
	KUNIT_ASSERT_EQ(test, 0, tv_write(create, uuid_cases[1].in));
	KUNIT_EXPECT_TRUE(test, tv_exists(tv_dev_path(test, &want, "")));
	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &want));
	expect_counts(test, tp, &base);
}

/* M1: one UUID namespace over all parents and types. */
static void mdev_test_global_namespace(struct kunit *test)
{
	struct tv_parent *p1 = parent_up(test, "mdev-ns1", 4);
	struct tv_parent *p2 = parent_up(test, "mdev-ns2", 4);
	struct counts base1, base2;
	guid_t u;

	guid_gen(&u);
	KUNIT_ASSERT_EQ(test, 0, tv_create(test, &p1->type[0], &u));
	snap(p1, &base1);
	snap(p2, &base2);
	KUNIT_EXPECT_EQ(test, -EEXIST, tv_create(test, &p1->type[0], &u));
	KUNIT_EXPECT_EQ(test, -EEXIST, tv_create(test, &p1->type[1], &u));
	KUNIT_EXPECT_EQ(test, -EEXIST, tv_create(test, &p2->type[0], &u));
	/* Refused before sysfs: no probe, no instance, no device. */
	expect_counts(test, p1, &base1);
	expect_counts(test, p2, &base2);
	KUNIT_EXPECT_EQ(test, atomic_read(&p1->probes), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&p2->probes), 0);
	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &u));
	KUNIT_EXPECT_EQ(test, 0, tv_create(test, &p2->type[1], &u));
	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &u));
}

/*
 * M2, MR3: while one create of a UUID is inside its vendor probe, a create
 * of the same UUID on another parent fails at once with -EEXIST.
 */
static void mdev_test_one_uuid_two_parents(struct kunit *test)
{
	struct tv_parent *p1 = parent_up(test, "mdev-two1", 4);
	struct tv_parent *p2 = parent_up(test, "mdev-two2", 4);
	struct tv_job *job;
	guid_t u;

	guid_gen(&u);
	tv_gate_arm(&p1->probe_gate);
	job = job_new(test, tv_job_create, p1, &p1->type[0], &u);
	KUNIT_ASSERT_TRUE(test, tv_gate_wait_entered(&p1->probe_gate));
	KUNIT_EXPECT_EQ(test, -EEXIST, tv_create(test, &p2->type[0], &u));
	KUNIT_EXPECT_EQ(test, atomic_read(&p2->probes), 0);
	tv_gate_open(&p1->probe_gate);
	KUNIT_EXPECT_EQ(test, 0, job_result(test, job));
	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &u));
}

/*
 * M3, M10, MR4: a vendor probe that blocks holds up nobody else: another
 * create and a remove on the same parent, and a create on another parent,
 * all finish while it blocks; the vendor sees its callbacks overlap.
 */
static void mdev_test_no_serialization(struct kunit *test)
{
	struct tv_parent *p = parent_up(test, "mdev-par1", 8);
	struct tv_parent *q = parent_up(test, "mdev-par2", 8);
	struct tv_job *blocked, *other;
	guid_t u1, u2, u3, u4;

	guid_gen(&u1);
	guid_gen(&u2);
	guid_gen(&u3);
	guid_gen(&u4);
	KUNIT_ASSERT_EQ(test, 0, tv_create(test, &p->type[1], &u3));

	tv_gate_arm(&p->probe_gate);
	blocked = job_new(test, tv_job_create, p, &p->type[0], &u1);
	KUNIT_ASSERT_TRUE(test, tv_gate_wait_entered(&p->probe_gate));

	other = job_new(test, tv_job_create, p, &p->type[0], &u2);
	KUNIT_EXPECT_EQ(test, 0, job_result(test, other));
	other = job_new(test, tv_job_remove, p, NULL, &u3);
	KUNIT_EXPECT_EQ(test, 0, job_result(test, other));
	other = job_new(test, tv_job_create, q, &q->type[0], &u4);
	KUNIT_EXPECT_EQ(test, 0, job_result(test, other));
	KUNIT_EXPECT_GE(test, atomic_read(&p->max_in_callback), 2);

	tv_gate_open(&p->probe_gate);
	KUNIT_EXPECT_EQ(test, 0, job_result(test, blocked));
	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &u1));
	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &u2));
	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &u4));
}

/*
 * M4, M5, M14, MR1: remove while the device is still being created answers
 * -EAGAIN at once and leaves the `remove` file in place; once the create
 * has finished (and only then: the vendor probe checks the device is not
 * yet active) the same file removes the device.
 */
static void mdev_test_remove_during_create(struct kunit *test)
{
	struct tv_parent *p = parent_up(test, "mdev-rdc", 4);
	struct tv_job *create, *remove;
	guid_t u;

	guid_gen(&u);
	tv_gate_arm(&p->probe_gate);
	create = job_new(test, tv_job_create, p, &p->type[0], &u);
	KUNIT_ASSERT_TRUE(test, tv_gate_wait_entered(&p->probe_gate));

	/* The device is in sysfs, with its `remove` file, but not ready. */
	KUNIT_EXPECT_TRUE(test, tv_exists(tv_dev_path(test, &u, "remove")));
	remove = job_new(test, tv_job_remove, p, NULL, &u);
	KUNIT_EXPECT_EQ(test, -EAGAIN, job_result(test, remove));
	KUNIT_EXPECT_EQ(test, -EAGAIN, tv_remove(test, &u));
	KUNIT_EXPECT_EQ(test, -EAGAIN, mdev_remove_uuid(&u));
	KUNIT_EXPECT_TRUE(test, tv_exists(tv_dev_path(test, &u, "remove")));

	tv_gate_open(&p->probe_gate);
	KUNIT_EXPECT_EQ(test, 0, job_result(test, create));
	KUNIT_EXPECT_EQ(test, atomic_read(&p->removes), 0);
	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &u));
	KUNIT_EXPECT_EQ(test, atomic_read(&p->removes), 1);
	KUNIT_EXPECT_FALSE(test, tv_exists(tv_dev_path(test, &u, "")));
}

/* M6: an unknown device is -ENODEV, also once it has been removed. */
static void mdev_test_remove_unknown(struct kunit *test)
{
	struct tv_parent *p = parent_up(test, "mdev-unknown", 4);
	guid_t u;

	guid_gen(&u);
	KUNIT_EXPECT_EQ(test, -ENODEV, mdev_remove_uuid(&u));
	/* Through sysfs there is no file to write to. */
	KUNIT_EXPECT_EQ(test, -ENOENT, tv_remove(test, &u));
	KUNIT_ASSERT_EQ(test, 0, tv_create(test, &p->type[0], &u));
	KUNIT_EXPECT_EQ(test, 0, mdev_remove_uuid(&u));
	KUNIT_EXPECT_EQ(test, -ENODEV, mdev_remove_uuid(&u));
	KUNIT_EXPECT_EQ(test, atomic_read(&p->removes), 1);
}

/*
 * M7, M20, M3, M6: a remove through the `remove` file is held inside the
 * vendor's remove callback (mdev_driver.remove), where a vendor whose
 * device is still open blocks.  The driver core runs that callback from
 * device_del(), after the device's attributes and its /sys/bus/mdev entry
 * are gone, so a second remove of the device can only come through
 * mdev_remove_uuid(), from another thread.  It gets -EAGAIN (the first
 * remove proceeds, the second is told to retry; never -ENODEV while the
 * first has not finished) and it gets it at once: the first remover is
 * blocked in the bus driver, not in a lock of the core (M20, second half),
 * so a create and a remove of another UUID on the same parent finish as
 * well (M3).  The device is removed exactly once; then a remove is
 * -ENODEV (M6).
 *
 * Neither M13 nor MR5: in 6.12 mdev_driver.remove returns void, so a
 * vendor remove cannot fail and there is no error to veto removal with.
 * M13 holds by the callback's type; MR5's failing remove cannot be staged.
 */
static void mdev_test_remove_while_vendor_removes(struct kunit *test)
{
	struct tv_parent *p = parent_up(test, "mdev-cr", 4);
	struct tv_gate *gate = &p->remove_gate;
	struct tv_job *first, *job;
	unsigned int i;
	guid_t u, v;

	guid_gen(&u);
	guid_gen(&v);
	KUNIT_ASSERT_EQ(test, 0, tv_create(test, &p->type[0], &u));
	tv_gate_arm(gate);
	first = job_new(test, tv_job_remove, p, NULL, &u);
	KUNIT_ASSERT_TRUE(test, tv_gate_wait_entered(gate));
	KUNIT_EXPECT_FALSE(test, tv_exists(tv_dev_path(test, &u, "remove")));

	for (i = 0; i < 2; i++) {
		job = job_new(test, job_remove_uuid, p, NULL, &u);
		KUNIT_EXPECT_EQ_MSG(test, -EAGAIN,
				    job_result_unheld(test, job, gate),
				    "second remove, try %u", i);
	}
	KUNIT_EXPECT_EQ(test, atomic_read(&p->removes), 1);

	job = job_new(test, tv_job_create, p, &p->type[1], &v);
	KUNIT_EXPECT_EQ(test, 0, job_result_unheld(test, job, gate));
	job = job_new(test, tv_job_remove, p, NULL, &v);
	KUNIT_EXPECT_EQ(test, 0, job_result_unheld(test, job, gate));

	tv_gate_open(gate);
	KUNIT_EXPECT_EQ(test, 0, job_result(test, first));
	KUNIT_EXPECT_EQ(test, -ENODEV, mdev_remove_uuid(&u));
	KUNIT_EXPECT_EQ(test, -ENOENT, tv_remove(test, &u));
	/* Once for u, once for v. */
	KUNIT_EXPECT_EQ(test, atomic_read(&p->removes), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->live), 0);
}

static int match_name(struct device *dev, const void *name)
{
	return !strcmp(dev_name(dev), name);
}

/*
 * M8, MR2: the UUID stays taken until the device's final release: during
 * its remove (already gone from the bus), and while anybody still holds
 * the device, a create of it is -EEXIST on any parent; after that it works.
 */
static void mdev_test_uuid_reserved_until_release(struct kunit *test)
{
	struct tv_parent *p = parent_up(test, "mdev-rsv1", 4);
	struct tv_parent *q = parent_up(test, "mdev-rsv2", 4);
	struct tv_job *remove;
	struct device *dev;
	char name[UUID_STRING_LEN + 1];
	guid_t u;

	guid_gen(&u);
	snprintf(name, sizeof(name), "%pUl", &u);
	KUNIT_ASSERT_EQ(test, 0, tv_create(test, &p->type[0], &u));
	tv_gate_arm(&p->remove_gate);
	remove = job_new(test, tv_job_remove, p, NULL, &u);
	KUNIT_ASSERT_TRUE(test, tv_gate_wait_entered(&p->remove_gate));
	KUNIT_EXPECT_FALSE(test, tv_exists(tv_dev_path(test, &u, "")));
	KUNIT_EXPECT_EQ(test, -EEXIST, tv_create(test, &p->type[0], &u));
	KUNIT_EXPECT_EQ(test, -EEXIST, tv_create(test, &q->type[1], &u));
	tv_gate_open(&p->remove_gate);
	KUNIT_EXPECT_EQ(test, 0, job_result(test, remove));

	/* Someone keeps a reference on the removed device. */
	KUNIT_ASSERT_EQ(test, 0, tv_create(test, &q->type[0], &u));
	dev = bus_find_device(&mdev_bus_type, NULL, name, match_name);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &u));
	KUNIT_EXPECT_EQ(test, -EEXIST, tv_create(test, &p->type[0], &u));
	KUNIT_EXPECT_EQ(test, -ENODEV, mdev_remove_uuid(&u));
	put_device(dev);
	KUNIT_EXPECT_EQ(test, 0, tv_create(test, &p->type[0], &u));
	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &u));
}

/* M9, M12: failed creates give back every instance and reference. */
static void mdev_test_failed_create_counts(struct kunit *test)
{
	struct tv_parent *p = parent_up(test, "mdev-fail", 1);
	struct counts base;
	guid_t u1, u2;

	guid_gen(&u1);
	guid_gen(&u2);
	snap(p, &base);
	KUNIT_EXPECT_EQ(test, base.avail, 1);

	WRITE_ONCE(p->probe_err, -EIO);
	KUNIT_EXPECT_EQ(test, -EIO, tv_create(test, &p->type[0], &u1));
	WRITE_ONCE(p->probe_err, 0);
	expect_counts(test, p, &base);
	KUNIT_EXPECT_FALSE(test, tv_exists(tv_dev_path(test, &u1, "")));

	KUNIT_ASSERT_EQ(test, 0, tv_create(test, &p->type[0], &u1));
	KUNIT_EXPECT_EQ(test, -EUSERS, tv_create(test, &p->type[1], &u2));
	KUNIT_EXPECT_EQ(test, atomic_read(&p->parent.available_instances), 0);
	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &u1));
	expect_counts(test, p, &base);
	KUNIT_EXPECT_EQ(test, 0, tv_create(test, &p->type[1], &u2));
	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &u2));
	expect_counts(test, p, &base);
}

/*
 * M9, M12: fail each fallible step of the create path in turn; every
 * failure leaves the counts at their baseline and nothing in sysfs.
 */
static void mdev_test_fault_injection(struct kunit *test)
{
	struct tv_parent *p = parent_up(test, "mdev-fault", 2);
	unsigned int n, failed = 0;
	struct counts base;
	guid_t u;
	int ret;

	snap(p, &base);
	for (n = 1; n < 32; n++) {
		guid_gen(&u);
		mdev_inject_fault(n);
		ret = tv_create(test, &p->type[0], &u);
		mdev_inject_fault(0);
		if (!ret)
			break;
		failed++;
		KUNIT_EXPECT_EQ_MSG(test, ret, -ENOMEM, "step %u", n);
		expect_counts(test, p, &base);
		KUNIT_EXPECT_FALSE_MSG(test,
				       tv_exists(tv_dev_path(test, &u, "")),
				       "step %u", n);
		/* A probed device was unbound again by the unwinding. */
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&p->probes),
				    atomic_read(&p->removes), "step %u", n);
	}
	/* reservation, name, machine, add, probe, two links */
	KUNIT_EXPECT_EQ(test, failed, 7);
	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &u));
	expect_counts(test, p, &base);
	kunit_info(test, "%u create steps failed in turn, none leaked\n",
		   failed);
}

static atomic_t foreign_probes;

static int foreign_probe(struct mdev_device *mdev)
{
	atomic_inc(&foreign_probes);
	return 0;
}

static struct mdev_driver foreign_driver = {
	.device_api = "vfio-pci",
	.probe = foreign_probe,
	.driver = {
		.name = "mdev_kunit_foreign",
		.owner = THIS_MODULE,
	},
};

/*
 * M11, MR6: the vendor's probe sees a device the core has completely set
 * up (checked in tv_probe), not yet announced and not yet removable, and
 * no other driver of the bus ever gets to probe it, however it tries.
 */
static void mdev_test_probe_sees_complete_device(struct kunit *test)
{
	struct tv_parent *p = parent_up(test, "mdev-probe", 4);
	char *bind = "/bus/mdev/drivers/mdev_kunit_foreign/bind";
	char name[UUID_STRING_LEN + 2];
	struct tv_job *create;
	guid_t u;

	guid_gen(&u);
	snprintf(name, sizeof(name), "%pUl\n", &u);
	atomic_set(&foreign_probes, 0);
	tv_gate_arm(&p->probe_gate);
	create = job_new(test, tv_job_create, p, &p->type[0], &u);
	KUNIT_ASSERT_TRUE(test, tv_gate_wait_entered(&p->probe_gate));
	KUNIT_ASSERT_EQ(test, 0, mdev_register_driver(&foreign_driver));
	KUNIT_EXPECT_EQ(test, 0, bus_rescan_devices(&mdev_bus_type));
	KUNIT_EXPECT_EQ(test, -ENODEV, tv_write(bind, name));
	tv_gate_open(&p->probe_gate);
	KUNIT_EXPECT_EQ(test, 0, job_result(test, create));
	KUNIT_EXPECT_EQ(test, -ENODEV, tv_write(bind, name));
	mdev_unregister_driver(&foreign_driver);
	KUNIT_EXPECT_EQ(test, atomic_read(&foreign_probes), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->probe_saw_bad), 0);
	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &u));
}

/*
 * What a listener saw of @tp and its mdevs since the last call, one line
 * per event: the action, "parent" or "mdev", and the variables a udev
 * rule matches on (an mdev's SUBSYSTEM and DRIVER, MDEV_*).  Events of other devices
 * are skipped; sequence numbers must rise.
 */
static unsigned int uev_collect(struct kunit *test, struct uev_listener *l,
				struct tv_parent *tp, char **lines,
				unsigned int max, u64 *last_seq)
{
	char *ppath = kobject_get_path(&tp->dev->kobj, GFP_KERNEL);
	struct uev *ev = kunit_kzalloc(test, sizeof(*ev), GFP_KERNEL);
	size_t plen;
	unsigned int n = 0;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, ppath);
	KUNIT_ASSERT_NOT_NULL(test, ev);
	plen = strlen(ppath);
	while ((ret = uev_next(l, ev)) > 0) {
		const char *who, *drv = uev_get(ev, "DRIVER");
		const char *mstate = uev_get(ev, "MDEV_STATE");

		if (strncmp(ev->devpath, ppath, plen) ||
		    (ev->devpath[plen] && ev->devpath[plen] != '/'))
			continue;
		KUNIT_EXPECT_GT(test, ev->seqnum, *last_seq);
		*last_seq = ev->seqnum;
		who = ev->devpath[plen] ? "mdev" : "parent";
		/* The parent's own binding is the test bus's business. */
		if (*who == 'p')
			drv = NULL;
		/* 6.12 sends no MDEV_* variable but the parent's state. */
		KUNIT_EXPECT_EQ_MSG(test, uev_count_prefix(ev, "MDEV_"),
				    mstate ? 1 : 0, "%s", uev_describe(test, ev));
		kunit_info(test, "uevent: %s\n", uev_describe(test, ev));
		if (n < max)
			lines[n] = tv_sprintf(test, "%s %s%s%s%s%s%s%s",
					      ev->action, who,
					      *who == 'm' ? " SUBSYSTEM=" : "",
					      *who == 'm' ? uev_get(ev, "SUBSYSTEM") : "",
					      drv ? " DRIVER=" : "", drv ?: "",
					      mstate ? " MDEV_STATE=" : "",
					      mstate ?: "");
		n++;
	}
	KUNIT_EXPECT_EQ_MSG(test, ret, 0, "reading the uevent socket");
	kfree(ppath);
	return n;
}

static void uev_expect(struct kunit *test, struct uev_listener *l,
		       struct tv_parent *tp, u64 *seq, const char *what,
		       const char * const *want, unsigned int nr_want)
{
	char *got[8] = {};
	unsigned int n, i;

	n = uev_collect(test, l, tp, got, ARRAY_SIZE(got), seq);
	KUNIT_EXPECT_EQ_MSG(test, n, nr_want, "%s: number of uevents", what);
	for (i = 0; i < min_t(unsigned int, n, ARRAY_SIZE(got)); i++)
		KUNIT_EXPECT_STREQ_MSG(test, got[i], i < nr_want ? want[i] : "",
				       "%s: uevent %u", what, i);
}

#define UEV_EXPECT(test, l, tp, seq, what, ...)				\
	do {								\
		static const char * const __want[] = { __VA_ARGS__ };	\
									\
		uev_expect(test, l, tp, seq, what, __want,		\
			   ARRAY_SIZE(__want));				\
	} while (0)

#define UEV_EXPECT_NONE(test, l, tp, seq, what)				\
	uev_expect(test, l, tp, seq, what, NULL, 0)

/*
 * M21, M11: the uevents of a parent and its mdevs, read from a
 * NETLINK_KOBJECT_UEVENT socket as udev reads them: the parent's change
 * with MDEV_STATE on register and unregister; add then bind on create;
 * unbind then remove on remove, by the `remove` file and by unregister;
 * nothing at all for a create that fails, whichever step fails.  The add
 * carries DRIVER= as well: the device is bound when it is announced
 * (6.12 sends add before binding; docs/mdev.rst lists the difference).
 */
static void mdev_test_uevents(struct kunit *test)
{
	struct tv_parent *tp = tv_parent_new(test, "mdev-uevent", 4);
	struct uev_listener *l = uev_listen(test);
	unsigned int n;
	guid_t u;
	u64 seq = 0;
	int ret;

	KUNIT_ASSERT_NOT_NULL(test, l);
	KUNIT_ASSERT_EQ(test, 0, tv_parent_register(tp));
	UEV_EXPECT(test, l, tp, &seq, "register",
		   "change parent MDEV_STATE=registered");

	guid_gen(&u);
	KUNIT_ASSERT_EQ(test, 0, tv_create(test, &tp->type[0], &u));
	UEV_EXPECT(test, l, tp, &seq, "create",
		   "add mdev SUBSYSTEM=mdev DRIVER=mdev_kunit_vendor",
		   "bind mdev SUBSYSTEM=mdev DRIVER=mdev_kunit_vendor");
	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &u));
	UEV_EXPECT(test, l, tp, &seq, "remove",
		   "unbind mdev SUBSYSTEM=mdev",
		   "remove mdev SUBSYSTEM=mdev");

	/* A half-built device is never announced, nor its unwinding. */
	WRITE_ONCE(tp->probe_err, -EIO);
	KUNIT_EXPECT_EQ(test, -EIO, tv_create(test, &tp->type[0], &u));
	WRITE_ONCE(tp->probe_err, 0);
	UEV_EXPECT_NONE(test, l, tp, &seq, "failed probe");
	for (n = 1; n < 32; n++) {
		mdev_inject_fault(n);
		ret = tv_create(test, &tp->type[1], &u);
		mdev_inject_fault(0);
		if (!ret)
			break;
		UEV_EXPECT_NONE(test, l, tp, &seq, "failed step");
	}
	/* Seven steps failed in turn (mdev_test_fault_injection names them). */
	KUNIT_EXPECT_EQ(test, n, 8);
	KUNIT_EXPECT_EQ(test, ret, 0);
	UEV_EXPECT(test, l, tp, &seq, "create after the faults",
		   "add mdev SUBSYSTEM=mdev DRIVER=mdev_kunit_vendor",
		   "bind mdev SUBSYSTEM=mdev DRIVER=mdev_kunit_vendor");

	/* Unregister removes the child the same way, then says so. */
	tv_parent_unregister(tp);
	UEV_EXPECT(test, l, tp, &seq, "unregister",
		   "unbind mdev SUBSYSTEM=mdev",
		   "remove mdev SUBSYSTEM=mdev",
		   "change parent MDEV_STATE=unregistered");
}

/* An unregister, and what it left running when it returned. */
struct unreg_watch {
	struct tv_job job;
	bool remove_gate_opened;	/* set just before the test opens it */
	bool returned_early;		/* it returned before that */
	int live_at_return;		/* vendor states left then */
};

static int job_unregister_watched(struct tv_job *job)
{
	struct unreg_watch *w = container_of(job, struct unreg_watch, job);

	tv_parent_unregister(job->tp);
	/* Pairs with the test's release just before it opens the gate. */
	w->returned_early = !smp_load_acquire(&w->remove_gate_opened);
	w->live_at_return = atomic_read(&job->tp->live);
	return 0;
}

/* Torn down; a reference the test holds keeps the memory. */
static bool mdev_is_gone(void *arg)
{
	struct mdev_instance *st = arg;

	return fsm_state(&st->fsm) == MDEV_GONE;
}

struct remove_poll {
	const guid_t *uuid;
	int ret;
};

/*
 * Remove a device that is gone, until its remover has let go of its
 * machine (until then the try event answers -EAGAIN).  Nothing can be
 * removed by this: a gone device has no way out of that state.
 */
static bool remove_answered(void *arg)
{
	struct remove_poll *r = arg;

	r->ret = mdev_remove_uuid(r->uuid);
	return r->ret != -EAGAIN;
}

/*
 * M16, MR7: unregister while a create is in its probe and a remove is in
 * its vendor remove: new creates fail with -ENODEV at once, active
 * children are removed through the remove path, unregister waits for the
 * two in flight, and nothing is left afterwards.
 *
 * What must happen (the active child's removal) is waited for, up to
 * WAIT_MS.  That unregister keeps waiting is checked where it would show:
 * it has not returned when the active child is gone, nor STILL_WAITING_MS
 * later, nor STILL_WAITING_MS after the create in flight failed; and when
 * it returns, the remove in flight had been let go and no vendor state
 * was left.
 */
static void mdev_test_unregister_in_flight(struct kunit *test)
{
	struct tv_parent *p = parent_up(test, "mdev-unreg", 8);
	struct remove_poll again = { .ret = 1 };
	struct tv_job *creating, *removing;
	guid_t active, pending, going, late;
	char name[UUID_STRING_LEN + 1];
	struct unreg_watch *unreg;
	struct mdev_instance *st;
	struct counts base;
	struct device *dev;
	char *types, *pdir;
	bool ok;

	pdir = kobject_get_path(&p->dev->kobj, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pdir);
	types = tv_sprintf(test, "%s/mdev_supported_types", pdir);
	kfree(pdir);
	snap(p, &base);
	guid_gen(&active);
	guid_gen(&pending);
	guid_gen(&going);
	guid_gen(&late);
	KUNIT_ASSERT_EQ(test, 0, tv_create(test, &p->type[0], &active));
	KUNIT_ASSERT_EQ(test, 0, tv_create(test, &p->type[1], &going));
	unreg = kunit_kzalloc(test, sizeof(*unreg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, unreg);
	/* Held, so that the active child's state outlives its removal. */
	snprintf(name, sizeof(name), "%pUl", &active);
	dev = bus_find_device(&mdev_bus_type, NULL, name, match_name);
	KUNIT_ASSERT_NOT_NULL(test, dev);
	st = to_mdev_instance(to_mdev_device(dev));
	again.uuid = &active;

	tv_gate_arm(&p->probe_gate);
	creating = job_new(test, tv_job_create, p, &p->type[0], &pending);
	KUNIT_ASSERT_TRUE(test, tv_gate_wait_entered(&p->probe_gate));
	tv_gate_arm(&p->remove_gate);
	removing = job_new(test, tv_job_remove, p, NULL, &going);
	KUNIT_ASSERT_TRUE(test, tv_gate_wait_entered(&p->remove_gate));

	/* No ASSERT from here on: a callback held at a gate blocks the exit. */
	job_start(test, &unreg->job, job_unregister_watched, p, NULL, NULL);

	/* The active child goes first; the parent refuses new ones. */
	ok = poll_until(mdev_is_gone, st);
	KUNIT_EXPECT_TRUE_MSG(test, ok,
			      "unregister has not removed the active child within %u ms",
			      WAIT_MS);
	KUNIT_EXPECT_FALSE_MSG(test, completion_done(&unreg->job.done),
			       "unregister returned with a create and a remove in flight");
	KUNIT_EXPECT_FALSE(test, tv_exists(tv_dev_path(test, &active, "")));
	KUNIT_EXPECT_EQ(test, -ENODEV, tv_create(test, &p->type[0], &late));
	if (ok)
		poll_until(remove_answered, &again);
	KUNIT_EXPECT_EQ(test, -ENODEV, again.ret);
	put_device(dev);
	KUNIT_EXPECT_EQ(test, -EAGAIN, mdev_remove_uuid(&pending));
	KUNIT_EXPECT_FALSE(test,
			   tv_job_done_within(&unreg->job, STILL_WAITING_MS));

	tv_gate_open(&p->probe_gate);
	KUNIT_EXPECT_EQ(test, -ENODEV, job_result(test, creating));
	/* Only the remove in flight holds unregister up now. */
	KUNIT_EXPECT_FALSE(test,
			   tv_job_done_within(&unreg->job, STILL_WAITING_MS));
	/* Pairs with the acquire in job_unregister_watched(). */
	smp_store_release(&unreg->remove_gate_opened, true);
	tv_gate_open(&p->remove_gate);
	KUNIT_EXPECT_EQ(test, 0, job_result(test, removing));
	KUNIT_EXPECT_EQ(test, 0, job_result(test, &unreg->job));
	KUNIT_EXPECT_FALSE_MSG(test, unreg->returned_early,
			       "unregister returned while a remove was held in the vendor's remove");
	KUNIT_EXPECT_EQ_MSG(test, unreg->live_at_return, 0,
			    "vendor states left when unregister returned");

	KUNIT_EXPECT_FALSE(test, tv_exists(types));
	base.parents--;
	expect_counts(test, p, &base);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->probes), 3);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->removes), 3);
}

/* One device is one parent at most; types can be registered again. */
static void mdev_test_parent_reregister(struct kunit *test)
{
	struct tv_parent *p = parent_up(test, "mdev-rereg", 4);
	struct mdev_parent other;
	unsigned int uuids, parents, parents0;
	guid_t u;

	mdev_core_stats(&uuids, &parents0);
	KUNIT_EXPECT_EQ(test, -EEXIST,
			mdev_register_parent(&other, p->dev, &tv_driver,
					     p->types, TV_NR_TYPES));
	tv_parent_unregister(p);
	mdev_core_stats(&uuids, &parents);
	KUNIT_EXPECT_EQ(test, parents, parents0 - 1);
	KUNIT_ASSERT_EQ(test, 0, tv_parent_register(p));
	guid_gen(&u);
	KUNIT_EXPECT_EQ(test, 0, tv_create(test, &p->type[1], &u));
	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &u));
}

/*
 * M16: once unregister has returned, the core never touches the vendor's
 * types again, even when a type directory's last reference is dropped
 * later (someone holding it, or CONFIG_DEBUG_KOBJECT_RELEASE): the
 * directory's kobject is the core's.  The vendor's types are poisoned
 * before that last put; KASAN or a refcount warning would catch a touch.
 */
static void mdev_test_type_outlives_vendor(struct kunit *test)
{
	struct tv_parent *p = parent_up(test, "mdev-typeref", 4);
	struct kobject *dir = kobject_get(mdev_type_kobj(&p->type[0]));

	tv_parent_unregister(p);
	memset(p->type, POISON_FREE, sizeof(p->type));
	kobject_put(dir);
}

/* State of mdev_test_register_half_failed(), for its mdev_type_add stub. */
struct half_reg {
	struct tv_parent *tp;
	guid_t uuid;
	int create_ret;
	unsigned int calls;
};

/* Adds the first type for real; on the second, creates on the first. */
static int half_reg_type_add(struct mdev_parent *parent, struct mdev_type *type)
{
	struct kunit *test = kunit_get_current_test();
	struct half_reg *h = test->priv;
	int ret;

	if (h->calls++ == 0) {
		kunit_deactivate_static_stub(test, mdev_type_add);
		ret = mdev_type_add(parent, type);
		kunit_activate_static_stub(test, mdev_type_add,
					   half_reg_type_add);
		return ret;
	}
	h->create_ret = tv_create(test, &h->tp->type[0], &h->uuid);
	return -ENOMEM;
}

/*
 * M9, M16: a registration that fails after its first type is in sysfs.
 * A create written to that type in between gets -ENODEV (the parent takes
 * no child before it is complete), so the unwinding has no child to
 * remove and leaves nothing behind: the device registers again.
 */
static void mdev_test_register_half_failed(struct kunit *test)
{
	struct tv_parent *p = tv_parent_new(test, "mdev-half", 4);
	struct half_reg h = { .tp = p };
	unsigned int uuids0, parents0, uuids, parents, bus0;

	mdev_core_stats(&uuids0, &parents0);
	bus0 = tv_bus_devices();
	guid_gen(&h.uuid);
	test->priv = &h;
	kunit_activate_static_stub(test, mdev_type_add, half_reg_type_add);
	KUNIT_EXPECT_EQ(test, -ENOMEM, tv_parent_register(p));
	kunit_deactivate_static_stub(test, mdev_type_add);

	KUNIT_EXPECT_EQ(test, h.calls, 2);
	KUNIT_EXPECT_EQ(test, h.create_ret, -ENODEV);
	KUNIT_EXPECT_EQ(test, atomic_read(&p->probes), 0);
	KUNIT_EXPECT_FALSE(test, tv_exists(tv_dev_path(test, &h.uuid, "")));
	mdev_core_stats(&uuids, &parents);
	KUNIT_EXPECT_EQ(test, uuids, uuids0);
	KUNIT_EXPECT_EQ(test, parents, parents0);
	KUNIT_EXPECT_EQ(test, tv_bus_devices(), bus0);

	KUNIT_ASSERT_EQ(test, 0, tv_parent_register(p));
	KUNIT_EXPECT_EQ(test, 0, tv_create(test, &p->type[0], &h.uuid));
	KUNIT_EXPECT_EQ(test, 0, tv_remove(test, &h.uuid));
}

/*
 * The lifecycle table as Graphviz, between markers: scripts/check.sh
 * compares it with docs/mdev-lifecycle.dot, so the picture in the
 * documentation is the table the code runs.
 */
static void mdev_test_lifecycle_graph(struct kunit *test)
{
	fsm_explore_print_dot(test, &mdev_fsm_table, "mdev-lifecycle-dot");
}

/*
 * The mdev lifecycle explored (fsm_explore.h): from a registered parent
 * with one instance, every sequence of up to 6 steps over creating and
 * removing two UUIDs through sysfs, failing the next probes or not, and
 * unregistering and registering the parent, each checked against a model
 * (M1-M4, M8, M12): the return code, which devices exist on the bus, the
 * vendor's live devices, the free instances and the UUIDs reserved.
 */
enum {
	MX_CREATE_A, MX_CREATE_B, MX_REMOVE_A, MX_REMOVE_B, MX_FAIL_ON,
	MX_FAIL_OFF, MX_UNPLUG, MX_REPLUG, MX_NR_STEPS,
};

static const char * const mx_step_names[] = {
	"create-a", "create-b", "remove-a", "remove-b", "probe-fails",
	"probe-works", "unregister", "register",
};

struct mx_model {
	u8 registered;
	u8 dev[2];		/* a, b exist */
	u8 fail;		/* probes fail */
};

struct mx_ctx {
	struct kunit *test;
	struct tv_parent *tp;
	guid_t uuid[2];
	unsigned int base_uuids;
};

static void mx_model_init(void *ctx, void *model)
{
	struct mx_model *m = model;

	memset(m, 0, sizeof(*m));
	m->registered = 1;
}

static void *mx_setup(void *ctx)
{
	struct mx_ctx *c = ctx;

	if (!c->tp->registered && tv_parent_register(c->tp))
		return NULL;
	WRITE_ONCE(c->tp->probe_err, 0);
	return c;
}

static bool mx_exists(const guid_t *u)
{
	char name[UUID_STRING_LEN + 1];
	struct device *dev;

	snprintf(name, sizeof(name), "%pUl", u);
	dev = bus_find_device_by_name(&mdev_bus_type, NULL, name);
	put_device(dev);
	return dev;
}

static int mx_step(void *ctx, void *sys, void *model, unsigned int step,
		   const char **why)
{
	struct mx_ctx *c = ctx;
	struct mx_model *m = model;
	struct tv_parent *tp = c->tp;
	unsigned int i, n, uuids, parents;
	int want = 0, ret = 0;

	switch (step) {
	case MX_CREATE_A:
	case MX_CREATE_B:
		i = step - MX_CREATE_A;
		if (!m->registered)
			return 0;	/* no create file to write */
		if (m->dev[i])
			want = -EEXIST;
		else if (m->dev[!i])
			want = -EUSERS;
		else if (m->fail)
			want = -EIO;
		else
			m->dev[i] = 1;
		ret = tv_create(c->test, &tp->type[0], &c->uuid[i]);
		break;
	case MX_REMOVE_A:
	case MX_REMOVE_B:
		i = step - MX_REMOVE_A;
		if (!m->dev[i])
			want = -ENOENT;	/* no remove file */
		m->dev[i] = 0;
		ret = tv_remove(c->test, &c->uuid[i]);
		break;
	case MX_FAIL_ON:
	case MX_FAIL_OFF:
		m->fail = step == MX_FAIL_ON;
		WRITE_ONCE(tp->probe_err, m->fail ? -EIO : 0);
		break;
	case MX_UNPLUG:
		if (!m->registered)
			return 0;
		m->registered = 0;
		m->dev[0] = 0;
		m->dev[1] = 0;
		tv_parent_unregister(tp);
		break;
	default:
		if (m->registered)
			return 0;
		m->registered = 1;
		ret = tv_parent_register(tp);
		break;
	}
	if (ret != want) {
		*why = "return code";
		return -EINVAL;
	}
	for (i = 0, n = 0; i < 2; i++) {
		n += m->dev[i];
		if (mx_exists(&c->uuid[i]) != m->dev[i]) {
			*why = "a device that should not be, or is missing";
			return -EINVAL;
		}
	}
	mdev_core_stats(&uuids, &parents);
	if (atomic_read(&tp->live) != n || uuids != c->base_uuids + n ||
	    (m->registered &&
	     atomic_read(&tp->parent.available_instances) != 1 - n)) {
		*why = "vendor devices, reserved UUIDs or instances";
		return -EINVAL;
	}
	return 0;
}

static int mx_teardown(void *ctx, void *sys, const char **why)
{
	struct mx_ctx *c = ctx;
	unsigned int i;

	WRITE_ONCE(c->tp->probe_err, 0);
	for (i = 0; i < 2; i++)
		if (mx_exists(&c->uuid[i]) && tv_remove(c->test, &c->uuid[i])) {
			*why = "teardown: remove failed";
			return -EINVAL;
		}
	return 0;
}

static const struct fsm_explore_ops mx_ops = {
	.nr_steps = MX_NR_STEPS,
	.step_names = mx_step_names,
	.model_size = sizeof(struct mx_model),
	.model_init = mx_model_init,
	.setup = mx_setup,
	.step = mx_step,
	.teardown = mx_teardown,
};

static void mdev_test_explore(struct kunit *test)
{
	struct fsm_explore_result res;
	struct mx_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	unsigned int parents;

	KUNIT_ASSERT_NOT_NULL(test, c);
	c->test = test;
	c->tp = parent_up(test, "mdev-explore", 1);
	guid_gen(&c->uuid[0]);
	guid_gen(&c->uuid[1]);
	mdev_core_stats(&c->base_uuids, &parents);
	KUNIT_EXPECT_EQ(test, 0, fsm_explore(test, &mx_ops, c, 6, &res));
	fsm_explore_report(test, &res);
}

static struct kunit_case mdev_test_cases[] = {
	KUNIT_CASE(mdev_test_sysfs_layout),
	KUNIT_CASE(mdev_test_uuid_parse),
	KUNIT_CASE(mdev_test_global_namespace),
	KUNIT_CASE(mdev_test_one_uuid_two_parents),
	KUNIT_CASE(mdev_test_no_serialization),
	KUNIT_CASE(mdev_test_remove_during_create),
	KUNIT_CASE(mdev_test_remove_unknown),
	KUNIT_CASE(mdev_test_remove_while_vendor_removes),
	KUNIT_CASE(mdev_test_uuid_reserved_until_release),
	KUNIT_CASE(mdev_test_failed_create_counts),
	KUNIT_CASE(mdev_test_fault_injection),
	KUNIT_CASE(mdev_test_probe_sees_complete_device),
	KUNIT_CASE(mdev_test_uevents),
	KUNIT_CASE(mdev_test_unregister_in_flight),
	KUNIT_CASE(mdev_test_parent_reregister),
	KUNIT_CASE(mdev_test_register_half_failed),
	KUNIT_CASE(mdev_test_type_outlives_vendor),
	KUNIT_CASE(mdev_test_lifecycle_graph),
	KUNIT_CASE_SLOW(mdev_test_explore),
	{}
};

static struct kunit_suite mdev_test_suite = {
	.name = "mdev",
	.suite_init = tv_suite_init,
	.suite_exit = tv_suite_exit,
	.test_cases = mdev_test_cases,
};

kunit_test_suite(mdev_test_suite);
