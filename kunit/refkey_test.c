// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of lib/refgroup's keyed objects without a device
 * (linux/refkey.h): find-or-create and exclusive create with and without
 * callbacks, lost races, fault injection of every fallible step, lookups
 * that take no lock, memory kept for lookups still reading it (freed one
 * grace period after the last put), and kthreads racing lookups against
 * last puts and re-creates.  Requirement ids (../shared/requirements.md)
 * are named per test.  The tests read a few private fields (the table
 * lock, the hash table, the user count) to force their interleavings.
 */

#include <kunit/test.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/lockdep.h>
#include <linux/preempt.h>
#include <linux/rcupdate.h>
#include <linux/refgroup.h>
#include <linux/refkey.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>

#define NR_KEYS		8
#define NO_KEY		U32_MAX
#define KCOOKIE		0x6b657973UL
/* How long a caller that must not wait is given before it counts as stuck. */
#define NO_WAIT_MS	5000
/* Fallible steps of a create with every callback: alloc, key, publish, insert. */
#define CREATE_STEPS	4

struct kctx {
	struct refkey_table tab;
	struct kunit *test;
	bool live;
	atomic_t key_refs[NR_KEYS];
	atomic_t allocs, frees, bad_frees, publishes, unpublishes;
	bool single;			/* only the test thread uses it */
	atomic_t locked_callbacks;	/* a callback found the lock held */
	u32 nest_key;			/* publish of it first creates it */
	struct refkey *nested;
	bool nest_exclusive;		/* ... with refkey_create() */
};

struct kobj {
	unsigned long cookie;		/* keeps @rk off offset 0 */
	struct refkey rk;
	struct kctx *ctx;
	u32 n;
};

static struct kctx *to_kctx(struct refkey_table *tab)
{
	return container_of(tab, struct kctx, tab);
}

static u32 kkey(const void *key)
{
	u32 n;

	memcpy(&n, key, sizeof(n));
	return n;
}

/* G8: process-context callbacks never run under the table lock. */
static void k_unlocked(struct kctx *ctx)
{
	lockdep_assert_not_held(&ctx->tab.lock);
	/* Others may hold it legitimately when threads race. */
	if (ctx->single && mutex_is_locked(&ctx->tab.lock))
		atomic_inc(&ctx->locked_callbacks);
}

static struct refkey *k_alloc(struct refkey_table *tab, const void *key,
			      void *arg)
{
	struct kctx *ctx = to_kctx(tab);
	struct kobj *o;

	k_unlocked(ctx);
	o = kzalloc(sizeof(*o), GFP_KERNEL);
	if (!o)
		return NULL;
	o->cookie = KCOOKIE;
	o->ctx = ctx;
	o->n = kkey(key);
	atomic_inc(&ctx->allocs);
	return &o->rk;
}

/* From an RCU callback: count only (see refgroup_test.c). */
static void k_free(struct refkey_table *tab, struct refkey *rk)
{
	struct kobj *o = container_of(rk, struct kobj, rk);
	struct kctx *ctx = to_kctx(tab);

	if (o->cookie != KCOOKIE || refcount_read(&rk->users))
		atomic_inc(&ctx->bad_frees);
	atomic_inc(&ctx->frees);
	kfree(o);
}

static int k_get_key(struct refkey_table *tab, const void *key)
{
	struct kctx *ctx = to_kctx(tab);
	u32 n = kkey(key);

	k_unlocked(ctx);
	if (n >= NR_KEYS)
		return -EINVAL;
	atomic_inc(&ctx->key_refs[n]);
	return 0;
}

static void k_put_key(struct refkey_table *tab, const void *key)
{
	struct kctx *ctx = to_kctx(tab);

	k_unlocked(ctx);
	KUNIT_EXPECT_GE(ctx->test,
			atomic_dec_return(&ctx->key_refs[kkey(key)]), 0);
}

static int k_publish(struct refkey_table *tab, struct refkey *rk)
{
	struct kctx *ctx = to_kctx(tab);
	struct kobj *o = container_of(rk, struct kobj, rk);

	k_unlocked(ctx);
	/* Not visible yet: no users to join. */
	KUNIT_EXPECT_FALSE(ctx->test, refkey_tryget(rk));
	if (ctx->nest_key == o->n) {
		ctx->nest_key = NO_KEY;
		/* Another creator of the key, slipping in before our insert. */
		ctx->nested = ctx->nest_exclusive ?
			      refkey_create(tab, refkey_key(rk), NULL) :
			      refkey_find_or_create(tab, refkey_key(rk), NULL);
	}
	atomic_inc(&ctx->publishes);
	return 0;
}

static void k_unpublish(struct refkey_table *tab, struct refkey *rk)
{
	struct kctx *ctx = to_kctx(tab);

	k_unlocked(ctx);
	KUNIT_EXPECT_FALSE(ctx->test, refkey_tryget(rk));
	atomic_inc(&ctx->unpublishes);
}

static const struct refkey_ops k_ops = {
	.alloc = k_alloc,
	.free = k_free,
	.get_key = k_get_key,
	.put_key = k_put_key,
	.publish = k_publish,
	.unpublish = k_unpublish,
};

static struct kctx *kctx_new(struct kunit *test, const struct refkey_ops *ops)
{
	struct kctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	const struct refkey_params p = {
		.name = "refkey_test",
		.key_len = sizeof(u32),
		.ops = ops,
	};

	KUNIT_ASSERT_NOT_NULL(test, ctx);
	ctx->test = test;
	ctx->single = true;
	ctx->nest_key = NO_KEY;
	KUNIT_ASSERT_EQ(test, refkey_table_init(&ctx->tab, &p), 0);
	ctx->live = true;
	test->priv = ctx;
	return ctx;
}

static struct refkey *kget(struct kctx *ctx, u32 n)
{
	return refkey_find_or_create(&ctx->tab, &n, NULL);
}

static struct refkey *kfind(struct kctx *ctx, u32 n)
{
	return refkey_find(&ctx->tab, &n);
}

static struct refkey_stats kstats(struct kctx *ctx)
{
	struct refkey_stats st;

	refkey_table_stats(&ctx->tab, &st);
	return st;
}

/* G3, G6: nothing built, held or counted is left, once frees have run. */
static void kbaseline(struct kctx *ctx, const char *what)
{
	struct kunit *test = ctx->test;
	struct refkey_stats st;
	unsigned int i;

	rcu_barrier();
	st = kstats(ctx);
	KUNIT_EXPECT_EQ_MSG(test, st.objects, 0, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, st.published, 0, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, st.keys, 0, "%s", what);
	for (i = 0; i < NR_KEYS; i++)
		KUNIT_EXPECT_EQ_MSG(test, atomic_read(&ctx->key_refs[i]), 0,
				    "%s: key %u", what, i);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&ctx->allocs),
			    atomic_read(&ctx->frees), "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&ctx->publishes),
			    atomic_read(&ctx->unpublishes), "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&ctx->bad_frees), 0, "%s", what);
	KUNIT_EXPECT_EQ_MSG(test, atomic_read(&ctx->locked_callbacks), 0,
			    "%s", what);
}

static void refkey_test_exit(struct kunit *test)
{
	struct kctx *ctx = test->priv;

	if (!ctx || !ctx->live)
		return;
	kbaseline(ctx, "at exit");
	if (!kstats(ctx).objects)
		KUNIT_EXPECT_EQ(test, refkey_table_destroy(&ctx->tab), 0);
}

/* Bad input: malformed parameters are refused; good ones work. */
static void refkey_test_bad_params(struct kunit *test)
{
	static const struct refkey_ops alloc_only = { .alloc = k_alloc };
	static const struct refkey_ops key_get_only = { .get_key = k_get_key };
	const struct refkey_params good = { .name = "refkey_p", .key_len = 4 };
	struct refkey_table *tab = kunit_kzalloc(test, sizeof(*tab), GFP_KERNEL);
	struct refkey_params p;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, tab);
	for (i = 0; i < 5; i++) {
		p = good;
		if (i == 0)
			p.name = NULL;
		else if (i == 1)
			p.key_len = 0;
		else if (i == 2)
			p.key_len = REFKEY_KEY_MAX + 1;
		else if (i == 3)
			p.ops = &alloc_only;
		else
			p.ops = &key_get_only;
		KUNIT_EXPECT_EQ_MSG(test, refkey_table_init(tab, &p), -EINVAL,
				    "case %u", i);
	}
	KUNIT_ASSERT_EQ(test, refkey_table_init(tab, &good), 0);
	KUNIT_EXPECT_EQ(test, refkey_table_destroy(tab), 0);
}

/*
 * G1, G2, G7: without callbacks: one bare object per key, found by all
 * its bytes, taken by refkey_create() (-EEXIST) until its last put, and
 * free again at once after it.  Prints what an object costs next to a
 * device object of lib/refgroup.
 */
static void refkey_test_create_find(struct kunit *test)
{
	struct kctx *ctx = kctx_new(test, NULL);
	struct refkey *a, *b, *c;
	u32 k = 3, other = 3 | BIT(24);

	KUNIT_EXPECT_NULL(test, kfind(ctx, k));
	a = kget(ctx, k);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	KUNIT_EXPECT_EQ(test, kkey(refkey_key(a)), k);
	KUNIT_EXPECT_EQ(test, refcount_read(&a->users), 1);
	b = kfind(ctx, k);
	KUNIT_EXPECT_PTR_EQ(test, b, a);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(refkey_create(&ctx->tab, &k, NULL)),
			-EEXIST);
	c = refkey_create(&ctx->tab, &other, NULL);	/* the top byte counts */
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	KUNIT_EXPECT_PTR_NE(test, c, a);
	KUNIT_EXPECT_EQ(test, kstats(ctx).published, 2);
	KUNIT_EXPECT_EQ(test, kstats(ctx).keys, 0);
	refkey_put(c);
	if (b)
		refkey_put(b);
	KUNIT_EXPECT_PTR_EQ(test, kfind(ctx, k), a);
	refkey_put(a);			/* that find's */
	refkey_put(a);			/* the last */
	KUNIT_EXPECT_NULL(test, kfind(ctx, k));
	KUNIT_EXPECT_EQ(test, kstats(ctx).published, 0);

	/* The key is free at once, while the old memory waits for its GP. */
	b = refkey_create(&ctx->tab, &k, NULL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, b);
	refkey_put(b);
	kbaseline(ctx, "after the puts");
	kunit_info(test, "refkey-bytes: struct refkey %zu, struct refgroup_obj %zu\n",
		   sizeof(struct refkey), sizeof(struct refgroup_obj));
}

/*
 * G2, G6, G8: with every callback, outside the lock: racing creators (one
 * slipping in from our publish) all get one object, or -EEXIST for the
 * exclusive create; the loser gives back its key reference and memory.
 */
static void refkey_test_lost_race(struct kunit *test)
{
	struct kctx *ctx = kctx_new(test, &k_ops);
	struct refkey *a;

	ctx->nest_key = 1;
	a = kget(ctx, 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->nested);
	KUNIT_EXPECT_PTR_EQ(test, a, ctx->nested);
	KUNIT_EXPECT_EQ(test, refcount_read(&a->users), 2);
	rcu_barrier();
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->allocs), 2);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->frees), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->unpublishes), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->key_refs[1]), 1);
	refkey_put(ctx->nested);
	refkey_put(a);
	kbaseline(ctx, "after find_or_create");

	ctx->nest_key = 2;
	ctx->nest_exclusive = true;
	a = refkey_create(&ctx->tab, &(u32){ 2 }, NULL);
	KUNIT_EXPECT_EQ(test, PTR_ERR_OR_ZERO(a), -EEXIST);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->nested);
	KUNIT_EXPECT_EQ(test, refcount_read(&ctx->nested->users), 1);
	refkey_put(ctx->nested);
	kbaseline(ctx, "after create");
}

/* G3, G6: fail each fallible step of a create in turn; nothing is left. */
static void refkey_test_fault_injection(struct kunit *test)
{
	struct kctx *ctx;
	struct refkey *a = NULL;
	unsigned int n;
	u32 k = 5;

	if (!IS_ENABLED(CONFIG_REFGROUP_FAULT_INJECT))
		kunit_skip(test, "needs CONFIG_REFGROUP_FAULT_INJECT");
	ctx = kctx_new(test, &k_ops);
	for (n = 1; n <= CREATE_STEPS + 1; n++) {
		refkey_inject_fault(&ctx->tab, n);
		a = refkey_find_or_create(&ctx->tab, &k, NULL);
		refkey_inject_fault(&ctx->tab, 0);
		if (!IS_ERR(a))
			break;
		KUNIT_EXPECT_EQ_MSG(test, PTR_ERR(a), -ENOMEM, "step %u", n);
		KUNIT_EXPECT_NULL_MSG(test, kfind(ctx, k), "step %u", n);
		kbaseline(ctx, "a step failed");
	}
	KUNIT_EXPECT_EQ(test, n, CREATE_STEPS + 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	refkey_put(a);
	kbaseline(ctx, "after the put");
}

struct finder {
	struct kctx *ctx;
	struct completion done;
	struct refkey *hit, *miss;
};

static int finder_fn(void *data)
{
	struct finder *f = data;

	f->hit = kfind(f->ctx, 1);
	f->miss = kfind(f->ctx, 2);
	/* All: the test waits with a timeout and then for good. */
	complete_all(&f->done);
	return 0;
}

/*
 * G7: lookups take no lock.  With the table lock held by the test (as a
 * creator or a last put holds it), another thread's lookups of a live key
 * and of an absent one both return at once; a lookup serialized on the
 * lock would still be waiting.
 */
static void refkey_test_lookup_lock_free(struct kunit *test)
{
	struct kctx *ctx = kctx_new(test, NULL);
	struct finder *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct task_struct *t;
	struct refkey *a;
	bool done;

	KUNIT_ASSERT_NOT_NULL(test, f);
	a = kget(ctx, 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	f->ctx = ctx;
	init_completion(&f->done);

	mutex_lock(&ctx->tab.lock);
	t = kthread_run(finder_fn, f, "refkey-find");
	if (IS_ERR(t)) {
		mutex_unlock(&ctx->tab.lock);
		refkey_put(a);
		KUNIT_FAIL(test, "no kthread: %ld", PTR_ERR(t));
		return;
	}
	done = wait_for_completion_timeout(&f->done,
					   msecs_to_jiffies(NO_WAIT_MS));
	mutex_unlock(&ctx->tab.lock);
	KUNIT_EXPECT_TRUE_MSG(test, done,
			      "lookups waited %u ms for the table lock", NO_WAIT_MS);
	wait_for_completion(&f->done);

	KUNIT_EXPECT_PTR_EQ(test, f->hit, a);
	KUNIT_EXPECT_NULL(test, f->miss);
	if (f->hit)
		refkey_put(f->hit);
	if (f->miss)
		refkey_put(f->miss);
	refkey_put(a);
	kbaseline(ctx, "after the puts");
}

/*
 * G4, GR2: a lookup that meets an object whose last user went but which
 * has not left the table yet (its last put holds the table lock between
 * the two) says "no object" at once: the object is dead already, and
 * waiting for the lock could deadlock a lookup that the last put's
 * device_del() waits for (a sysfs callback).  The test builds that state
 * by hand: the table lock held, the count at zero, the object published.
 */
static void refkey_test_lookup_dying(struct kunit *test)
{
	struct kctx *ctx = kctx_new(test, NULL);
	struct finder *f = kunit_kzalloc(test, sizeof(*f), GFP_KERNEL);
	struct task_struct *t;
	struct refkey *a;
	bool done;

	KUNIT_ASSERT_NOT_NULL(test, f);
	a = kget(ctx, 1);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, a);
	f->ctx = ctx;
	init_completion(&f->done);

	mutex_lock(&ctx->tab.lock);
	/* As refcount_dec_and_mutex_lock() leaves it for the last put. */
	KUNIT_EXPECT_TRUE(test, refcount_dec_and_test(&a->users));
	t = kthread_run(finder_fn, f, "refkey-dying");
	done = !IS_ERR(t) &&
	       wait_for_completion_timeout(&f->done,
					   msecs_to_jiffies(NO_WAIT_MS));
	/* Back to one user, so the put below is an ordinary last put. */
	refcount_set(&a->users, 1);
	mutex_unlock(&ctx->tab.lock);
	KUNIT_EXPECT_FALSE(test, IS_ERR(t));
	KUNIT_EXPECT_TRUE_MSG(test, done,
			      "a lookup of a dying object waited %u ms for the lock",
			      NO_WAIT_MS);
	if (!IS_ERR(t))
		wait_for_completion(&f->done);
	KUNIT_EXPECT_NULL(test, f->hit);
	KUNIT_EXPECT_NULL(test, f->miss);
	if (!IS_ERR_OR_NULL(f->hit))
		refkey_put(f->hit);
	refkey_put(a);
	kbaseline(ctx, "after the put");
}

struct putter {
	struct refkey *rk;
	atomic_t done;
	struct completion exited;
};

static int putter_fn(void *data)
{
	struct putter *p = data;

	refkey_put(p->rk);
	atomic_set_release(&p->done, 1);
	complete(&p->exited);
	return 0;
}

/*
 * G3, GR2: a lookup that found an object in the hash table may still be
 * reading it when another thread drops its last reference.  The memory
 * must stay until that lookup's RCU read side ends: the test plays such a
 * lookup (rcu_read_lock() and the hash table), has a kthread do the last
 * put meanwhile, and then checks that nothing was freed and reads the
 * object (KASAN, on UML, also reports a free that did not wait).  Once
 * the read side ends, the free happens.
 */
static void refkey_test_free_after_grace_period(struct kunit *test)
{
	struct kctx *ctx = kctx_new(test, &k_ops);
	struct putter *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);
	unsigned long end = jiffies + msecs_to_jiffies(NO_WAIT_MS);
	struct task_struct *t;
	struct refkey *rk, *seen;
	bool put_done = false;
	u32 k = 4, users;
	int frees;

	KUNIT_ASSERT_NOT_NULL(test, p);
	rk = kget(ctx, k);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, rk);
	p->rk = rk;			/* the putter takes over our reference */
	init_completion(&p->exited);
	/* Created outside the read side, which must not sleep. */
	t = kthread_create(putter_fn, p, "refkey-put");
	if (IS_ERR(t)) {
		refkey_put(rk);
		KUNIT_FAIL(test, "no kthread: %ld", PTR_ERR(t));
		return;
	}

	rcu_read_lock();
	seen = rhashtable_lookup(&ctx->tab.table, &k, ctx->tab.ht_params);
	wake_up_process(t);
	/*
	 * Spin, do not sleep, inside the read side: the putter runs on
	 * another CPU, or on UML preempts us (preemptible RCU) at the
	 * preemption point, the only place UML preempts kernel code.
	 */
	while (!(put_done = atomic_read_acquire(&p->done)) &&
	       time_before(jiffies, end)) {
		preempt_disable();
		preempt_enable();
		cpu_relax();
	}
	frees = atomic_read(&ctx->frees);
	/* A free that did not wait for us: KASAN use-after-free here. */
	users = seen ? refcount_read(&seen->users) : U32_MAX;
	k = seen ? kkey(refkey_key(seen)) : NO_KEY;
	rcu_read_unlock();
	/* However long it took: the putter uses @p and the table. */
	wait_for_completion(&p->exited);

	KUNIT_EXPECT_PTR_EQ(test, seen, rk);
	KUNIT_EXPECT_TRUE_MSG(test, put_done, "the last put took over %u ms",
			      NO_WAIT_MS);
	KUNIT_EXPECT_EQ_MSG(test, frees, 0, "freed inside a lookup's read side");
	KUNIT_EXPECT_EQ(test, users, 0);
	KUNIT_EXPECT_EQ(test, k, 4);
	/* Unpublished at once, the key reference gone, the memory next. */
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->unpublishes), 1);
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->key_refs[4]), 0);
	kbaseline(ctx, "after the grace period");
	KUNIT_EXPECT_EQ(test, atomic_read(&ctx->frees), 1);
}

#define RACE_MS		300

struct racer {
	struct kctx *ctx;
	struct completion done;
	bool creator;
	unsigned long iters, hits;
};

/* GR2, GR4: lookups against last puts and re-creates of the same keys. */
static int racer_fn(void *data)
{
	struct racer *r = data;
	unsigned long end = jiffies + msecs_to_jiffies(RACE_MS);
	struct kunit *test = r->ctx->test;
	u32 n = 0;

	while (time_before(jiffies, end)) {
		struct refkey *rk;

		n = (n + 1) % 4;
		rk = r->creator ? kget(r->ctx, n) : kfind(r->ctx, n);
		r->iters++;
		if (IS_ERR_OR_NULL(rk)) {
			/* Only a lookup may miss; creates cannot fail here. */
			KUNIT_EXPECT_FALSE(test, r->creator);
			continue;
		}
		r->hits++;
		/* Held: live, its own key, the one its key finds. */
		KUNIT_EXPECT_GE(test, refcount_read(&rk->users), 1);
		KUNIT_EXPECT_EQ(test, kkey(refkey_key(rk)), n);
		refkey_put(rk);
		if (!(r->iters % 64))
			cond_resched();
	}
	complete(&r->done);
	return 0;
}

/*
 * GR1, GR2, GR4 under real parallelism (x86_64 -smp 4, KCSAN): two
 * creators whose every get is immediately followed by a put (so keys die
 * and are re-created all the time) and two lock-free finders.  A held
 * object is always live and keyed right; nothing is left at the end.
 */
static void refkey_test_race(struct kunit *test)
{
	struct kctx *ctx = kctx_new(test, &k_ops);
	struct racer *r = kunit_kcalloc(test, 4, sizeof(*r), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	ctx->single = false;
	for (i = 0; i < 4; i++) {
		struct task_struct *t;

		r[i].ctx = ctx;
		r[i].creator = i < 2;
		init_completion(&r[i].done);
		t = kthread_run(racer_fn, &r[i], "refkey-race/%u", i);
		if (IS_ERR(t))
			complete(&r[i].done);
	}
	for (i = 0; i < 4; i++)
		wait_for_completion(&r[i].done);
	kunit_info(test, "creators %lu+%lu gets, finders %lu+%lu lookups (%lu+%lu hits)\n",
		   r[0].iters, r[1].iters, r[2].iters, r[3].iters, r[2].hits,
		   r[3].hits);
	KUNIT_EXPECT_GT(test, r[0].iters, 0);
	KUNIT_EXPECT_GT(test, r[2].iters, 0);
	kbaseline(ctx, "after the race");
}

static struct kunit_case refkey_test_cases[] = {
	KUNIT_CASE(refkey_test_bad_params),
	KUNIT_CASE(refkey_test_create_find),
	KUNIT_CASE(refkey_test_lost_race),
	KUNIT_CASE(refkey_test_fault_injection),
	KUNIT_CASE(refkey_test_lookup_lock_free),
	KUNIT_CASE(refkey_test_lookup_dying),
	KUNIT_CASE(refkey_test_free_after_grace_period),
	KUNIT_CASE(refkey_test_race),
	{}
};

static struct kunit_suite refkey_test_suite = {
	.name = "refkey",
	.exit = refkey_test_exit,
	.test_cases = refkey_test_cases,
};

kunit_test_suite(refkey_test_suite);

MODULE_DESCRIPTION("KUnit tests for lib/refgroup's keyed objects");
MODULE_LICENSE("GPL");
