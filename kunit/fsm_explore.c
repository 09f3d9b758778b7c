// SPDX-License-Identifier: GPL-2.0
/*
 * The sequence explorer of fsm_explore.h: breadth first over distinct
 * model states, each sequence replayed on a fresh system.
 */

#include <kunit/test.h>
#include <linux/fsm.h>
#include <linux/hashtable.h>
#include <linux/jhash.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "fsm_explore.h"

/* Far above any table this project explores; a runaway model stops here. */
#define MAX_STATES	50000

struct explore_state {
	struct hlist_node hash;
	struct list_head order;		/* breadth-first order */
	u32 key;
	u8 len;
	u8 path[FSM_EXPLORE_MAX_DEPTH];
	u8 key_bytes[];		/* the merge key */
};

struct explorer {
	struct kunit *test;
	const struct fsm_explore_ops *ops;
	void *ctx;
	struct fsm_explore_result *res;
	struct list_head states;
	size_t key_size;
	void *kbuf;		/* the key being looked up */
	DECLARE_HASHTABLE(table, 12);
};

static const void *merge_key(struct explorer *x, const void *model)
{
	if (!x->ops->key)
		return model;
	memset(x->kbuf, 0, x->key_size);
	x->ops->key(model, x->kbuf);
	return x->kbuf;
}

static struct explore_state *lookup(struct explorer *x, const void *kb,
				    u32 key)
{
	struct explore_state *s;

	hash_for_each_possible(x->table, s, hash, key)
		if (s->key == key && !memcmp(s->key_bytes, kb, x->key_size))
			return s;
	return NULL;
}

static int add_state(struct explorer *x, const void *model, const u8 *path,
		     unsigned int len)
{
	const void *kb = merge_key(x, model);
	u32 key = jhash(kb, x->key_size, 0);
	struct explore_state *s;

	if (lookup(x, kb, key))
		return 0;
	if (x->res->states >= MAX_STATES)
		return -E2BIG;
	s = kzalloc(struct_size(s, key_bytes, x->key_size), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->key = key;
	s->len = len;
	memcpy(s->path, path, len);
	memcpy(s->key_bytes, kb, x->key_size);
	hash_add(x->table, &s->hash, key);
	list_add_tail(&s->order, &x->states);
	x->res->states++;
	return 0;
}

static void report(struct explorer *x, const u8 *path, unsigned int len,
		   unsigned int at, const char *why)
{
	char buf[256];
	int n = 0;
	unsigned int i;

	for (i = 0; i < len && n < sizeof(buf); i++)
		n += scnprintf(buf + n, sizeof(buf) - n, "%s%s%s",
			       i ? " " : "", i == at ? "*" : "",
			       x->ops->step_names[path[i]]);
	KUNIT_FAIL(x->test, "sequence [%s] failed at step %u: %s", buf,
		   at + 1, why ?: "?");
}

/* Run @path (@len steps) on a fresh system; its final model in @model. */
static int run(struct explorer *x, const u8 *path, unsigned int len,
	       void *model)
{
	const char *why = NULL;
	unsigned int i;
	void *sys;
	int ret;

	x->ops->model_init(x->ctx, model);
	sys = x->ops->setup(x->ctx);
	if (!sys) {
		KUNIT_FAIL(x->test, "explorer: setup failed");
		return -ENOMEM;
	}
	x->res->sequences++;
	for (i = 0; i < len; i++) {
		x->res->steps++;
		ret = x->ops->step(x->ctx, sys, model, path[i], &why);
		if (ret) {
			report(x, path, len, i, why);
			x->ops->teardown(x->ctx, sys, &why);
			return ret;
		}
	}
	ret = x->ops->teardown(x->ctx, sys, &why);
	if (ret)
		report(x, path, len, len - 1, why);
	return ret;
}

/**
 * fsm_explore() - run every sequence of steps up to a length
 * @test: the test, failed with the offending sequence on a mismatch
 * @ops: the system and its model
 * @ctx: passed to @ops
 * @depth: the longest sequence, at most %FSM_EXPLORE_MAX_DEPTH
 * @res: filled with what was explored
 *
 * Return: 0 if every sequence matched the model, else the first error.
 */
int fsm_explore(struct kunit *test, const struct fsm_explore_ops *ops,
		void *ctx, unsigned int depth, struct fsm_explore_result *res)
{
	struct explorer *x;
	struct explore_state *s, *tmp;
	u8 path[FSM_EXPLORE_MAX_DEPTH];
	void *model;
	unsigned int step;
	u64 t0 = ktime_get_ns();
	int ret = 0;

	if (depth > FSM_EXPLORE_MAX_DEPTH || !ops->nr_steps ||
	    ops->nr_steps > U8_MAX)
		return -EINVAL;
	x = kzalloc(sizeof(*x), GFP_KERNEL);
	model = kzalloc(ops->model_size, GFP_KERNEL);
	if (x) {
		x->key_size = ops->key ? ops->key_size : ops->model_size;
		x->kbuf = kzalloc(x->key_size, GFP_KERNEL);
	}
	if (!x || !model || !x->kbuf) {
		ret = -ENOMEM;
		goto out;
	}
	memset(res, 0, sizeof(*res));
	res->depth = depth;
	x->test = test;
	x->ops = ops;
	x->ctx = ctx;
	x->res = res;
	INIT_LIST_HEAD(&x->states);
	hash_init(x->table);

	ops->model_init(ctx, model);
	ret = add_state(x, model, path, 0);
	/* New states go to the tail: one pass is breadth first. */
	list_for_each_entry(s, &x->states, order) {
		if (ret || s->len >= depth)
			break;
		for (step = 0; step < ops->nr_steps && !ret; step++) {
			memcpy(path, s->path, s->len);
			path[s->len] = step;
			ret = run(x, path, s->len + 1, model);
			if (!ret)
				ret = add_state(x, model, path, s->len + 1);
		}
		cond_resched();
	}
out:
	if (x) {
		if (x->states.next)
			list_for_each_entry_safe(s, tmp, &x->states, order)
				kfree(s);
		kfree(x->kbuf);
	}
	kfree(x);
	kfree(model);
	res->ns = ktime_get_ns() - t0;
	return ret;
}
EXPORT_SYMBOL_GPL(fsm_explore);

/**
 * fsm_explore_report() - say in the test's log what an exploration did
 * @test: the test
 * @res: what fsm_explore() filled in
 */
void fsm_explore_report(struct kunit *test,
			const struct fsm_explore_result *res)
{
	kunit_info(test,
		   "depth %u: %lu sequences, %lu steps, %lu model states, %llu ms\n",
		   res->depth, res->sequences, res->steps, res->states,
		   res->ns / NSEC_PER_MSEC);
}
EXPORT_SYMBOL_GPL(fsm_explore_report);

/**
 * fsm_explore_print_dot() - print a table as Graphviz, between markers
 * @test: the test, failed if the graph does not fit
 * @table: a registered table
 * @marker: prefix of every line, e.g. "mdev-lifecycle-dot"
 *
 * scripts/check.sh cuts the lines out of the kernel log and compares
 * them with the picture in docs/, so the documentation shows the table
 * the code runs.
 */
void fsm_explore_print_dot(struct kunit *test, const struct fsm_table *table,
			   const char *marker)
{
	struct seq_file m = { .size = 2 * PAGE_SIZE };
	char *line, *p;

	m.buf = kunit_kzalloc(test, m.size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.buf);
	fsm_table_show_dot(table, &m);
	KUNIT_ASSERT_FALSE(test, seq_has_overflowed(&m));
	m.buf[m.count] = '\0';
	pr_info("%s: begin\n", marker);
	for (p = m.buf; (line = strsep(&p, "\n")) && (*line || p);)
		pr_info("%s: %s\n", marker, line);
	pr_info("%s: end\n", marker);
}
EXPORT_SYMBOL_GPL(fsm_explore_print_dot);

MODULE_DESCRIPTION("KUnit helper: exhaustive event-sequence explorer");
MODULE_LICENSE("GPL");
