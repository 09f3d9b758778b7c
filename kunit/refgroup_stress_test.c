// SPDX-License-Identifier: GPL-2.0
/*
 * Stress test of lib/refgroup: kthreads create, look up, open and close
 * objects of a few keys for 2 s (300 ms on UP), so that creates race with
 * creates (GR1), last puts with lookups (GR2), opens with unpublishing
 * (GR3) and creates with the last put of the same key (GR4).  Meant for
 * x86_64 -smp 4 under KCSAN and lockdep; on UML it runs shorter, for
 * lockdep and KASAN.
 *
 * Files are opened as in refgroup_test.c: the worker pins the cdev kobject
 * as chrdev_open() does and calls the file operations itself.
 *
 * Invariants: an object a worker holds is the one its key finds (one per
 * key, G2, G4); an open while holding a reference succeeds, an open
 * without one succeeds or gets -ENODEV (G5); afterwards no object, id or
 * key reference is left (G3, G6) and the run logs no report at all.
 */

#include <kunit/test.h>
#include <linux/cdev.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kobject.h>
#include <linux/kthread.h>
#include <linux/lockdep.h>
#include <linux/prandom.h>
#include <linux/rcupdate.h>
#include <linux/refgroup.h>
#include <linux/slab.h>

#define NR_KEYS		4

struct sctx {
	struct refgroup_registry reg;
	struct kunit *test;
	unsigned long end;		/* jiffies; workers stop by themselves */
	atomic_t key_refs[NR_KEYS];
	atomic_t allocs, frees, publishes, unpublishes;
};

struct sgroup {
	struct refgroup_obj obj;
	u32 n;
};

static struct sctx *to_sctx(struct refgroup_registry *reg)
{
	return container_of(reg, struct sctx, reg);
}

static u32 skey(const void *key)
{
	u32 n;

	memcpy(&n, key, sizeof(n));
	return n;
}

static struct refgroup_obj *s_alloc(struct refgroup_registry *reg,
				    const void *key, void *arg)
{
	struct sgroup *g = kzalloc(sizeof(*g), GFP_KERNEL);

	lockdep_assert_not_held(&reg->keys.lock);
	if (!g)
		return NULL;
	g->n = skey(key);
	atomic_inc(&to_sctx(reg)->allocs);
	return &g->obj;
}

/* From an RCU callback, which may interrupt a holder of the lock. */
static void s_free(struct refgroup_registry *reg, struct refgroup_obj *obj)
{
	atomic_inc(&to_sctx(reg)->frees);
	kfree(container_of(obj, struct sgroup, obj));
}

static int s_key_get(struct refgroup_registry *reg, const void *key)
{
	u32 n = skey(key);

	lockdep_assert_not_held(&reg->keys.lock);
	if (n >= NR_KEYS)
		return -EINVAL;
	atomic_inc(&to_sctx(reg)->key_refs[n]);
	return 0;
}

static void s_key_put(struct refgroup_registry *reg, const void *key)
{
	struct sctx *ctx = to_sctx(reg);

	lockdep_assert_not_held(&reg->keys.lock);
	KUNIT_EXPECT_GE(ctx->test, atomic_dec_return(&ctx->key_refs[skey(key)]),
			0);
}

static int s_publish(struct refgroup_registry *reg, struct refgroup_obj *obj)
{
	lockdep_assert_not_held(&reg->keys.lock);
	atomic_inc(&to_sctx(reg)->publishes);
	return 0;
}

static void s_unpublish(struct refgroup_registry *reg,
			struct refgroup_obj *obj)
{
	lockdep_assert_not_held(&reg->keys.lock);
	atomic_inc(&to_sctx(reg)->unpublishes);
}

static const struct refgroup_ops s_ops = {
	.alloc = s_alloc,
	.free = s_free,
	.get_key = s_key_get,
	.put_key = s_key_put,
	.publish = s_publish,
	.unpublish = s_unpublish,
};

static const struct file_operations s_fops = {
	.owner = THIS_MODULE,
	.open = refgroup_open,
	.release = refgroup_release,
};

enum worker_kind { W_CREATE, W_FIND, W_OPEN, NR_KINDS };

struct worker {
	struct sctx *ctx;
	enum worker_kind kind;
	struct completion done;
	struct inode inode;		/* a file as the VFS would hold it */
	struct file file;
	/* written by the worker only, read after done */
	unsigned long iters, creates, finds, opens, refused;
};

/* G2, G4: while held, the object is the one its key finds. */
static void check_held(struct sctx *ctx, struct refgroup_obj *obj, u32 n)
{
	struct refgroup_obj *again;

	KUNIT_EXPECT_EQ(ctx->test, container_of(obj, struct sgroup, obj)->n, n);
	KUNIT_EXPECT_GE(ctx->test, refcount_read(&obj->ref.users), 1);
	again = refgroup_find(&ctx->reg, &n);
	KUNIT_EXPECT_PTR_EQ(ctx->test, again, obj);
	if (again)
		refgroup_put(again);
}

/* G5, GR3: open with or without holding a reference, then close. */
static void open_close(struct worker *w, struct refgroup_obj *obj)
{
	struct sctx *ctx = w->ctx;
	int ret;

	memset(&w->inode, 0, sizeof(w->inode));
	memset(&w->file, 0, sizeof(w->file));
	w->inode.i_cdev = &obj->cdev;
	/* As chrdev_open(): the cdev, and through it the device, is pinned. */
	kobject_get(&obj->cdev.kobj);
	if (w->iters & 1) {
		/* Our reference gone, the open races other users' last put. */
		refgroup_put(obj);
		ret = s_fops.open(&w->inode, &w->file);
		if (ret) {
			KUNIT_EXPECT_EQ(ctx->test, ret, -ENODEV);
			w->refused++;
		}
	} else {
		ret = s_fops.open(&w->inode, &w->file);
		KUNIT_EXPECT_EQ(ctx->test, ret, 0);
		refgroup_put(obj);
	}
	if (!ret) {
		KUNIT_EXPECT_PTR_EQ(ctx->test, w->file.private_data, obj);
		s_fops.release(&w->inode, &w->file);
		w->opens++;
	}
	/* As __fput() after ->release: this may be the device release. */
	kobject_put(&obj->cdev.kobj);
}

static int stress_worker(void *data)
{
	struct worker *w = data;
	struct sctx *ctx = w->ctx;
	struct refgroup_obj *obj;
	struct rnd_state rnd;
	u32 n;

	prandom_seed_state(&rnd, (uintptr_t)w);
	while (time_before(jiffies, ctx->end)) {
		n = prandom_u32_state(&rnd) % NR_KEYS;
		switch (w->kind) {
		case W_FIND:
			obj = refgroup_find(&ctx->reg, &n);
			if (obj) {
				check_held(ctx, obj, n);
				refgroup_put(obj);
				w->finds++;
			}
			break;
		default:
			obj = refgroup_find_or_create(&ctx->reg, &n, NULL);
			if (IS_ERR(obj)) {
				KUNIT_FAIL(ctx->test, "create of key %u: %ld", n,
					   PTR_ERR(obj));
				break;
			}
			check_held(ctx, obj, n);
			w->creates++;
			if (w->kind == W_OPEN)
				open_close(w, obj);
			else
				refgroup_put(obj);
			break;
		}
		w->iters++;
		/* UML does not preempt a busy kthread: let the others in. */
		if (!IS_ENABLED(CONFIG_SMP) && !(w->iters % 64))
			usleep_range(10, 20);
	}
	complete(&w->done);
	return 0;
}

static void refgroup_stress_run(struct kunit *test)
{
	unsigned int ms = IS_ENABLED(CONFIG_SMP) ? 2000 : 300;
	unsigned long creates = 0, finds = 0, opens = 0, refused = 0;
	unsigned int i, nr = 2 * NR_KINDS;
	struct refgroup_stats st;
	struct worker *w;
	struct sctx *ctx;
	struct refgroup_params p = {
		.name = "refgroup_stress",
		.key_len = sizeof(u32),
		.ops = &s_ops,
		.fops = &s_fops,
	};

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	w = kunit_kcalloc(test, nr, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);
	KUNIT_ASSERT_NOT_NULL(test, w);
	ctx->test = test;
	KUNIT_ASSERT_EQ(test, refgroup_registry_init(&ctx->reg, &p), 0);
	ctx->end = jiffies + msecs_to_jiffies(ms);

	for (i = 0; i < nr; i++) {
		struct task_struct *t;

		w[i].ctx = ctx;
		w[i].kind = i % NR_KINDS;
		init_completion(&w[i].done);
		t = kthread_run(stress_worker, &w[i], "refgroup-stress/%u", i);
		if (IS_ERR(t)) {
			KUNIT_FAIL(test, "kthread_run: %ld", PTR_ERR(t));
			complete(&w[i].done);
		}
	}
	for (i = 0; i < nr; i++) {
		wait_for_completion(&w[i].done);
		creates += w[i].creates;
		finds += w[i].finds;
		opens += w[i].opens;
		refused += w[i].refused;
	}

	kunit_info(test, "%lu creates (%d objects built), %lu finds, %lu opens, %lu refused with -ENODEV\n",
		   creates, atomic_read(&ctx->allocs), finds, opens, refused);
	KUNIT_EXPECT_GT(test, creates, 0);
	KUNIT_EXPECT_GT(test, opens, 0);

	rcu_barrier();			/* frees wait for a grace period */
	refgroup_registry_stats(&ctx->reg, &st);
	KUNIT_EXPECT_EQ(test, st.objects, 0);
	KUNIT_EXPECT_EQ(test, st.published, 0);
	KUNIT_EXPECT_EQ(test, st.ids, 0);
	KUNIT_EXPECT_EQ(test, st.keys, 0);
	for (i = 0; i < NR_KEYS; i++)
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&ctx->key_refs[i]), 0,
				    "key %u", i);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->allocs),
			atomic_read(&ctx->frees));
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->publishes),
			atomic_read(&ctx->unpublishes));
	/* With objects left, destroy would warn; the checks above failed. */
	if (!st.objects)
		KUNIT_EXPECT_EQ(test, refgroup_registry_destroy(&ctx->reg), 0);
}

static struct kunit_case refgroup_stress_cases[] = {
	KUNIT_CASE_SLOW(refgroup_stress_run),
	{}
};

static struct kunit_suite refgroup_stress_suite = {
	.name = "refgroup_stress",
	.test_cases = refgroup_stress_cases,
};

kunit_test_suite(refgroup_stress_suite);

MODULE_DESCRIPTION("Stress test for lib/refgroup");
MODULE_LICENSE("GPL");
