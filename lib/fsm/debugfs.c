// SPDX-License-Identifier: GPL-2.0
/*
 * lib/fsm debugfs: fsm/<table>/graph.dot for each registered table and
 * fsm/<table>/<instance>/{state,history} for each live instance.  Failure
 * to create a file is not an error: debugfs is for humans.
 */

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "internal.h"

static struct dentry *fsm_debugfs_root;

static int fsm_graph_show(struct seq_file *m, void *unused)
{
	fsm_table_show_dot(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fsm_graph);

static int fsm_state_show(struct seq_file *m, void *unused)
{
	struct fsm *fsm = m->private;

	seq_printf(m, "%s\n", fsm_state_name(fsm->table, fsm_state(fsm)));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fsm_state);

static int fsm_hist_show(struct seq_file *m, void *unused)
{
	fsm_history_show(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(fsm_hist);

void fsm_debugfs_add_table(struct fsm_table *table)
{
	struct dentry *dir;

	dir = debugfs_create_dir(table->name, fsm_debugfs_root);
	if (IS_ERR(dir))
		return;
	table->priv->debugfs = dir;
	debugfs_create_file("graph.dot", 0444, dir, table, &fsm_graph_fops);
}

void fsm_debugfs_add(struct fsm *fsm)
{
	struct dentry *parent = fsm->table->priv->debugfs;
	struct dentry *dir;

	if (IS_ERR_OR_NULL(parent))
		return;
	dir = debugfs_create_dir(fsm->name, parent);
	if (IS_ERR(dir))
		return;
	fsm->debugfs = dir;
	debugfs_create_file("state", 0444, dir, fsm, &fsm_state_fops);
	debugfs_create_file("history", 0444, dir, fsm, &fsm_hist_fops);
}

int fsm_debugfs_init(void)
{
	fsm_debugfs_root = debugfs_create_dir("fsm", NULL);
	return 0;
}

void fsm_debugfs_exit(void)
{
	debugfs_remove_recursive(fsm_debugfs_root);
}
