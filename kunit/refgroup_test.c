// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of lib/refgroup: every path of find-or-create (new, found,
 * found under the lock after losing a race, each failure), fault injection
 * of every fallible step, ids reused only after release, the cdev open and
 * release helpers against dying objects and against one being published
 * (an open or a lookup forced between its cdev's add and its first user),
 * re-create after the last put, key reference counts, callbacks and
 * notifiers outside the registry lock, a kthread race for one key, and
 * teardown checks.  The keyed objects underneath have their own suite
 * (refkey_test.c).  Requirement ids (../shared/requirements.md) are named
 * per test.
 *
 * Files are opened by calling the cdev's file operations with a zeroed
 * inode and file, doing around them what chrdev_open() and __fput() do:
 * take a reference on the cdev kobject (which holds the object's device)
 * before ->open, drop it after ->release.  A real open needs a device node
 * on a mounted filesystem, which a KUnit kernel does not reliably have,
 * and a kthread's last fput() is deferred to a work item; calling the
 * operations directly makes the order of the steps exact, and that order
 * is what these tests are about.  The tests read a few private fields
 * (the cdev, the user count, the registry lock) for the same reason.
 */

#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/cdev.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kobject.h>
#include <linux/kthread.h>
#include <linux/lockdep.h>
#include <linux/notifier.h>
#include <linux/rcupdate.h>
#include <linux/refgroup.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "expect_report.h"

#define NR_KEYS		8
#define NO_KEY		U32_MAX
#define NR_RACERS	4
#define TCOOKIE		0x7e57c0deUL
/* How long what must happen is waited for before it counts as missing. */
#define WAIT_MS		10000

/*
 * Fallible steps of a create with every callback set: allocation, id,
 * device name, key reference, publish, hash table insertion, device add.
 */
#define CREATE_STEPS	7

/* Notifier events, by when the test fires them. */
enum { EV_EARLY, EV_LIVE, EV_LATE, NR_EV };

/* UUID-sized; @n indexes the per-key counters. */
struct tkey {
	u32 n;
	u8 tag[12];
};

/* A file as the VFS would hold it. */
struct tfile {
	struct inode inode;
	struct file file;
	struct cdev *pinned;
};

struct window_open;

struct tctx {
	struct refgroup_registry reg;
	struct kunit *test;
	struct device *parent;
	bool live;			/* registry set up, not destroyed */
	bool single;			/* only the test thread uses it */

	/* what the callbacks did */
	atomic_t key_refs[NR_KEYS];
	atomic_t allocs, frees, publishes, unpublishes;
	atomic_t bad_frees;		/* freed with a bad cookie or notifier */
	atomic_t ignored[NR_EV], handled[NR_EV];

	/* what they are told to do */
	int alloc_err, key_get_err, publish_err;
	u32 nest_key;			/* publish of it first creates it */
	struct refgroup_obj *nested;	/* what that nested create got */
	struct tfile *open_in_publish;	/* try to open the candidate */
	int open_in_publish_ret;
	bool notify;			/* a notifier per object */
	unsigned int barrier;		/* GR1: creators to wait for */
	atomic_t in_alloc;
	wait_queue_head_t wq;
	struct blocking_notifier_head chain;
	struct window_open *window;	/* GR3: open in the publish window */
};

struct tgroup {
	unsigned long cookie;		/* keeps @obj off offset 0 */
	struct refgroup_obj obj;
	struct tctx *ctx;
	struct tkey key;
	struct notifier_block nb;
	bool nb_registered;
};

static struct tctx *to_tctx(struct refgroup_registry *reg)
{
	return container_of(reg, struct tctx, reg);
}

static struct tgroup *to_tgroup(struct refgroup_obj *obj)
{
	return container_of(obj, struct tgroup, obj);
}

static u32 key_n(const void *key)
{
	struct tkey k;

	memcpy(&k, key, sizeof(k));
	return k.n;
}

/* Pin the cdev as chrdev_open() does, before ->open. */
static void tfile_pin(struct tfile *f, struct refgroup_obj *obj)
{
	memset(f, 0, sizeof(*f));
	f->inode.i_cdev = &obj->cdev;
	f->pinned = &obj->cdev;
	kobject_get(&f->pinned->kobj);
}

/* Drop the pin as __fput() does after ->release: may free the object. */
static void tfile_unpin(struct tfile *f)
{
	kobject_put(&f->pinned->kobj);
	f->pinned = NULL;
}

static int tfile_open(struct tfile *f)
{
	return f->pinned->ops->open(&f->inode, &f->file);
}

static void tfile_release(struct tfile *f)
{
	f->pinned->ops->release(&f->inode, &f->file);
}

/* A whole open: on failure the VFS drops the pin at once. */
static int tfile_open_pinned(struct tfile *f, struct refgroup_obj *obj)
{
	int ret;

	tfile_pin(f, obj);
	ret = tfile_open(f);
	if (ret)
		tfile_unpin(f);
	return ret;
}

/* G8: no callback runs under the registry lock. */
static void expect_unlocked(struct tctx *ctx)
{
	lockdep_assert_not_held(&ctx->reg.keys.lock);
	/* Others may hold it legitimately when threads race. */
	if (ctx->single)
		KUNIT_EXPECT_FALSE(ctx->test, mutex_is_locked(&ctx->reg.keys.lock));
}

static int t_notify(struct notifier_block *nb, unsigned long ev, void *data)
{
	struct tgroup *g = container_of(nb, struct tgroup, nb);
	struct tctx *ctx = g->ctx;
	struct refgroup_obj *found;

	if (ev >= NR_EV)
		return NOTIFY_DONE;
	/* GR5: not published yet, or its count already reached zero. */
	if (!refgroup_tryget(&g->obj)) {
		atomic_inc(&ctx->ignored[ev]);
		return NOTIFY_DONE;
	}
	/*
	 * The registry lock inside the chain's rwsem.  Were publish or
	 * unpublish (which take the rwsem to register and unregister) run
	 * under the registry lock, lockdep would report the inversion (G8).
	 */
	found = refgroup_find(&ctx->reg, &g->key);
	KUNIT_EXPECT_PTR_EQ(ctx->test, found, &g->obj);
	if (found)
		refgroup_put(found);
	/* Never the last reference: whoever fires holds one. */
	refgroup_put(&g->obj);
	atomic_inc(&ctx->handled[ev]);
	return NOTIFY_OK;
}

static struct refgroup_obj *t_alloc(struct refgroup_registry *reg,
				    const void *key, void *arg)
{
	struct tctx *ctx = to_tctx(reg);
	struct tgroup *g;

	expect_unlocked(ctx);
	if (ctx->barrier) {
		/* GR1: every racer builds a candidate before any inserts. */
		atomic_inc(&ctx->in_alloc);
		wake_up_all(&ctx->wq);
		wait_event_timeout(ctx->wq,
				   atomic_read(&ctx->in_alloc) >= ctx->barrier,
				   10 * HZ);
	}
	if (ctx->alloc_err == -ENOMEM)
		return NULL;
	if (ctx->alloc_err)
		return ERR_PTR(ctx->alloc_err);
	g = kzalloc(sizeof(*g), GFP_KERNEL);
	if (!g)
		return NULL;
	g->cookie = TCOOKIE;
	g->ctx = ctx;
	memcpy(&g->key, key, sizeof(g->key));
	atomic_inc(&ctx->allocs);
	return &g->obj;
}

/*
 * From an RCU callback: softirq context, which may interrupt the test
 * thread anywhere (even holding the registry lock), so it only counts;
 * expect_baseline() checks the counts.
 */
static void t_free(struct refgroup_registry *reg, struct refgroup_obj *obj)
{
	struct tctx *ctx = to_tctx(reg);
	struct tgroup *g = to_tgroup(obj);

	/* The notifier went before the memory: it cannot fire into it. */
	if (g->cookie != TCOOKIE || g->nb_registered)
		atomic_inc(&ctx->bad_frees);
	atomic_inc(&ctx->frees);
	kfree(g);
}

static int t_key_get(struct refgroup_registry *reg, const void *key)
{
	struct tctx *ctx = to_tctx(reg);
	u32 n = key_n(key);

	expect_unlocked(ctx);
	if (ctx->key_get_err)
		return ctx->key_get_err;
	if (n >= NR_KEYS) {
		KUNIT_FAIL(ctx->test, "key %u out of range", n);
		return -EINVAL;
	}
	atomic_inc(&ctx->key_refs[n]);
	return 0;
}

static void t_key_put(struct refgroup_registry *reg, const void *key)
{
	struct tctx *ctx = to_tctx(reg);

	expect_unlocked(ctx);
	KUNIT_EXPECT_GE(ctx->test, atomic_dec_return(&ctx->key_refs[key_n(key)]),
			0);
}

static int t_publish(struct refgroup_registry *reg, struct refgroup_obj *obj)
{
	struct tctx *ctx = to_tctx(reg);
	struct tgroup *g = to_tgroup(obj);
	struct tfile *f = ctx->open_in_publish;

	expect_unlocked(ctx);
	/* Not visible yet: no users to join. */
	KUNIT_EXPECT_FALSE(ctx->test, refgroup_tryget(obj));
	if (ctx->publish_err)
		return ctx->publish_err;
	if (f) {
		ctx->open_in_publish = NULL;
		tfile_pin(f, obj);
		ctx->open_in_publish_ret = tfile_open(f);
		tfile_unpin(f);
	}
	if (ctx->nest_key == g->key.n) {
		ctx->nest_key = NO_KEY;
		/* Another creator of the key, slipping in before our insert. */
		ctx->nested = refgroup_find_or_create(reg, &g->key, NULL);
	}
	if (ctx->notify) {
		g->nb.notifier_call = t_notify;
		KUNIT_EXPECT_EQ(ctx->test,
				blocking_notifier_chain_register(&ctx->chain, &g->nb),
				0);
		g->nb_registered = true;
		/* GR5: between registration and publication. */
		blocking_notifier_call_chain(&ctx->chain, EV_EARLY, NULL);
	}
	atomic_inc(&ctx->publishes);
	return 0;
}

static void t_unpublish(struct refgroup_registry *reg, struct refgroup_obj *obj)
{
	struct tctx *ctx = to_tctx(reg);
	struct tgroup *g = to_tgroup(obj);

	expect_unlocked(ctx);
	/* Unreachable, and its count is zero for good. */
	KUNIT_EXPECT_FALSE(ctx->test, refgroup_tryget(obj));
	if (g->nb_registered) {
		/* GR5: after the count reached zero. */
		blocking_notifier_call_chain(&ctx->chain, EV_LATE, NULL);
		blocking_notifier_chain_unregister(&ctx->chain, &g->nb);
		g->nb_registered = false;
	}
	atomic_inc(&ctx->unpublishes);
}

static const struct refgroup_ops t_ops = {
	.alloc = t_alloc,
	.free = t_free,
	.get_key = t_key_get,
	.put_key = t_key_put,
	.publish = t_publish,
	.unpublish = t_unpublish,
};

static const struct file_operations t_fops = {
	.owner = THIS_MODULE,
	.open = refgroup_open,
	.release = refgroup_release,
};

/* A registry for this test case; refgroup_test_exit() checks and ends it. */
static struct tctx *tctx_new(struct kunit *test, unsigned int flags,
			     unsigned int max_ids)
{
	struct tctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	struct refgroup_params p = {
		.name = "refgroup_test",
		.key_len = sizeof(struct tkey),
		.max_ids = max_ids,
		.flags = flags,
		.ops = &t_ops,
		.fops = &t_fops,
	};

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->test = test;
	ctx->single = true;
	ctx->nest_key = NO_KEY;
	init_waitqueue_head(&ctx->wq);
	BLOCKING_INIT_NOTIFIER_HEAD(&ctx->chain);
	ctx->parent = kunit_device_register(test, "refgroup_test_parent");
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->parent);
	p.parent = ctx->parent;
	KUNIT_ASSERT_EQ(test, refgroup_registry_init(&ctx->reg, &p), 0);
	ctx->live = true;
	test->priv = ctx;
	return ctx;
}

static struct refgroup_obj *tget(struct tctx *ctx, u32 n)
{
	struct tkey k = { .n = n };

	return refgroup_find_or_create(&ctx->reg, &k, NULL);
}

static struct refgroup_obj *tfind(struct tctx *ctx, u32 n)
{
	struct tkey k = { .n = n };

	return refgroup_find(&ctx->reg, &k);
}

static struct refgroup_stats tstats(struct tctx *ctx)
{
	struct refgroup_stats st;

	refgroup_registry_stats(&ctx->reg, &st);
	return st;
}

/* Let the frees waiting for a grace period run. */
static void tsettle(void)
{
	rcu_barrier();
}

/* G3, G6: nothing built, held or counted is left. */
static void expect_baseline(struct tctx *ctx, const char *what)
{
	struct kunit *test = ctx->test;
	struct refgroup_stats st;
	unsigned int i;

	tsettle();
	st = tstats(ctx);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&ctx->bad_frees), 0, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, st.objects, 0, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, st.published, 0, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, st.ids, 0, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, st.keys, 0, "%s", what);
	for (i = 0; i < NR_KEYS; i++)
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&ctx->key_refs[i]), 0,
				    "%s: key %u", what, i);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&ctx->allocs),
			    atomic_read(&ctx->frees), "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&ctx->publishes),
			    atomic_read(&ctx->unpublishes), "%s", what);
}

static void refgroup_test_exit(struct kunit *test)
{
	struct tctx *ctx = test->priv;

	if (!ctx || !ctx->live)
		return;
	expect_baseline(ctx, "at exit");
	/* A failed case may leave objects: leak the registry, not warn. */
	if (!tstats(ctx).objects)
		KUNIT_EXPECT_EQ(test, refgroup_registry_destroy(&ctx->reg), 0);
}

/* Bad input: malformed parameters are refused; good ones work. */
static void refgroup_test_bad_params(struct kunit *test)
{
	static const struct refgroup_ops alloc_only = { .alloc = t_alloc };
	static const struct refgroup_ops key_get_only = { .get_key = t_key_get };
	const struct refgroup_params good = {
		.name = "refgroup_test_params",
		.key_len = 4,
		.fops = &t_fops,
	};
	struct refgroup_registry *reg;
	struct refgroup_params p;
	unsigned int i;

	reg = kunit_kzalloc(test, sizeof(*reg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, reg);
	for (i = 0; i < 8; i++) {
		p = good;
		switch (i) {
		case 0:
			p.name = NULL;
			break;
		case 1:
			p.key_len = 0;
			break;
		case 2:
			p.key_len = REFGROUP_KEY_MAX + 1;
			break;
		case 3:
			p.fops = NULL;		/* a cdev without fops */
			break;
		case 4:
			p.max_ids = REFGROUP_MAX_IDS + 1;
			break;
		case 5:
			p.flags = BIT(7);
			break;
		case 6:
			p.ops = &alloc_only;
			break;
		default:
			p.ops = &key_get_only;
			break;
		}
		KUNIT_EXPECT_EQ_MSG(test, refgroup_registry_init(reg, &p),
				    -EINVAL, "case %u", i);
	}

	p = good;
	p.fops = NULL;
	p.flags = REFGROUP_NO_CDEV;
	KUNIT_ASSERT_EQ(test, refgroup_registry_init(reg, &p), 0);
	KUNIT_EXPECT_EQ(test, refgroup_registry_destroy(reg), 0);
	KUNIT_ASSERT_EQ(test, refgroup_registry_init(reg, &good), 0);
	KUNIT_EXPECT_EQ(test, refgroup_registry_destroy(reg), 0);
}

/* G1, G3: without callbacks the library allocates bare objects. */
static void refgroup_test_no_ops(struct kunit *test)
{
	const struct refgroup_params p = {
		.name = "refgroup_test_keyed",
		.key_len = sizeof(u32),
		.flags = REFGROUP_NO_CDEV,
	};
	struct refgroup_registry *reg;
	struct refgroup_obj *a, *b;
	struct refgroup_stats st;
	u32 key = 7;

	reg = kunit_kzalloc(test, sizeof(*reg), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, reg);
	KUNIT_ASSERT_EQ(test, refgroup_registry_init(reg, &p), 0);

	a = refgroup_find_or_create(reg, &key, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	KUNIT_EXPECT_EQ(test, *(const u32 *)refgroup_key(a), 7);
	KUNIT_EXPECT_EQ(test, a->dev.devt, 0);
	KUNIT_EXPECT_TRUE(test, device_is_registered(&a->dev));
	KUNIT_EXPECT_STREQ(test, dev_name(&a->dev), "refgroup_test_keyed0");
	b = refgroup_find(reg, &key);
	KUNIT_EXPECT_PTR_EQ(test, b, a);
	refgroup_registry_stats(reg, &st);
	KUNIT_EXPECT_EQ(test, st.objects, 1);
	KUNIT_EXPECT_EQ(test, st.keys, 0);
	if (b)
		refgroup_put(b);
	refgroup_put(a);

	tsettle();
	refgroup_registry_stats(reg, &st);
	KUNIT_EXPECT_EQ(test, st.objects, 0);
	KUNIT_EXPECT_EQ(test, st.ids, 0);
	KUNIT_EXPECT_NULL(test, refgroup_find(reg, &key));
	KUNIT_EXPECT_EQ(test, refgroup_registry_destroy(reg), 0);
}

/* G1, G3, G7: a new object, its device and cdev, and keys by all bytes. */
static void refgroup_test_create(struct kunit *test)
{
	struct tctx *ctx = tctx_new(test, 0, 0);
	struct refgroup_obj *obj, *objs[NR_KEYS], *other, *found;
	struct tkey k = { .n = 0 };
	struct refgroup_stats st;
	unsigned int i;

	KUNIT_EXPECT_NULL(test, tfind(ctx, 0));
	obj = tget(ctx, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, obj);

	/* One allocation, reached with container_of() only. */
	KUNIT_EXPECT_EQ(test, to_tgroup(obj)->cookie, TCOOKIE);
	KUNIT_EXPECT_PTR_EQ(test, refgroup_from_dev(&obj->dev), obj);
	KUNIT_EXPECT_EQ(test, memcmp(refgroup_key(obj), &k, sizeof(k)), 0);
	KUNIT_EXPECT_EQ(test, refgroup_id(obj), 0);
	KUNIT_EXPECT_STREQ(test, dev_name(&obj->dev), "refgroup_test0");
	KUNIT_EXPECT_EQ(test, MAJOR(obj->dev.devt), MAJOR(ctx->reg.devt));
	KUNIT_EXPECT_EQ(test, MINOR(obj->dev.devt), 0);
	KUNIT_EXPECT_TRUE(test, device_is_registered(&obj->dev));
	KUNIT_EXPECT_PTR_EQ(test, obj->dev.parent, ctx->parent);
	KUNIT_EXPECT_EQ(test, refcount_read(&obj->ref.users), 1);

	st = tstats(ctx);
	KUNIT_EXPECT_EQ(test, st.objects, 1);
	KUNIT_EXPECT_EQ(test, st.published, 1);
	KUNIT_EXPECT_EQ(test, st.ids, 1);
	KUNIT_EXPECT_EQ(test, st.keys, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->key_refs[0]), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->publishes), 1);

	/* Every key its own object; the last byte of the key counts too. */
	objs[0] = obj;
	for (i = 1; i < NR_KEYS; i++) {
		objs[i] = tget(ctx, i);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, objs[i]);
	}
	k.tag[sizeof(k.tag) - 1] = 1;
	other = refgroup_find_or_create(&ctx->reg, &k, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, other);
	KUNIT_EXPECT_PTR_NE(test, other, obj);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->key_refs[0]), 2);
	KUNIT_EXPECT_EQ(test, tstats(ctx).published, NR_KEYS + 1);
	for (i = 0; i < NR_KEYS; i++) {
		found = tfind(ctx, i);
		KUNIT_EXPECT_PTR_EQ(test, found, objs[i]);
		if (found)
			refgroup_put(found);
	}
	found = refgroup_find(&ctx->reg, &k);
	KUNIT_EXPECT_PTR_EQ(test, found, other);
	if (found)
		refgroup_put(found);

	refgroup_put(other);
	for (i = 0; i < NR_KEYS; i++)
		refgroup_put(objs[i]);
	tsettle();
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->frees), NR_KEYS + 1);
	expect_baseline(ctx, "after the puts");
}

/* G2, G6: a create that finds its key builds nothing and takes no key. */
static void refgroup_test_found(struct kunit *test)
{
	struct tctx *ctx = tctx_new(test, 0, 0);
	struct refgroup_obj *a, *b;

	a = tget(ctx, 3);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	b = tget(ctx, 3);
	KUNIT_EXPECT_PTR_EQ(test, b, a);
	KUNIT_EXPECT_EQ(test, refcount_read(&a->ref.users), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->allocs), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->key_refs[3]), 1);
	if (!IS_ERR(b))
		refgroup_put(b);
	KUNIT_EXPECT_TRUE(test, device_is_registered(&a->dev));
	refgroup_put(a);
	expect_baseline(ctx, "after the puts");
}

/*
 * G2, G6, GR1 in a fixed order: another creator inserts the key between
 * our lookup and our insert (from our publish callback, which runs outside
 * the lock).  Both get the winner; the loser gives back its id, key
 * reference and memory.
 */
static void refgroup_test_lost_race(struct kunit *test)
{
	struct tctx *ctx = tctx_new(test, 0, 0);
	struct refgroup_obj *obj, *other;
	struct refgroup_stats st;

	ctx->nest_key = 1;
	obj = tget(ctx, 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, obj);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->nested);
	KUNIT_EXPECT_PTR_EQ(test, obj, ctx->nested);
	KUNIT_EXPECT_EQ(test, refcount_read(&obj->ref.users), 2);

	tsettle();
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->allocs), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->frees), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->publishes), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->unpublishes), 1);
	/* The loser took id 0 first; the winner has 1. */
	KUNIT_EXPECT_EQ(test, refgroup_id(obj), 1);
	st = tstats(ctx);
	KUNIT_EXPECT_EQ(test, st.objects, 1);
	KUNIT_EXPECT_EQ(test, st.published, 1);
	KUNIT_EXPECT_EQ(test, st.ids, 1);
	KUNIT_EXPECT_EQ(test, st.keys, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->key_refs[1]), 1);

	/* The loser's id came back with its release. */
	other = tget(ctx, 2);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, other);
	KUNIT_EXPECT_EQ(test, refgroup_id(other), 0);
	refgroup_put(other);

	refgroup_put(obj);
	refgroup_put(ctx->nested);
	expect_baseline(ctx, "after the puts");
}

/* G3, G6: each failing callback fails the create and leaves nothing. */
static void refgroup_test_create_errors(struct kunit *test)
{
	struct tctx *ctx = tctx_new(test, 0, 0);
	struct refgroup_obj *obj;

	ctx->alloc_err = -ENOMEM;
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(tget(ctx, 0)), -ENOMEM);
	expect_baseline(ctx, "alloc returns NULL");
	ctx->alloc_err = -E2BIG;
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(tget(ctx, 0)), -E2BIG);
	expect_baseline(ctx, "alloc returns an error");
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->allocs), 0);
	ctx->alloc_err = 0;

	ctx->key_get_err = -ENOENT;
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(tget(ctx, 0)), -ENOENT);
	expect_baseline(ctx, "get_key fails");
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->frees), 1);
	ctx->key_get_err = 0;

	ctx->publish_err = -EIO;
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(tget(ctx, 0)), -EIO);
	/* No unpublish for a publish that failed. */
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->unpublishes), 0);
	expect_baseline(ctx, "publish fails");
	ctx->publish_err = 0;

	/* The key is free to be created after all that. */
	obj = tget(ctx, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, obj);
	KUNIT_EXPECT_EQ(test, refgroup_id(obj), 0);
	refgroup_put(obj);
	expect_baseline(ctx, "after the put");
}

/* G3: ids run out with -ENOSPC, and come back with a release. */
static void refgroup_test_ids_exhausted(struct kunit *test)
{
	struct tctx *ctx = tctx_new(test, 0, 2);
	struct refgroup_obj *a, *b, *c;

	a = tget(ctx, 0);
	b = tget(ctx, 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(tget(ctx, 2)), -ENOSPC);
	tsettle();
	KUNIT_EXPECT_EQ(test, tstats(ctx).objects, 2);
	KUNIT_EXPECT_EQ(test, tstats(ctx).ids, 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->key_refs[2]), 0);

	refgroup_put(a);
	c = tget(ctx, 2);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	KUNIT_EXPECT_EQ(test, refgroup_id(c), 0);
	refgroup_put(b);
	refgroup_put(c);
	expect_baseline(ctx, "after the puts");
}

/* G3, G6: fail each fallible step of a create in turn. */
static void fault_each_step(struct kunit *test, unsigned int flags)
{
	struct tkey k = { .n = 2 };
	struct refgroup_obj *obj = NULL;
	struct tctx *ctx;
	unsigned int n;
	char what[16];

	if (!IS_ENABLED(CONFIG_REFGROUP_FAULT_INJECT))
		kunit_skip(test, "needs CONFIG_REFGROUP_FAULT_INJECT");
	ctx = tctx_new(test, flags, 0);
	/* Error paths after publish must unregister what it registered. */
	ctx->notify = true;
	for (n = 1; n <= CREATE_STEPS + 1; n++) {
		refgroup_inject_fault(&ctx->reg, n);
		obj = refgroup_find_or_create(&ctx->reg, &k, NULL);
		refgroup_inject_fault(&ctx->reg, 0);
		if (!IS_ERR(obj))
			break;
		snprintf(what, sizeof(what), "step %u", n);
		KUNIT_EXPECT_EQ_MSG(test, PTR_ERR(obj), -ENOMEM, "%s", what);
		KUNIT_EXPECT_NULL_MSG(test, tfind(ctx, 2), "%s", what);
		expect_baseline(ctx, what);
	}
	/* Every step failed once; with none failing the create works. */
	KUNIT_EXPECT_EQ(test, n, CREATE_STEPS + 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, obj);
	KUNIT_EXPECT_TRUE(test, device_is_registered(&obj->dev));
	KUNIT_EXPECT_EQ(test, refgroup_id(obj), 0);
	refgroup_put(obj);
	expect_baseline(ctx, "after the put");
}

static void refgroup_test_fault_injection(struct kunit *test)
{
	fault_each_step(test, 0);
}

static void refgroup_test_fault_injection_no_cdev(struct kunit *test)
{
	fault_each_step(test, REFGROUP_NO_CDEV);
}

/* G3, GR4: an unpublished object keeps its id until its release. */
static void refgroup_test_ids_reused_after_release(struct kunit *test)
{
	struct tctx *ctx = tctx_new(test, 0, 0);
	struct tfile *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct refgroup_obj *a, *b, *c;

	KUNIT_ASSERT_NOT_NULL(test, f);
	a = tget(ctx, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	KUNIT_ASSERT_EQ(test, tfile_open_pinned(f, a), 0);
	refgroup_put(a);
	tfile_release(f);		/* the last put: unpublished */
	KUNIT_EXPECT_FALSE(test, device_is_registered(&a->dev));
	KUNIT_EXPECT_EQ(test, tstats(ctx).published, 0);
	KUNIT_EXPECT_EQ(test, tstats(ctx).ids, 1);

	b = tget(ctx, 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	KUNIT_EXPECT_EQ(test, refgroup_id(b), 1);	/* 0 is still a's */

	tfile_unpin(f);			/* the last close: released */
	KUNIT_EXPECT_EQ(test, tstats(ctx).ids, 1);
	c = tget(ctx, 2);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	KUNIT_EXPECT_EQ(test, refgroup_id(c), 0);
	KUNIT_EXPECT_EQ(test, MINOR(c->dev.devt), 0);
	refgroup_put(b);
	refgroup_put(c);
	expect_baseline(ctx, "after the puts");
}

/* G5, GR3: opens of an object not yet or no longer published fail. */
static void refgroup_test_open_dying(struct kunit *test)
{
	struct tctx *ctx = tctx_new(test, 0, 0);
	struct tfile *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct refgroup_obj *a;

	KUNIT_ASSERT_NOT_NULL(test, f);
	ctx->open_in_publish = f;
	ctx->open_in_publish_ret = 1;
	a = tget(ctx, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	/* Tried from publish: built, not yet published. */
	KUNIT_EXPECT_EQ(test, ctx->open_in_publish_ret, -ENODEV);

	/* An inode still pointing at the cdev, opened after the last put. */
	tfile_pin(f, a);
	refgroup_put(a);
	KUNIT_EXPECT_FALSE(test, device_is_registered(&a->dev));
	KUNIT_EXPECT_EQ(test, tfile_open(f), -ENODEV);
	tsettle();
	KUNIT_EXPECT_EQ(test, tstats(ctx).objects, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->frees), 0);
	tfile_unpin(f);
	expect_baseline(ctx, "after the close");
}

/*
 * GR3: an opener sent into the window between cdev_device_add() and the
 * user count's first set, and what the creator saw while it held the
 * registry lock there.
 */
struct window_open {
	struct tctx *ctx;
	bool find;			/* a lookup instead of an open */
	struct refgroup_obj *found;	/* what the lookup returned */
	struct tfile f;			/* pinned by the hook, as chrdev_open() */
	struct task_struct *task;	/* the opener, with a reference */
	struct completion go;		/* the creator is in the window */
	struct completion done;		/* the open returned */
	bool started;			/* the opener is about to call ->open */
	int ret;			/* what ->open returned */
	/* written by the hook, in the creator, under the registry lock */
	unsigned int hooked;		/* times the hook ran */
	unsigned int users;		/* the count an open finds there */
	bool registered;		/* the device, hence the cdev, is added */
	bool blocked;			/* the opener slept on the registry lock */
	bool returned;			/* the open returned under the lock */
};

static int window_opener_fn(void *data)
{
	struct window_open *w = data;

	wait_for_completion(&w->go);
	if (!w->hooked) {
		/* The create never reached the window. */
		w->ret = -ESRCH;
	} else if (w->find) {
		/* From here to the registry lock nothing sleeps either. */
		smp_store_release(&w->started, true);
		w->found = tfind(w->ctx, 0);
		w->ret = w->found ? 0 : -ENOENT;
	} else {
		/*
		 * From here to the registry lock in ->open nothing sleeps.
		 * Pairs with the acquire in window_opener_asleep().
		 */
		smp_store_release(&w->started, true);
		w->ret = tfile_open(&w->f);
	}
	/* All: the test both waits with a timeout and then for good. */
	complete_all(&w->done);
	return 0;
}

/* Whether the opener sleeps, which after @started is only on the lock. */
static bool window_opener_asleep(struct window_open *w)
{
	/* Pairs with the release in window_opener_fn(). */
	if (!smp_load_acquire(&w->started) || task_is_running(w->task))
		return false;
	/*
	 * Not running, yet perhaps not asleep but exited: complete_all(), whose
	 * unlock orders it, set done before the task's state went dead.
	 */
	smp_rmb();
	return !completion_done(&w->done);
}

/*
 * The creator's hook: the object's cdev is reachable and its count is
 * still zero.  Start the opener, then keep the registry lock until the
 * opener sleeps on it (it found the count zero and waits, as it must) or
 * its open returns (it did not wait), for at most WAIT_MS.
 */
static void window_hook(struct refgroup_registry *reg, struct refgroup_obj *obj)
{
	struct window_open *w = to_tctx(reg)->window;
	unsigned long end = jiffies + msecs_to_jiffies(WAIT_MS);

	lockdep_assert_held(&reg->keys.lock);
	if (!w || w->hooked++)
		return;
	w->users = refcount_read(&obj->ref.users);
	w->registered = device_is_registered(&obj->dev);
	if (!w->find)
		tfile_pin(&w->f, obj);
	complete(&w->go);
	while (!completion_done(&w->done) && time_before(jiffies, end)) {
		if (window_opener_asleep(w)) {
			w->blocked = true;
			break;
		}
		usleep_range(1000, 2000);
	}
	w->returned = completion_done(&w->done);
}

/*
 * Run a create of key 0 with the opener (or finder) sent into its publish
 * window; check the window and the opener's wait.  Returns the object.
 */
static struct refgroup_obj *window_run(struct kunit *test, struct tctx *ctx,
				       struct window_open *w)
{
	struct refgroup_obj *a;
	bool done;

	init_completion(&w->go);
	init_completion(&w->done);
	w->ctx = ctx;
	w->task = kthread_run(window_opener_fn, w, "refgroup-gr3");
	KUNIT_ASSERT_FALSE(test, IS_ERR(w->task));
	/* It cannot exit before go: its state stays readable until the put. */
	get_task_struct(w->task);

	ctx->window = w;
	refgroup_inject_added_hook(&ctx->reg, window_hook);
	a = tget(ctx, 0);
	refgroup_inject_added_hook(&ctx->reg, NULL);
	ctx->window = NULL;

	KUNIT_EXPECT_EQ_MSG(test, w->hooked, 1,
			    "the create did not pass the window once");
	if (!w->hooked)
		complete(&w->go);
	done = wait_for_completion_timeout(&w->done,
					   msecs_to_jiffies(WAIT_MS));
	KUNIT_EXPECT_TRUE_MSG(test, done,
			      "the %s has not returned %u ms after the create",
			      w->find ? "lookup" : "open", WAIT_MS);
	wait_for_completion(&w->done);
	put_task_struct(w->task);

	KUNIT_EXPECT_EQ(test, w->users, 0);
	KUNIT_EXPECT_TRUE(test, w->registered);
	KUNIT_EXPECT_TRUE_MSG(test, w->blocked,
			      "the %s never waited for the registry lock (it returned %d)",
			      w->find ? "lookup" : "open", w->ret);
	KUNIT_EXPECT_FALSE_MSG(test, w->returned,
			       "the %s returned %d while the creator held the lock",
			       w->find ? "lookup" : "open", w->ret);
	KUNIT_EXPECT_EQ_MSG(test, w->ret, 0, "a %s in the publish window failed",
			    w->find ? "lookup" : "open");
	return a;
}

/*
 * G5, G11, GR3: an open of the cdev while its object is being published.
 * The creator adds the device and cdev and only then sets the user count
 * to one, both under the registry lock.  An open in between finds the
 * count zero.  The object is not dying, so the open must not fail with
 * -ENODEV, nor take a plain increment on zero (G11): it waits for the
 * registry lock, and once the creator has published the object and let
 * the lock go, takes its reference with inc-not-zero and succeeds.  A
 * hook in the create path (refgroup_inject_added_hook()) stops the
 * creator in that window, starts the opener (a kthread) and holds the
 * lock until the opener sleeps on it, so every run hits the window.  The
 * file then works as any other: it keeps the object published after the
 * creator's put, its release is the last put, and nothing leaks (G3).
 */
static void refgroup_test_open_while_publishing(struct kunit *test)
{
	struct window_open *w;
	struct refgroup_obj *a;
	struct tctx *ctx;

	if (!IS_ENABLED(CONFIG_REFGROUP_FAULT_INJECT))
		kunit_skip(test, "needs CONFIG_REFGROUP_FAULT_INJECT");
	ctx = tctx_new(test, 0, 0);
	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	a = window_run(test, ctx, w);
	if (!IS_ERR(a) && !w->ret) {
		KUNIT_EXPECT_PTR_EQ(test, w->f.file.private_data, a);
		/* The creator's reference and the file's. */
		KUNIT_EXPECT_EQ(test, refcount_read(&a->ref.users), 2);
		refgroup_put(a);
		KUNIT_EXPECT_TRUE(test, device_is_registered(&a->dev));
		tfile_release(&w->f);		/* the last put */
		KUNIT_EXPECT_FALSE(test, device_is_registered(&a->dev));
		KUNIT_EXPECT_EQ(test, tstats(ctx).objects, 1);
	} else if (!IS_ERR(a)) {
		refgroup_put(a);
	}
	if (w->f.pinned)
		tfile_unpin(&w->f);		/* as __fput(): the release */
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	expect_baseline(ctx, "after the close");
}

/*
 * G2, G4, G11: a lock-free lookup that meets an object being published
 * (in the hash table, count still zero, its creator holding the lock)
 * neither reports the key as free nor takes a plain increment: it waits
 * for the lock and then gets the object, as a lookup under the lock did.
 * Forced into the window the same way as the open above.
 */
static void refgroup_test_find_while_publishing(struct kunit *test)
{
	struct window_open *w;
	struct refgroup_obj *a;
	struct tctx *ctx;

	if (!IS_ENABLED(CONFIG_REFGROUP_FAULT_INJECT))
		kunit_skip(test, "needs CONFIG_REFGROUP_FAULT_INJECT");
	ctx = tctx_new(test, 0, 0);
	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	w->find = true;
	a = window_run(test, ctx, w);
	KUNIT_EXPECT_PTR_EQ(test, w->found, a);
	if (w->found)
		refgroup_put(w->found);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	KUNIT_EXPECT_EQ(test, refcount_read(&a->ref.users), 1);
	refgroup_put(a);
	expect_baseline(ctx, "after the puts");
}

/* G5: an open file outlives the other users; its close frees the memory. */
static void refgroup_test_open_survives_last_put(struct kunit *test)
{
	struct tctx *ctx = tctx_new(test, 0, 0);
	struct tfile *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct refgroup_obj *a, *b;

	KUNIT_ASSERT_NOT_NULL(test, f);
	a = tget(ctx, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	KUNIT_ASSERT_EQ(test, tfile_open_pinned(f, a), 0);
	KUNIT_EXPECT_PTR_EQ(test, f->file.private_data, a);

	refgroup_put(a);		/* the creator's: the file's remains */
	KUNIT_EXPECT_TRUE(test, device_is_registered(&a->dev));
	b = tfind(ctx, 0);
	KUNIT_EXPECT_PTR_EQ(test, b, a);
	if (b)
		refgroup_put(b);

	tfile_release(f);		/* the last put */
	KUNIT_EXPECT_FALSE(test, device_is_registered(&a->dev));
	KUNIT_EXPECT_NULL(test, tfind(ctx, 0));
	/* The cdev still holds the memory: KASAN would catch a free. */
	tsettle();
	KUNIT_EXPECT_EQ(test, to_tgroup(a)->cookie, TCOOKIE);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->frees), 0);
	KUNIT_EXPECT_EQ(test, tstats(ctx).objects, 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->key_refs[0]), 1);

	tfile_unpin(f);			/* as __fput(): the release */
	tsettle();
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->frees), 1);
	expect_baseline(ctx, "after the close");
}

/* G4, GR4: a key is free again as soon as its last put returns. */
static void refgroup_test_recreate_after_last_put(struct kunit *test)
{
	struct tctx *ctx = tctx_new(test, 0, 0);
	struct tfile *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct refgroup_obj *a, *b;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, f);
	a = tget(ctx, 3);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	KUNIT_ASSERT_EQ(test, tfile_open_pinned(f, a), 0);
	refgroup_put(a);
	tfile_release(f);		/* a unpublished, its memory pinned */

	b = tget(ctx, 3);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	KUNIT_EXPECT_PTR_NE(test, b, a);
	KUNIT_EXPECT_EQ(test, refgroup_id(b), 1);
	KUNIT_EXPECT_STREQ(test, dev_name(&b->dev), "refgroup_test1");
	KUNIT_EXPECT_TRUE(test, device_is_registered(&b->dev));
	KUNIT_EXPECT_EQ(test, tstats(ctx).published, 1);
	KUNIT_EXPECT_EQ(test, tstats(ctx).objects, 2);
	/* a gives its key reference back only at its release (G3). */
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->key_refs[3]), 2);
	tfile_unpin(f);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->key_refs[3]), 1);
	refgroup_put(b);

	/* Back to back; a clash in sysfs would be a WARN failing the run. */
	for (i = 0; i < 64; i++) {
		a = tget(ctx, 3);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
		KUNIT_EXPECT_EQ(test, refgroup_id(a), 0);
		refgroup_put(a);
	}
	expect_baseline(ctx, "after the loop");
}

/* G1, G4: a registry without cdevs: plain devices, same lifecycle. */
static void refgroup_test_no_cdev(struct kunit *test)
{
	struct tctx *ctx = tctx_new(test, REFGROUP_NO_CDEV, 0);
	struct refgroup_obj *a, *b;

	a = tget(ctx, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	KUNIT_EXPECT_EQ(test, a->dev.devt, 0);
	KUNIT_EXPECT_TRUE(test, device_is_registered(&a->dev));
	refgroup_put(a);
	expect_baseline(ctx, "after the put");
	b = tget(ctx, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	KUNIT_EXPECT_STREQ(test, dev_name(&b->dev), "refgroup_test0");
	refgroup_put(b);
	expect_baseline(ctx, "after the second put");
}

/*
 * G2, G3: refgroup_create() takes a free key or answers -EEXIST, before
 * building anything when it can and, when another creator got the key
 * while it built, after; each of its fallible steps fails cleanly.
 */
static void refgroup_test_create_exclusive(struct kunit *test)
{
	struct tctx *ctx = tctx_new(test, 0, 0);
	struct tkey k = { .n = 1 }, k2 = { .n = 2 };
	struct refgroup_obj *a, *b;
	unsigned int n;

	a = refgroup_create(&ctx->reg, &k, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	KUNIT_EXPECT_TRUE(test, device_is_registered(&a->dev));
	KUNIT_EXPECT_EQ(test, tstats(ctx).published, 1);

	/* Taken: refused before anything is built. */
	b = refgroup_create(&ctx->reg, &k, NULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(b), -EEXIST);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->allocs), 1);
	b = tfind(ctx, 1);
	KUNIT_EXPECT_PTR_EQ(test, a, b);
	if (b)
		refgroup_put(b);
	refgroup_put(a);
	expect_baseline(ctx, "after the put");

	/* Taken while our candidate was being built: refused at insertion. */
	ctx->nest_key = 2;
	b = refgroup_create(&ctx->reg, &k2, NULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(b), -EEXIST);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->nested);
	KUNIT_EXPECT_EQ(test, refcount_read(&ctx->nested->ref.users), 1);
	refgroup_put(ctx->nested);
	expect_baseline(ctx, "after the lost race");

	if (!IS_ENABLED(CONFIG_REFGROUP_FAULT_INJECT))
		return;
	for (n = 1; n <= CREATE_STEPS + 1; n++) {
		refgroup_inject_fault(&ctx->reg, n);
		a = refgroup_create(&ctx->reg, &k, NULL);
		refgroup_inject_fault(&ctx->reg, 0);
		if (!IS_ERR(a))
			break;
		KUNIT_EXPECT_EQ_MSG(test, PTR_ERR(a), -ENOMEM, "step %u", n);
		expect_baseline(ctx, "fault");
	}
	KUNIT_EXPECT_EQ(test, n, CREATE_STEPS + 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	refgroup_put(a);
	expect_baseline(ctx, "after the faults");
}

/*
 * G8, GR5: publish and unpublish run outside the registry lock (every
 * callback checks), and a notifier registered in publish fires safely
 * before the object is published, while it lives and after its count
 * reached zero; it is gone before the memory.
 */
static void refgroup_test_callbacks_unlocked(struct kunit *test)
{
	struct tctx *ctx = tctx_new(test, 0, 0);
	struct refgroup_obj *a, *b;

	ctx->notify = true;
	a = tget(ctx, 4);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->ignored[EV_EARLY]), 1);
	blocking_notifier_call_chain(&ctx->chain, EV_LIVE, NULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->handled[EV_LIVE]), 1);
	refgroup_put(a);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->ignored[EV_LATE]), 1);
	blocking_notifier_call_chain(&ctx->chain, EV_LIVE, NULL);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->handled[EV_LIVE]), 1);

	/*
	 * With a lost race: the winner W is created from the loser L's
	 * publish.  W's early fire: W ignores.  L's early fire: W handles,
	 * L ignores.  L's late fire (it lost): W handles, L ignores.  W's
	 * late fire at the last put: W ignores.
	 */
	ctx->nest_key = 5;
	b = tget(ctx, 5);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	KUNIT_EXPECT_PTR_EQ(test, b, ctx->nested);
	refgroup_put(b);
	refgroup_put(ctx->nested);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->ignored[EV_EARLY]), 1 + 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->handled[EV_EARLY]), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->ignored[EV_LATE]), 1 + 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->handled[EV_LATE]), 1);
	expect_baseline(ctx, "after the puts");
}

struct racer {
	struct tctx *ctx;
	struct completion *go;
	struct completion done;
	struct refgroup_obj *got;
};

static int racer_fn(void *data)
{
	struct racer *r = data;
	struct tkey k = { .n = 6 };

	wait_for_completion(r->go);
	r->got = refgroup_find_or_create(&r->ctx->reg, &k, NULL);
	complete(&r->done);
	return 0;
}

/*
 * GR1, G2, G6: kthreads create one key at once.  alloc holds each until
 * all are in it, so all miss the first lookup and build a candidate: one
 * is published, every caller gets it, the others are torn down.
 */
static void refgroup_test_race_one_key(struct kunit *test)
{
	struct tctx *ctx = tctx_new(test, 0, 0);
	struct racer r[NR_RACERS];
	struct completion go;
	struct refgroup_stats st;
	unsigned int round, i;
	int allocs;

	ctx->single = false;
	ctx->barrier = NR_RACERS;
	for (round = 0; round < 10; round++) {
		allocs = atomic_read(&ctx->allocs);
		atomic_set(&ctx->in_alloc, 0);
		init_completion(&go);
		for (i = 0; i < NR_RACERS; i++) {
			struct task_struct *t;

			r[i] = (struct racer){ .ctx = ctx, .go = &go };
			init_completion(&r[i].done);
			t = kthread_run(racer_fn, &r[i], "refgroup-gr1/%u", i);
			if (IS_ERR(t)) {
				r[i].got = ERR_CAST(t);
				complete(&r[i].done);
			}
		}
		complete_all(&go);
		for (i = 0; i < NR_RACERS; i++)
			wait_for_completion(&r[i].done);

		for (i = 0; i < NR_RACERS; i++) {
			KUNIT_EXPECT_FALSE_MSG(test, IS_ERR(r[i].got),
					       "round %u racer %u", round, i);
			KUNIT_EXPECT_PTR_EQ_MSG(test, r[i].got, r[0].got,
						"round %u racer %u", round, i);
		}
		KUNIT_EXPECT_EQ(test, atomic_read(&ctx->allocs) - allocs,
				NR_RACERS);
		tsettle();
		st = tstats(ctx);
		KUNIT_EXPECT_EQ(test, st.objects, 1);
		KUNIT_EXPECT_EQ(test, st.published, 1);
		KUNIT_EXPECT_EQ(test, st.ids, 1);
		KUNIT_EXPECT_EQ(test, atomic_read(&ctx->key_refs[6]), 1);
		if (!IS_ERR(r[0].got))
			KUNIT_EXPECT_EQ(test, refcount_read(&r[0].got->ref.users),
					NR_RACERS);
		for (i = 0; i < NR_RACERS; i++)
			if (!IS_ERR(r[i].got))
				refgroup_put(r[i].got);
		expect_baseline(ctx, "after a round");
	}
}

/* G9: destroying a registry with an object left warns and keeps it. */
static void refgroup_test_destroy_busy(struct kunit *test)
{
	struct tctx *ctx = tctx_new(test, 0, 0);
	struct refgroup_obj *a, *b;
	int ret;

	a = tget(ctx, 0);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	expect_report_begin("WARNING", "refkey_table_destroy");
	ret = refgroup_registry_destroy(&ctx->reg);
	expect_report_end();
	KUNIT_EXPECT_EQ(test, ret, -EBUSY);

	/* Still whole: lookups work and the object goes the normal way. */
	b = tfind(ctx, 0);
	KUNIT_EXPECT_PTR_EQ(test, b, a);
	if (b)
		refgroup_put(b);
	refgroup_put(a);
	/* refgroup_test_exit() destroys it for real. */
}

static struct kunit_case refgroup_test_cases[] = {
	KUNIT_CASE(refgroup_test_bad_params),
	KUNIT_CASE(refgroup_test_no_ops),
	KUNIT_CASE(refgroup_test_create),
	KUNIT_CASE(refgroup_test_found),
	KUNIT_CASE(refgroup_test_lost_race),
	KUNIT_CASE(refgroup_test_create_errors),
	KUNIT_CASE(refgroup_test_ids_exhausted),
	KUNIT_CASE(refgroup_test_fault_injection),
	KUNIT_CASE(refgroup_test_fault_injection_no_cdev),
	KUNIT_CASE(refgroup_test_ids_reused_after_release),
	KUNIT_CASE(refgroup_test_open_dying),
	KUNIT_CASE(refgroup_test_open_while_publishing),
	KUNIT_CASE(refgroup_test_find_while_publishing),
	KUNIT_CASE(refgroup_test_open_survives_last_put),
	KUNIT_CASE(refgroup_test_recreate_after_last_put),
	KUNIT_CASE(refgroup_test_no_cdev),
	KUNIT_CASE(refgroup_test_create_exclusive),
	KUNIT_CASE(refgroup_test_callbacks_unlocked),
	KUNIT_CASE(refgroup_test_race_one_key),
	KUNIT_CASE(refgroup_test_destroy_busy),
	{}
};

static struct kunit_suite refgroup_test_suite = {
	.name = "refgroup",
	.exit = refgroup_test_exit,
	.test_cases = refgroup_test_cases,
};

kunit_test_suite(refgroup_test_suite);

MODULE_DESCRIPTION("KUnit tests for lib/refgroup");
MODULE_LICENSE("GPL");
