/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoint of lib/fsm: one event per dispatched state machine event.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM fsm

#if !defined(_LIB_FSM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _LIB_FSM_TRACE_H

#include <linux/fsm.h>
#include <linux/tracepoint.h>

TRACE_EVENT(fsm_transition,
	    TP_PROTO(const struct fsm *fsm, unsigned int from,
		     unsigned int event, unsigned int to, int result),
	    TP_ARGS(fsm, from, event, to, result),
	    TP_STRUCT__entry(__string(table, fsm->table->name)
			     __string(name, fsm->name)
			     __string(from, fsm_state_name(fsm->table, from))
			     __string(event, fsm_event_name(fsm->table, event))
			     __string(to, fsm_state_name(fsm->table, to))
			     __field(int, result)),
	    TP_fast_assign(__assign_str(table);
			   __assign_str(name);
			   __assign_str(from);
			   __assign_str(event);
			   __assign_str(to);
			   __entry->result = result;),
	    TP_printk("%s/%s: %s --%s--> %s = %d", __get_str(table),
		      __get_str(name), __get_str(from), __get_str(event),
		      __get_str(to), __entry->result)
);

#endif /* _LIB_FSM_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
