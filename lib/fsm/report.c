// SPDX-License-Identifier: GPL-2.0
/*
 * lib/fsm reporting: the transition tracepoint, the per-instance history
 * ring, warnings about refused moves and the Graphviz view of a table.
 */

#include <linux/export.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "internal.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

EXPORT_TRACEPOINT_SYMBOL_GPL(fsm_transition);

/*
 * A bad move is a bug in the driver's table or action: warn with a
 * backtrace the first time per table, then rate-limit, so one broken
 * machine cannot flood the log nor hide another table's first offence.
 */
void fsm_report_bad_move(struct fsm *fsm, unsigned int to)
{
	const struct fsm_table *t = fsm->table;
	const struct fsm_cell *cell = fsm->cur;
	unsigned int event = (cell - t->priv->cells) &
			     ((1U << t->priv->shift) - 1);
	const char *from = fsm_state_name(t, fsm->state);

	if (!test_and_set_bit(0, &t->priv->warned))
		WARN(1, "fsm: %s/%s: move %s --%s--> %s not declared, refused\n",
		     t->name, fsm->name, from, fsm_event_name(t, event),
		     fsm_state_name(t, to));
	else
		pr_err_ratelimited("fsm: %s/%s: move %s --%s--> %s not declared, refused\n",
				   t->name, fsm->name, from,
				   fsm_event_name(t, event),
				   fsm_state_name(t, to));
}

/**
 * fsm_history_read() - copy the most recent transitions of an instance
 * @fsm: the instance
 * @buf: where to copy them, oldest first
 * @n: room in @buf
 *
 * Takes no lock: it copies inside a seqcount read section and copies
 * again if a dispatch wrote the ring meanwhile, so reading never delays a
 * dispatch nor makes a try dispatch fail.  The copy is one consistent
 * snapshot of the ring.
 *
 * Context: never sleeps.  %FSM_SLEEPING: process context only (a dispatch
 * it interrupted could never finish its write section).  %FSM_ATOMIC:
 * any context (the writer runs with interrupts off).
 * Return: the number of entries copied: at most @n, the table's history
 * length and the number of events dispatched so far.
 */
unsigned int fsm_history_read(struct fsm *fsm, struct fsm_history_entry *buf,
			      unsigned int n)
{
	unsigned int len, count, start, i, seq;

	if (!fsm->table || !fsm->history)
		return 0;
	/* Here a sleeping machine's writer could never finish: a livelock. */
	if (!fsm->atomic && WARN_ON_ONCE(!in_task()))
		return 0;
	len = fsm->table->history;

	do {
		seq = read_seqcount_begin(&fsm->hist_seq);
		count = min_t(u64, min(n, len), fsm->seq);
		start = (fsm->history_next + len - count) % len;
		for (i = 0; i < count; i++)
			buf[i] = fsm->history[(start + i) % len];
	} while (read_seqcount_retry(&fsm->hist_seq, seq));
	return count;
}
EXPORT_SYMBOL_GPL(fsm_history_read);

/**
 * fsm_history_show() - print an instance's history, oldest first
 * @fsm: the instance
 * @m: where to print, one transition per line:
 *	"<seq> <from> --<event>--> <to> = <result>"
 *
 * Context: process context; may sleep.
 */
void fsm_history_show(struct fsm *fsm, struct seq_file *m)
{
	const struct fsm_table *t = fsm->table;
	struct fsm_history_entry *buf;
	unsigned int i, n;

	if (!t || !t->history)
		return;
	buf = kmalloc_array(t->history, sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return;
	n = fsm_history_read(fsm, buf, t->history);
	for (i = 0; i < n; i++)
		seq_printf(m, "%llu %s --%s--> %s = %d\n", buf[i].seq,
			   fsm_state_name(t, buf[i].from),
			   fsm_event_name(t, buf[i].event),
			   fsm_state_name(t, buf[i].to), buf[i].result);
	kfree(buf);
}
EXPORT_SYMBOL_GPL(fsm_history_show);

/**
 * fsm_table_show_dot() - print a registered table as a Graphviz digraph
 * @table: the table
 * @m: where to print
 *
 * One edge per declared next state, labelled with the event; a declared
 * cell that never moves is drawn as a dashed self-loop.  Cells filled by
 * the default action are left out.  Feed the output to `dot -Tsvg`.
 */
void fsm_table_show_dot(const struct fsm_table *table, struct seq_file *m)
{
	unsigned int s, e, to;

	if (!table->priv)
		return;
	seq_printf(m, "digraph \"%s\" {\n\trankdir=LR;\n", table->name);
	for (s = 0; s < table->nr_states; s++)
		seq_printf(m, "\t\"%s\";\n", table->state_names[s]);
	for (s = 0; s < table->nr_states; s++) {
		for (e = 0; e < table->nr_events; e++) {
			const struct fsm_cell *c = fsm_cell(table, s, e);
			unsigned long next = c->next;

			if (!c->declared)
				continue;
			if (!next)
				seq_printf(m, "\t\"%s\" -> \"%s\" [label=\"%s\", style=dashed];\n",
					   table->state_names[s],
					   table->state_names[s],
					   table->event_names[e]);
			for_each_set_bit(to, &next, table->nr_states)
				seq_printf(m, "\t\"%s\" -> \"%s\" [label=\"%s\"];\n",
					   table->state_names[s],
					   table->state_names[to],
					   table->event_names[e]);
		}
	}
	seq_puts(m, "}\n");
}
EXPORT_SYMBOL_GPL(fsm_table_show_dot);
