/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An exhaustive explorer of event sequences for KUnit suites of lib/fsm
 * users.  The suite names an alphabet of steps (whatever a user or the
 * hardware can do to the system: a request, an interrupt, a close) and a
 * model that predicts what each step must do; the explorer runs every
 * sequence of up to a given length against the real code, each from a
 * fresh system, and has the suite check the system against the model
 * after every step.
 *
 * Sequences whose model states (or their merge keys) agree are merged:
 * the explorer goes on from each distinct one once (breadth first, so by
 * one of its shortest sequences), which is what keeps length 6 or more
 * tractable while still trying every step from every reachable state.
 */
#ifndef _MDEVCCW_KUNIT_FSM_EXPLORE_H
#define _MDEVCCW_KUNIT_FSM_EXPLORE_H

#include <kunit/test.h>
#include <linux/types.h>

#define FSM_EXPLORE_MAX_DEPTH	12

/**
 * struct fsm_explore_ops - a system under exploration, and its model
 * @nr_steps: size of the alphabet
 * @step_names: a name per step, for the report of a failing sequence
 * @model_size: bytes of one model state (compared and copied as bytes:
 *	keep it free of padding and pointers)
 * @key_size: bytes of a merge key; 0 to merge on the whole model
 * @key: the merge key of @model, in @key (@key_size bytes): an
 *	abstraction of the model, when the whole of it would tell too many
 *	states apart to explore (a queue's depth beyond what matters, say)
 * @model_init: the model of a fresh system
 * @setup: make a fresh system for one sequence; NULL on failure
 * @step: apply @step to @sys and to @model, and check @sys against the
 *	updated model; 0, or -errno with @why set to what did not hold
 * @teardown: release @sys, checking what must hold at the end (nothing
 *	leaked); 0 or -errno with @why set
 */
struct fsm_explore_ops {
	unsigned int nr_steps;
	const char * const *step_names;
	size_t model_size;
	size_t key_size;
	void (*key)(const void *model, void *key);
	void (*model_init)(void *ctx, void *model);
	void *(*setup)(void *ctx);
	int (*step)(void *ctx, void *sys, void *model, unsigned int step,
		    const char **why);
	int (*teardown)(void *ctx, void *sys, const char **why);
};

/**
 * struct fsm_explore_result - what one exploration did
 * @sequences: sequences run (each from a fresh system)
 * @steps: steps run in all, replays included
 * @states: distinct model states reached
 * @depth: the length explored
 * @ns: wall time
 */
struct fsm_explore_result {
	unsigned long sequences;
	unsigned long steps;
	unsigned long states;
	unsigned int depth;
	u64 ns;
};

struct fsm_table;

int fsm_explore(struct kunit *test, const struct fsm_explore_ops *ops,
		void *ctx, unsigned int depth, struct fsm_explore_result *res);

void fsm_explore_report(struct kunit *test,
			const struct fsm_explore_result *res);
void fsm_explore_print_dot(struct kunit *test, const struct fsm_table *table,
			   const char *marker);

#endif /* _MDEVCCW_KUNIT_FSM_EXPLORE_H */
