/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the lib/fsm KUnit suites and benchmark.
 */
#ifndef _MDEVCCW_KUNIT_FSM_KUNIT_H
#define _MDEVCCW_KUNIT_FSM_KUNIT_H

#include <linux/fsm.h>

/* Register @n tables, all or none. */
static inline int fsm_kunit_register(struct fsm_table **tables, unsigned int n)
{
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = fsm_table_register(tables[i]);
		if (ret) {
			while (i--)
				fsm_table_unregister(tables[i]);
			return ret;
		}
	}
	return 0;
}

static inline void fsm_kunit_unregister(struct fsm_table **tables,
					unsigned int n)
{
	while (n--)
		fsm_table_unregister(tables[n]);
}

#endif
