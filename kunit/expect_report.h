/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Brackets for tests that check a kernel report is produced.
 * expect_report_begin(kind, func) names the one report the step between
 * the markers must produce; scripts/check-log.py fails the run if none
 * comes, or if any other report starts inside the bracket (another kind,
 * another function, a second different report).  Any report outside a
 * bracket fails the run too.  Both arguments are string literals:
 *
 *   "WARNING", "<func>"   a WARN/WARN_ON: <func> is the function of its
 *                         "WARNING: CPU: N PID: N at <file>:<line> <func>+0x"
 *                         line, i.e. the function the WARN is compiled
 *                         into; "a|b" accepts either where the compiler may
 *                         or may not inline a into b;
 *   "ODEBUG", "<type>"    a DEBUG_OBJECTS report on an object of that type
 *                         ("object type: fsm"; its WARNING line, always in
 *                         debug_print_object(), is part of it);
 *   "LOCKDEP", "<func>"   a lockdep report with <func> in one of its stacks;
 *   "KCSAN", "<func>"     a data race whose header names <func>;
 *   "KASAN", "<func>"     a KASAN report whose header names <func>.
 *
 * A lockdep report's "WARNING: possible ..." header is not a WARNING.
 */
#ifndef _MDEVCCW_KUNIT_EXPECT_REPORT_H
#define _MDEVCCW_KUNIT_EXPECT_REPORT_H

#include <linux/printk.h>

#define expect_report_begin(kind, func) \
	pr_info("mdevccw-expect-report: begin " kind " " func "\n")
#define expect_report_end() pr_info("mdevccw-expect-report: end\n")

#endif
