/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Brackets for tests that check a kernel report (WARN, ODEBUG, lockdep) is
 * produced.  scripts/check-log.py requires exactly such a report between
 * the markers and fails the run if none comes; any report outside a
 * bracket fails the run too.
 */
#ifndef _MDEVCCW_KUNIT_EXPECT_REPORT_H
#define _MDEVCCW_KUNIT_EXPECT_REPORT_H

#include <linux/printk.h>

#define expect_report_begin(token) \
	pr_info("mdevccw-expect-report: begin " token "\n")
#define expect_report_end() pr_info("mdevccw-expect-report: end\n")

#endif
