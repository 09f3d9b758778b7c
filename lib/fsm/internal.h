/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lib/fsm private definitions shared by the mechanism (core.c), reporting
 * (report.c) and debugfs (debugfs.c).
 */
#ifndef _LIB_FSM_INTERNAL_H
#define _LIB_FSM_INTERNAL_H

#include <linux/fsm.h>
#include <linux/lockdep.h>

struct fsm_table_priv {
	/*
	 * Row-major, each row padded to 1 << shift cells, so that dispatch
	 * finds a cell with a shift rather than a multiply.
	 */
	struct fsm_cell *cells;
	unsigned int shift;
	/* one lockdep class per table, so machines never share chains */
	struct lock_class_key key;
	/* and for its posting work, so flushing a child from a parent's
	 * action is not a cycle through one work class shared by all tables
	 */
	struct lock_class_key work_key;
	/* and for its history seqcount, written in irq context by atomic
	 * tables only
	 */
	struct lock_class_key hist_key;
	unsigned long warned;	/* bit 0: a bad move was reported */
	atomic_t instances;	/* live fsm_init()s, checked at unregister */
	struct dentry *debugfs;
};

static inline const struct fsm_cell *
fsm_cell(const struct fsm_table *t, unsigned int state, unsigned int event)
{
	return &t->priv->cells[(state << t->priv->shift) + event];
}

/* report.c */
void fsm_report_bad_move(struct fsm *fsm, unsigned int to);

/* debugfs.c */
#ifdef CONFIG_DEBUG_FS
void fsm_debugfs_add_table(struct fsm_table *table);
void fsm_debugfs_add(struct fsm *fsm);
int fsm_debugfs_init(void);
void fsm_debugfs_exit(void);
#else
static inline void fsm_debugfs_add_table(struct fsm_table *table) { }
static inline void fsm_debugfs_add(struct fsm *fsm) { }
static inline int fsm_debugfs_init(void) { return 0; }
static inline void fsm_debugfs_exit(void) { }
#endif

#endif /* _LIB_FSM_INTERNAL_H */
